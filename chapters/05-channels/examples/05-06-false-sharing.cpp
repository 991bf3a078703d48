// Chapter 5, demo 05-06: False sharing: two counters, one cache line
// Two threads each increment their own counter. When the counters share a cache line, every
// increment steals the line from the other core; 64 bytes apart, each core keeps its own.
// The times are printed, never checked: they vary from machine to machine.
// Run: ./workbook demo 05-06-false-sharing [increments]
//      (binary: build/dev/chapters/05-channels/demo.05-06-false-sharing)
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

// [layouts]
struct same_line {
  std::atomic<long> a{0};
  std::atomic<long> b{0};  // 8 bytes after a: almost surely the same 64-byte line
};
struct separate_lines {
  alignas(64) std::atomic<long> a{0};
  alignas(64) std::atomic<long> b{0};  // a line of its own
};
// [layouts]

template <class Counters>
double run(long increments) {
  Counters c;
  const auto start = std::chrono::steady_clock::now();
  {
    std::jthread t1([&] {
      for (long i = 0; i < increments; ++i) c.a.fetch_add(1, std::memory_order_relaxed);
    });
    std::jthread t2([&] {
      for (long i = 0; i < increments; ++i) c.b.fetch_add(1, std::memory_order_relaxed);
    });
  }
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  if (c.a.load() != increments || c.b.load() != increments) std::exit(1);
  return took.count();
}

int main(int argc, char** argv) {
  const long increments = argc > 1 ? std::atol(argv[1]) : 20'000'000;
  const double shared = run<same_line>(increments);
  const double apart = run<separate_lines>(increments);
  fmt::print(
      "{} increments per thread\n  same line:      {:8.1f} ms\n  separate lines: {:8.1f} ms\n",
      increments, shared, apart);
  fmt::print("sizeof(same_line) = {}, sizeof(separate_lines) = {}\n", sizeof(same_line),
             sizeof(separate_lines));
  return 0;
}
