// Exercise 4.2 — spin_locked<T>: a spin lock that owns its data.
// Reference solution. (Contract: see exercises/04-spin-lock/locked.hpp.)
//
// Why it is correct
//   * value_ is private and the only way to it is a guard's operator* or
//     operator->. A guard is made only by lock() or a successful try_lock(),
//     i.e. only while this thread holds the lock, and it releases the lock in
//     its destructor. So every access to value_ happens between a lock and
//     the matching unlock, and the lock cannot be forgotten: leaving the
//     scope (by return or by exception) destroys the guard.
//   * A guard is not copyable: two copies would both unlock, and the second
//     unlock would release a lock that another thread may hold by then.
//   * A guard is movable, so lock() and try_lock() can hand it out, and the
//     moved-from guard is emptied (owner_ = nullptr). Its destructor then
//     does nothing: only one guard ever answers for one acquisition.
//   * try_lock() returns an empty optional when the exchange finds the lock
//     held. Handing out a guard anyway would give a second thread the data
//     while the first still uses it.
//   * [[nodiscard]] on lock(): `data.lock();` on its own would lock and, at
//     the end of the statement, unlock again, protecting nothing.
//
// Memory ordering: as for exercise 4.1. The guard's destructor stores
// `false` with release; lock's exchange is an acquire. The acquire exchange
// that reads the `false` of the previous owner's release store synchronizes
// with it ([atomics.order]/2), so everything done through one guard
// happens-before everything done through the next one:
//
//   T1: g = data.lock(); ++*g; ~g: locked_.store(false, release)
//                                         | synchronizes with
//                                         v
//   T2:             data.lock(): locked_.exchange(true, acquire) -> false; read *g
//
// Moving a guard involves no atomic operation: a guard is used by one
// thread at a time (moving it to another thread is done through something
// that synchronizes, such as a thread start).
#pragma once

#include <wb/sync.hpp>

#include <cassert>
#include <optional>
#include <utility>

template <class T>
class spin_locked {
 public:
  class guard {
   public:
    guard(guard&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;
    guard& operator=(guard&&) = delete;

    ~guard() {
      if (owner_ != nullptr) owner_->unlock();
    }

    T& operator*() const noexcept {
      assert(owner_ != nullptr && "spin_locked::guard: used after being moved from");
      return owner_->value_;
    }
    T* operator->() const noexcept { return &**this; }

   private:
    friend class spin_locked;
    explicit guard(spin_locked& owner) noexcept : owner_(&owner) {}  // the lock is already held

    spin_locked* owner_;  // nullptr once moved from
  };

  spin_locked() = default;
  explicit spin_locked(T value) : value_(std::move(value)) {}
  spin_locked(const spin_locked&) = delete;
  spin_locked& operator=(const spin_locked&) = delete;

  [[nodiscard]] guard lock() noexcept {
    while (locked_.exchange(true, wb::memory_order_acquire)) wb::spin_loop_hint();
    return guard(*this);
  }

  [[nodiscard]] std::optional<guard> try_lock() noexcept {
    if (locked_.exchange(true, wb::memory_order_acquire)) return std::nullopt;  // held elsewhere
    return guard(*this);
  }

 private:
  void unlock() noexcept { locked_.store(false, wb::memory_order_release); }

  wb::atomic<bool> locked_{false};  // false = free, true = held (a guard exists)
  T value_{};                       // reachable only through a guard
};
