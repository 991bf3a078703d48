// Small text utilities the runner's parsers and messages share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

std::vector<std::string> split_lines(std::string_view text);
std::string_view trim(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
bool contains(std::string_view text, std::string_view part);

/// Levenshtein distance (insert, delete, substitute each cost 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidates close to `wanted`, closest first: within a third of the
/// longer name's length in edits, or containing `wanted` as a part (so
/// "queue" finds "blocking_queue"). At most `limit` of them.
std::vector<std::string> did_you_mean(std::string_view wanted,
                                      const std::vector<std::string>& candidates,
                                      std::size_t limit = 3);

/// `path` with `root` (and the slash after it) removed when it starts with
/// it: build output names files absolutely, the learner thinks in
/// repository paths.
std::string relative_to(std::string_view path, std::string_view root);

/// Every occurrence of `root` + "/" in `text` removed.
std::string strip_root(std::string_view text, std::string_view root);

/// A bar of `width` cells, `done` of `total` filled.
std::string progress_bar(std::size_t done, std::size_t total, std::size_t width = 20);

}  // namespace wb::runner
