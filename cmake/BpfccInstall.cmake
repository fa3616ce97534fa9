# `cmake --install build --prefix P`: the bpfcc executable (P/bin), the headers bpfcc puts
# on the include path (P/share/bpfcc/include, found relative to the executable), the
# bpfcc(1) man page, bash completion, and the CMake package (P/lib/cmake/bpfcc) whose
# bpfcc_add_object() builds BPF objects with the installed bpfcc.
include(CMakePackageConfigHelpers)

set(BPFCC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/bpfcc
    CACHE STRING "where the bpfcc CMake package is installed (under the prefix)")

# Link with the run path the installed binary keeps (the LLVM library directory when LLVM
# is linked as a shared library, nothing otherwise), so installing rewrites nothing.
set_target_properties(bpfcc PROPERTIES BUILD_WITH_INSTALL_RPATH ON
                                       INSTALL_RPATH_USE_LINK_PATH ON)
install(TARGETS bpfcc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/headers/
        DESTINATION ${BPFCC_INSTALL_HEADERS_DIR} FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_SOURCE_DIR}/man/bpfcc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/man/bpfcc.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME bpfcc)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/bpfccConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/bpfccConfig.cmake
  INSTALL_DESTINATION ${BPFCC_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR BPFCC_INSTALL_HEADERS_DIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/bpfccConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/bpfccConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/bpfccConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/BpfccAddObject.cmake
        DESTINATION ${BPFCC_INSTALL_CMAKEDIR})
