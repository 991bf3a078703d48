// How a test binary ended, in plain words: the workbook's own exit codes
// (90: a stub was called, 91: an in-process deadline), signals, and the first
// sanitizer report trimmed to the frames in the learner's files.
#pragma once

#include "failure_record.hpp"

#include <wb/exit_codes.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

/// The tests' own exit codes (common/include/wb/exit_codes.hpp).
inline constexpr int exit_not_implemented = wb::exit_code::not_implemented;
inline constexpr int exit_deadline = wb::exit_code::deadline;

/// "invalid memory access (SIGSEGV)" and the like; empty for an ordinary exit.
std::string describe_signal(int signal);

/// The lines starting with `marker` and the indented ones after them
/// ("not implemented yet: ..." and its "while running test" line).
std::vector<std::string> message_block(std::string_view output, std::string_view marker,
                                       std::string_view source_root);

/// The first ThreadSanitizer / AddressSanitizer / UBSan report, from its
/// WARNING/ERROR line to its SUMMARY line, keeping only stack frames in the
/// learner's files — or, for a stack with none, the one pick_frame prefers
/// (the test's, else the first in the repository) — with the repository root
/// and addresses stripped. The SUMMARY line names that frame of the first
/// stack, not the sanitizer's frame #0 (often inside wb::cell or the
/// standard library). Empty when there is no report.
std::vector<std::string> trimmed_sanitizer_report(std::string_view output,
                                                  std::string_view source_root,
                                                  const frame_preference& prefer = {{}, {}});

/// The backtrace the test main wrote when the process crashed ("wb-crash
/// <signal>" ... "wb-crash-end" in the failure record file, raw addresses),
/// symbolised with addr2line: "function at file:line", inlined frames
/// included, outermost last, repository paths made relative. Frames of
/// modules without line information come out as "??".
std::vector<std::string> crash_frames(std::string_view record_text, std::string_view source_root);

/// The sanitizer's one-line verdict ("data race", "heap-use-after-free"...).
std::string sanitizer_kind(std::string_view output);

}  // namespace wb::runner
