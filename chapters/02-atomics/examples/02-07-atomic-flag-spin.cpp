// Chapter 2, demo 02-07: std::atomic_flag as a spin lock
// The only type the standard promises is lock-free everywhere, used as the smallest possible
// lock: test_and_set to take it, clear to release it. Four threads share a plain counter.
// Run: ./workbook demo 02-07-atomic-flag-spin
//      (binary: build/dev/chapters/02-atomics/demo.02-07-atomic-flag-spin)
#include <fmt/core.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

// [flag-spin-lock]
class flag_spin_lock {
 public:
  void lock() noexcept {
    // test_and_set returns the old value: false means the flag was clear and we set it.
    // acquire/release make the counter's updates visible to the next owner (chapter 3).
    while (locked_.test_and_set(std::memory_order_acquire)) {
      while (locked_.test(std::memory_order_relaxed)) {  // C++20: read without writing
        std::this_thread::yield();  // be polite while it is held; chapter 4 does better
      }
    }
  }
  void unlock() noexcept { locked_.clear(std::memory_order_release); }

 private:
  std::atomic_flag locked_{};  // C++20: value-initialised to clear
};
// [flag-spin-lock]

int main() {
  flag_spin_lock lock;
  long counter = 0;  // plain data, guarded by lock
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 5'000; ++i) {
          std::lock_guard guard{lock};  // any type with lock() and unlock() works here
          ++counter;
        }
      });
    }
  }
  fmt::print("counter = {} (expected 20000)\n", counter);
  return counter == 20'000 ? 0 : 1;
}
