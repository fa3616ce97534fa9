# bpfcc_stage(<stage> [LIBS <libraries>]): the static library bpfcc_<stage> built from every
# .c file in the calling folder (compiler/<stage>/), with compiler/ as its include root so
# code names headers as "<stage>/<header>.h".
function(bpfcc_stage stage)
  cmake_parse_arguments(S "" "" "LIBS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  if(NOT _src)
    return() # a stage that has no code yet
  endif()
  add_library(bpfcc_${stage} STATIC ${_src})
  target_include_directories(bpfcc_${stage} PUBLIC ${PROJECT_SOURCE_DIR}/compiler)
  target_link_libraries(bpfcc_${stage} PUBLIC ${S_LIBS})
  bpfcc_warnings(bpfcc_${stage})
endfunction()
