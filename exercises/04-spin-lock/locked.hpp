// Exercise 4.2 — spin_locked<T>: a spin lock that owns its data.
//
// With a bare lock, "this lock protects that counter" is a comment, and a
// comment does not stop anyone from touching the counter without the lock or
// forgetting to unlock on an early return. spin_locked<T> turns both rules
// into types: the value lives inside the lock, and the only way to reach it
// is a guard, which lock() hands out once the lock is held and which
// releases the lock when it is destroyed.
//
//     spin_locked<std::vector<int>> log;
//     {
//       auto g = log.lock();        // spins until the lock is ours
//       g->push_back(42);           // the only way to the vector
//     }                             // g destroyed: unlocked, even on an exception
//     if (auto g = log.try_lock()) (*g)->push_back(7);   // only if it was free
//
// Contract
//   * lock() returns a guard once the calling thread holds the lock,
//     spinning (never sleeping) while another guard exists. At most one guard
//     that owns the lock exists at any time.
//   * try_lock() tries once: a guard if the lock was free, an empty optional
//     if another guard exists. It never waits.
//   * *g and g-> give access to the value while the guard g exists.
//   * Destroying a guard releases the lock.
//   * A guard cannot be copied (two copies would release one lock twice). It
//     can be moved: the moved-to guard owns the lock, and the moved-from one
//     owns nothing, gives no access and releases nothing when destroyed.
//   * Not recursive: lock() while this thread holds a guard spins forever.
//   * The spin_locked must outlive its guards; it cannot be copied.
//
// Memory ordering: everything done through one guard happens-before
// everything done through the next guard of the same object. Taking the lock
// is an acquire exchange, and the guard's destructor releases it with a
// release store of false, which synchronizes with the acquire exchange that
// reads it ([atomics.order]).
//
// Run the tests: ./workbook check locked      Hints: ./workbook hint locked
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cassert>
#include <optional>
#include <utility>

template <class T>
class spin_locked {
 public:
  class guard {
   public:
    guard(guard&& other) noexcept : owner_(other.owner_) {
      // TODO(exercise): after a move, exactly one guard may answer for the
      // lock. What must `other` hold so that its destructor does nothing?
      WB_NOT_IMPLEMENTED("spin_locked::guard move: take other's owner_ and leave other empty");
    }
    // Not copyable: think about what two copies would do when both are destroyed.
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;
    guard& operator=(guard&&) = delete;

    ~guard() {
      // TODO(exercise): release the lock, unless this guard was moved from.
      WB_NOT_IMPLEMENTED("spin_locked::guard destructor: unlock unless moved from");
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
    // TODO(exercise): take the lock as in exercise 4.1 (exchange with
    // acquire, spin_loop_hint while it is held), then hand out the guard.
    WB_NOT_IMPLEMENTED("spin_locked::lock: spin on an acquire exchange, then return guard(*this)");
  }

  [[nodiscard]] std::optional<guard> try_lock() noexcept {
    // TODO(exercise): one attempt. A guard only if the lock was free.
    WB_NOT_IMPLEMENTED("spin_locked::try_lock: one acquire exchange; a guard only if it was free");
  }

 private:
  void unlock() noexcept {
    // TODO(exercise): called by the guard. Which order publishes the
    // critical section to the next owner?
    WB_NOT_IMPLEMENTED("spin_locked::unlock: store(false) with release");
  }

  wb::atomic<bool> locked_{false};  // false = free, true = held (a guard exists)
  T value_{};                       // reachable only through a guard
};
