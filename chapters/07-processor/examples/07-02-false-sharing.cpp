// Chapter 7, demo 07-02: false sharing, measured.
// Two threads each increment their *own* counter. When the two counters share a cache line,
// every increment has to take the line away from the other core first; with each counter on
// its own line, they never meet. The times are your machine's, shown and never checked.
// Run: ./workbook demo 07-02-false-sharing [increments per thread]
//      (binary: build/dev/chapters/07-processor/demo.07-02-false-sharing)
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <thread>

// [layouts]
struct adjacent {  // both counters in one 64-byte line
  std::atomic<long> a{0};
  std::atomic<long> b{0};
};

struct padded {  // each counter alone on its line
  alignas(64) std::atomic<long> a{0};
  alignas(64) std::atomic<long> b{0};
};
// [layouts]

// [measure]
template <class Counters>
double nanoseconds_per_increment(long increments) {
  Counters counters;
  std::latch start(3);
  auto work = [&](std::atomic<long>& mine) {
    start.arrive_and_wait();
    for (long i = 0; i < increments; ++i) mine.fetch_add(1, std::memory_order_relaxed);
  };
  std::jthread first(work, std::ref(counters.a));
  std::jthread second(work, std::ref(counters.b));
  const auto begin = std::chrono::steady_clock::now();
  start.arrive_and_wait();
  first.join();
  second.join();
  const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - begin;
  return took.count() / static_cast<double>(increments);
}
// [measure]

int main(int argc, char** argv) {
  const long increments =
      argc > 1 ? std::atol(argv[1]) : 20'000'000;  // the smoke test passes fewer
  fmt::print("sizeof(adjacent) = {}, sizeof(padded) = {}\n", sizeof(adjacent), sizeof(padded));
  for (int round = 0; round < 3; ++round) {
    fmt::print("round {}: adjacent {:6.2f} ns per increment, padded {:6.2f} ns per increment\n",
               round, nanoseconds_per_increment<adjacent>(increments),
               nanoseconds_per_increment<padded>(increments));
  }
}
