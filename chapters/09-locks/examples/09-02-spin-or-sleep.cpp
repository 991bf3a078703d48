// Chapter 9, demo 09-02: how long would a waiter have to spin? Measured, not guessed.
// Two threads take one lock in turns, with a short critical section and some work outside it.
// A thread that finds the lock held spins (reading, with a pause) and records after how many
// spins it saw the lock free. The histogram says what a spin limit would buy on this machine.
// Run: ./workbook demo 09-02-spin-or-sleep
//      (binary: build/dev/chapters/09-locks/demo.09-02-spin-or-sleep)
#include <fmt/core.h>
#include <wb/sync.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

// [measure-spins]
std::atomic<bool> locked{false};
std::array<std::atomic<long>, 6>
    histogram{};  // spins needed: 0, 1-10, 11-100, 101-1000, 1001-10000, more
constexpr long bucket_limits[] = {0, 10, 100, 1000, 10'000};

void lock_and_count_spins() {
  long spins = 0;
  while (locked.exchange(true, std::memory_order_acquire)) {
    while (locked.load(std::memory_order_relaxed)) {  // read-only wait, as a spinning mutex does
      wb::spin_loop_hint();
      ++spins;
    }
  }
  std::size_t bucket = 0;
  while (bucket < 5 && spins > bucket_limits[bucket]) ++bucket;
  histogram[bucket].fetch_add(1, std::memory_order_relaxed);
}
// [measure-spins]

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 200'000;
  volatile long shared = 0;  // the critical section's work: a few increments, guarded by `locked`
  std::vector<std::jthread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < rounds; ++i) {
        lock_and_count_spins();
        for (int k = 0; k < 20; ++k) shared = shared + 1;  // short critical section
        locked.store(false, std::memory_order_release);
        for (int k = 0; k < 50; ++k) wb::spin_loop_hint();  // work outside the lock
      }
    });
  }
  threads.clear();  // joins
  // How long is one spin (one pause and one load) here?
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100'000; ++i) wb::spin_loop_hint();
  const double ns_per_spin =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      1e5;
  const char* names[] = {"0 (free)", "1-10", "11-100", "101-1000", "1001-10000", "more"};
  fmt::print("acquisitions by spins needed ({} per thread, 2 threads):\n", rounds);
  for (std::size_t b = 0; b < 6; ++b) fmt::print("  {:>12}: {}\n", names[b], histogram[b].load());
  fmt::print(
      "one spin (pause) takes about {:.1f} ns on this machine; a futex sleep and wake-up\n"
      "takes microseconds: a spin limit of about 100 covers a short critical section.\n",
      ns_per_spin);
}
