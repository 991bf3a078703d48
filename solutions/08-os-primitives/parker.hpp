// Exercise 8.2 — parker: park a thread until another unparks it.
// Reference solution. (Contract: see exercises/08-os-primitives/parker.hpp.)
//
// Why it is correct
//   * One 32-bit state, three values:
//
//       state_     meaning                              written by
//       empty      no token, the owner is not asleep    park (consuming a token)
//       notified   a token waits for the next park      unpark
//       parked     the owner sleeps, or is about to     park (from empty)
//
//     `parked` is empty - 1 (all ones), so that park's single fetch_sub(1)
//     does both of its jobs at once: notified -> empty consumes a token, and
//     empty -> parked announces the sleep. There is no moment between
//     "I looked: no token" and "I say I am parked" in which an unpark could
//     slip in and be missed; that moment is exactly the lost unpark of a
//     park that first loads and then stores.
//   * unpark swaps in `notified`, whatever was there: a second unpark before
//     the park leaves one token (tokens do not count). It wakes only when
//     the owner said `parked`, so an unpark nobody waits for makes no wake
//     call. It changes the state before it wakes, so a woken owner always
//     finds the token: the other way round, the owner can wake, see
//     `parked`, sleep again, and the token arrives with nobody to wake it.
//   * The owner sleeps with wb::wait(state_, parked): the kernel (or the
//     library) compares and sleeps as one step with respect to the wake, so
//     an unpark between the fetch_sub and the wait makes the wait return at
//     once. After any return it tries notified -> empty, and sleeps again if
//     the state is still `parked` (a spurious return).
//
// Memory ordering: unpark's exchange is a release, and park's fetch_sub (on
// the path that finds a token) and its compare-exchange (on the path that
// slept) are acquires that read the value that exchange wrote, so they
// synchronize with it ([atomics.order] p2): everything the unparking thread
// did before unpark() happens-before everything the owner does after park()
// returns. The wait's load is relaxed: it only decides whether to sleep.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>

class parker {
 public:
  parker() = default;
  parker(const parker&) = delete;
  parker& operator=(const parker&) = delete;

  void park() noexcept {
    // notified -> empty: a token was waiting, take it. empty -> parked: go to sleep.
    if (state_.fetch_sub(1, wb::memory_order_acquire) == notified) return;
    for (;;) {
      wb::wait(state_, parked, wb::memory_order_relaxed);
      std::uint32_t expected = notified;
      if (state_.compare_exchange_strong(expected, empty, wb::memory_order_acquire,
                                         wb::memory_order_relaxed)) {
        return;
      }
      // Still parked: a spurious return. Sleep again.
    }
  }

  void unpark() noexcept {
    if (state_.exchange(notified, wb::memory_order_release) == parked) wb::wake_one(state_);
  }

 private:
  static constexpr std::uint32_t empty = 0;
  static constexpr std::uint32_t notified = 1;
  static constexpr std::uint32_t parked = empty - 1;  // all ones: fetch_sub(1) from empty

  wb::atomic<std::uint32_t> state_{empty};
};
