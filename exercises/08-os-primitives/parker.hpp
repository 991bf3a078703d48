// Exercise 8.2 — parker: park a thread until another unparks it.
//
// A parker belongs to one thread. That thread calls park() to sleep until
// some other thread calls unpark(). It is the smallest blocking primitive
// there is, and the one a queue of waiters (chapter 10's parking lot, a
// fair mutex, a thread pool's idle workers) is built from: one parker per
// waiting thread, and whoever dequeues a waiter unparks it.
//
//     // owner                                  // any other thread
//     while (!work_ready.load(acquire))         work_ready.store(true, release);
//       my_parker.park();                       my_parker.unpark();
//
// Contract
//   * park() is called only by the parker's owner thread (one at a time).
//     unpark() may be called by any thread, any number of times.
//   * An unpark() leaves a token. park() consumes the token and returns at
//     once if there is one, and otherwise sleeps (no spinning) until an
//     unpark() gives it one. So an unpark that comes *before* the park is
//     not lost: that is the point of the token.
//   * Tokens do not add up: several unparks before a park leave one token.
//   * park() returns only with a token (it sleeps again after a spurious
//     wake-up). Callers still wait in a loop on their own condition, as above,
//     because a token may be left over from an earlier, unrelated unpark.
//   * unpark() makes no wake call when the owner is not asleep.
//   * Not copyable or movable (threads sleep on its address).
//
// Memory ordering: everything the unparking thread did before unpark()
// happens-before everything the owner does after the park() that consumed
// that unpark's token returns. unpark is a release, park's successful
// consumption of the token an acquire.
//
// Run the tests: ./workbook check parker      Hints: ./workbook hint parker
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class parker {
 public:
  parker() = default;
  parker(const parker&) = delete;
  parker& operator=(const parker&) = delete;

  void park() noexcept {
    // TODO(exercise): take the token if there is one; otherwise say
    // "parked" and sleep on the state with wb::wait until a token arrives.
    // Both in ONE read-modify-write: why is a load followed by a store wrong?
    WB_NOT_IMPLEMENTED(
        "parker::park: consume the token or announce `parked` in one RMW, then wb::wait");
  }

  void unpark() noexcept {
    // TODO(exercise): leave the token, and learn in the same step whether
    // the owner sleeps; wake it only then. Token first, wake second.
    WB_NOT_IMPLEMENTED(
        "parker::unpark: exchange(notified, release), wb::wake_one if it was `parked`");
  }

 private:
  static constexpr std::uint32_t empty = 0;           // no token, owner not asleep
  static constexpr std::uint32_t notified = 1;        // a token waits for the next park
  static constexpr std::uint32_t parked = empty - 1;  // the owner sleeps (all ones: see the hints)

  wb::atomic<std::uint32_t> state_{empty};
};
