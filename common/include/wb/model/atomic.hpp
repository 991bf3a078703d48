// wb::atomic<T>, wb::atomic_thread_fence and wb::spin_loop_hint under the
// model checker (WB_MODEL=1). Same interface as std::atomic plus a trailing
// std::source_location on every member, so the trace can name the line.
// Operators (++, =, conversion) cannot take a defaulted extra argument: their
// location is this header, and the trace finds the caller's line on the call
// stack instead (common/src/model/frames.cpp).
//
// The members are noexcept, as std::atomic's: the checker never throws
// through them (a failing execution abandons its fibers, MODEL.md).
//
// Memory ordering: as std::atomic, within the model's limits (MODEL.md).
#pragma once

#include <wb/model/runtime.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <source_location>
#include <type_traits>

namespace wb {

namespace model::detail {

template <class T>
constexpr value_kind kind_of() {
  if constexpr (std::is_same_v<T, bool>) return value_kind::boolean;
  else if constexpr (std::is_pointer_v<T>) return value_kind::pointer;
  else if constexpr (std::is_enum_v<T>)
    return std::is_signed_v<std::underlying_type_t<T>> ? value_kind::signed_int
                                                       : value_kind::unsigned_int;
  else return std::is_signed_v<T> ? value_kind::signed_int : value_kind::unsigned_int;
}

template <class T>
std::uint64_t to_bits(T v) {
  std::uint64_t b = 0;
  std::memcpy(&b, &v, sizeof(T));
  return b;
}

template <class T>
T from_bits(std::uint64_t b) {
  T v;
  std::memcpy(&v, &b, sizeof(T));
  return v;
}

/// The failure order the one-order compare_exchange overloads use.
constexpr std::memory_order failure_order(std::memory_order o) {
  if (o == std::memory_order_acq_rel) return std::memory_order_acquire;
  if (o == std::memory_order_release) return std::memory_order_relaxed;
  return o;
}

}  // namespace model::detail

template <class T>
class atomic {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8,
                "the model checks atomics of at most 8 bytes");
  static_assert(std::is_integral_v<T> || std::is_enum_v<T> || std::is_pointer_v<T>,
                "wb::atomic<T> under the model: T integral, bool, enum or pointer");
  using loc_t = std::source_location;
  using U = std::conditional_t<
      std::is_pointer_v<T> || std::is_enum_v<T> || std::is_same_v<T, bool>, std::uint64_t,
      std::make_unsigned_t<
          std::conditional_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, T, int>>>;
  static constexpr bool arithmetic = std::is_integral_v<T> && !std::is_same_v<T, bool>;

 public:
  using value_type = T;
  static constexpr bool is_always_lock_free = true;

  atomic(loc_t loc = loc_t::current()) noexcept : atomic(T{}, loc) {}
  atomic(T desired, loc_t loc = loc_t::current()) noexcept : plain_(desired) {
    model::detail::register_new(h_, model::detail::object_kind::atomic, bits(desired), kind(),
                                sizeof(T), loc);
  }
  ~atomic() { model::detail::unregister(h_, loc_t::current()); }
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  bool is_lock_free() const noexcept { return true; }

  T load(std::memory_order order = std::memory_order_seq_cst,
         loc_t loc = loc_t::current()) const noexcept {
    if (!model::detail::active()) return ref().load(order);
    return from(model::detail::atomic_load(id(loc), order, loc));
  }

  void store(T desired, std::memory_order order = std::memory_order_seq_cst,
             loc_t loc = loc_t::current()) noexcept {
    if (!model::detail::active()) return ref().store(desired, order);
    model::detail::atomic_store(id(loc), bits(desired), order, loc);
  }

