// Exercise 8.3 — event: a one-shot event that any number of threads wait for.
// Reference solution. (Contract: see exercises/08-os-primitives/event.hpp.)
//
// Why it is correct
//   * One 32-bit state, three values, and it only ever moves forward:
//
//       state_          meaning                            written by
//       unset           not set, nobody asleep (yet)       (initial value)
//       unset_waiting   not set, threads may be asleep     wait (from unset)
//       set             set, for good                      set
//
//       unset --wait--> unset_waiting --set--> set
//       unset ------------------set-----------> set
//
//   * A waiter that must sleep first turns `unset` into `unset_waiting`
//     with a compare-exchange, never a store: a store could overwrite a
//     `set` written in between, and the event would be unset again. Then it
//     sleeps with wb::wait(state_, unset_waiting), which returns at once if
//     the state changed in between.
//   * set() swaps in `set` and learns, in the same step, whether anyone
//     announced a sleep; only then does it wake, and it wakes *all* of them:
//     every waiter is waiting for the same news. Waking one strands the
//     rest. An event nobody waited for makes no wake call.
//   * State before wake: the other way round, a waiter could wake, see
//     `unset_waiting`, sleep again, and the state would change with nobody
//     left to wake it.
//
// Memory ordering: set's exchange is a release. Every load or compare-
// exchange that may read `set` (wait's loads, the compare-exchange's
// failure, is_set) is an acquire, and synchronizes with that release
// ([atomics.order] p2): what the setting thread did before set()
// happens-before what a waiter does after wait() returns, or after is_set()
// returned true. Announcing `unset_waiting` publishes nothing, so its
// success order could be relaxed ([atomics.types.operations] allows a
// failure order stronger than the success order since C++17), but GCC 12
// still rejects that pair (-Winvalid-memory-model, an error under -Werror
// in the tsan tree), and an acquire costs nothing extra on x86 or on an
// LL/SC loop that must acquire on failure anyway. The wait's own load only
// decides whether to sleep.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>

class event {
 public:
  event() = default;
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  void set() noexcept {
    if (state_.exchange(set_state, wb::memory_order_release) == unset_waiting) {
      wb::wake_all(state_);
    }
  }

  void wait() noexcept {
    std::uint32_t state = state_.load(wb::memory_order_acquire);
    while (state != set_state) {
      if (state == unset &&
          !state_.compare_exchange_strong(state, unset_waiting, wb::memory_order_acquire,
                                          wb::memory_order_acquire)) {
        continue;  // it changed: `state` holds the new value, look again
      }
      wb::wait(state_, unset_waiting, wb::memory_order_relaxed);
      state = state_.load(wb::memory_order_acquire);
    }
  }

  bool is_set() const noexcept { return state_.load(wb::memory_order_acquire) == set_state; }

 private:
  static constexpr std::uint32_t unset = 0;
  static constexpr std::uint32_t unset_waiting = 1;  // threads may be asleep: set must wake
  static constexpr std::uint32_t set_state = 2;

  wb::atomic<std::uint32_t> state_{unset};
};
