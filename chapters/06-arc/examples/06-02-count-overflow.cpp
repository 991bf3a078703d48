// Chapter 6, demo 06-02: what a reference count does when it overflows
// An 8-bit count stands in for a 64-bit one. Leaked copies (never dropped) push it round
// to 0; the next drop then sees "1 -> 0" and would free a value still in use. Checking the
// count on every clone, and aborting past a limit, stops the program before that.
// Run: ./workbook demo 06-02-count-overflow
//      (binary: build/dev/chapters/06-arc/demo.06-02-count-overflow)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <limits>

// [overflow-check]
constexpr std::uint8_t max_count = std::numeric_limits<std::uint8_t>::max() / 2;  // 127

// Returns false where a real arc would print a message and call std::abort().
bool checked_clone(std::atomic<std::uint8_t>& count) {
  const std::uint8_t old = count.fetch_add(1, std::memory_order_relaxed);
  return old < max_count;
}
// [overflow-check]

int main() {
  std::atomic<std::uint8_t> count{1};  // one owner
  for (int leaked = 0; leaked < 255; ++leaked) count.fetch_add(1, std::memory_order_relaxed);
  fmt::print("after 255 leaked clones the count is {}: the next drop would free a live value\n",
             count.load());

  std::atomic<std::uint8_t> checked{1};
  int clones = 0;
  while (checked_clone(checked)) ++clones;
  fmt::print("checked: clone number {} is refused; the count stopped at {}, far from wrapping\n",
             clones + 1, checked.load());
  return count.load() == 0 && clones == max_count - 1 ? 0 : 1;
}
