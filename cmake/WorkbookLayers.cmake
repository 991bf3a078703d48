# The layer table: every verdict layer and every build tree the full suite
# runs, declared once. Everything else reads it: wb_exercise (which layers an
# exercise may declare, which tree builds it, the test arguments), CTest (the
# tree's label and timeout), the test binaries (WB_DEADLINE_SCALE), and the
# runner through the manifest's "layers" array (titles, trees, arguments,
# deadlines, what `./workbook test` runs), so that no list of layers is
# written anywhere else.
#
#   wb_layer(<name> TITLE <title> TREE <preset>
#            [TEST_ARGS <arg>...]      arguments of every test binary in the tree
#            [DEADLINE_SCALE <n>]      how much slower tests run in the tree
#            [STALL_SECONDS <s>]       how long a learner's test may make no progress
#                                      before the runner calls it a likely deadlock
#            [LABELS <label>...]       extra CTest labels of the tree's tests
#            [REQUIRES <program>...]   programs the tree needs on PATH (its compiler,
#                                      its emulator); without them the runner skips
#                                      the layer and says which package group
#            [PACKAGES <group>]        brings them (the launcher's PACKAGES table)
#            [VERDICT]                 a layer an exercise may declare (LAYERS ...)
#            [SUITE]                   `./workbook test` builds the tree and runs its tests
#            [LOAD]                    `./workbook dev load` runs its solution tests beside busy loops
#            [NO_TESTS])               the layer only builds (the `build` layer)
#
# A tree (a configure preset, build/<preset>) holds one layer that runs tests.
# A tree with a VERDICT layer builds only the exercises that declare it; a
# tree without one (asan-ubsan) builds every exercise. The preset says how the
# tree compiles (sanitizers, the model checker); CMakePresets.json gives every
# tree WB_TREE=<preset>.
include_guard(GLOBAL)

set(WB_TREE "dev" CACHE STRING "Which tree of the layer table this is (cmake/WorkbookLayers.cmake)")

function(wb_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "VERDICT;SUITE;LOAD;NO_TESTS" "TITLE;TREE;DEADLINE_SCALE;STALL_SECONDS;PACKAGES"
                        "TEST_ARGS;LABELS;REQUIRES")
  if(NOT ARG_TITLE OR NOT ARG_TREE)
    message(FATAL_ERROR "wb_layer(${name}): needs TITLE and TREE")
  endif()
  if(NOT ARG_DEADLINE_SCALE)
    set(ARG_DEADLINE_SCALE 1)
  endif()
  if(NOT ARG_STALL_SECONDS)
    set(ARG_STALL_SECONDS 0)
  endif()
  set_property(GLOBAL APPEND PROPERTY WB_LAYERS "${name}")
  foreach(key IN ITEMS TITLE TREE DEADLINE_SCALE STALL_SECONDS PACKAGES TEST_ARGS LABELS REQUIRES VERDICT SUITE LOAD
                       NO_TESTS)
    set_property(GLOBAL PROPERTY WB_LAYER_${name}_${key} "${ARG_${key}}")
  endforeach()
endfunction()

# ---- The table -------------------------------------------------------------------
wb_layer(build TITLE "builds" TREE dev VERDICT NO_TESTS)
wb_layer(test TITLE "tests pass" TREE dev VERDICT SUITE LOAD STALL_SECONDS 20)
wb_layer(tsan TITLE "ThreadSanitizer" TREE tsan VERDICT SUITE LOAD DEADLINE_SCALE 3 STALL_SECONDS 60)
wb_layer(asan-ubsan TITLE "AddressSanitizer and UBSan" TREE asan-ubsan SUITE LOAD DEADLINE_SCALE 2
         STALL_SECONDS 40)
wb_layer(model TITLE "model checker" TREE model VERDICT SUITE DEADLINE_SCALE 2 STALL_SECONDS 60
         TEST_ARGS "[model]")
# The exercises that declare it (LAYERS ... windows) cross-compiled with
# mingw-w64 and run under Wine (the `windows` preset, its toolchain file and
# the tree manifest's "emulator"). Inert until an exercise declares it: the
# suite skips a tree without a preset, and a tree whose programs are missing
# with the command that installs them.
wb_layer(windows TITLE "Windows (mingw-w64, Wine)" TREE windows VERDICT SUITE DEADLINE_SCALE 3 STALL_SECONDS 60
         REQUIRES x86_64-w64-mingw32-g++-posix wine PACKAGES windows)

