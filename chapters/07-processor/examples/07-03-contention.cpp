// Chapter 7, demo 07-03: what contention on one cache line costs.
// 1, 2, ... threads hammer one shared atomic in three ways: fetch_add (a read-modify-write: the
// core must own the line), load (reading: every core may keep a shared copy), and a
// compare_exchange that always fails (it never writes, but on x86 `lock cmpxchg` still takes
// the line exclusively). Shown in nanoseconds per operation per thread; never checked.
// Run: ./workbook demo 07-03-contention [operations per thread]
//      (binary: build/dev/chapters/07-processor/demo.07-03-contention)
#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <thread>
#include <vector>

std::atomic<long> shared{0};
std::atomic<long> sink{0};  // keeps the loads from being optimised away

// [operations]
void add(long n) {
  for (long i = 0; i < n; ++i) shared.fetch_add(1, std::memory_order_relaxed);
}

void read(long n) {
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += shared.load(std::memory_order_relaxed);
  sink.fetch_add(sum, std::memory_order_relaxed);
}

void failing_cas(long n) {
  for (long i = 0; i < n; ++i) {
    long expected = -1;  // never the value: every compare_exchange fails
    shared.compare_exchange_strong(expected, 0, std::memory_order_relaxed);
  }
}
// [operations]

// Each thread times its own loop (after all have started), so thread start-up is not counted.
double nanoseconds_per_op(void (*op)(long), unsigned threads, long n) {
  std::latch start(threads);
  std::vector<double> took(threads);
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        start.arrive_and_wait();
        const auto begin = std::chrono::steady_clock::now();
        op(n);
        took[t] = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - begin)
                      .count();
      });
    }
  }
  double sum = 0;
  for (double t : took) sum += t;
  return sum / threads / static_cast<double>(n);
}

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 5'000'000;  // the smoke test passes fewer
  const unsigned most = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  fmt::print("{:>8} {:>14} {:>14} {:>14}   (ns per operation, per thread)\n", "threads",
             "fetch_add", "load", "failing CAS");
  for (unsigned threads = 1; threads <= most; threads *= 2) {
    fmt::print("{:>8} {:>14.2f} {:>14.2f} {:>14.2f}\n", threads,
               nanoseconds_per_op(add, threads, n), nanoseconds_per_op(read, threads, n),
               nanoseconds_per_op(failing_cas, threads, n));
  }
}
