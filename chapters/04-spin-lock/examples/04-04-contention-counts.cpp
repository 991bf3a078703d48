// Chapter 4, demo 04-04: who gets the lock? A plain spin lock versus a ticket lock
// Four threads share 100000 acquisitions; each counts how many it got. With a plain spin lock
// the thread that just unlocked often wins again (its core still has the cache line); a ticket
// lock serves in arrival order. The counts change from run to run: they are shown, never checked.
// Run: ./workbook demo 04-04-contention-counts
//      (binary: build/dev/chapters/04-spin-lock/demo.04-04-contention-counts)
#include <fmt/core.h>
#include <wb/sync.hpp>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <latch>
#include <thread>
#include <vector>

struct spin_lock {
  std::atomic<bool> locked{false};
  void lock() noexcept {
    while (locked.exchange(true, std::memory_order_acquire)) wb::spin_loop_hint();
  }
  void unlock() noexcept { locked.store(false, std::memory_order_release); }
};

// [ticket-lock]
struct ticket_lock {
  std::atomic<std::uint32_t> next_ticket{0}, now_serving{0};
  void lock() noexcept {
    const std::uint32_t ticket = next_ticket.fetch_add(1, std::memory_order_relaxed);
    for (int spins = 0; now_serving.load(std::memory_order_acquire) != ticket; ++spins) {
      if (spins < 128) wb::spin_loop_hint();
      else std::this_thread::yield();  // heuristic
    }
  }
  void unlock() noexcept {
    now_serving.store(now_serving.load(std::memory_order_relaxed) + 1, std::memory_order_release);
  }
};
// [ticket-lock]

// [contention-counts]
template <class Lock>
void show(const char* name, long total) {
  constexpr int threads = 4;
  Lock lock;
  long taken = 0;                      // guarded by lock
  std::vector<long> mine(threads, 0);  // one slot per thread
  std::latch start(threads);           // all begin together, or the first one does all the work
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        start.arrive_and_wait();
        for (bool more = true; more;) {
          lock.lock();
          if ((more = taken < total)) {
            ++taken;
            ++mine[static_cast<std::size_t>(t)];
          }
          lock.unlock();
          for (int i = 0; i < 20; ++i) wb::spin_loop_hint();  // a little work outside the lock
        }
      });
    }
  }
  fmt::print("{:<12}", name);
  for (long n : mine) fmt::print(" {:>7}", n);
  fmt::print("\n");
}
// [contention-counts]

int main(int argc, char** argv) {
  const long total = argc > 1 ? std::atol(argv[1]) : 100'000;  // the smoke test passes fewer
  fmt::print("{:<12} {:>7} {:>7} {:>7} {:>7}\n", "lock", "thr 0", "thr 1", "thr 2", "thr 3");
  show<spin_lock>("spin lock", total);
  show<ticket_lock>("ticket lock", total);
}
