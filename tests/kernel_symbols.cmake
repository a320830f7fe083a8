# Each copy of the kernels (core/engine/kernels.cpp, one object per instruction set) defines no
# code outside its own namespace. An inline function shared by two copies (a template from a
# header, say) would be compiled for each copy's instruction set, and the linker would keep
# one of them for all: AVX-512 code could then run on a CPU without it. (Seen: clang at -O1
# kept a one-line member function of kernels.h out of line.) Data, such as the typeinfo
# UBSan's checks emit, holds no instructions and may be shared.
#   cmake -DNM=nm -DOBJECTS="a.o;b.o" -DNAMESPACE=avx2 -P kernel_symbols.cmake
set(found_table FALSE)
foreach(object IN LISTS OBJECTS)
  execute_process(COMMAND "${NM}" -C -g --defined-only "${object}"
                  OUTPUT_VARIABLE symbols RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "${NM} could not read ${object}")
  endif()
  string(REPLACE "\n" ";" lines "${symbols}")
  foreach(line IN LISTS lines)
    if(line STREQUAL "")
      continue()
    endif()
    # nm's type letter: T, W and i are code (global, weak, indirect); the others data.
    if(line MATCHES "^[0-9a-f]* [TWi] " AND NOT line MATCHES " digitpad::${NAMESPACE}::")
      message(SEND_ERROR "${object} defines code outside digitpad::${NAMESPACE}: ${line}")
    endif()
    if(line MATCHES " digitpad::${NAMESPACE}::table$")
      set(found_table TRUE)
    endif()
  endforeach()
endforeach()
if(NOT found_table)
  message(FATAL_ERROR "no digitpad::${NAMESPACE}::table in ${OBJECTS}")
endif()
message(STATUS "digitpad::${NAMESPACE}: all its code in its own namespace")
