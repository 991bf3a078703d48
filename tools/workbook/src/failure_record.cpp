#include "failure_record.hpp"

#include "terminal.hpp"
#include "text.hpp"

#include <fmt/core.h>

#include <charconv>

namespace wb::runner {

std::vector<failure_record> parse_failure_records(std::string_view text) {
  static constexpr std::string_view tag = "wb-failure ";
  std::vector<failure_record> records;
  std::size_t pos = 0;
  while (pos < text.size() && text.substr(pos, tag.size()) == tag) {
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) break;
    const std::string_view header = text.substr(pos + tag.size(), eol - pos - tag.size());
    std::size_t length = 0;
    const auto [after_length, error] =
        std::from_chars(header.data(), header.data() + header.size(), length);
    if (error != std::errc{} || after_length == header.data() + header.size() ||
        *after_length != ' ')
      break;
    const std::string_view rest =
        header.substr(static_cast<std::size_t>(after_length - header.data()) + 1);
    const std::size_t space = rest.find(' ');
    if (eol + 1 + length > text.size()) break;
    failure_record r;
    r.where = std::string(rest.substr(0, space));
    r.test_case =
        space == std::string_view::npos ? std::string() : std::string(rest.substr(space + 1));
    r.message = std::string(text.substr(eol + 1, length));
    records.push_back(std::move(r));
    pos = eol + 1 + length + 1;  // the message and its closing newline
  }
  return records;
}

bool in_learner_files(std::string_view location, const frame_preference& prefer) {
  for (const auto& f : prefer.learner_files) {
    if (contains(location, f)) return true;
  }
  return false;
}

std::optional<std::size_t> pick_frame(const std::vector<std::string>& locations,
                                      const frame_preference& prefer) {
  auto first = [&](auto&& matches) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < locations.size(); ++i) {
      if (matches(locations[i])) return i;
    }
    return std::nullopt;
  };
  if (auto i = first([&](const std::string& l) { return in_learner_files(l, prefer); })) return i;
  if (!prefer.test_dir.empty()) {
    if (auto i = first([&](const std::string& l) { return contains(l, prefer.test_dir); }))
      return i;
  }
  // Inside the repository: a path that is not absolute (the root is already
  // stripped) in one of its top folders.
  return first([](const std::string& l) {
    for (const char* top : {"exercises/", "chapters/", "solutions/", "common/"}) {
      if (contains(l, top)) return true;
    }
    return false;
  });
}

namespace {

constexpr std::string_view model_tag = "wb::model: ";
constexpr std::size_t longest_report = 80;  // lines; the log keeps all of them

const failure_record* first_model_record(const std::vector<failure_record>& records) {
  for (const auto& r : records) {
    if (starts_with(r.message, model_tag)) return &r;
  }
  return nullptr;
}

}  // namespace

std::optional<model_explanation> explain_model_records(const std::vector<failure_record>& records,
                                                       std::string_view source_root,
                                                       const frame_preference& prefer) {
  const failure_record* first = first_model_record(records);
  if (first == nullptr) return std::nullopt;
  const auto& t = term();
  const auto lines = split_lines(strip_root(first->message, source_root));
  model_explanation e;
  e.headline = lines.front().substr(model_tag.size());
  e.details.push_back(fmt::format("  in test {}", t.bold(fmt::format("\"{}\"", first->test_case))));
  // The checker names the operations it blames ("write by t1 at <file>:<line>")
  // before its trace: one in the learner's files is the line to look at first.
  std::vector<std::string> blamed;
  for (std::size_t i = 1; i < lines.size() && !starts_with(lines[i], "trace"); ++i)
    blamed.push_back(lines[i]);
  const auto picked = pick_frame(blamed, prefer);
  const std::size_t look =
      picked && in_learner_files(blamed[*picked], prefer) ? *picked + 1 : 0;  // 0: none
  std::size_t shown = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const bool is_replay = contains(lines[i], "WB_MODEL_REPLAY=");
    if (shown >= longest_report && !is_replay) continue;
    e.details.push_back("    " + (i == look ? t.bold(lines[i]) : lines[i]));
    ++shown;
  }
  if (lines.size() - 1 > shown) {
    e.details.push_back(t.dim(
        fmt::format("    … {} more lines of trace in the full output", lines.size() - 1 - shown)));
  }
  // The other test cases the checker failed: one line each.
  for (const auto& r : records) {
    if (&r == first || !starts_with(r.message, model_tag) || r.test_case == first->test_case)
      continue;
    const auto other = split_lines(r.message);
    e.details.push_back(fmt::format("  also in test \"{}\": {}", r.test_case,
                                    other.front().substr(model_tag.size())));
  }
  return e;
}

}  // namespace wb::runner
