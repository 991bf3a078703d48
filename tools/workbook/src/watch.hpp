// Watch mode: `./workbook` on a terminal. Re-checks the current exercise each
// time one of its files is saved, and reads single keys (n h l r x q).
#pragma once

#include "verdict.hpp"

namespace wb::runner {

int run_watch_mode(runner_context& context);

/// Restores the terminal if watch mode changed it (async-signal-safe: the
/// SIGINT handler and crash handlers call it).
void restore_terminal_now() noexcept;

}  // namespace wb::runner
