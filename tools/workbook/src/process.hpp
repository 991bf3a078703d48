// Running the build and the test binaries: each child in its own process
// group (so that a deadline or Ctrl-C ends the child and everything it
// started), stdout and stderr merged in order into one capture, and a
// deadline after which a callback may look at the still-running process
// (the hang diagnosis) before the group is killed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

struct run_request {
  std::vector<std::string> argv;
  std::vector<std::string> environment;   ///< KEY=VALUE added to (or replacing in) ours
  std::string working_directory;          ///< empty: ours
  std::chrono::milliseconds deadline{0};  ///< 0: none
  /// Called with the child's pid once the deadline passed, while the child
  /// still runs; the group is killed when it returns.
  std::function<void(pid_t)> on_deadline;
  /// Cancels the run early (watch mode: the file changed again); polled.
  std::function<bool()> cancelled;
};

/// The line a workbook test prints when it reached its own deadline and,
/// under WB_DEADLINE_HOLD, waits for the stack dump (wb::test::fail_deadline):
/// a run whose output shows it ends as at the deadline (on_deadline, then the kill).
inline constexpr std::string_view deadline_hold_marker =
    "wb: deadline reached, holding for a stack dump";

struct run_result {
  int exit_code = -1;  ///< when it exited
  int signal = 0;      ///< when a signal ended it
  bool timed_out = false;
  bool held = false;  ///< the output showed deadline_hold_marker: the test's own deadline
  bool was_cancelled = false;
  bool could_not_start = false;
  std::string output;  ///< stdout and stderr, interleaved as written
  std::chrono::milliseconds elapsed{0};
  double cpu_seconds = 0;  ///< user + system time of the child and the descendants it waited for

  bool succeeded() const {
    return exit_code == 0 && signal == 0 && !timed_out && !held && !was_cancelled;
  }
};

run_result run_process(const run_request& request);
/// The same, calling `on_output` with each piece of output as it arrives
/// (the suite starts a mutant's run as soon as Ninja says its test is linked).
run_result run_process(const run_request& request,
                       const std::function<void(std::string_view)>& on_output);

/// Kills every process group the runner has started and not yet reaped
/// (async-signal-safe: for the SIGINT/SIGTERM handler).
void kill_all_children() noexcept;

}  // namespace wb::runner

namespace wb::runner {

/// Runs a program with our terminal (a demo the learner watches) in its own
/// process group; returns its exit code, or 128 + the signal that ended it.
int run_attached(const std::vector<std::string>& argv, const std::string& working_directory = {});

}  // namespace wb::runner
