# bpfcc_unit_test(<name> SOURCES <c files> LIBS <libraries>): a Check test executable,
# registered with ctest under unit/<name>.  Check's own summary line is kept in the output.
function(bpfcc_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(test_${name} ${T_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${T_LIBS} PkgConfig::CHECK)
  target_include_directories(test_${name} PRIVATE ${PROJECT_SOURCE_DIR}/compiler)
  bpfcc_warnings(test_${name})
  add_test(NAME unit/${name} COMMAND test_${name})
  set_tests_properties(unit/${name} PROPERTIES ENVIRONMENT "CK_DEFAULT_TIMEOUT=60")
endfunction()
