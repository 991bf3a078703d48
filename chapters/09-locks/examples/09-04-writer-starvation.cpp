// Chapter 9, demo 09-04: readers that keep coming can starve a writer.
// Two readers take a read lock in overlapping turns; a writer wants in once. With a
// reader-preferring lock the writer needs a moment when no reader is inside; with a
// writer-preferring lock, new readers wait as soon as the writer announces itself.
// Run: ./workbook demo 09-04-writer-starvation
//      (binary: build/dev/chapters/09-locks/demo.09-04-writer-starvation)
#include <fmt/core.h>
#include <wb/sync.hpp>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

// Spinning versions, to keep the demo short: state = 2 * readers + writer-waiting bit,
// or all ones while a writer is inside.
constexpr std::uint32_t write_locked = UINT32_MAX;

// [prefer-writers]
template <bool writers_first>
struct rw_spin_lock {
  std::atomic<std::uint32_t> state{0};

  void lock_shared() {
    for (;;) {
      std::uint32_t s = state.load(std::memory_order_relaxed);
      const bool may_enter = writers_first ? s % 2 == 0 : s != write_locked;
      if (may_enter && state.compare_exchange_weak(s, s + 2, std::memory_order_acquire)) return;
      wb::spin_loop_hint();
    }
  }
  void unlock_shared() { state.fetch_sub(2, std::memory_order_release); }
  void lock() {
    state.fetch_or(1, std::memory_order_relaxed);  // "a writer waits" (readers-first ignores it)
    for (;;) {
      std::uint32_t s = state.load(std::memory_order_relaxed);
      if (s <= 1 && state.compare_exchange_weak(s, write_locked, std::memory_order_acquire)) return;
      if (s % 2 == 0) state.fetch_or(1, std::memory_order_relaxed);  // set it again after a writer
      wb::spin_loop_hint();
    }
  }
  void unlock() { state.store(0, std::memory_order_release); }
};
// [prefer-writers]

template <bool writers_first>
void run(const char* name, int reads_each) {
  rw_spin_lock<writers_first> lock;
  std::atomic<int> reads{0};
  std::atomic<int> reads_before_write{-1};
  std::vector<std::jthread> threads;
  lock.lock_shared();  // a reader is inside before the writer starts ...
  threads.emplace_back([&] {
    lock.lock();
    reads_before_write = reads.load();
    lock.unlock();
  });
  for (int r = 0; r < 2; ++r) {  // ... and two more keep coming, overlapping each other
    threads.emplace_back([&] {
      for (int i = 0; i < reads_each; ++i) {
        lock.lock_shared();
        reads.fetch_add(1);
        for (int k = 0; k < 200; ++k) wb::spin_loop_hint();  // reading takes a while
        lock.unlock_shared();
      }
    });
  }
  for (int k = 0; k < 20'000; ++k) wb::spin_loop_hint();
  lock.unlock_shared();
  threads.clear();  // joins
  fmt::print("{:<18} the writer got in after {:>6} of {} reads\n", name, reads_before_write.load(),
             2 * reads_each);
}

int main(int argc, char** argv) {
  const int reads_each = argc > 1 ? std::atoi(argv[1]) : 20'000;
  run<false>("readers first:", reads_each);
  run<true>("writers first:", reads_each);
}
