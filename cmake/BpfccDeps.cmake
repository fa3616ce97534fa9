# Finds bpfcc's dependencies, all from Debian 12: LLVM 19 (C API, one shared library),
# clang-19 (run as a subprocess, found next to that LLVM), libelf, libbpf and Check.
find_program(LLVM_CONFIG NAMES llvm-config-19 llvm-config
             PATHS /usr/lib/llvm-19/bin NO_DEFAULT_PATH)
find_program(LLVM_CONFIG NAMES llvm-config-19 llvm-config)
if(NOT LLVM_CONFIG)
  message(FATAL_ERROR "llvm-config for LLVM 19 not found (apt install llvm-19-dev)")
endif()

foreach(what version includedir libdir bindir)
  execute_process(COMMAND ${LLVM_CONFIG} --${what} OUTPUT_VARIABLE _v
                  OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  string(TOUPPER ${what} _w)
  set(LLVM_${_w} ${_v})
endforeach()
if(NOT LLVM_VERSION MATCHES "^19\\.")
  message(FATAL_ERROR "bpfcc needs LLVM 19, ${LLVM_CONFIG} is ${LLVM_VERSION}")
endif()
message(STATUS "LLVM ${LLVM_VERSION} in ${LLVM_LIBDIR}")

# LLVM's static component libraries (also in llvm-19-dev) by default: bpfcc then carries
# only the BPF target and the passes it runs, and starts in ~5 ms instead of the ~17 ms
# the dynamic loader spends relocating all of libLLVM.so on every compile.
option(BPFCC_LLVM_STATIC "link LLVM's static component libraries" ON)
add_library(bpfcc_llvm INTERFACE)
target_include_directories(bpfcc_llvm SYSTEM INTERFACE ${LLVM_INCLUDEDIR})
if(BPFCC_LLVM_STATIC AND EXISTS ${LLVM_LIBDIR}/libLLVMBPFCodeGen.a)
  execute_process(COMMAND ${LLVM_CONFIG} --link-static --libs bpf bitreader bitwriter passes
                  OUTPUT_VARIABLE _llvm_libs OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${LLVM_CONFIG} --link-static --system-libs
                  OUTPUT_VARIABLE _llvm_sys OUTPUT_STRIP_TRAILING_WHITESPACE)
  separate_arguments(_llvm_libs UNIX_COMMAND "${_llvm_libs}")
  separate_arguments(_llvm_sys UNIX_COMMAND "${_llvm_sys}")
  target_link_directories(bpfcc_llvm INTERFACE ${LLVM_LIBDIR})
  target_link_libraries(bpfcc_llvm INTERFACE ${_llvm_libs} ${_llvm_sys} stdc++)
  message(STATUS "LLVM: static component libraries")
else()
  find_library(LLVM_SHARED_LIB NAMES LLVM-19 LLVM PATHS ${LLVM_LIBDIR} NO_DEFAULT_PATH
               REQUIRED)
  target_link_libraries(bpfcc_llvm INTERFACE ${LLVM_SHARED_LIB})
  message(STATUS "LLVM: ${LLVM_SHARED_LIB}")
endif()

# The tools next to that LLVM: the C front end and the disassembler used by tests.
set(BPFCC_CLANG ${LLVM_BINDIR}/clang CACHE FILEPATH "clang used as bpfcc's front end")
set(BPFCC_LLVM_OBJDUMP ${LLVM_BINDIR}/llvm-objdump CACHE FILEPATH "llvm-objdump for tests")

find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf)
pkg_check_modules(CHECK REQUIRED IMPORTED_TARGET check)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin)

# The host's multiarch include directory (e.g. /usr/include/x86_64-linux-gnu), which holds
# asm/types.h: every clang BPF Makefile adds it by hand; bpfcc adds it by default.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch OUTPUT_VARIABLE BPFCC_MULTIARCH
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _arch)
if(_arch MATCHES "x86_64|amd64")
  set(BPFCC_TARGET_ARCH x86)
elseif(_arch MATCHES "aarch64|arm64")
  set(BPFCC_TARGET_ARCH arm64)
elseif(_arch MATCHES "^arm")
  set(BPFCC_TARGET_ARCH arm)
elseif(_arch MATCHES "s390")
  set(BPFCC_TARGET_ARCH s390)
elseif(_arch MATCHES "ppc|powerpc")
  set(BPFCC_TARGET_ARCH powerpc)
elseif(_arch MATCHES "riscv")
  set(BPFCC_TARGET_ARCH riscv)
elseif(_arch MATCHES "loongarch")
  set(BPFCC_TARGET_ARCH loongarch)
else()
  set(BPFCC_TARGET_ARCH ${_arch})
endif()
