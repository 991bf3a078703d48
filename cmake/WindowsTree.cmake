# The `windows` tree's dependencies (cmake/toolchains/mingw-w64.cmake cross-
# compiles; CMakeLists.txt includes this instead of find_package for them).
#
# Debian packages Catch2 2.x and fmt for the host only, but both are header
# libraries that know Windows: the tree borrows just their header folders,
# through links in build/windows/host-headers/, because putting the host's
# /usr/include on the cross compiler's path would bring glibc's headers in
# too. fmt is used header-only (FMT_HEADER_ONLY): its compiled part is the
# host's .so, which a Windows program cannot link.
include_guard(GLOBAL)

set(host_headers "${CMAKE_BINARY_DIR}/host-headers")
file(MAKE_DIRECTORY "${host_headers}")
foreach(library IN ITEMS catch2 fmt)
  find_path(WB_HOST_${library}_DIR ${library} PATHS /usr/include /usr/local/include
            NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  if(NOT WB_HOST_${library}_DIR)
    message(FATAL_ERROR "The windows tree borrows the host's ${library} headers: "
                        "/usr/include/${library} was not found (Debian: catch2, libfmt-dev).")
  endif()
  file(CREATE_LINK "${WB_HOST_${library}_DIR}/${library}" "${host_headers}/${library}" SYMBOLIC)
endforeach()

add_library(Catch2::Catch2 INTERFACE IMPORTED)
target_include_directories(Catch2::Catch2 SYSTEM INTERFACE "${host_headers}")
add_library(fmt::fmt INTERFACE IMPORTED)
target_include_directories(fmt::fmt SYSTEM INTERFACE "${host_headers}")
target_compile_definitions(fmt::fmt INTERFACE FMT_HEADER_ONLY)
