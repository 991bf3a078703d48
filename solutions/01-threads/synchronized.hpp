// Exercise 1.3 — synchronized<T>: data you cannot touch without its lock.
// Reference solution. (Contract: see exercises/01-threads/synchronized.hpp.)
//
// Why it is correct
//   * Every access to value_ happens inside a std::lock_guard's lifetime, so
//     accesses from different threads are ordered by the mutex: unlock
//     synchronizes with the next lock, and there is no data race.
//   * The guard is a NAMED local: `std::lock_guard<std::mutex>{mutex_};`
//     would create a temporary that unlocks at the end of that very
//     statement, leaving f unprotected.
//   * RAII releases the lock when f throws, so one failing call cannot leave
//     the mutex locked forever.
//   * Results are returned by value (static_assert), so no reference into
//     value_ escapes the lock.
#pragma once

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
    std::lock_guard<std::mutex> lock(mutex_);
    return std::forward<F>(f)(value_);
  }

  template <class F>
  auto with_lock(F&& f) const -> std::invoke_result_t<F&&, const T&> {
    static_assert(!std::is_reference_v<std::invoke_result_t<F&&, const T&>>,
                  "with_lock: return a copy; a reference would outlive the lock");
    std::lock_guard<std::mutex> lock(mutex_);
    return std::forward<F>(f)(value_);
  }

  T get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return value_;
  }

 private:
  mutable std::mutex mutex_;
  T value_{};  // guarded by mutex_
};
