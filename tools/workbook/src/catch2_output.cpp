#include "catch2_output.hpp"

#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <regex>

namespace wb::runner {
namespace {

bool is_rule(std::string_view line, char c) {
  return line.size() >= 70 && line.find_first_not_of(c) == std::string_view::npos;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string result;
  for (const auto& p : parts) {
    if (!result.empty()) result += separator;
    result += p;
  }
  return result;
}

}  // namespace

std::vector<catch2_failure> parse_catch2_failures(std::string_view output,
                                                  std::string_view source_root) {
  static const std::regex failed_line(R"(^(.+:\d+): FAILED:$)");
  const auto lines = split_lines(output);
  std::vector<catch2_failure> failures;
  std::string test_case;
  std::vector<std::string> sections;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (is_rule(line, '-')) {
      // A header: names until the next rule of dashes.
      std::vector<std::string> names;
      std::size_t j = i + 1;
      for (; j < lines.size() && !is_rule(lines[j], '-'); ++j) names.push_back(lines[j]);
      if (j < lines.size() && !names.empty()) {
        test_case = names.front();
        sections.clear();
        for (std::size_t k = 1; k < names.size(); ++k) sections.emplace_back(trim(names[k]));
        i = j;
      }
      continue;
    }
    std::smatch m;
    if (!std::regex_match(line, m, failed_line)) continue;
    catch2_failure failure{test_case, sections, strip_root(m[1].str(), source_root), {}, {}, {}};
    // What follows until a blank line: indented lines belong to the label
    // line before them ("with expansion:", "due to unexpected exception...").
    std::string label = "check";
    for (++i; i < lines.size() && !trim(lines[i]).empty() && !is_rule(lines[i], '='); ++i) {
      const std::string& l = lines[i];
      if (starts_with(l, "  ")) {
        const std::string text(trim(l));
        if (label == "check") {
          failure.check += (failure.check.empty() ? "" : " ") + text;
        } else if (label == "with expansion:") {
          failure.expansion += (failure.expansion.empty() ? "" : " ") + text;
        } else {
          std::string prefix = label;
          if (!prefix.empty() && prefix.back() == ':') prefix.pop_back();
          failure.messages.push_back(prefix + ": " + text);
        }
      } else {
        label = std::string(trim(l));
      }
    }
    failures.push_back(std::move(failure));
  }
  return failures;
}

std::string catch2_totals(std::string_view output) {
  for (const auto& line : split_lines(output)) {
    if (starts_with(line, "test cases:")) return line;
  }
  return {};
}

std::vector<std::string> render_catch2_failures(const std::vector<catch2_failure>& failures,
                                                std::size_t limit) {
  const auto& t = term();
  std::vector<std::string> lines;
  // The first failed check of each test case: the next ones of the same test
  // are usually the same mistake seen again.
  std::vector<const catch2_failure*> shown;
  for (const auto& f : failures) {
    const bool seen = std::any_of(shown.begin(), shown.end(), [&](const catch2_failure* s) {
      return s->test_case == f.test_case && s->sections == f.sections;
    });
    if (!seen && shown.size() < limit) shown.push_back(&f);
  }
  for (const catch2_failure* failure : shown) {
    const auto& f = *failure;
    std::string test = fmt::format("\"{}\"", f.test_case);
    if (!f.sections.empty()) test += " / " + join(f.sections, " / ");
    lines.push_back(fmt::format("  in test {}", t.bold(test)));
    if (!f.check.empty() && f.check != "{Unknown expression after the reported line}") {
      lines.push_back(fmt::format("    check:    {}", f.check));
    }
    if (!f.expansion.empty()) lines.push_back(fmt::format("    values:   {}", t.red(f.expansion)));
    for (const auto& message : f.messages) lines.push_back(fmt::format("    {}", message));
    lines.push_back(fmt::format("    where:    {}", f.where));
  }
  if (failures.size() > shown.size()) {
    const std::size_t more = failures.size() - shown.size();
    lines.push_back(t.dim(fmt::format("  and {} more failed check{}", more, more == 1 ? "" : "s")));
  }
  return lines;
}

}  // namespace wb::runner
