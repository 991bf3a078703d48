// Exercise 2.2 — fetch_max: an atomic operation the hardware does not have.
// Reference solution. (Contract: see exercises/02-atomics/fetch_max.hpp.)
//
// Why it is correct
//   * The value is raised only by a compare_exchange that expects exactly
//     the `current` we compared with `value`. A compare_exchange is one
//     read-modify-write: it succeeds only if no other write came between the
//     value it read and its own write in a's modification order
//     ([atomics.order]/10). So every write is max(previous, value) of the
//     value immediately before it, no larger maximum is ever overwritten by
//     a smaller one, and the value returned is the real previous value.
//   * When the exchange fails, it loads the value it found into `current`
//     and the loop compares again. Another thread may have raised a above
//     `value` meanwhile; then there is nothing left to do.
//   * compare_exchange_weak may fail spuriously (on LL/SC machines such as
//     ARM and POWER, when the reservation is lost). In a loop that only costs
//     one more iteration, and weak is the cheaper instruction sequence there;
//     strong would be a loop inside our loop.
//   * When current >= value, max(current, value) == current: writing it back
//     would change nothing, so the loop ends without a write. What the caller
//     gets then is the result of a pure load. It is a value a really held
//     (every value in a's modification order was written by someone), so the
//     operation can be placed at that point of the modification order, where
//     it changes nothing — the result is still a correct "previous value".
//     Two things a true read-modify-write would give are missing, and the
//     contract says so: the load need not read the LATEST value (only a
//     read-modify-write is guaranteed to), and a call that does not write
//     has no release effect and is not part of a's modification order, so no
//     later acquire load can synchronize with it. C++26's member
//     atomic<T>::fetch_max, like every fetch_ member, is specified as an
//     atomic read-modify-write ([atomics.types.int]) and so does not have
//     these two gaps. Ours is the version you can write with C++20; it is
//     enough whenever a call that changes nothing need not release anything.
//   * Signed and unsigned T both work: only `<` on T is used, never
//     arithmetic that could overflow.
//
// Memory ordering: the caller chooses. A successful exchange uses `order`.
// A pure load (the initial read, a failed exchange) cannot be a release
// operation — load(release) and a release failure order are undefined
// behaviour ([atomics.types.operations]) — so those use `order` without its
// release half: release -> relaxed, acq_rel -> acquire, others unchanged.
// Hence the returned value carries `order`'s acquire half (if any) in every
// case, and `order`'s release half only when the call wrote. seq_cst stays
// seq_cst throughout: the loads, too, take part in the single total order S.
#pragma once

#include <wb/sync.hpp>

#include <type_traits>

namespace fetch_max_detail {

/// The strongest order a load that is part of an operation with `order` may
/// use: a load cannot release, so the release half is dropped.
constexpr wb::memory_order without_release(wb::memory_order order) noexcept {
  if (order == wb::memory_order_release) return wb::memory_order_relaxed;
  if (order == wb::memory_order_acq_rel) return wb::memory_order_acquire;
  return order;
}

}  // namespace fetch_max_detail

template <class T>
T fetch_max(wb::atomic<T>& a, T value, wb::memory_order order = wb::memory_order_seq_cst) noexcept {
  static_assert(std::is_integral_v<T>, "fetch_max: T must be an integer type");
  const wb::memory_order load_order = fetch_max_detail::without_release(order);
  T current = a.load(load_order);
  while (current < value) {
    // On success `current` is the previous value; on failure, what a holds now.
    if (a.compare_exchange_weak(current, value, order, load_order)) break;
  }
  return current;
}
