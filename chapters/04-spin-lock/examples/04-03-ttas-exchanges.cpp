// Chapter 4, demo 04-03: test-and-set versus test-and-test-and-set
// Both locks count how many failed exchanges (writes to the lock's cache line) their threads
// make per acquisition. Test-and-set waits by exchanging; test-and-test-and-set waits by reading
// and exchanges only when the lock looks free. The numbers vary from run to run.
// Run: ./workbook demo 04-03-ttas-exchanges
//      (binary: build/dev/chapters/04-spin-lock/demo.04-03-ttas-exchanges)
#include <fmt/core.h>
#include <wb/sync.hpp>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

// Statistics only, counted apart from the lock: each thread counts in its own thread_local. A
// shared atomic counter beside `locked` would add a read-modify-write of the lock's cache line
// to every failed try, the very traffic the demo measures.
thread_local long failed_exchanges = 0;

struct tas_lock {
  std::atomic<bool> locked{false};
  void lock() noexcept {
    // [tas-wait]
    while (locked.exchange(true, std::memory_order_acquire)) {  // every try is a write
      ++failed_exchanges;
      wb::spin_loop_hint();
    }
    // [tas-wait]
  }
  void unlock() noexcept { locked.store(false, std::memory_order_release); }
};

struct ttas_lock : tas_lock {
  void lock() noexcept {
    // [ttas-wait]
    while (locked.exchange(true, std::memory_order_acquire)) {  // and set ...
      ++failed_exchanges;
      while (locked.load(std::memory_order_relaxed)) wb::spin_loop_hint();  // ... test: only reads
    }
    // [ttas-wait]
  }
};

template <class Lock>
double failed_exchanges_per_acquisition() {
  constexpr int threads = 4, per_thread = 3'000;
  Lock lock;
  long counter = 0;             // guarded by lock
  std::atomic<long> failed{0};  // each thread adds its count once, at the end
  std::latch start(threads);    // all begin together
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        start.arrive_and_wait();
        for (int i = 0; i < per_thread; ++i) {
          lock.lock();
          ++counter;
          for (int k = 0; k < 50; ++k) wb::spin_loop_hint();  // hold it a while: others must wait
          lock.unlock();
        }
        failed.fetch_add(failed_exchanges, std::memory_order_relaxed);  // joined before the load
      });
    }
  }
  return static_cast<double>(failed.load()) / static_cast<double>(counter);
}

int main() {
  fmt::print("failed exchanges per acquisition, 4 threads:\n");
  fmt::print("  test-and-set:          {:.2f}\n", failed_exchanges_per_acquisition<tas_lock>());
  fmt::print("  test-and-test-and-set: {:.2f}\n", failed_exchanges_per_acquisition<ttas_lock>());
}
