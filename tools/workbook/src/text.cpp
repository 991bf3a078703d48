#include "text.hpp"

#include <algorithm>
#include <numeric>

namespace wb::runner {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // One row of the dynamic-programming table at a time.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> did_you_mean(std::string_view wanted,
                                      const std::vector<std::string>& candidates,
                                      std::size_t limit) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(wanted, candidate);
    const std::size_t allowed =
        std::max<std::size_t>(2, std::max(wanted.size(), candidate.size()) / 3);
    const bool part = wanted.size() >= 3 && contains(candidate, wanted);
    if (distance <= allowed || part) scored.emplace_back(part ? 0 : distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> result;
  for (auto& [score, name] : scored) {
    if (result.size() == limit) break;
    result.push_back(std::move(name));
  }
  return result;
}

std::string relative_to(std::string_view path, std::string_view root) {
  if (!root.empty() && starts_with(path, root)) {
    path.remove_prefix(root.size());
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  }
  return std::string(path);
}

std::string strip_root(std::string_view text, std::string_view root) {
  std::string result(text);
  if (root.empty()) return result;
  const std::string needle = std::string(root) + (root.back() == '/' ? "" : "/");
  for (std::size_t at = result.find(needle); at != std::string::npos;
       at = result.find(needle, at)) {
    result.erase(at, needle.size());
  }
  return result;
}

std::string progress_bar(std::size_t done, std::size_t total, std::size_t width) {
  const std::size_t filled = total == 0 ? 0 : (done * width + total / 2) / total;
  std::string bar = "[";
  for (std::size_t i = 0; i < width; ++i) bar += i < filled ? "█" : "·";
  return bar + "]";
}

}  // namespace wb::runner
