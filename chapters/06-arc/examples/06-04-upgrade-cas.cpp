// Chapter 6, demo 06-04: upgrade must never increment zero
// A weak pointer's upgrade adds one to the strong count only if it is not 0. With fetch_add,
// an upgrade after the last drop turns 0 into 1 and the next upgrade "succeeds" on a
// destroyed value. The compare-exchange loop checks each value before it writes.
// Run: ./workbook demo 06-04-upgrade-cas
//      (binary: build/dev/chapters/06-arc/demo.06-04-upgrade-cas)
#include <fmt/core.h>

#include <atomic>

// [upgrade-wrong]
bool upgrade_with_fetch_add(std::atomic<long>& strong) {
  return strong.fetch_add(1, std::memory_order_relaxed) != 0;  // 0 -> 1 even when it fails
}
// [upgrade-wrong]

// [upgrade-cas]
bool upgrade(std::atomic<long>& strong) {
  long n = strong.load(std::memory_order_relaxed);
  do {
    if (n == 0) return false;  // the value is gone, and stays gone
  } while (!strong.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
  return true;
}
// [upgrade-cas]

int main() {
  std::atomic<long> strong{0};  // the last arc was dropped: the value is destroyed
  const bool first = upgrade_with_fetch_add(strong);
  const bool second = upgrade_with_fetch_add(strong);
  fmt::print("fetch_add: first upgrade {}, second upgrade {} (on a destroyed value!)\n",
             first ? "succeeds" : "fails", second ? "succeeds" : "fails");

  std::atomic<long> strong2{0};
  const bool a = upgrade(strong2);
  const bool b = upgrade(strong2);
  fmt::print("compare-exchange loop: {} then {}, count stays {}\n", a ? "succeeds" : "fails",
             b ? "succeeds" : "fails", strong2.load());
  return !first && second && !a && !b && strong2.load() == 0 ? 0 : 1;
}
