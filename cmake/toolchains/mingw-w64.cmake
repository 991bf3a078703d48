# The `windows` tree: the exercises cross-compiled for 64-bit Windows with
# mingw-w64 and run under Wine (DESIGN.md section 7; CMakePresets.json).
#
#   Debian: mingw-w64 (x86_64-w64-mingw32-g++-posix) and wine, wine64.
#
# The -posix compiler is the one whose libstdc++ has std::thread, std::mutex
# and std::condition_variable (on winpthreads); the -win32 one has none of
# them. Everything is linked statically, so a test .exe needs no DLL beside it
# (libstdc++, libgcc, winpthreads), and -lsynchronization brings
# WaitOnAddress / WakeByAddressSingle / WakeByAddressAll (API set
# api-ms-win-core-synch-l1-2-0, Windows 8 and later).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(WB_MINGW_TRIPLE x86_64-w64-mingw32)
find_program(WB_MINGW_CXX ${WB_MINGW_TRIPLE}-g++-posix)
if(NOT WB_MINGW_CXX)
  message(FATAL_ERROR "The windows tree needs ${WB_MINGW_TRIPLE}-g++-posix "
                      "(Debian: sudo apt-get install mingw-w64).")
endif()
set(CMAKE_CXX_COMPILER "${WB_MINGW_CXX}")
set(CMAKE_RC_COMPILER ${WB_MINGW_TRIPLE}-windres)

# Only the cross toolchain's own headers and libraries, never the host's
# (/usr/include holds glibc's); the host-only header libraries the tests use
# (Catch2, fmt) are handed over one by one in CMakeLists.txt.
set(CMAKE_FIND_ROOT_PATH /usr/${WB_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_CXX_STANDARD_LIBRARIES "-lsynchronization")

# CTest (and CMake's own checks) run a .exe through Wine, with a prefix (Wine's
# C: drive and registry) inside the build tree: the first run creates it in
# about 12 s, later runs reuse it, and deleting the tree deletes it.
# WINEDEBUG=-all silences Wine's own diagnostics ("fixme:..."), which would
# otherwise be mixed into the test's output; the empty overrides of mscoree
# and mshtml stop the first run from offering to install Mono and Gecko. The
# runner reads the same command from the tree's manifest ("emulator").
find_program(WB_WINE64 NAMES wine64 PATHS /usr/lib/wine NO_DEFAULT_PATH)
find_program(WB_WINE64 NAMES wine64)
if(NOT WB_WINE64)
  message(FATAL_ERROR "The windows tree runs its tests under Wine: wine64 was not found "
                      "(Debian: sudo apt-get install wine wine64).")
endif()
set(WB_WINE_PREFIX "${CMAKE_BINARY_DIR}/wine-prefix")  # made by the build: cmake/WindowsTree.cmake
set(CMAKE_CROSSCOMPILING_EMULATOR
    "${CMAKE_COMMAND};-E;env;WINEPREFIX=${WB_WINE_PREFIX};WINEDEBUG=-all;WINEDLLOVERRIDES=mscoree,mshtml=;${WB_WINE64}")
