#include "crash_report.hpp"

#include "text.hpp"

#include <csignal>
#include <regex>

namespace wb::runner {

std::string describe_signal(int signal) {
  switch (signal) {
    case 0: return {};
    case SIGSEGV: return "crashed: invalid memory access (SIGSEGV)";
    case SIGBUS: return "crashed: invalid memory access (SIGBUS)";
    case SIGABRT: return "aborted: a failed assertion or std::terminate (SIGABRT)";
    case SIGFPE: return "crashed: arithmetic error such as a division by zero (SIGFPE)";
    case SIGILL: return "crashed: illegal instruction, often a function that returned no value (SIGILL)";
    case SIGKILL: return "killed (SIGKILL)";
    default: return "ended by signal " + std::to_string(signal);
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
  return starts_with(line, "WARNING: ThreadSanitizer:") || starts_with(line, "ERROR: ThreadSanitizer:") ||
         contains(line, "ERROR: AddressSanitizer:") || contains(line, "ERROR: LeakSanitizer:") ||
         contains(line, ": runtime error: ");
}

}  // namespace

std::vector<std::string> trimmed_sanitizer_report(std::string_view output, std::string_view source_root,
                                                  std::string_view learner_prefix) {
  static const std::regex frame(R"(^(\s+)#\d+ (.*)$)");
  static const std::regex binary_offset(R"( \([^()]*\+0x[0-9a-f]+\)$)");
  std::vector<std::string> report;
  struct frame_line {
    std::string text;  // root and binary offset stripped
    bool in_repository;
  };
  std::vector<frame_line> stack;  // the frames of the stack being read
  bool on = false;
  std::string root(source_root);
  if (!root.empty() && root.back() != '/') root += '/';
  auto flush_stack = [&] {
    const frame_line* fallback = nullptr;
    bool kept = false;
    for (const auto& f : stack) {
      if (contains(f.text, learner_prefix)) {
        report.push_back(f.text);
        kept = true;
      } else if (fallback == nullptr && f.in_repository) {
        fallback = &f;
      }
    }
    if (!kept && fallback != nullptr) report.push_back(fallback->text);
    if (!kept && fallback == nullptr && !stack.empty()) {
      report.push_back("      (no frame in the workbook's code)");
    }
    stack.clear();
  };
  for (const auto& line : split_lines(output)) {
    if (!on) {
      if (!is_report_start(line)) continue;
      on = true;
    }
    if (std::regex_match(line, frame)) {
      const std::string cleaned = std::regex_replace(line, binary_offset, "");
      stack.push_back({strip_root(cleaned, source_root), !root.empty() && contains(cleaned, root)});
      continue;
    }
    flush_stack();
    if (starts_with(line, "==") && line.find_first_not_of('=') == std::string::npos) continue;
    if (trim(line).empty()) continue;
    report.push_back(strip_root(line, source_root));
    if (starts_with(line, "SUMMARY:")) break;
  }
  flush_stack();
  return report;
}

std::string sanitizer_kind(std::string_view output) {
  static const std::regex kind(R"((ThreadSanitizer|AddressSanitizer|LeakSanitizer): ([a-zA-Z -]+))");
  for (const auto& line : split_lines(output)) {
    std::smatch m;
    if (is_report_start(line)) {
      if (contains(line, ": runtime error: ")) return "undefined behaviour";
      if (std::regex_search(line, m, kind)) return std::string(trim(m[2].str()));
    }
  }
  return {};
}

}  // namespace wb::runner
