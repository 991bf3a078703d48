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

# Wine's prefix (its C: drive and registry, build/windows/wine-prefix, as the
# toolchain's emulator command names it) is made by the first program Wine
# runs, in about 12 s, and two first runs at once race: one of them fails
# with "wine: chdir to /tmp/wine-*/server-*: No such file or directory". CTest
# runs two tests at once, so on a fresh tree whichever two came first could
# fail (stop 19's CI: common.testing). The build makes the prefix instead,
# once, before any test can run: every test executable of the tree depends
# on it, and deleting the prefix makes the next build make it again.
# wineboot runs through the toolchain's emulator command, so the prefix and
# Wine's settings are the ones every test gets.
find_program(WB_WINESERVER NAMES wineserver PATHS /usr/lib/wine NO_DEFAULT_PATH)
find_program(WB_WINESERVER NAMES wineserver)
set(wait_for_wineserver "")
if(WB_WINESERVER)  # wineboot returns before its server has written everything
  set(wait_for_wineserver COMMAND "${CMAKE_COMMAND}" -E env "WINEPREFIX=${WB_WINE_PREFIX}" "${WB_WINESERVER}" -w)
endif()
add_custom_command(
  OUTPUT "${WB_WINE_PREFIX}/made-by-the-build"
  COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} wineboot --init
  ${wait_for_wineserver}
  COMMAND "${CMAKE_COMMAND}" -E touch "${WB_WINE_PREFIX}/made-by-the-build"
  COMMENT "Making Wine's prefix, once (about 12 s)"
  VERBATIM)
add_custom_target(wine_prefix DEPENDS "${WB_WINE_PREFIX}/made-by-the-build")
