// A reference-count type whose atomics record the memory order of every
// operation, for the one kind of contract clause no run can check: an
// ordering whose only effect is to forbid load buffering.
//
// arc_optimized's contract says that get_mut's unlock is a release and that
// downgrade's exchange acquires it. Weakening either to relaxed allows one
// bad outcome only: get_mut's load of the strong count reads an upgrade made
// *after* a downgrade that read get_mut's own later unlock, a load-buffering
// cycle. x86 never shows it, ThreadSanitizer does not simulate it, and the
// model checker does not explore load buffering (common/MODEL.md). So the
// test reads the orders themselves: arc<T, order_audit::count> instantiates
// the exercise with this count, whose std::atomic (a specialization for this
// program-defined type, [namespace.std]/2, with the members an arc uses)
// performs each operation on a std::atomic<std::uint64_t> and logs it. Used
// on one thread, in ordinary builds only (the model's atomics take integral
// types only).
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <vector>

namespace order_audit {

// Converts to and from std::uint64_t, so that an arc's arithmetic and
// comparisons on Count work unchanged.
struct count {
  std::uint64_t n = 0;
  constexpr count() = default;
  constexpr count(std::uint64_t value) : n(value) {}      // NOLINT(google-explicit-constructor)
  constexpr operator std::uint64_t() const { return n; }  // NOLINT(google-explicit-constructor)
};

enum class kind { load, store, rmw, failed_cas };

struct event {
  kind what;
  std::memory_order order;
  std::uint64_t before;  // the value the operation read (or overwrote)
  std::uint64_t after;   // the value it left
};

inline thread_local std::vector<event> log;

inline bool acquires(std::memory_order order) {
  return order == std::memory_order_acquire || order == std::memory_order_acq_rel ||
         order == std::memory_order_seq_cst || order == std::memory_order_consume;
}
inline bool releases(std::memory_order order) {
  return order == std::memory_order_release || order == std::memory_order_acq_rel ||
         order == std::memory_order_seq_cst;
}

}  // namespace order_audit

template <>
struct std::numeric_limits<order_audit::count> : std::numeric_limits<std::uint64_t> {
  static constexpr order_audit::count min() noexcept { return 0; }
  static constexpr order_audit::count max() noexcept {
    return std::numeric_limits<std::uint64_t>::max();
  }
};

template <>
struct std::atomic<order_audit::count> {
  using count = order_audit::count;
  using kind = order_audit::kind;

  constexpr atomic(count value) noexcept
      : value_(value.n) {}  // NOLINT(google-explicit-constructor)
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  count load(std::memory_order order = std::memory_order_seq_cst) const noexcept {
    const std::uint64_t seen = value_.load(order);
    order_audit::log.push_back({kind::load, order, seen, seen});
    return seen;
  }
  void store(count value, std::memory_order order = std::memory_order_seq_cst) noexcept {
    const std::uint64_t before = value_.exchange(value.n, order);  // a store's orders suit an RMW
    order_audit::log.push_back({kind::store, order, before, value.n});
  }
  count fetch_add(count delta, std::memory_order order = std::memory_order_seq_cst) noexcept {
    const std::uint64_t before = value_.fetch_add(delta.n, order);
    order_audit::log.push_back({kind::rmw, order, before, before + delta.n});
    return before;
  }
  count fetch_sub(count delta, std::memory_order order = std::memory_order_seq_cst) noexcept {
    const std::uint64_t before = value_.fetch_sub(delta.n, order);
    order_audit::log.push_back({kind::rmw, order, before, before - delta.n});
    return before;
  }
  count exchange(count value, std::memory_order order = std::memory_order_seq_cst) noexcept {
    const std::uint64_t before = value_.exchange(value.n, order);
    order_audit::log.push_back({kind::rmw, order, before, value.n});
    return before;
  }
  bool compare_exchange_strong(count& expected, count desired, std::memory_order success,
                               std::memory_order failure) noexcept {
    return cas(expected, desired, success, failure);
  }
  bool compare_exchange_weak(count& expected, count desired, std::memory_order success,
                             std::memory_order failure) noexcept {
    return cas(expected, desired, success, failure);  // never fails spuriously: one thread
  }
  bool compare_exchange_strong(count& expected, count desired,
                               std::memory_order order = std::memory_order_seq_cst) noexcept {
    return cas(expected, desired, order, failure_order(order));
  }
  bool compare_exchange_weak(count& expected, count desired,
                             std::memory_order order = std::memory_order_seq_cst) noexcept {
    return cas(expected, desired, order, failure_order(order));
  }

 private:
  static std::memory_order failure_order(std::memory_order order) {
    if (order == std::memory_order_acq_rel) return std::memory_order_acquire;
    if (order == std::memory_order_release) return std::memory_order_relaxed;
    return order;
  }
  bool cas(count& expected, count desired, std::memory_order success, std::memory_order failure) {
    std::uint64_t seen = expected.n;
    const bool done = value_.compare_exchange_strong(seen, desired.n, success, failure);
    order_audit::log.push_back({done ? kind::rmw : kind::failed_cas, done ? success : failure, seen,
                                done ? desired.n : seen});
    expected = seen;
    return done;
  }

  std::atomic<std::uint64_t> value_;
};
