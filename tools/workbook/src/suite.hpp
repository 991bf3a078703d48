// The maintainers' commands: `./workbook test` (the full suite CI runs),
// `./workbook dev check` (stubs fail, mutants are caught) and
// `./workbook dev load [N]` (every solution test beside busy loops). Every
// test binary they run goes through run_test_binary (verdict.hpp), so a
// mutant's "caught by" line, a failed solution under load and a learner's
// verdict are explained by the same code. The trees and layers they walk are
// the layer table's (cmake/WorkbookLayers.cmake, in the manifest).
#pragma once

#include "verdict.hpp"

#include <string>
#include <vector>

namespace wb::runner {

struct suite_options {
  /// Only the chapters whose folder starts with this ("04", "04-locks"):
  /// their exercises, mutants, solution tests and demos. Empty: everything.
  std::string chapter;
  /// Only these exercises (`dev check blocking_queue`, `test spin_lock`):
  /// their stubs, mutants and solution tests; no demo, no book. Empty: all.
  std::vector<std::string> exercises;
  int load_rounds = 20;  ///< dev load's rounds
};

/// The full suite: each SUITE tree built and its tests run (CTest), the
/// stubs, the mutants, one load round (4 busy loops), the book. Per-stage
/// times; ends with "workbook: N passed, M failed", non-zero on a failure.
int command_test(const runner_context& context, const suite_options& options);

/// Stubs fail with "not implemented yet"; every mutant is caught.
int command_dev_check(const runner_context& context, const suite_options& options);

/// Every solution test `load_rounds` times in each LOAD tree, beside 2 and
/// then 4 busy loops.
int command_dev_load(const runner_context& context, const suite_options& options);

}  // namespace wb::runner
