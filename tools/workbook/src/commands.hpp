// The runner's commands, one function each; main.cpp maps the command line
// onto them. Each returns the process exit code.
#pragma once

#include "verdict.hpp"

#include <string>

namespace wb::runner {

/// Without a terminal: the progress summary and the current exercise's
/// verdict; non-zero unless every exercise is done.
int command_status(const runner_context& context);
int command_list(const runner_context& context);
/// The layered verdict, printed layer by layer as it progresses.
int command_check(const runner_context& context, const std::string& name);
/// `check --all [--format text|json|junit]`: every exercise's verdict, per
/// layer (class_report.hpp); exit 0 when every exercise is done.
int command_check_all(const runner_context& context, const std::string& format);
int command_hint(const runner_context& context, const std::string& name);
int command_demo(const runner_context& context, const std::string& name);
int command_book(const runner_context& context);
int command_reset(const runner_context& context, const std::string& name, bool assume_yes);

/// The exercise called `name`, or an error with "did you mean" (throws
/// std::runtime_error with the message).
const exercise& exercise_named(const runner_context& context, const std::string& name);

/// Checks one exercise, printing each layer as it starts and ends.
verdict check_with_progress(const runner_context& context, const exercise& e,
                            const std::function<bool()>& cancelled = {});

/// "(full output: build/dev/verdicts/<name>.log; a hint: ...)", under a failed verdict.
void print_full_output_path(const exercise& e);

/// The next hint level for an exercise (state: .workbook/hints/<name>).
void show_next_hint(const runner_context& context, const exercise& e);

}  // namespace wb::runner
