// Chapter 3, demo 03-07: Store buffering, relaxed versus seq_cst
// Two threads each store 1 to their own variable, then load the other's; 10000 rounds, fresh
// variables each. Can both loads read 0? With relaxed or release/acquire C++ says yes, and x86
// does it (a store waits in the store buffer while the load runs ahead); with seq_cst it is
// forbidden, which this demo checks. Weak counts depend on the machine and its load; 0 is valid.
// Run: ./workbook demo 03-07-store-buffering
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-07-store-buffering)
#include <fmt/core.h>

#include <atomic>
#include <thread>
#include <vector>

#ifdef __SANITIZE_THREAD__
constexpr int rounds = 1'000;  // g++ -fsanitize=thread: slow atomics, and TSan only checks races
#else
constexpr int rounds = 10'000;
#endif

// A two-thread barrier per round, then a short idle whose length the caller varies, so that in
// some rounds the two threads reach their store at the same moment.
void meet(std::atomic<int>& arrived, int round, int idle_steps) {
  arrived.fetch_add(1, std::memory_order_acq_rel);
  for (int spins = 0; arrived.load(std::memory_order_acquire) < 2 * (round + 1); ++spins) {
    if (spins > 200) std::this_thread::yield();  // the other thread is not running: let it
  }
  std::atomic<int> idle{0};
  for (int i = 0; i < idle_steps; ++i) idle.load(std::memory_order_relaxed);
}

int count_both_zero(std::memory_order store_order, std::memory_order load_order) {
  std::vector<std::atomic<int>> x(rounds), y(rounds);  // x[i] and y[i]: far apart in memory
  std::vector<int> r1(rounds), r2(rounds);
  std::atomic<int> arrived{0};
  {  // [store-buffering]
    std::jthread other{[&] {
      for (int i = 0; i < rounds; ++i) {
        meet(arrived, i, 128);
        y[i].store(1, store_order);
        r2[i] = x[i].load(load_order);
      }
    }};
    for (int i = 0; i < rounds; ++i) {
      meet(arrived, i, i % 256);
      x[i].store(1, store_order);
      r1[i] = y[i].load(load_order);
    }
  }  // [store-buffering]   (joining `other` makes its r2 entries visible from here on)
  int both_zero = 0;
  for (int i = 0; i < rounds; ++i) both_zero += r1[i] == 0 && r2[i] == 0;
  return both_zero;
}

int main() {
  using enum std::memory_order;
  int relaxed_weak = count_both_zero(relaxed, relaxed);
  int acq_rel_weak = count_both_zero(release, acquire);
  int seq_cst_weak = count_both_zero(seq_cst, seq_cst);
  fmt::print("rounds in which both loads read 0, out of {}:\n", rounds);
  fmt::print("  relaxed {:6}, release/acquire {:6}   (both allowed by C++)\n", relaxed_weak,
             acq_rel_weak);
  fmt::print("  seq_cst {:6}   (forbidden: must be 0)\n", seq_cst_weak);
  return seq_cst_weak == 0 ? 0 : 1;  // never depend on seeing a weak outcome, only on its absence
}
