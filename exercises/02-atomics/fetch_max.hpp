// Exercise 2.2 — fetch_max: an atomic operation the hardware does not have.
//
// std::atomic has fetch_add, fetch_and, exchange ... but before C++26 no
// fetch_max, and most processors have no "atomic maximum" instruction
// either. Every such operation can be built from compare_exchange: read the
// value, compute the new one, and write it only if nobody wrote in between —
// otherwise look again. This is THE pattern of lock-free programming; the
// later chapters use it everywhere.
//
//     wb::atomic<int> highest{3};
//     fetch_max(highest, 7);  // returns 3; highest is now 7
//     fetch_max(highest, 5);  // returns 7; highest stays 7
//
// Contract
//   * Atomically replaces a's value with max(a, value) and returns the value
//     a held just before — as C++26's member a.fetch_max(value, order) does.
//     Calls from any number of threads never lose a maximum: once every
//     call has returned, a holds the largest value any of them proposed (or
//     its earlier value, if that was larger).
//   * T is an integer type, signed or unsigned.
//   * When value <= a, the value does not change and nothing is written: the
//     call is then a load, with no release effect (see below), and — unlike
//     a true read-modify-write — it may return a value that another thread
//     has just raised further.
//
// Memory ordering: `order` applies to the write, when there is one. A call
// that does not write is a pure load, and a load cannot be a release
// operation, so it uses `order` without its release half (release ->
// relaxed, acq_rel -> acquire); loads with release or acq_rel are undefined
// behaviour (and abort in this build).
//
// Run the tests: ./workbook check fetch_max      Hints: ./workbook hint fetch_max
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <type_traits>

template <class T>
T fetch_max(wb::atomic<T>& a, T value, wb::memory_order order = wb::memory_order_seq_cst) noexcept {
  static_assert(std::is_integral_v<T>, "fetch_max: T must be an integer type");
  // TODO(exercise): load a's current value. Which order may a load use when
  //   the caller passes release or acq_rel?
  // TODO(exercise): while the current value is below `value`, try to replace
  //   it with compare_exchange_weak; when that fails, it tells you what a
  //   holds now, and you compare again. Return the value a held before.
  (void)a;
  (void)value;
  (void)order;
  WB_NOT_IMPLEMENTED("fetch_max: compare_exchange_weak loop that raises a to value");
}
