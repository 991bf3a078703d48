// Exercise 2.3 — lazy_value: compute a number once, without a lock.
// Reference solution. (Contract: see exercises/02-atomics/lazy_value.hpp.)
//
// Why it is correct
//   * value_ moves from not_computed (0) to a non-zero number at most once
//     and never changes again: the only write is a compare-and-swap that
//     expects 0, and make() never returns 0 (asserted). So once any thread
//     has seen a non-zero value, that is the value, forever.
//   * Racing callers that all saw 0 each compute a candidate and each try
//     compare_exchange_strong(expected = 0, mine). The CAS is one indivisible
//     read-modify-write ([atomics.types.operations]): in value_'s single
//     modification order exactly one of them finds 0 and installs its
//     candidate. Every other one fails, and a failed CAS writes the value it
//     found into `expected` — the winner's number — which is what the loser
//     returns. Its own candidate is dropped.
//   * A plain store instead of the CAS would let a second caller overwrite
//     the first one's value after the first had already returned it: two
//     callers, two answers.
//   * compare_exchange_weak may fail even when value_ is 0 (a "spurious"
//     failure, allowed on LL/SC machines such as ARM). Here a failure is
//     taken to mean "someone else won", which is only true for the strong
//     form; a weak CAS would need a loop around it.
//
//   T1                                     T2
//   load value_ -> 0                       load value_ -> 0
//   mine = make() -> 7                     mine = make() -> 9
//   CAS(0 -> 7) succeeds, returns 7
//                                          CAS(0 -> 9) fails, expected = 7,
//                                          returns 7 (9 is dropped)
//
// Memory ordering: every operation is relaxed. The number is the whole
// message: a thread that reads a non-zero value_ needs nothing else to be
// visible, so no happens-before edge is required, and all threads agree on
// the value because they all read the same atomic, whose modification order
// is total ([intro.races]: write-read and read-read coherence). If value_
// held a pointer to an object built by make(), the winner's CAS would have to
// be a release and the readers' loads acquires, or a reader could see the
// pointer before the object's contents (chapter 3).
#pragma once

#include <wb/sync.hpp>

#include <cassert>
#include <cstdint>
#include <utility>

class lazy_value {
 public:
  lazy_value() = default;
  lazy_value(const lazy_value&) = delete;
  lazy_value& operator=(const lazy_value&) = delete;

  template <class Make>
  std::uint64_t get(Make&& make) {
    const std::uint64_t current = value_.load(wb::memory_order_relaxed);
    if (current != not_computed) return current;  // computed before: make is not called

    const std::uint64_t mine = std::forward<Make>(make)();
    assert(mine != not_computed && "lazy_value: make() must not return 0");
    std::uint64_t expected = not_computed;
    if (value_.compare_exchange_strong(expected, mine, wb::memory_order_relaxed)) {
      return mine;  // installed: this caller won
    }
    return expected;  // lost: the failed CAS loaded the winner's value into expected
  }

 private:
  static constexpr std::uint64_t not_computed = 0;  // value_ before the first value is installed
  wb::atomic<std::uint64_t> value_{not_computed};
};