# The layers an exercise gets when it declares none.
set(WB_DEFAULT_LAYERS build test tsan)

# ---- Reading the table -----------------------------------------------------------
# wb_layer_get(<out> <layer> <key>)
function(wb_layer_get out layer key)
  get_property(value GLOBAL PROPERTY WB_LAYER_${layer}_${key})
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

# The names of the layers an exercise may declare.
function(wb_verdict_layers out)
  get_property(layers GLOBAL PROPERTY WB_LAYERS)
  set(names "")
  foreach(layer IN LISTS layers)
    wb_layer_get(verdict ${layer} VERDICT)
    if(verdict)
      list(APPEND names ${layer})
    endif()
  endforeach()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# This tree's testing layer: WB_TREE_LAYER ("" for a tree without one, bench),
# WB_TREE_TEST_ARGS, WB_DEADLINE_SCALE (what wb/testing.hpp multiplies its
# deadlines by) and WB_TREE_LABELS (every test's labels).
get_property(_wb_layers GLOBAL PROPERTY WB_LAYERS)
set(WB_TREE_LAYER "")
foreach(_wb_layer IN LISTS _wb_layers)
  wb_layer_get(_wb_tree ${_wb_layer} TREE)
  wb_layer_get(_wb_no_tests ${_wb_layer} NO_TESTS)
  if(_wb_tree STREQUAL WB_TREE AND NOT _wb_no_tests)
    set(WB_TREE_LAYER ${_wb_layer})
  endif()
endforeach()
set(WB_TREE_TEST_ARGS "")
set(WB_DEADLINE_SCALE 1)
set(WB_TREE_LABELS ${WB_TREE})
if(WB_TREE_LAYER)
  wb_layer_get(WB_TREE_TEST_ARGS ${WB_TREE_LAYER} TEST_ARGS)
  wb_layer_get(WB_DEADLINE_SCALE ${WB_TREE_LAYER} DEADLINE_SCALE)
  wb_layer_get(_wb_labels ${WB_TREE_LAYER} LABELS)
  list(APPEND WB_TREE_LABELS ${_wb_labels})
endif()

# wb_tree_builds_exercise(<out> <layer>...): whether this tree builds an
# exercise that declares these layers.
function(wb_tree_builds_exercise out)
  set(result FALSE)
  if(WB_TREE_LAYER)
    wb_layer_get(verdict ${WB_TREE_LAYER} VERDICT)
    if(NOT verdict OR WB_TREE_LAYER IN_LIST ARGN)
      set(result TRUE)
    endif()
  endif()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# The table as the manifest's "layers" array.
function(wb_layers_json out)
  get_property(layers GLOBAL PROPERTY WB_LAYERS)
  set(array "[]")
  set(index 0)
  foreach(layer IN LISTS layers)
    set(l "{}")
    _wb_json_set(l name "${layer}")
    foreach(key IN ITEMS TITLE TREE PACKAGES)
      wb_layer_get(value ${layer} ${key})
      string(TOLOWER "${key}" field)
      _wb_json_set(l ${field} "${value}")
    endforeach()
    foreach(key IN ITEMS DEADLINE_SCALE STALL_SECONDS)
      wb_layer_get(value ${layer} ${key})
      string(TOLOWER "${key}" field)
      _wb_json_set_raw(l ${field} "${value}")
    endforeach()
    foreach(key IN ITEMS VERDICT SUITE LOAD NO_TESTS)
      wb_layer_get(value ${layer} ${key})
      string(TOLOWER "${key}" field)
      if(value)
        _wb_json_set_raw(l ${field} true)
      else()
        _wb_json_set_raw(l ${field} false)
      endif()
    endforeach()
    wb_layer_get(args ${layer} TEST_ARGS)
    _wb_json_set_list(l test_args "" ${args})
    wb_layer_get(programs ${layer} REQUIRES)
    _wb_json_set_list(l requires "" ${programs})
    string(JSON array SET "${array}" ${index} "${l}")
    math(EXPR index "${index} + 1")
  endforeach()
  set(${out} "${array}" PARENT_SCOPE)
endfunction()