  T exchange(T desired, std::memory_order order = std::memory_order_seq_cst,
             loc_t loc = loc_t::current()) noexcept {
    if (!model::detail::active()) return ref().exchange(desired, order);
    return rmw(
        "exchange", desired,
        [](const void* a, std::uint64_t) { return bits(*static_cast<const T*>(a)); }, order, loc);
  }

  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure, loc_t loc = loc_t::current()) noexcept {
    return cas(expected, desired, true, success, failure, loc);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order order = std::memory_order_seq_cst,
                             loc_t loc = loc_t::current()) noexcept {
    return cas(expected, desired, true, order, model::detail::failure_order(order), loc);
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order success,
                               std::memory_order failure, loc_t loc = loc_t::current()) noexcept {
    return cas(expected, desired, false, success, failure, loc);
  }
  bool compare_exchange_strong(T& expected, T desired,
                               std::memory_order order = std::memory_order_seq_cst,
                               loc_t loc = loc_t::current()) noexcept {
    return cas(expected, desired, false, order, model::detail::failure_order(order), loc);
  }

  // Integral arithmetic wraps (computed in the unsigned type, as std::atomic).
  T fetch_add(T arg, std::memory_order order = std::memory_order_seq_cst,
              loc_t loc = loc_t::current()) noexcept requires arithmetic {
    if (!model::detail::active()) return ref().fetch_add(arg, order);
    return rmw(
        "fetch_add", arg,
        [](const void* a, std::uint64_t old) {
          return bits(T(U(from(old)) + U(*static_cast<const T*>(a))));
        },
        order, loc);
  }
  T fetch_sub(T arg, std::memory_order order = std::memory_order_seq_cst,
              loc_t loc = loc_t::current()) noexcept requires arithmetic {
    if (!model::detail::active()) return ref().fetch_sub(arg, order);
    return rmw(
        "fetch_sub", arg,
        [](const void* a, std::uint64_t old) {
          return bits(T(U(from(old)) - U(*static_cast<const T*>(a))));
        },
        order, loc);
  }
  T fetch_and(T arg, std::memory_order order = std::memory_order_seq_cst,
              loc_t loc = loc_t::current()) noexcept requires arithmetic {
    if (!model::detail::active()) return ref().fetch_and(arg, order);
    return rmw(
        "fetch_and", arg,
        [](const void* a, std::uint64_t old) {
          return bits(T(from(old) & *static_cast<const T*>(a)));
        },
        order, loc);
  }
  T fetch_or(T arg, std::memory_order order = std::memory_order_seq_cst,
             loc_t loc = loc_t::current()) noexcept requires arithmetic {
    if (!model::detail::active()) return ref().fetch_or(arg, order);
    return rmw(
        "fetch_or", arg,
        [](const void* a, std::uint64_t old) {
          return bits(T(from(old) | *static_cast<const T*>(a)));
        },
        order, loc);
  }
  T fetch_xor(T arg, std::memory_order order = std::memory_order_seq_cst,
              loc_t loc = loc_t::current()) noexcept requires arithmetic {
    if (!model::detail::active()) return ref().fetch_xor(arg, order);
    return rmw(
        "fetch_xor", arg,
        [](const void* a, std::uint64_t old) {
          return bits(T(from(old) ^ *static_cast<const T*>(a)));
        },
        order, loc);
  }
  T fetch_add(std::ptrdiff_t arg, std::memory_order order = std::memory_order_seq_cst,
              loc_t loc = loc_t::current()) noexcept requires std::is_pointer_v<T> {
    if (!model::detail::active()) return ref().fetch_add(arg, order);
    return rmw_ptr("fetch_add", arg, order, loc);
  }
  T fetch_sub(std::ptrdiff_t arg, std::memory_order order = std::memory_order_seq_cst,
              loc_t loc = loc_t::current()) noexcept requires std::is_pointer_v<T> {
    if (!model::detail::active()) return ref().fetch_sub(arg, order);
    return rmw_ptr("fetch_sub", -arg, order, loc);
  }

  void wait(T old, std::memory_order order = std::memory_order_seq_cst,
            loc_t loc = loc_t::current()) const noexcept {
    if (!model::detail::active()) return ref().wait(old, order);
    model::detail::atomic_wait(id(loc), bits(old), order, loc);
  }
  void notify_one(loc_t loc = loc_t::current()) noexcept {
    if (!model::detail::active()) return ref().notify_one();
    model::detail::atomic_wake(id(loc), false, loc);
  }
  void notify_all(loc_t loc = loc_t::current()) noexcept {
    if (!model::detail::active()) return ref().notify_all();
    model::detail::atomic_wake(id(loc), true, loc);
  }

  // seq_cst shorthands (trace location: this header).
  operator T() const noexcept { return load(); }
  T operator=(T desired) noexcept {
    store(desired);
    return desired;
  }
  T operator++() noexcept requires arithmetic { return T(U(fetch_add(T(1))) + 1u); }
  T operator++(int) noexcept requires arithmetic { return fetch_add(T(1)); }
  T operator--() noexcept requires arithmetic { return T(U(fetch_sub(T(1))) - 1u); }
  T operator--(int) noexcept requires arithmetic { return fetch_sub(T(1)); }
  T operator+=(T a) noexcept requires arithmetic { return T(U(fetch_add(a)) + U(a)); }
  T operator-=(T a) noexcept requires arithmetic { return T(U(fetch_sub(a)) - U(a)); }
  T operator&=(T a) noexcept requires arithmetic { return T(fetch_and(a) & a); }
  T operator|=(T a) noexcept requires arithmetic { return T(fetch_or(a) | a); }
  T operator^=(T a) noexcept requires arithmetic { return T(fetch_xor(a) ^ a); }
  T operator++() noexcept requires std::is_pointer_v<T> { return fetch_add(1) + 1; }
  T operator++(int) noexcept requires std::is_pointer_v<T> { return fetch_add(1); }
  T operator--() noexcept requires std::is_pointer_v<T> { return fetch_sub(1) - 1; }
  T operator--(int) noexcept requires std::is_pointer_v<T> { return fetch_sub(1); }

 private:
  static constexpr model::detail::value_kind kind() { return model::detail::kind_of<T>(); }
  static std::uint64_t bits(T v) { return model::detail::to_bits(v); }
  static T from(std::uint64_t b) { return model::detail::from_bits<T>(b); }

  std::atomic_ref<T> ref() const { return std::atomic_ref<T>(plain_); }

  std::uint32_t id(loc_t loc) const {
    return model::detail::resolve(h_, model::detail::object_kind::atomic, bits(plain_), kind(),
                                  sizeof(T), loc);
  }

  // An RMW whose new value is fn(&operand, old value).
  T rmw(const char* op, T operand, model::detail::rmw_fn fn, std::memory_order order, loc_t loc) {
    return from(model::detail::atomic_rmw(id(loc), op, bits(operand), fn, &operand, order, loc));
  }

  T rmw_ptr(const char* op, std::ptrdiff_t arg, std::memory_order order, loc_t loc) {
    return from(model::detail::atomic_rmw(
        id(loc), op, static_cast<std::uint64_t>(arg),
        [](const void* a, std::uint64_t old) {
          return bits(from(old) + *static_cast<const std::ptrdiff_t*>(a));
        },
        &arg, order, loc));
  }

  bool cas(T& expected, T desired, bool weak, std::memory_order success, std::memory_order failure,
           loc_t loc) {
    if (!model::detail::active()) {
      return weak ? ref().compare_exchange_weak(expected, desired, success, failure)
                  : ref().compare_exchange_strong(expected, desired, success, failure);
    }
    std::uint64_t e = bits(expected);
    const bool ok =
        model::detail::atomic_cas(id(loc), e, bits(desired), weak, success, failure, loc);
    expected = from(e);
    return ok;
  }

  alignas(std::atomic_ref<T>::required_alignment) mutable T plain_;
  mutable model::detail::handle h_;
};

inline void atomic_thread_fence(
    std::memory_order order, std::source_location loc = std::source_location::current()) noexcept {
  if (!model::detail::active()) return std::atomic_thread_fence(order);
  model::detail::fence(order, loc);
}

/// Under the model: a yield — the scheduler prefers another thread (MODEL.md).
inline void spin_loop_hint(std::source_location loc = std::source_location::current()) noexcept {
  if (model::detail::active()) model::detail::spin_hint(loc);
}

}  // namespace wb
