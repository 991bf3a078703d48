// wb::cell<T> under the model checker: plain (non-atomic) shared data whose
// every access is recorded, so that two accesses not ordered by
// happens-before, at least one a write, are reported as a data race with both
// source lines. Accesses are not scheduling points: a race is found from the
// vector clocks whatever the schedule, as soon as both accesses happen in one
// execution.
#pragma once

#include <wb/model/runtime.hpp>

#include <source_location>
#include <utility>

namespace wb {

template <class T>
class cell {
  using loc_t = std::source_location;

 public:
  cell(loc_t loc = loc_t::current()) : value_{} { created(loc); }
  explicit cell(T value, loc_t loc = loc_t::current()) : value_(std::move(value)) { created(loc); }
  ~cell() { model::detail::unregister(h_, loc_t::current()); }
  cell(const cell&) = delete;
  cell& operator=(const cell&) = delete;

  /// Calls f(const T&) and returns its result: a read of the cell.
  template <class F>
  decltype(auto) with(F&& f, loc_t loc = loc_t::current()) const {
    access(false, loc);
    return std::forward<F>(f)(std::as_const(value_));
  }

  /// Calls f(T&) and returns its result: a write (or read-modify-write).
  template <class F>
  decltype(auto) with_mut(F&& f, loc_t loc = loc_t::current()) {
    access(true, loc);
    return std::forward<F>(f)(value_);
  }

  /// A copy of the value: a read.
  T get(loc_t loc = loc_t::current()) const {
    access(false, loc);
    return value_;
  }

  /// Replaces the value: a write.
  void set(T value, loc_t loc = loc_t::current()) {
    access(true, loc);
    value_ = std::move(value);
  }

 private:
  void created(loc_t loc) {
    model::detail::register_new(h_, model::detail::object_kind::cell, 0, {}, 0, loc);
  }
  void access(bool write, loc_t loc) const {
    if (!model::detail::active()) return;
    model::detail::cell_access(
        model::detail::resolve(h_, model::detail::object_kind::cell, 0, {}, 0, loc), write, loc);
  }

  T value_;
  mutable model::detail::handle h_;
};

}  // namespace wb
