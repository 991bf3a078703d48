#include "compiler_errors.hpp"

#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <regex>

namespace wb::runner {
namespace {

// file:line:col: severity: message
const std::regex diagnostic_line(R"(^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$)");
// `   12 | code` and `      |    ^~~`
const std::regex snippet_line(R"(^\s*\d*\s*\|.*$)");

bool is_build_noise(std::string_view line) {
  return starts_with(line, "[") || starts_with(line, "FAILED:") || starts_with(line, "ninja:") ||
         starts_with(line, "/usr/bin/c++") || starts_with(line, "/usr/bin/g++") ||
         starts_with(line, "/usr/bin/clang") || starts_with(line, "In file included from") ||
         starts_with(line, "                 from ") || contains(line, "compilation terminated");
}

}  // namespace

compiler_report parse_compiler_output(std::string_view output, std::string_view source_root) {
  compiler_report report;
  compiler_error* current = nullptr;
  bool in_note = false;
  for (const auto& raw : split_lines(output)) {
    const std::string line = strip_root(raw, source_root);
    std::smatch m;
    if (std::regex_match(line, m, diagnostic_line)) {
      const std::string severity = m[4];
      if (severity == "error" || severity == "fatal error") {
        report.errors.push_back({m[1], std::stoi(m[2]), std::stoi(m[3]), m[5], {}, {}});
        current = &report.errors.back();
        in_note = false;
      } else if (severity == "note" && current != nullptr) {
        if (current->notes.size() < 2) current->notes.push_back(line);
        in_note = true;
      } else {
        current = nullptr;  // a warning: its snippet is not the error's
      }
      continue;
    }
    if (current != nullptr && !in_note && std::regex_match(line, snippet_line)) {
      current->snippet.push_back(line);
      continue;
    }
    if (report.errors.empty() && !trim(line).empty() && !is_build_noise(line)) {
      report.other_lines.push_back(line);
    }
  }
  return report;
}

std::size_t error_to_show(const compiler_report& report,
                          const std::vector<std::string>& learner_files) {
  for (std::size_t i = 0; i < report.errors.size(); ++i) {
    const auto& file = report.errors[i].file;
    if (std::find(learner_files.begin(), learner_files.end(), file) != learner_files.end())
      return i;
  }
  return 0;
}

std::vector<std::string> render_compiler_report(const compiler_report& report,
                                                const std::vector<std::string>& learner_files,
                                                std::string_view rebuild_command) {
  const auto& t = term();
  std::vector<std::string> lines;
  if (report.errors.empty()) {
    // Not a compile error we can parse (a linker error, a CMake problem): the
    // last lines say what went wrong.
    const std::size_t keep = 15;
    const std::size_t from =
        report.other_lines.size() > keep ? report.other_lines.size() - keep : 0;
    for (std::size_t i = from; i < report.other_lines.size(); ++i)
      lines.push_back("  " + report.other_lines[i]);
    return lines;
  }
  const std::size_t shown = error_to_show(report, learner_files);
  const auto& e = report.errors[shown];
  const bool in_learner_file =
      std::find(learner_files.begin(), learner_files.end(), e.file) != learner_files.end();
  lines.push_back(fmt::format("  {}: {} {}",
                              t.bold(fmt::format("{}:{}:{}", e.file, e.line, e.column)),
                              t.red("error:"), e.message));
  for (const auto& s : e.snippet) lines.push_back("  " + (contains(s, "^") ? t.green(s) : s));
  for (const auto& n : e.notes) lines.push_back("  " + t.dim(n));
  if (!in_learner_file) {
    lines.push_back(
        t.dim("  (the first error is outside your files; it may still be caused by them)"));
  }
  const std::size_t more = report.errors.size() - 1;
  if (more > 0) {
    lines.push_back(t.dim(fmt::format("  {} more error{} folded (all of them: {})", more,
                                      more == 1 ? "" : "s", rebuild_command)));
  }
  return lines;
}

}  // namespace wb::runner
