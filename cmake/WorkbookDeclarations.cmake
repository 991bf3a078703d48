# The workbook's declarations. A chapter's CMakeLists.txt is a few lines:
#
#   wb_chapter(TITLE "Threads")
#   wb_demo(01-01-hello-threads)
#   wb_demo(01-06-data-race EXPECT_TSAN_RACE)
#   wb_exercise(joining_thread)
#
# The chapter number and folder come from the directory name (01-threads).
# Exercises are ordered as they are declared, chapter by chapter.
include_guard(GLOBAL)

# ---- wb_chapter(TITLE <title>) -------------------------------------------------
function(wb_chapter)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "TITLE" "")
  get_filename_component(slug "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
  if(NOT slug MATCHES "^([0-9][0-9])-[a-z0-9-]+$" OR NOT ARG_TITLE)
    message(FATAL_ERROR "wb_chapter: chapter folders are NN-kebab-name and need a TITLE (${slug})")
  endif()
  math(EXPR number "${CMAKE_MATCH_1}")  # "01" -> 1
  set_property(DIRECTORY PROPERTY WB_CHAPTER "${slug}")
  set_property(DIRECTORY PROPERTY WB_CHAPTER_NUMBER "${number}")
  set_property(GLOBAL APPEND PROPERTY WB_CHAPTERS "${slug}")
  set_property(GLOBAL PROPERTY WB_CHAPTER_${slug}_TITLE "${ARG_TITLE}")
  set_property(GLOBAL PROPERTY WB_CHAPTER_${slug}_NUMBER "${number}")
endfunction()

function(_wb_current_chapter out_slug out_label)
  get_property(slug DIRECTORY PROPERTY WB_CHAPTER)
  if(NOT slug)
    message(FATAL_ERROR "Call wb_chapter() first in ${CMAKE_CURRENT_LIST_FILE}")
  endif()
  string(SUBSTRING "${slug}" 0 2 nn)
  set(${out_slug} "${slug}" PARENT_SCOPE)
  set(${out_label} "ch${nn}" PARENT_SCOPE)
endfunction()

# ---- wb_demo(<name> [SOURCES f...] [ARGS a...] [EXPECT_TSAN_RACE] [NOT_UNDER_TSAN <why>])
# Builds chapters/NN-topic/examples/<name>.cpp (or the SOURCES given, relative
# to the chapter: a larger program such as litmus/) as target demo.<name> and
# runs it as a smoke test, with ARGS when given (a learner's `./workbook demo`
# runs it without them). A demo that shows a data race is run only under
# ThreadSanitizer, where the test passes when TSan reports the race. A demo
# that TSan misjudges (it cannot see synchronisation done inside the
# uninstrumented libstdc++.so, nor standalone fences) says why with
# NOT_UNDER_TSAN and is not run there. The model tree builds no demos: they
# run on real hardware, not under the model checker; nor does the windows
# tree, which builds only the exercises that declare its layer.
function(wb_demo stem)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "EXPECT_TSAN_RACE" "NOT_UNDER_TSAN" "SOURCES;ARGS")
  _wb_current_chapter(slug label)
  if(WB_MODEL OR WB_BENCH OR WB_WINDOWS)
    return()
  endif()
  if(ARG_SOURCES)
    list(TRANSFORM ARG_SOURCES PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/")
    set(sources ${ARG_SOURCES})
  else()
    set(sources "${CMAKE_CURRENT_SOURCE_DIR}/examples/${stem}.cpp")
  endif()
  list(GET sources 0 source)
  set(target "demo.${stem}")
  # A sanitizer tree builds only the demos it runs: not a race demo under
  # AddressSanitizer (it runs in the tsan tree, `./workbook demo` too), nor
  # one TSan misjudges under ThreadSanitizer. The dev tree builds every demo.
  if(NOT ((ARG_EXPECT_TSAN_RACE AND WB_SANITIZE MATCHES "address") OR
          (ARG_NOT_UNDER_TSAN AND WB_SANITIZE MATCHES "thread")))
    add_executable(${target} ${sources})
    target_link_libraries(${target} PRIVATE wb_common)
    target_compile_options(${target} PRIVATE ${WB_WARNINGS})
    wb_strict_warnings(${target})
    if(ARG_EXPECT_TSAN_RACE)
      if(WB_SANITIZE MATCHES "thread")
        _wb_register_test(${target} COMMAND ${target} ${ARG_ARGS} LABELS demo ${label})
        set_tests_properties(${target} PROPERTIES
          PASS_REGULAR_EXPRESSION "WARNING: ThreadSanitizer: data race")
      endif()
    elseif(NOT (ARG_NOT_UNDER_TSAN AND WB_SANITIZE MATCHES "thread"))
      _wb_register_test(${target} COMMAND ${target} ${ARG_ARGS} LABELS demo ${label})
    endif()
    add_dependencies(demos ${target})
  endif()
  file(RELATIVE_PATH rel "${WB_ROOT}" "${source}")
  file(RELATIVE_PATH bin "${CMAKE_BINARY_DIR}" "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(json "{}")
  _wb_json_set(json name "${stem}")
  _wb_json_set(json chapter "${slug}")
  _wb_json_set(json source "${rel}")
  _wb_json_set(json target "${target}")
  _wb_json_set(json binary "${bin}")
  if(ARG_EXPECT_TSAN_RACE)
    _wb_json_set_raw(json expects_tsan_race true)
  else()
    _wb_json_set_raw(json expects_tsan_race false)
  endif()
  set_property(GLOBAL APPEND PROPERTY WB_DEMO_NAMES "${stem}")
  set_property(GLOBAL PROPERTY WB_DEMO_${stem}_JSON "${json}")
endfunction()

# ---- wb_exercise(<name> [FILES f...] [LAYERS l...]) ------------------------------
# Declares exercise <name> of the current chapter:
#   exercises/NN-topic/<FILES>   what the learner edits (default <name>.hpp)
#   solutions/NN-topic/<FILES>   the reference solution, same file names
#   tests/<name>_test.cpp        the Catch2 tests, compiled against both
#   hints/<name>.md              progressive hints (## 1. Nudge / ## 2. Idea / ## 3. Near-answer)
#   solutions/NN-topic/mutants/<name>/*.mutant   wrong solutions the tests must catch
# and builds targets <name> (label exercise), <name>.solution (label solution)
# and <name>.mutant.<id> (label mutant). Exercise and mutant targets are not
# part of `all`: a learner's compile error never stops the rest of the build.
function(wb_exercise name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "FILES;LAYERS")
  _wb_current_chapter(slug label)
  if(NOT ARG_FILES)
    set(ARG_FILES "${name}.hpp")
  endif()
  if(NOT ARG_LAYERS)
    set(ARG_LAYERS ${WB_DEFAULT_LAYERS})
  endif()
  wb_verdict_layers(known)  # cmake/WorkbookLayers.cmake
  foreach(layer IN LISTS ARG_LAYERS)
    if(NOT layer IN_LIST known)
      message(FATAL_ERROR "wb_exercise(${name}): unknown layer '${layer}' (${known})")
    endif()
  endforeach()
  # A tree builds an exercise only when it is one of the exercise's layers
  # (the tsan tree skips exercises whose solutions rely on fences, which TSan
  # cannot see) or the tree has no verdict layer (asan-ubsan). The manifest
  # lists every exercise anyway.
  wb_tree_builds_exercise(build_here ${ARG_LAYERS})
  set(test_args ${WB_TREE_TEST_ARGS})
  set(exercise_dir "${WB_ROOT}/exercises/${slug}")
  set(solution_dir "${WB_ROOT}/solutions/${slug}")
  set(test_source "${CMAKE_CURRENT_SOURCE_DIR}/tests/${name}_test.cpp")
  set(hints "${CMAKE_CURRENT_SOURCE_DIR}/hints/${name}.md")
  foreach(required IN ITEMS "${test_source}" "${hints}")
    if(NOT EXISTS "${required}")
      message(FATAL_ERROR "wb_exercise(${name}): missing ${required}")
    endif()
  endforeach()
  set(exercise_files "")
  set(solution_files "")
  foreach(f IN LISTS ARG_FILES)
    foreach(dir IN ITEMS "${exercise_dir}" "${solution_dir}")
      if(NOT EXISTS "${dir}/${f}")
        message(FATAL_ERROR "wb_exercise(${name}): missing ${dir}/${f}")
      endif()
    endforeach()
    list(APPEND exercise_files "${exercise_dir}/${f}")
    list(APPEND solution_files "${solution_dir}/${f}")
  endforeach()

  if(build_here)
    _wb_test_executable(${name} EXCLUDE_FROM_ALL SOURCE "${test_source}" ARGS ${test_args}
      EXTRA_SOURCES ${exercise_files} INCLUDES "${exercise_dir}" LABELS exercise ${label})
    _wb_test_executable(${name}.solution STRICT SOURCE "${test_source}" ARGS ${test_args}
      EXTRA_SOURCES ${solution_files} INCLUDES "${solution_dir}" LABELS solution ${label})
    add_dependencies(exercises ${name})
    add_dependencies(solutions ${name}.solution)
  endif()

  set(json "{}")
  get_property(names GLOBAL PROPERTY WB_EXERCISE_NAMES)
  list(LENGTH names count)
  math(EXPR order "${count} + 1")
  if(name IN_LIST names)
    message(FATAL_ERROR "wb_exercise(${name}): an exercise name is used once, everywhere")
  endif()
  _wb_json_set_raw(json order "${order}")
  _wb_json_set(json chapter "${slug}")
  _wb_json_set(json name "${name}")
  _wb_json_set_list(json files "${WB_ROOT}" ${exercise_files})
  _wb_json_set_list(json solution_files "${WB_ROOT}" ${solution_files})
  file(RELATIVE_PATH rel "${WB_ROOT}" "${test_source}")
  _wb_json_set(json test_source "${rel}")
  file(RELATIVE_PATH rel "${WB_ROOT}" "${hints}")
  _wb_json_set(json hints "${rel}")
  _wb_json_set(json target "${name}")
  _wb_json_set(json solution_target "${name}.solution")
  file(RELATIVE_PATH bin "${CMAKE_BINARY_DIR}" "${CMAKE_CURRENT_BINARY_DIR}/${name}")
  _wb_json_set(json binary "${bin}")
  _wb_json_set(json solution_binary "${bin}.solution")
  _wb_json_set_list(json layers "" ${ARG_LAYERS})

  _wb_mutants(${name} "${test_source}" "${solution_dir}" "${build_here}" "${test_args}" json)
  set_property(GLOBAL APPEND PROPERTY WB_EXERCISE_NAMES "${name}")
  set_property(GLOBAL PROPERTY WB_EXERCISE_${name}_JSON "${json}")
endfunction()

# ---- wb_bench(<name> [SOURCES f...] [LIBRARIES l...]) -------------------------------
# A Google Benchmark program, chapters/NN-topic/bench/<name>.cpp (or SOURCES,
# relative to the chapter), built only in the `bench` tree (-O2) as target
# bench.<name>, against the reference solutions of its chapter and the lab's
# harness (tools/bench/include/wb/bench.hpp), plus LIBRARIES (e.g. Abseil).
# Benchmarks measure; they are never tests: `./workbook bench <name>` runs one.
add_custom_target(benches)
function(wb_bench name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES")
  _wb_current_chapter(slug label)
  set_property(GLOBAL APPEND PROPERTY WB_BENCH_TSV_LINES
    "${name}\t${slug}\tchapters/${slug}/bench.${name}")
  if(NOT WB_BENCH)
    return()
  endif()
  if(ARG_SOURCES)
    list(TRANSFORM ARG_SOURCES PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/")
  else()
    set(ARG_SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/bench/${name}.cpp")
  endif()
  set(target "bench.${name}")
  add_executable(${target} ${ARG_SOURCES})
  target_include_directories(${target} BEFORE PRIVATE "${WB_ROOT}/solutions/${slug}")
  target_link_libraries(${target} PRIVATE wb_common wb_bench_harness ${ARG_LIBRARIES})
  target_compile_options(${target} PRIVATE ${WB_WARNINGS})
  wb_strict_warnings(${target})
  add_dependencies(benches ${target})
endfunction()
