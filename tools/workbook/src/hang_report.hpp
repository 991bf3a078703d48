// Hang diagnosis: when a test binary runs past its deadline, every thread's
// stack is dumped (gdb in batch mode when it exists, else what /proc tells)
// before the process group is killed, and each thread is summed up by the
// innermost frame in the learner's files:
//
//   thread 2 is blocked in `blocking_queue::pop`
//     (exercises/01-threads/blocking_queue.hpp:57): likely deadlock or lost wake-up
#pragma once

#include <sys/types.h>

#include "failure_record.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

struct stack_frame {
  int index = 0;
  std::string function;  ///< without arguments and template arguments
  std::string location;  ///< file:line, repository-relative; empty when unknown
};

struct thread_stack {
  int number = 0;                   ///< gdb's thread number (1 is the main thread)
  std::string name;                 ///< the thread's name, when gdb shows one
  std::vector<stack_frame> frames;  ///< innermost first
};

/// Parses `thread apply all bt` output.
std::vector<thread_stack> parse_gdb_backtraces(std::string_view output,
                                               std::string_view source_root);

/// `blocking_queue<int>::pop(int&)` -> `blocking_queue::pop`.
std::string simplify_function_name(std::string_view name);

/// One line per thread: where it waits in the learner's files, or (dimmer)
/// in the workbook's own code; the frame is pick_frame's, as for every layer.
std::vector<std::string> summarize_hang(const std::vector<thread_stack>& threads,
                                        const frame_preference& prefer = {{"exercises/"}, {}});

struct hang_dump {
  std::string raw;                   ///< the full dump, for the log
  std::vector<std::string> summary;  ///< the lines to show
};

/// Dumps the stacks of running process `pid` (gdb when present, /proc otherwise).
hang_dump dump_hung_process(pid_t pid, std::string_view source_root,
                            const frame_preference& prefer = {{"exercises/"}, {}});

}  // namespace wb::runner
