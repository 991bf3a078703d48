// The key a verdict is cached under: a hash of the content of every file the
// verdict depends on, plus what the build trees are (compiler and options).
// A verdict is a pure function of these, so a cached one can never drift from
// the truth: change any byte and the key changes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wb::runner {

/// 64-bit FNV-1a, incrementally: not cryptographic, only a content key.
class content_hash {
 public:
  void add(std::string_view bytes);
  /// The file's bytes (or a marker when it cannot be read, so that a
  /// missing file and an empty file differ).
  void add_file(const std::filesystem::path& path);
  std::uint64_t value() const { return state_; }
  std::string hex() const;

 private:
  std::uint64_t state_ = 14695981039346656037ull;
};

/// Every regular file under `dir`, sorted (so the hash does not depend on
/// the directory's order).
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir);

}  // namespace wb::runner
