// Progress is derived, never stored: it is the verdict of every exercise
// (cached by content). The only state is a "current exercise" pointer
// (.workbook/current, learner_state.hpp), which watch mode moves with `n`; losing it is
// harmless, the first exercise not done is the default.
#pragma once

#include "verdict.hpp"

#include <string>
#include <vector>

namespace wb::runner {

struct progress {
  std::vector<verdict> verdicts;  ///< in manifest order
  std::size_t done = 0;
  const exercise* current = nullptr;  ///< nullptr when every exercise is done
};

/// Every exercise's verdict; those not cached are built first in one batch
/// (both cores) and then checked one by one. Prints a line per exercise
/// checked when `show_work` is set.
progress compute_progress(const runner_context& context, bool show_work);

/// The exercise the learner is on: the pointer when it is set and not done,
/// else the first exercise not done.
const exercise* current_exercise(const runner_context& context, const progress& p);

void save_current_pointer(const runner_context& context, const std::string& name);

/// The one-line state of an exercise in lists: "done" or its first failure.
std::string one_line_state(const verdict& v);

/// `./workbook list`: chapters, exercises done/pending, a bar per chapter.
void print_list(const runner_context& context, const progress& p);

}  // namespace wb::runner
