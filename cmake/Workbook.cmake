# The workbook's CMake helpers, by concern:
#   Workbook.cmake              this file: aggregates, test registration, the
#                               Catch2 test executable every exercise builds
#   WorkbookDeclarations.cmake  wb_chapter, wb_demo, wb_exercise, wb_bench
#   WorkbookMutants.cmake       one test executable per wrong solution
#   WorkbookManifest.cmake      build/<preset>/workbook-manifest.json
include_guard(GLOBAL)

set(WB_ROOT "${PROJECT_SOURCE_DIR}")

# Aggregates: `all` builds solutions and demos; exercises and mutants are
# built on request (the runner, `./workbook test`).
add_custom_target(demos)
add_custom_target(solutions)
add_custom_target(exercises)
add_custom_target(mutants)

# Every test gets a CTest TIMEOUT far above the in-test deadlines
# (wb/testing.hpp), so the test's own clearer message always comes first.
# Those end a test that stands still; this one only ends a runaway that
# escaped them, and must not end a correct test that a busy machine (a
# parallel build, `./workbook dev load`) slows down tenfold.
math(EXPR WB_TEST_TIMEOUT "600 * ${WB_DEADLINE_SCALE}")

# Labels, timeout and sanitizer settings shared by every test.
function(_wb_register_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "LABELS;COMMAND")
  list(APPEND ARG_LABELS ${WB_TREE_LABELS})  # cmake/WorkbookLayers.cmake
  add_test(NAME "${name}" COMMAND ${ARG_COMMAND})
  set_tests_properties("${name}" PROPERTIES
    LABELS "${ARG_LABELS}" TIMEOUT ${WB_TEST_TIMEOUT} ENVIRONMENT "${WB_TEST_ENVIRONMENT}")
endfunction()

# A Catch2 test executable: one test source compiled against headers found
# first in INCLUDES (the exercise, the solution or a mutant).
function(_wb_test_executable target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "EXCLUDE_FROM_ALL;STRICT;NO_TEST" "SOURCE"
                        "INCLUDES;EXTRA_SOURCES;LABELS;ARGS")
  set(exclude "")
  if(ARG_EXCLUDE_FROM_ALL)
    set(exclude EXCLUDE_FROM_ALL)
  endif()
  add_executable(${target} ${exclude} "${ARG_SOURCE}" ${ARG_EXTRA_SOURCES})
  target_include_directories(${target} BEFORE PRIVATE ${ARG_INCLUDES})
  target_link_libraries(${target} PRIVATE wb_test_main wb_catch2)
  target_compile_options(${target} PRIVATE ${WB_WARNINGS})
  # A test that the model tree runs only with its layer's filter ("[model]",
  # cmake/WorkbookLayers.cmake) compiles only the cases it selects
  # (wb/model_cases_only.hpp).
  if(WB_MODEL AND ARG_ARGS AND "${ARG_ARGS}" STREQUAL "${WB_TREE_TEST_ARGS}")
    target_precompile_headers(${target} REUSE_FROM wb_pch_model_cases)
  else()
    target_precompile_headers(${target} REUSE_FROM wb_pch)
  endif()
  if(WB_WINDOWS)
    add_dependencies(${target} wine_prefix)  # cmake/WindowsTree.cmake: made once, before any run
  endif()
  if(ARG_STRICT)
    wb_strict_warnings(${target})
  endif()
  if(NOT ARG_NO_TEST)
    _wb_register_test(${target} COMMAND ${target} ${ARG_ARGS} LABELS ${ARG_LABELS})
  endif()
endfunction()

include(WorkbookManifest)
include(WorkbookMutants)
include(WorkbookDeclarations)
