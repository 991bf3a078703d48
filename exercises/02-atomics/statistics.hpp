// Exercise 2.5 — statistics: count, total and maximum, recorded by many threads.
//
// A server wants to know how many requests it handled, how many bytes they
// carried in total, and the largest one. Every worker thread calls record()
// once per request; a monitoring thread calls read() now and then. A mutex
// would do, but each field is a single 64-bit number, so three atomics are
// enough — and, because nothing else is published through them, relaxed
// atomics are enough.
//
//     statistics stats;
//     stats.record(512);             // from any thread, any number of times
//     auto s = stats.read();         // s.count, s.total, s.max
//
// Contract
//   * record(sample) adds one to count, adds `sample` to total (modulo 2^64:
//     std::uint64_t wraps) and raises max to `sample` if `sample` is larger.
//     Any number of threads may call record() and read() at the same time.
//   * Once every thread that called record() has been joined, read() returns
//     the exact count, total and max of all samples recorded (zeros when
//     nothing was recorded). The join makes every record() happen-before the
//     read().
//   * A read() that runs while record() calls are still going returns, for
//     EACH field separately, a value that field really held at some point:
//     never a torn value, never one that is later lost. Successive read()s on
//     one thread never see a field go backwards, and after a thread's own
//     record(s) its read() sees max >= s.
//   * The three fields are NOT one consistent snapshot of one moment: a
//     concurrent read() may see a total that includes a sample its count does
//     not include yet, or a max larger than that total. Each field is exact on
//     its own; a caller that needs, say, an exact average of the same samples
//     must read after joining (or use a mutex instead).
//
// Memory ordering: relaxed for every operation. Nothing besides the three
// numbers themselves is published through them, so no happens-before edge is
// needed; what is needed is that no update is lost, and that is guaranteed
// for every memory order: each atomic object has one modification order, and
// a read-modify-write (fetch_add, compare_exchange) always reads the last
// value before its own write in that order ([atomics.order]). Reads of one
// object by one thread never go backwards in that order (the coherence rules
// of [intro.races]), which is why a monitoring thread sees each field only
// grow.
//
// Run the tests: ./workbook check statistics      Hints: ./workbook hint statistics
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class statistics {
 public:
  /// Records one sample. Safe to call from many threads at once.
  void record(std::uint64_t sample) noexcept {
    // TODO(exercise): add 1 to count_ and `sample` to total_ with one atomic
    //   read-modify-write each (a load followed by a store loses updates when
    //   two threads do it at once).
    // TODO(exercise): raise max_ to `sample` if it is larger, with a
    //   compare_exchange_weak loop: a load, a compare and a store are three
    //   steps, and another thread's larger maximum may land between them.
    // TODO(exercise): choose the memory order of each operation and say why.
    (void)sample;
    WB_NOT_IMPLEMENTED("statistics::record: update count_, total_ and max_ atomically");
  }

  /// Each field exact once all recording threads have been joined; while
  /// they run, each field separately is some value it really held.
  struct snapshot {
    std::uint64_t count, total, max;
  };

  snapshot read() const noexcept {
    // TODO(exercise): load the three fields (which memory order is enough?).
    WB_NOT_IMPLEMENTED("statistics::read: load count_, total_ and max_");
  }

 private:
  wb::atomic<std::uint64_t> count_{0}, total_{0}, max_{0};
};
