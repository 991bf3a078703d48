include_guard(GLOBAL)

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
    # A ';' would split the text into list items: store it as ','.
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
    # built with debug information stays valid for a -g0 compilation. The
    # model tree keeps line tables (-g1): its reports name the learner's or
    # the test's line for an operation made inside the standard library (a
    # lock through std::unique_lock) by reading them (common/MODEL.md).
    target_compile_options(${target} PRIVATE $<IF:$<BOOL:${WB_MODEL}>,-g1,-g0>)
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
  endforeach()
  string(JSON json SET "${json}" mutants "${array}")
  set(${json_var} "${json}" PARENT_SCOPE)
endfunction()
