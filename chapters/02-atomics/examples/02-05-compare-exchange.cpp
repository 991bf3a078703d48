// Chapter 2, demo 02-05: compare-and-exchange
// A CAS loop that increments a reference count only while it is not zero, and a single CAS
// that lets the first reported error win. Both are built on "replace it if it is still X".
// Run: ./workbook demo 02-05-compare-exchange
//      (binary: build/dev/chapters/02-atomics/demo.02-05-compare-exchange)
#include <fmt/core.h>

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

// [cas-loop]
std::atomic<int> ref_count{1};

bool try_retain() {  // like weak_ptr::lock(): never bring a dead object back to life
  int current = ref_count.load(std::memory_order_relaxed);
  do {
    if (current == 0) return false;
    // On failure, compare_exchange_weak stores the value it found into `current` (and the
    // weak form may also fail spuriously, with current unchanged), so the loop just retries.
  } while (!ref_count.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
  return true;
}
// [cas-loop]

// [first-wins]
std::atomic<int> first_error{0};  // 0: no error reported yet

int report_error(int code) {  // returns the error that won, which may not be ours
  int expected = 0;
  if (first_error.compare_exchange_strong(expected, code)) return code;
  return expected;  // the failed exchange loaded the winner's code into `expected`
}
// [first-wins]

int main() {
  std::vector<int> winners(4);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([t, &winners] {
        for (int i = 0; i < 1000; ++i) {
          if (try_retain()) ref_count.fetch_sub(1, std::memory_order_relaxed);
        }
        winners[static_cast<std::size_t>(t)] = report_error(100 + t);
      });
    }
  }
  ref_count.fetch_sub(1);  // the last owner lets go: 1 -> 0
  const bool revived = try_retain();
  const bool agree = winners[0] == winners[1] && winners[1] == winners[2] &&
                     winners[2] == winners[3] && winners[0] == first_error.load();
  fmt::print("count {}, retain after zero: {}; first error {}, all agree: {}\n", ref_count.load(),
             revived, winners[0], agree);
  return (!revived && agree) ? 0 : 1;
}
