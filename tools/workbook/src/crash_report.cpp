#include "crash_report.hpp"

#include "process.hpp"

#include "text.hpp"

#include <fmt/core.h>

#include <csignal>
#include <regex>

namespace wb::runner {

std::string describe_signal(int signal) {
  switch (signal) {
    case 0:
      return {};
    case SIGSEGV:
      return "crashed: invalid memory access (SIGSEGV)";
    case SIGBUS:
      return "crashed: invalid memory access (SIGBUS)";
    case SIGABRT:
      return "aborted: a failed assertion or std::terminate (SIGABRT)";
    case SIGFPE:
      return "crashed: arithmetic error such as a division by zero (SIGFPE)";
    case SIGILL:
      return "crashed: illegal instruction, often a function that returned no value (SIGILL)";
    case SIGKILL:
      return "killed (SIGKILL)";
    default:
      return "ended by signal " + std::to_string(signal);
  }
}

std::vector<std::string> message_block(std::string_view output, std::string_view marker,
                                       std::string_view source_root) {
  std::vector<std::string> block;
  bool on = false;
  for (const auto& line : split_lines(output)) {
    if (!on && starts_with(line, marker)) {
      on = true;
    } else if (on && !starts_with(line, "  ")) {
      break;
    }
    if (on) block.push_back(strip_root(line, source_root));
  }
  return block;
}

namespace {

bool is_report_start(std::string_view line) {
  return starts_with(line, "WARNING: ThreadSanitizer:") ||
         starts_with(line, "ERROR: ThreadSanitizer:") ||
         contains(line, "ERROR: AddressSanitizer:") || contains(line, "ERROR: LeakSanitizer:") ||
         contains(line, ": runtime error: ");
}

}  // namespace

std::vector<std::string> trimmed_sanitizer_report(std::string_view output,
                                                  std::string_view source_root,
                                                  const frame_preference& prefer) {
  static const std::regex frame(R"(^(\s+)#\d+ (.*)$)");
  static const std::regex binary_offset(R"( \([^()]*\+0x[0-9a-f]+\)$)");
  static const std::regex summary(
      R"(^(SUMMARY: [A-Za-z]+Sanitizer: [a-zA-Z -]+?) (\S+:\d+) in .*$)");
  frame_preference learner = prefer;
  if (learner.learner_files.empty()) learner.learner_files.emplace_back("exercises/");
  std::vector<std::string> report;
  std::vector<std::string>
      stack;                // the frames of the stack being read, root and binary offset stripped
  std::string first_shown;  // the frame shown for the first stack
  auto flush_stack = [&] {
    bool kept = false;
    for (const auto& f : stack) {
      if (in_learner_files(f, learner)) {
        report.push_back(f);
        if (first_shown.empty()) first_shown = f;
        kept = true;
      }
    }
    if (!kept && !stack.empty()) {
      const auto picked = pick_frame(stack, learner);
      report.push_back(picked ? stack[*picked] : "      (no frame in the workbook's code)");
      if (picked && first_shown.empty()) first_shown = stack[*picked];
    }
    stack.clear();
  };
  bool on = false;
  for (const auto& line : split_lines(output)) {
    if (!on) {
      if (!is_report_start(line)) continue;
      on = true;
    }
    if (std::regex_match(line, frame)) {
      stack.push_back(strip_root(std::regex_replace(line, binary_offset, ""), source_root));
      continue;
    }
    flush_stack();
    if (starts_with(line, "==") && line.find_first_not_of('=') == std::string::npos) continue;
    if (trim(line).empty()) continue;
    std::string text = strip_root(line, source_root);
    std::smatch m;
    if (!first_shown.empty() && std::regex_match(text, m, summary)) {
      // "#2 ready_slots<int>::publish(...) exercises/.../ready_slots.hpp:74" -> "the location in the function"
      static const std::regex numbered(R"(^\s*#\d+ (.*) (\S+:\d+)$)");
      std::smatch f;
      text = std::regex_match(first_shown, f, numbered)
                 ? fmt::format("{} at {} in {}", m[1].str(), f[2].str(), f[1].str())
                 : m[1].str() + " at " + std::string(trim(first_shown));
    }
    report.push_back(text);
    if (starts_with(line, "SUMMARY:")) break;
  }
  flush_stack();
  return report;
}

std::string sanitizer_kind(std::string_view output) {
  static const std::regex kind(
      R"((ThreadSanitizer|AddressSanitizer|LeakSanitizer): ([a-zA-Z -]+))");
  for (const auto& line : split_lines(output)) {
    std::smatch m;
    if (is_report_start(line)) {
      if (contains(line, ": runtime error: ")) return "undefined behaviour";
      if (std::regex_search(line, m, kind)) return std::string(trim(m[2].str()));
    }
  }
  return {};
}

std::vector<std::string> crash_frames(std::string_view record_text, std::string_view source_root) {
  const std::size_t start = record_text.find("wb-crash ");
  if (start == std::string_view::npos) return {};
  // "/path/to/binary(+0x1b2c3)[0x55d0...]": a module and an offset into it
  // (position-independent code); frames named by an exported symbol instead
  // are in shared libraries, never the learner's code.
  static const std::regex frame(R"(^(\S+)\(\+0x([0-9a-f]+)\) ?\[)");
  std::vector<std::pair<std::string, std::string>>
      addresses;  // module, offset - 1 (the call, not the return)
  for (const auto& line : split_lines(record_text.substr(start))) {
    if (line == "wb-crash-end") break;
    std::smatch m;
    if (!std::regex_search(line, m, frame)) continue;
    const unsigned long offset = std::stoul(m[2].str(), nullptr, 16);
    addresses.emplace_back(m[1].str(), fmt::format("{:#x}", offset == 0 ? 0 : offset - 1));
  }
  std::vector<std::string> frames;
  // One addr2line per run of frames in the same module, in stack order.
  for (std::size_t i = 0; i < addresses.size();) {
    std::size_t j = i;
    run_request request{
        {"addr2line", "-e", addresses[i].first, "-f", "-C", "-i", "-p"}, {}, {}, {}, {}, {}};
    for (; j < addresses.size() && addresses[j].first == addresses[i].first; ++j) {
      request.argv.push_back(addresses[j].second);
    }
    request.deadline = std::chrono::seconds(20);
    const auto result = run_process(request);
    if (result.succeeded()) {
      for (const auto& line : split_lines(result.output)) {
        std::string text(trim(line));
        if (starts_with(text, "(inlined by) ")) text = text.substr(13);
        text = strip_root(text, source_root);
        // The handler that wrote the record and main() are the test main's,
        // never where the crash is.
        if (!text.empty() && !contains(text, "common/src/test_main.cpp")) frames.push_back(text);
      }
    }
    i = j;
  }
  return frames;
}

}  // namespace wb::runner
