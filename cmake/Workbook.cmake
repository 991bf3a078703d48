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

set(WB_ROOT "${PROJECT_SOURCE_DIR}")
set(WB_DEFAULT_LAYERS build test tsan)

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

# The tree's own label, so that a test's results can be told apart by layer.
if(WB_MODEL)
  set(WB_TREE_LABEL model)
elseif(WB_WINDOWS)
  set(WB_TREE_LABEL windows)
elseif(WB_SANITIZE MATCHES "thread")
  set(WB_TREE_LABEL tsan)
elseif(WB_SANITIZE MATCHES "address")
  set(WB_TREE_LABEL asan-ubsan)
else()
  set(WB_TREE_LABEL dev)
endif()

# Labels, timeout and sanitizer settings shared by every test.
function(_wb_register_test name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "LABELS;COMMAND")
  list(APPEND ARG_LABELS ${WB_TREE_LABEL})
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
  target_link_libraries(${target} PRIVATE wb_test_main)
  target_compile_options(${target} PRIVATE ${WB_WARNINGS})
  target_precompile_headers(${target} REUSE_FROM wb_pch)
  if(ARG_STRICT)
    wb_strict_warnings(${target})
  endif()
  if(NOT ARG_NO_TEST)
    _wb_register_test(${target} COMMAND ${target} ${ARG_ARGS} LABELS ${ARG_LABELS})
  endif()
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
  set_property(GLOBAL APPEND PROPERTY WB_DEMO_TSV_LINES
    "${stem}\t${slug}\t${bin}\t${ARG_EXPECT_TSAN_RACE}")
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
  foreach(layer IN LISTS ARG_LAYERS)
    if(NOT layer MATCHES "^(build|test|tsan|model|windows)$")
      message(FATAL_ERROR "wb_exercise(${name}): unknown layer '${layer}' (build test tsan model windows)")
    endif()
  endforeach()
  # A tree builds an exercise only when it is one of the exercise's layers:
  # the tsan tree skips exercises whose solutions rely on fences (TSan cannot
  # see them), and the model tree runs only the [model] tests of exercises
  # that declare the model layer; the windows tree builds only those that
  # declare the windows layer. The manifest lists every exercise anyway.
  set(build_here TRUE)
  set(test_args "")
  if(WB_BENCH)
    set(build_here FALSE)
  elseif(WB_MODEL)
    set(test_args "[model]")
    if(NOT "model" IN_LIST ARG_LAYERS)
      set(build_here FALSE)
    endif()
  elseif(WB_SANITIZE MATCHES "thread" AND NOT "tsan" IN_LIST ARG_LAYERS)
    set(build_here FALSE)
  elseif(WB_WINDOWS AND NOT "windows" IN_LIST ARG_LAYERS)
    set(build_here FALSE)
  endif()
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
  _wb_json_set(json ctest_name "${name}")
  # The command that runs the tests, relative to any build tree (dev, tsan...):
  # the same binary path in each tree is the same tests under that layer.
  _wb_json_set_list(json test_command "" "${bin}")
  _wb_json_set_list(json layers "" ${ARG_LAYERS})

  _wb_mutants(${name} "${test_source}" "${solution_dir}" "${build_here}" "${test_args}" json)
  set_property(GLOBAL APPEND PROPERTY WB_EXERCISE_NAMES "${name}")
  set_property(GLOBAL PROPERTY WB_EXERCISE_${name}_JSON "${json}")
  string(JOIN "," files_csv ${exercise_files})
  string(JOIN "," layers_csv ${ARG_LAYERS})
  set_property(GLOBAL APPEND PROPERTY WB_EXERCISE_TSV_LINES
    "${order}\t${slug}\t${name}\t${bin}\t${files_csv}\t${layers_csv}")
endfunction()

