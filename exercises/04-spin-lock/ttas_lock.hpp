// Exercise 4.3 — ttas_lock: spin politely (test-and-test-and-set with backoff).
//
// The lock of exercise 4.1 waits by calling exchange over and over. Each
// exchange is a write, and a write needs the cache line that holds the flag
// exclusively: with several waiters, that line bounces from core to core
// millions of times a second, and the owner's unlock queues up behind them.
// A test-and-test-and-set lock waits by *reading* until the lock looks free,
// and only then tries the exchange. Between reads it backs off: it pauses a
// little longer each time (1, 2, 4 ... spin_loop_hints, up to a bound), so
// that the waiters do not all rush at the lock the instant it is freed.
//
//     ttas_lock lock;                       // same use as spin_lock
//     std::lock_guard guard(lock);
//
// Contract
//   * exponential_backoff: spins() is first_spins for a new object; each
//     pause() calls wb::spin_loop_hint() spins() times and then doubles
//     spins(), never beyond max_spins.
//   * basic_ttas_lock: lock, try_lock and unlock as in exercise 4.1 (at most
//     one owner; try_lock never waits; only the owner unlocks; not
//     recursive), and in addition:
//       - lock() first tries one exchange (the uncontended fast path). If the
//         lock was held, it waits in lock_contended by reading the flag, with
//         a backoff pause between reads, and tries the exchange again only
//         when a read saw the lock free. While the lock stays held, a waiter
//         writes nothing.
//       - try_lock() reads first and does not exchange when it sees the lock
//         held. It may fail if the lock was held at some moment during the
//         call (as std::mutex::try_lock may).
//       - Each waiter has its own backoff, starting at first_spins each time
//         lock() has to wait.
//   * The Flag parameter is the type of the flag: wb::atomic<bool> (the
//     default, ttas_lock). The tests use a flag of their own that counts the
//     loads and exchanges, to check that waiting is done by reading. Write
//     the lock with only load, exchange and store on locked_.
//
// Memory ordering: as in exercise 4.1, everything an owner does in its
// critical section happens-before everything the next owner does in its
// own: the exchange that takes the lock is an acquire and unlock's store is a
// release. The loads that only wait for the lock to look free may be
// relaxed: they decide only whether to try the exchange, and the exchange
// does the synchronizing.
//
// Run the tests: ./workbook check ttas_lock      Hints: ./workbook hint ttas_lock
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

/// Bounded exponential backoff for spin loops: each pause() spins twice as
/// long as the one before (in wb::spin_loop_hint calls), up to max_spins.
class exponential_backoff {
 public:
  static constexpr unsigned first_spins = 1;
  static constexpr unsigned max_spins = 64;  // heuristic: a few microseconds on current x86

  void pause() noexcept {
    // TODO(exercise): spin_loop_hint() spins_ times, then double spins_ for
    // the next pause, but never beyond max_spins.
    WB_NOT_IMPLEMENTED(
        "exponential_backoff::pause: spin spins_ hints, then double spins_ up to max_spins");
  }

  unsigned spins() const noexcept { return spins_; }  // the length of the next pause

 private:
  unsigned spins_ = first_spins;
};

template <class Flag = wb::atomic<bool>>
class basic_ttas_lock {
 public:
  basic_ttas_lock() = default;
  basic_ttas_lock(const basic_ttas_lock&) = delete;
  basic_ttas_lock& operator=(const basic_ttas_lock&) = delete;

  void lock() noexcept {
    // TODO(exercise): the fast path. One exchange, as in exercise 4.1; if
    // the lock was free it is yours. Otherwise wait in lock_contended().
    WB_NOT_IMPLEMENTED(
        "basic_ttas_lock::lock: one acquire exchange, then lock_contended() if it was held");
  }

  [[nodiscard]] bool try_lock() noexcept {
    // TODO(exercise): test, then test-and-set: read the flag, and only if it
    // looks free try one exchange.
    WB_NOT_IMPLEMENTED(
        "basic_ttas_lock::try_lock: a relaxed load, then one acquire exchange if free");
  }

  void unlock() noexcept {
    // TODO(exercise): as in exercise 4.1.
    WB_NOT_IMPLEMENTED("basic_ttas_lock::unlock: store(false) with release");
  }

 private:
  void lock_contended() noexcept {
    // TODO(exercise): with a fresh exponential_backoff: while a load says
    // the lock is held, backoff.pause(). When a load sees it free, try the
    // exchange; if another waiter got there first, go back to reading.
    // Which of these operations needs acquire, and which can be relaxed?
    WB_NOT_IMPLEMENTED(
        "basic_ttas_lock::lock_contended: read with backoff until free, then exchange");
  }

  Flag locked_{false};  // false = free, true = held by some thread
};

using ttas_lock = basic_ttas_lock<>;
