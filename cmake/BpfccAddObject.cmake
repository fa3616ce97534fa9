# BpfccAddObject.cmake - bpfcc_add_object(), installed with the bpfcc CMake package.
#
#   bpfcc_add_object(<name> SOURCES <file.bpf.c>...
#                    [TARGET_KERNEL <btf file>]   compile and verify against that kernel's
#                                                 BTF (--target-btf; default: the build
#                                                 machine's /sys/kernel/btf/vmlinux)
#                    [INCLUDES <dir>...]          -I directories (relative: to the
#                                                 current source directory)
#                    [OPTIONS <flag>...]          more bpfcc flags (-mcpu=v4, -DX=1, ...)
#                    [OUTPUT <file>])             default: <binary dir>/<name>.bpf.o
#
# Adds the target <name> (built by default) producing one BPF object; its path is the
# target property BPFCC_OBJECT.  Each source is compiled with `bpfcc -c` (which runs the
# object checks and the preflight verifier: a program the kernel would refuse fails the
# build at its source line) with a -MD dependency file handed to CMake as DEPFILE, so
# editing any included header rebuilds exactly the objects that include it.  Several
# sources are compiled one by one and linked into one object by `bpftool gen object`
# (libbpf's static linker), as libbpf-based projects do; each must be complete on its own
# (bpfcc refuses a call to a function defined in another file: ir-external-call).
if(COMMAND bpfcc_add_object)
  return()
endif()

function(bpfcc_add_object name)
  cmake_parse_arguments(PARSE_ARGV 1 A "" "TARGET_KERNEL;OUTPUT" "SOURCES;INCLUDES;OPTIONS")
  if(A_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "bpfcc_add_object(${name}): unknown arguments: ${A_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A_SOURCES)
    message(FATAL_ERROR "bpfcc_add_object(${name}): SOURCES is required")
  endif()
  if(TARGET bpfcc::bpfcc)
    set(_bpfcc bpfcc::bpfcc)
    get_target_property(_bpfcc_file bpfcc::bpfcc IMPORTED_LOCATION)
  elseif(BPFCC_EXECUTABLE)
    set(_bpfcc ${BPFCC_EXECUTABLE})
    set(_bpfcc_file ${BPFCC_EXECUTABLE})
  else()
    message(FATAL_ERROR "bpfcc_add_object(${name}): no bpfcc (use find_package(bpfcc))")
  endif()

  set(_out ${CMAKE_CURRENT_BINARY_DIR}/${name}.bpf.o)
  if(A_OUTPUT)
    get_filename_component(_out "${A_OUTPUT}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
  endif()

  set(_flags)
  set(_extra_deps ${_bpfcc_file})
  foreach(_inc IN LISTS A_INCLUDES)
    get_filename_component(_inc "${_inc}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND _flags "-I${_inc}")
  endforeach()
  if(A_TARGET_KERNEL)
    get_filename_component(_btf "${A_TARGET_KERNEL}" ABSOLUTE
                           BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND _flags "--target-btf=${_btf}")
    if(NOT _btf MATCHES "^/sys/")
      list(APPEND _extra_deps ${_btf})
    endif()
  endif()
  list(APPEND _flags ${A_OPTIONS})

  list(LENGTH A_SOURCES _n)
  set(_objs)
  set(_i 0)
  foreach(_src IN LISTS A_SOURCES)
    get_filename_component(_src "${_src}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(_n EQUAL 1)
      set(_obj ${_out})
    else()
      get_filename_component(_base "${_src}" NAME_WE)
      set(_obj ${CMAKE_CURRENT_BINARY_DIR}/${name}.dir/${_i}-${_base}.o)
      math(EXPR _i "${_i} + 1")
    endif()
    file(RELATIVE_PATH _shown ${CMAKE_BINARY_DIR} ${_obj})
    get_filename_component(_objdir "${_obj}" DIRECTORY)
    file(MAKE_DIRECTORY ${_objdir})
    add_custom_command(OUTPUT ${_obj}
      COMMAND ${_bpfcc} ${_flags} -MD -MF ${_obj}.d -c ${_src} -o ${_obj}
      DEPENDS ${_src} ${_extra_deps}
      DEPFILE ${_obj}.d
      COMMENT "Building BPF object ${_shown}"
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
      VERBATIM COMMAND_EXPAND_LISTS)
    list(APPEND _objs ${_obj})
  endforeach()

  if(_n GREATER 1)
    find_program(BPFCC_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin)
    if(NOT BPFCC_BPFTOOL)
      message(FATAL_ERROR "bpfcc_add_object(${name}): several SOURCES are linked with "
                          "bpftool (gen object), which was not found")
    endif()
    file(RELATIVE_PATH _shown ${CMAKE_BINARY_DIR} ${_out})
    add_custom_command(OUTPUT ${_out}
      COMMAND ${BPFCC_BPFTOOL} gen object ${_out} ${_objs}
      DEPENDS ${_objs}
      COMMENT "Linking BPF object ${_shown}"
      VERBATIM)
  endif()

  add_custom_target(${name} ALL DEPENDS ${_out})
  set_target_properties(${name} PROPERTIES BPFCC_OBJECT ${_out})
endfunction()