# ---- wb_bench(<name> [SOURCES f...]) ----------------------------------------------
# A Google Benchmark program, chapters/NN-topic/bench/<name>.cpp (or SOURCES,
# relative to the chapter), built only in the `bench` tree (-O2) as target
# bench.<name>, against the reference solutions of its chapter. Benchmarks
# measure; they are never tests: `./workbook bench <name>` runs one.
add_custom_target(benches)
function(wb_bench name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES")
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
  target_link_libraries(${target} PRIVATE wb_common benchmark::benchmark)
  target_compile_options(${target} PRIVATE ${WB_WARNINGS})
  wb_strict_warnings(${target})
  add_dependencies(benches ${target})
endfunction()

# One test executable per solutions/NN-topic/mutants/<name>/<id>.mutant. The
# mutant's edits are applied at build time (cmake/apply_mutant.cmake) to a copy
# of the solution file in the build tree, so a mutant that no longer applies to
# a changed solution fails loudly instead of silently testing nothing.
#
# A `.waiting` file has the same form: a wrong solution that only a layer not
# yet available could catch (a weak-memory outcome x86 never shows). It is
# listed in the manifest and by `./workbook dev check`, but not built.
function(_wb_mutants name test_source solution_dir build_here test_args json_var)
  set(json "${${json_var}}")
  _wb_current_chapter(slug label)
  file(GLOB waiting_files CONFIGURE_DEPENDS "${solution_dir}/mutants/${name}/*.waiting")
  list(SORT waiting_files)
  set(array "[]")
  set(index 0)
  foreach(waiting IN LISTS waiting_files)
    get_filename_component(id "${waiting}" NAME_WE)
    file(STRINGS "${waiting}" mistake REGEX "^mistake: " LIMIT_COUNT 1)
    string(REGEX REPLACE "^mistake: " "" mistake "${mistake}")
    string(REPLACE ";" "," mistake "${mistake}")
    set(m "{}")
    _wb_json_set(m id "${id}")
    file(RELATIVE_PATH rel "${WB_ROOT}" "${waiting}")
    _wb_json_set(m file "${rel}")
    _wb_json_set(m mistake "${mistake}")
    string(JSON array SET "${array}" ${index} "${m}")
    math(EXPR index "${index} + 1")
    set_property(GLOBAL APPEND PROPERTY WB_WAITING_TSV_LINES "${name}\t${id}\t${mistake}")
  endforeach()
  string(JSON json SET "${json}" waiting_mutants "${array}")

  file(GLOB mutant_files CONFIGURE_DEPENDS "${solution_dir}/mutants/${name}/*.mutant")
  list(SORT mutant_files)
  if(NOT build_here)
    set(mutant_files "")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${mutant_files})
  set(array "[]")
  set(index 0)
  foreach(mutant IN LISTS mutant_files)
    get_filename_component(id "${mutant}" NAME_WE)
    file(STRINGS "${mutant}" mistake REGEX "^mistake: " LIMIT_COUNT 1)
    file(STRINGS "${mutant}" caught_by REGEX "^caught-by: " LIMIT_COUNT 1)
    file(STRINGS "${mutant}" target_file REGEX "^file: " LIMIT_COUNT 1)
    if(NOT mistake OR NOT target_file)
      message(FATAL_ERROR "${mutant}: needs 'mistake:' and 'file:' lines")
    endif()
    string(REGEX REPLACE "^mistake: " "" mistake "${mistake}")
    string(REGEX REPLACE "^caught-by: " "" caught_by "${caught_by}")
    string(REGEX REPLACE "^file: " "" target_file "${target_file}")
    # A ';' would split the text into list items (and the mutant out of the
    # tab-separated manifest): store it as ','.
    string(REPLACE ";" "," mistake "${mistake}")
    string(REPLACE ";" "," caught_by "${caught_by}")
    set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/mutants/${name}/${id}")
    add_custom_command(
      OUTPUT "${out_dir}/${target_file}"
      COMMAND "${CMAKE_COMMAND}" "-DMUTANT=${mutant}" "-DSOURCE=${solution_dir}/${target_file}"
              "-DOUTPUT=${out_dir}/${target_file}" -P "${WB_ROOT}/cmake/apply_mutant.cmake"
      DEPENDS "${mutant}" "${solution_dir}/${target_file}" "${WB_ROOT}/cmake/apply_mutant.cmake"
      COMMENT "Applying mutant ${name}/${id}")
    set(target "${name}.mutant.${id}")
    _wb_test_executable(${target} EXCLUDE_FROM_ALL SOURCE "${test_source}" ARGS ${test_args}
      EXTRA_SOURCES "${out_dir}/${target_file}" INCLUDES "${out_dir}" "${solution_dir}"
      LABELS mutant ${label})
    add_dependencies(mutants ${target})
    # No debug information: nobody steps through a mutant, and -g makes each
    # of the ~240 test compilations slower (dev check, CI). Code generation
    # is the same, so what the tests catch is unchanged; a precompiled header
    # built with debug information stays valid for a -g0 compilation.
    target_compile_options(${target} PRIVATE -g0)
    set(m "{}")
    _wb_json_set(m id "${id}")
    file(RELATIVE_PATH rel "${WB_ROOT}" "${mutant}")
    _wb_json_set(m file "${rel}")
    _wb_json_set(m mistake "${mistake}")
    _wb_json_set(m caught_by "${caught_by}")
    _wb_json_set(m target "${target}")
    file(RELATIVE_PATH bin "${CMAKE_BINARY_DIR}" "${CMAKE_CURRENT_BINARY_DIR}/${target}")
    _wb_json_set(m binary "${bin}")
    string(JSON array SET "${array}" ${index} "${m}")
    math(EXPR index "${index} + 1")
    set_property(GLOBAL APPEND PROPERTY WB_MUTANT_TSV_LINES "${name}\t${id}\t${bin}\t${mistake}")
  endforeach()
  string(JSON json SET "${json}" mutants "${array}")
  set(${json_var} "${json}" PARENT_SCOPE)
