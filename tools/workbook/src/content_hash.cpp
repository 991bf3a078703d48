#include "content_hash.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace wb::runner {

void content_hash::add(std::string_view bytes) {
  for (const unsigned char byte : bytes) {
    state_ ^= byte;
    state_ *= 1099511628211ull;
  }
  // A separator, so that ("ab", "c") and ("a", "bc") hash differently.
  state_ ^= 0xff;
  state_ *= 1099511628211ull;
}

void content_hash::add_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    add("<missing>" + path.string());
    return;
  }
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  add(path.filename().string());
  add(bytes);
}

std::string content_hash::hex() const { return fmt::format("{:016x}", state_); }

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace wb::runner
