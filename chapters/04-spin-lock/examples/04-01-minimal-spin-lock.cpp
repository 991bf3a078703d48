// Chapter 4, demo 04-01: the minimal spin lock
// One atomic bool: exchange(true) with acquire to take it, store(false) with release to give
// it back. Four threads increment a plain counter under it; nothing is lost.
// Run: ./workbook demo 04-01-minimal-spin-lock
//      (binary: build/dev/chapters/04-spin-lock/demo.04-01-minimal-spin-lock)
#include <fmt/core.h>
#include <wb/sync.hpp>

#include <atomic>
#include <thread>
#include <vector>

// [minimal-lock]
class minimal_spin_lock {
 public:
  void lock() noexcept {
    // exchange returns the old value: false means it was free, and our write took it.
    // acquire: see everything the previous owner wrote before its release store.
    while (locked_.exchange(true, std::memory_order_acquire)) wb::spin_loop_hint();
  }
  void unlock() noexcept {
    // release: publish this critical section to the next owner's acquire.
    locked_.store(false, std::memory_order_release);
  }

 private:
  std::atomic<bool> locked_{false};
};
// [minimal-lock]

int main() {
  // [lock-in-use]
  minimal_spin_lock lock;
  long counter = 0;  // plain data: only touched between lock() and unlock()
  std::vector<std::jthread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        lock.lock();
        ++counter;
        lock.unlock();
      }
    });
  }
  threads.clear();  // joins
  // [lock-in-use]
  fmt::print("counter = {} (expected 40000)\n", counter);
  return counter == 40'000 ? 0 : 1;
}
