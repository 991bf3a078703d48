// Chapter 2, demo 02-01: Atomic loads and stores
// A std::atomic<bool> tells a worker to stop, and an atomic cache is filled lazily by whichever
// thread gets there first. Plain load() and store(), nothing more.
// Run: ./workbook demo 02-01-stop-flag
//      (binary: build/dev/chapters/02-atomics/demo.02-01-stop-flag)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

void stop_a_worker() {
  // [stop-flag]
  std::atomic<bool> stop{false};  // with a plain bool, the loop below would be a data race
  std::jthread worker{[&stop] {
    long rounds = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      ++rounds;  // stands in for one small unit of real work
    }
    fmt::print("worker: stopped after {} rounds\n", rounds);
  }};
  stop.store(true, std::memory_order_relaxed);
  // [stop-flag]
}  // the jthread joins here, before the flag it reads is destroyed

// [lazy-init]
std::uint64_t expensive_checksum() {  // the same answer every time, and never 0
  std::uint64_t h = 14695981039346656037u;
  for (int i = 0; i < 100'000; ++i) h = (h ^ static_cast<std::uint64_t>(i)) * 1099511628211u;
  return h | 1;
}

std::atomic<std::uint64_t> cached_checksum{0};  // 0 means "not computed yet"

std::uint64_t checksum() {
  std::uint64_t value = cached_checksum.load(std::memory_order_relaxed);
  if (value == 0) {  // several threads may all get here, and all compute the same value
    value = expensive_checksum();
    cached_checksum.store(value, std::memory_order_relaxed);
  }
  return value;
}
// [lazy-init]

int main() {
  stop_a_worker();
  std::vector<std::uint64_t> seen(4);
  {
    std::vector<std::jthread> readers;
    for (auto& slot : seen) readers.emplace_back([&slot] { slot = checksum(); });
  }
  bool all_equal = seen[0] == seen[1] && seen[1] == seen[2] && seen[2] == seen[3];
  fmt::print("lazy init: {:#x}, all four threads agree: {}\n", seen[0], all_equal);
  return all_equal ? 0 : 1;
}
