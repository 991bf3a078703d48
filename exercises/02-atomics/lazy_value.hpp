// Exercise 2.3 — lazy_value: compute a number once, without a lock.
//
// Some values are expensive to compute and often not needed at all: compute
// them on first use. With threads, "first use" may happen on several threads
// at once. A mutex (or std::call_once) would make the others wait; this
// exercise does not wait at all. Every caller that finds no value computes
// one itself, and then they race to publish it: a single compare-and-swap
// decides the winner, and the losers throw their own result away and return
// the winner's. Computing twice is the price; never blocking is the gain.
//
//     lazy_value cores;
//     std::uint64_t n = cores.get([] { return count_cores_slowly(); });
//
// Contract
//   * get(make) returns the object's value. The first calls may call make()
//     to compute it; once a value is stored, get never calls make again.
//   * Every call of get on one object returns the same value, forever, on
//     every thread — even when several threads call get concurrently and
//     their make() calls return different numbers. The value returned is one
//     that some make() call produced.
//   * make() may run more than once (once per caller that found no value at
//     most), possibly on several threads at the same time, so it must be
//     safe to call concurrently, and its extra results are simply dropped.
//   * make() must return a non-zero number: 0 is how the object says "not
//     computed yet" (a 0 result is a contract violation, caught by assert).
//   * make() is called without any lock held; if it throws, the exception
//     propagates out of get and nothing is stored.
//
// Memory ordering: relaxed is enough. The only thing published is the number
// itself, which travels inside the atomic: a reader that sees a non-zero
// value_ has everything it needs, so nothing else must become visible with
// it. (Publishing a *pointer* to data that make() built is different: the
// reader then reads that data, which needs release/acquire — chapter 3.)
// All threads agree on the result because every atomic object has a single
// modification order ([intro.races]): 0 can be replaced only once.
//
// Run the tests: ./workbook check lazy_value      Hints: ./workbook hint lazy_value
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): fast path: a value that is already there is returned
    // as it is (make is not called).
    // TODO(exercise): otherwise compute a candidate with make() (assert it is
    // not 0), then try to install it in the one step that cannot be split:
    // "if value_ is still 0, make it mine". Only one thread can succeed. What
    // does a thread that lost learn from its failed attempt, and what must
    // it return?
    (void)make;
    WB_NOT_IMPLEMENTED(
        "lazy_value::get: return the value, or compute one and install it with a CAS");
  }

 private:
  static constexpr std::uint64_t not_computed = 0;  // value_ before the first value is installed
  wb::atomic<std::uint64_t> value_{not_computed};
};