endfunction()

# ---- JSON helpers (CMake's string(JSON) wants values already encoded) ----------
function(_wb_json_quote out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE "\t" "\\t" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

function(_wb_json_set json_var key value)
  _wb_json_quote(quoted "${value}")
  string(JSON result SET "${${json_var}}" "${key}" "${quoted}")
  set(${json_var} "${result}" PARENT_SCOPE)
endfunction()

function(_wb_json_set_raw json_var key raw)
  string(JSON result SET "${${json_var}}" "${key}" "${raw}")
  set(${json_var} "${result}" PARENT_SCOPE)
endfunction()

# Sets key to an array of strings; paths are made relative to `base` when given.
function(_wb_json_set_list json_var key base)
  set(array "[]")
  set(index 0)
  foreach(item IN LISTS ARGN)
    if(base)
      file(RELATIVE_PATH item "${base}" "${item}")
    endif()
    _wb_json_quote(quoted "${item}")
    string(JSON array SET "${array}" ${index} "${quoted}")
    math(EXPR index "${index} + 1")
  endforeach()
  string(JSON result SET "${${json_var}}" "${key}" "${array}")
  set(${json_var} "${result}" PARENT_SCOPE)
endfunction()

# ---- The manifest ------------------------------------------------------------------
# build/<preset>/workbook-manifest.json is what the runner reads: chapters,
# demos and exercises in order, with targets, binaries, hints and mutants.
# workbook-exercises.tsv, -demos.tsv and -mutants.tsv carry the same facts in a
# form a shell script can read without a JSON parser.
function(wb_write_manifest)
  set(json "{}")
  _wb_json_set_raw(json version 1)
  _wb_json_set(json source_dir "${WB_ROOT}")
  _wb_json_set(json build_dir "${CMAKE_BINARY_DIR}")
  _wb_json_set(json sanitize "${WB_SANITIZE}")
  _wb_json_set_raw(json deadline_scale "${WB_DEADLINE_SCALE}")
  # How this tree's test binaries are run: through an emulator when they are
  # cross-compiled (the windows tree: Wine), and their file name's suffix.
  _wb_json_set_list(json emulator "" ${CMAKE_CROSSCOMPILING_EMULATOR})
  _wb_json_set(json executable_suffix "${CMAKE_EXECUTABLE_SUFFIX}")

  get_property(chapters GLOBAL PROPERTY WB_CHAPTERS)
  get_property(demos GLOBAL PROPERTY WB_DEMO_NAMES)
  set(array "[]")
  set(index 0)
  foreach(slug IN LISTS chapters)
    get_property(title GLOBAL PROPERTY WB_CHAPTER_${slug}_TITLE)
    get_property(number GLOBAL PROPERTY WB_CHAPTER_${slug}_NUMBER)
    set(c "{}")
    _wb_json_set_raw(c number "${number}")
    _wb_json_set(c slug "${slug}")
    _wb_json_set(c title "${title}")
    _wb_json_set(c readme "chapters/${slug}/README.md")
    set(demo_array "[]")
    set(d 0)
    foreach(stem IN LISTS demos)
      get_property(demo GLOBAL PROPERTY WB_DEMO_${stem}_JSON)
      string(JSON demo_chapter GET "${demo}" chapter)
      if(demo_chapter STREQUAL slug)
        string(JSON demo_array SET "${demo_array}" ${d} "${demo}")
        math(EXPR d "${d} + 1")
      endif()
    endforeach()
    string(JSON c SET "${c}" demos "${demo_array}")
    string(JSON array SET "${array}" ${index} "${c}")
    math(EXPR index "${index} + 1")
  endforeach()
  string(JSON json SET "${json}" chapters "${array}")

  get_property(names GLOBAL PROPERTY WB_EXERCISE_NAMES)
  set(array "[]")
  set(index 0)
  foreach(name IN LISTS names)
    get_property(exercise GLOBAL PROPERTY WB_EXERCISE_${name}_JSON)
    string(JSON array SET "${array}" ${index} "${exercise}")
    math(EXPR index "${index} + 1")
  endforeach()
  string(JSON json SET "${json}" exercises "${array}")
  file(WRITE "${CMAKE_BINARY_DIR}/workbook-manifest.json" "${json}\n")

  get_property(lines GLOBAL PROPERTY WB_EXERCISE_TSV_LINES)
  string(JOIN "\n" tsv "# order\tchapter\tname\tbinary\tfiles\tlayers" ${lines})
  file(WRITE "${CMAKE_BINARY_DIR}/workbook-exercises.tsv" "${tsv}\n")
  get_property(lines GLOBAL PROPERTY WB_DEMO_TSV_LINES)
  string(JOIN "\n" tsv "# demo\tchapter\tbinary\texpects_tsan_race" ${lines})
  file(WRITE "${CMAKE_BINARY_DIR}/workbook-demos.tsv" "${tsv}\n")
  get_property(lines GLOBAL PROPERTY WB_MUTANT_TSV_LINES)
  string(JOIN "\n" tsv "# exercise\tmutant\tbinary\tmistake" ${lines})
  file(WRITE "${CMAKE_BINARY_DIR}/workbook-mutants.tsv" "${tsv}\n")
  get_property(lines GLOBAL PROPERTY WB_BENCH_TSV_LINES)
  string(JOIN "\n" tsv "# bench\tchapter\tbinary" ${lines})
  file(WRITE "${CMAKE_BINARY_DIR}/workbook-benches.tsv" "${tsv}\n")
  get_property(lines GLOBAL PROPERTY WB_WAITING_TSV_LINES)
  string(JOIN "\n" tsv "# exercise\tmutant\tmistake" ${lines})
  file(WRITE "${CMAKE_BINARY_DIR}/workbook-waiting-mutants.tsv" "${tsv}\n")
endfunction()
