// Exercise 1.2 — parallel_sum: split the work, not the accumulator.
// Reference solution. (Contract: see exercises/01-threads/parallel_sum.hpp.)
//
// Why it is correct
//   * No two threads ever touch the same object: worker i reads only its own
//     chunk of `values` (read-only, shared safely) and writes only
//     partial[i]. Distinct vector elements are distinct memory locations
//     ([intro.memory]/3), so there is no data race.
//   * The caller reads partial[i] only after joining worker i, and a thread's
//     completion synchronizes with the return of its join(). That is the only
//     synchronisation the algorithm needs.
//   * std::jthread joins in its destructor, so if starting a thread throws
//     (std::system_error when the system is out of threads), the workers
//     already started are joined during unwinding instead of std::terminate.
//   * Every lambda captures the chunk bounds BY VALUE: capturing the loop
//     variables by reference would let a worker read them after the loop
//     moved on (a data race, and the wrong chunk).
//
// Performance note (measured in benchmarks, never asserted in tests): the
// partial sums sit next to each other, so workers that update them in a loop
// would share a cache line ("false sharing", chapter 7). Each worker here
// adds into a local variable and stores its slot once, which avoids it.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

template <class T>
T parallel_sum(std::span<const T> values, unsigned thread_count) {
  if (thread_count == 0)
    throw std::invalid_argument("parallel_sum: thread_count must be at least 1");

  const std::size_t n = values.size();
  const std::size_t base = n / thread_count;   // every chunk has at least this many
  const std::size_t extra = n % thread_count;  // the first `extra` chunks have one more

  std::vector<T> partial(thread_count, T{});
  std::vector<std::jthread> workers;  // jthread: joined even if starting one throws
  workers.reserve(thread_count);
  std::size_t begin = 0;
  for (unsigned i = 0; i < thread_count; ++i) {
    const std::size_t end = begin + base + (i < extra ? 1 : 0);
    if (begin == end) break;  // fewer values than threads: the rest would be idle
    workers.emplace_back([chunk = values.subspan(begin, end - begin), &slot = partial[i]] {
      T sum{};
      for (const T& v : chunk) sum += v;
      slot = sum;  // one store to this thread's own slot
    });
    begin = end;
  }
  for (auto& w : workers) w.join();

  T total{};
  for (const T& p : partial) total += p;
  return total;
}
