// Exercise 1.3 — synchronized<T>: data you cannot touch without its lock.
//
// A mutex protects data only by convention: nothing stops code from reading
// the data without locking. synchronized<T> makes the convention impossible
// to break: the value is private, and the only way to reach it is with_lock,
// which runs your function while holding the mutex.
//
//     synchronized<std::vector<int>> log;
//     log.with_lock([](std::vector<int>& v) { v.push_back(42); });
//     auto n = log.with_lock([](const std::vector<int>& v) { return v.size(); });
//
// Contract
//   * with_lock(f) locks the mutex, calls f(value) and returns f's result,
//     unlocking afterwards even if f throws. No two calls of with_lock or
//     get on one object ever overlap.
//   * f must return a value, not a reference: a reference to the value would
//     outlive the lock (a static_assert says so).
//   * get() returns a copy taken under the lock.
//   * f must not call with_lock on the same object (std::mutex is not
//     recursive: that would deadlock).
//
// Memory ordering: unlocking a mutex synchronizes with the next lock of it
// ([thread.mutex.requirements.mutex]), so whatever one with_lock wrote is
// visible to every later with_lock.
//
// Run the tests: ./workbook check synchronized      Hints: ./workbook hint synchronized
#pragma once

#include <wb/not_implemented.hpp>

#include <mutex>
#include <type_traits>
#include <utility>

template <class T>
class synchronized {
 public:
  synchronized() = default;
  explicit synchronized(T value) : value_(std::move(value)) {}

  synchronized(const synchronized&) = delete;
  synchronized& operator=(const synchronized&) = delete;

  template <class F>
  auto with_lock(F&& f) -> std::invoke_result_t<F&&, T&> {
    static_assert(!std::is_reference_v<std::invoke_result_t<F&&, T&>>,
                  "with_lock: return a copy; a reference would outlive the lock");
    // TODO(exercise): hold mutex_ for exactly as long as f runs, and release
    // it even when f throws. Then return what f returns.
    (void)f;
    WB_NOT_IMPLEMENTED("synchronized::with_lock: call f(value_) while holding mutex_");
  }

  template <class F>
  auto with_lock(F&& f) const -> std::invoke_result_t<F&&, const T&> {
    static_assert(!std::is_reference_v<std::invoke_result_t<F&&, const T&>>,
                  "with_lock: return a copy; a reference would outlive the lock");
    // TODO(exercise): the same for a const object (mutex_ is mutable for this).
    (void)f;
    WB_NOT_IMPLEMENTED("synchronized::with_lock const: call f(value_) while holding mutex_");
  }

  T get() const {
    // TODO(exercise): return a copy of value_, taken under the lock.
    WB_NOT_IMPLEMENTED("synchronized::get: copy value_ while holding mutex_");
  }

 private:
  mutable std::mutex mutex_;
  T value_{};  // guarded by mutex_
};
