// Exercise 1.2 — parallel_sum: split the work, not the accumulator.
//
// Summing a large array is the "hello world" of data parallelism: give each
// thread its own chunk, let each add up its chunk into a result that belongs
// to it alone, and combine the partial sums after joining. The classic
// mistake is one shared `total += x` from every thread: a data race, which is
// undefined behaviour in C++ ([intro.races]) and in practice loses updates.
//
// Contract
//   * Returns the sum of `values` computed with `thread_count` threads, each
//     over one contiguous chunk. Chunks differ in size by at most one element
//     and together cover every element exactly once.
//   * The calling thread only splits the work and combines the results; the
//     additions happen on the worker threads. (When there are fewer values
//     than threads, threads with an empty chunk need not be started.)
//   * thread_count == 0 throws std::invalid_argument.
//   * T is any type with T{} as zero and `+`/`+=` (the tests use long long
//     and an instrumented number type).
//
// Memory ordering: each worker writes only its own slot; join() makes those
// writes visible to the caller ([thread.thread.member]), so no atomics and no
// locks are needed at all.
//
// Run the tests: ./workbook check parallel_sum      Hints: ./workbook hint parallel_sum
#pragma once

#include <wb/not_implemented.hpp>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

template <class T>
T parallel_sum(std::span<const T> values, unsigned thread_count) {
  // TODO(exercise): reject thread_count == 0 with std::invalid_argument.
  // TODO(exercise): give thread i the chunk [begin_i, end_i): n / thread_count
  //   elements each, and one more for the first n % thread_count threads.
  // TODO(exercise): each thread sums its chunk into its own slot of a
  //   std::vector<T> partial(thread_count); join all, then add the slots up.
  (void)values;
  (void)thread_count;
  WB_NOT_IMPLEMENTED("parallel_sum: sum each chunk on its own thread, combine after join");
}
