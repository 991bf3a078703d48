# Compiler flags for the build modes. The presets choose the mode through
#   WB_SANITIZE        ""  |  "thread"  |  "address,undefined"
#   (WB_DEADLINE_SCALE, how much slower tests run in this mode, is the layer
#   table's: cmake/WorkbookLayers.cmake)
set(WB_SANITIZE "" CACHE STRING "Sanitizers for this build tree (thread | address,undefined)")
#   WB_MODEL           ON in the `model` tree: wb/sync.hpp becomes the model
#                      checker's (DESIGN.md section 5) and only the tests tagged
#                      [model] of exercises that declare the model layer run.
option(WB_MODEL "Compile the sync facade against the model checker" OFF)
if(WB_MODEL AND WB_SANITIZE)
  message(FATAL_ERROR "The model tree runs without sanitizers (WB_MODEL with WB_SANITIZE=${WB_SANITIZE}).")
endif()
if(WB_MODEL)
  add_compile_definitions(WB_MODEL=1)
endif()
#   WB_BENCH           ON in the `bench` tree: -O2, only the chapters'
#                      benchmarks (Google Benchmark), never run as tests.
option(WB_BENCH "Build the benchmarks (and nothing else)" OFF)
if(WB_BENCH AND (WB_SANITIZE OR WB_MODEL))
  message(FATAL_ERROR "The bench tree runs without sanitizers and without the model checker.")
endif()

#   WB_WINDOWS         set in the `windows` tree (cmake/toolchains/mingw-w64.cmake):
#                      the exercises that declare the windows layer, built
#                      for Windows with mingw-w64 and run under Wine.
if(CMAKE_SYSTEM_NAME STREQUAL "Windows")
  set(WB_WINDOWS ON)
  if(WB_SANITIZE OR WB_MODEL OR WB_BENCH)
    message(FATAL_ERROR "The windows tree runs without sanitizers, model checker or benchmarks.")
  endif()
endif()

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "The workbook is tested with g++ 12 and clang 14 or newer; "
                      "found ${CMAKE_CXX_COMPILER_ID}.")
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 12)
  message(FATAL_ERROR "g++ ${CMAKE_CXX_COMPILER_VERSION} is too old: the workbook needs g++ 12 "
                      "or newer (Debian: sudo apt-get install g++-12).")
endif()

# -O1: fast to compile, yet optimised enough that the compiler reorders
# memory accesses as it would in real code. -g1: line tables and function
# names, which is what backtraces, sanitizer reports, the runner's hang
# diagnosis, breakpoints and stepping use; only local variables go
# undescribed (at -O1 most are optimised out anyway), and each test compiles
# a fifth faster, which is most of the wait between saving an exercise and
# its verdict. The model tree keeps full -g: its replays are the executions
# meant for stepping through in gdb (common/MODEL.md).
# Benchmarks are -O2 without assertions: what users would ship.
if(WB_BENCH)
  add_compile_options(-O2 -g -fno-omit-frame-pointer)
  add_compile_definitions(NDEBUG)
elseif(WB_MODEL)
  add_compile_options(-O1 -g -fno-omit-frame-pointer)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
elseif(WB_SANITIZE MATCHES "address")
  # The asan-ubsan tree looks for invalid memory accesses and undefined
  # behaviour, which the instrumentation finds at any optimisation level
  # (optimising can remove an access, never add one); the reorderings -O1
  # shows are the dev and tsan trees' subject. With ASan+UBSan, -O1's passes
  # over the instrumented code are most of each compile: -Og costs about a
  # third less CPU, still inlines std::atomic (always_inline in libstdc++)
  # and keeps variables for the reports. The tree's tests run in ~13 s.
  add_compile_options(-Og -g1 -fno-omit-frame-pointer)
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
else()
  add_compile_options(-O1 -g1 -fno-omit-frame-pointer)
  # libstdc++'s precondition checks (front() of an empty deque, an index out of
  # range...): a learner's mistake becomes a clear assertion, not silent UB.
  add_compile_definitions(_GLIBCXX_ASSERTIONS)
endif()
# gold links a test about twice as fast as the default ld.bfd (0.17 s against
# 0.30 s): a tenth of the wait between saving an exercise and its verdict.
# It ships with binutils, so with every g++; skipped where it is missing.
include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=gold" WB_HAVE_GOLD)
if(WB_HAVE_GOLD)
  add_link_options(-fuse-ld=gold)
endif()
if(WB_SANITIZE)
  add_compile_options(-fsanitize=${WB_SANITIZE} -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${WB_SANITIZE})
  # g++ 12 reports false "may be used uninitialized" inside libstdc++
  # (std::function, std::stop_token) once sanitizers instrument the code.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
endif()
if(WB_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # ThreadSanitizer does not model standalone fences (std::atomic_thread_fence),
  # which g++ says with -Wtsan. The chapters teach that limit; the model
  # checker (layer 4) is the tool that does understand fences.
  add_compile_options(-Wno-tsan)
endif()

# Warnings for everything; errors only for our own code (wb_strict_warnings),
# never for the learner's exercise files, where an unused parameter in a
# half-written function must not stop the build.
set(WB_WARNINGS -Wall -Wextra -Wpedantic)
function(wb_strict_warnings target)
  # maybe-uninitialized stays a warning: g++ 12 raises it falsely inside
  # libstdc++'s std::jthread/std::stop_token depending on inlining.
  target_compile_options(${target} PRIVATE -Werror
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-error=maybe-uninitialized>)
endfunction()

# What the sanitizers do when they find something: stop at the first report,
# with full stacks, so the learner sees one clear problem.
set(WB_TEST_ENVIRONMENT
    "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1"
    "ASAN_OPTIONS=detect_leaks=1 abort_on_error=0"
    "UBSAN_OPTIONS=print_stacktrace=1 halt_on_error=1")
