// Chapter 9, demo 09-03: a condition variable is a counter to sleep on.
// notify bumps the counter and wakes; wait reads it while it still holds the mutex, unlocks,
// and sleeps only while the counter still holds that value. The demo counts how often a wait
// returned although its condition was still false: spurious wake-ups, which the loop absorbs.
// Run: ./workbook demo 09-03-counter-condvar
//      (binary: build/dev/chapters/09-locks/demo.09-03-counter-condvar)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

// [counter-condvar]
class counter_condvar {
 public:
  void wait(std::unique_lock<std::mutex>& lock) {
    const std::uint32_t seen = counter_.load(std::memory_order_relaxed);  // before unlocking!
    lock.unlock();
    counter_.wait(seen, std::memory_order_relaxed);  // sleeps only while it is still `seen`
    lock.lock();
  }
  void notify_one() {
    counter_.fetch_add(1, std::memory_order_relaxed);
    counter_.notify_one();
  }

 private:
  std::atomic<std::uint32_t> counter_{0};
};
// [counter-condvar]

int main(int argc, char** argv) {
  const int items = argc > 1 ? std::atoi(argv[1]) : 20'000;
  std::mutex mutex;
  counter_condvar not_empty;
  int queued = 0;     // guarded by mutex
  long spurious = 0;  // guarded by mutex: waits that returned with nothing queued
  long waits = 0;     // guarded by mutex
  // [wait-loop]
  auto consume = [&](int count) {
    for (int i = 0; i < count; ++i) {
      std::unique_lock lock(mutex);
      while (queued == 0) {  // the loop makes spurious wake-ups harmless
        not_empty.wait(lock);
        ++waits;
        if (queued == 0) ++spurious;
      }
      --queued;
    }
  };
  // [wait-loop]
  std::vector<std::jthread> threads;
  threads.emplace_back(consume, items / 2);
  threads.emplace_back(consume, items / 2);
  threads.emplace_back([&] {
    for (int i = 0; i < items; ++i) {
      {
        std::lock_guard guard(mutex);
        ++queued;
      }
      not_empty.notify_one();
    }
  });
  threads.clear();  // joins
  fmt::print("{} items, {} waits, {} of them spurious (returned with nothing queued)\n", items,
             waits, spurious);
}
