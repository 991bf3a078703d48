// Exercise 8.3 — event: a one-shot event that any number of threads wait for.
//
// "The configuration is loaded", "the server is listening", "shutdown has
// begun": news that happens once and that many threads wait for. A one-shot
// event (Abseil's Notification, .NET's ManualResetEvent without reset, a
// C++20 std::latch of count 1) says it with one word and two operations:
//
//     event loaded;
//     // any number of threads               // one thread, once
//     loaded.wait();                         config = load();
//     use(config);                           loaded.set();
//
// Contract
//   * wait() returns once set() has been called, at once if it already was,
//     and sleeps (no spinning) until then. Any number of threads may wait,
//     before or after set(); set() wakes every one of them.
//   * set() may be called more than once; only the first has an effect.
//     is_set() says whether it has been called, without blocking.
//   * set() makes no wake call when nobody is asleep in wait().
//   * Once set, an event stays set. Not copyable or movable.
//
// Memory ordering: everything the thread that calls set() did before it
// happens-before everything a thread does after its wait() returns, or
// after its is_set() returned true. set is a release; every read that may
// see the event set is an acquire.
//
// Run the tests: ./workbook check event      Hints: ./workbook hint event
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class event {
 public:
  event() = default;
  event(const event&) = delete;
  event& operator=(const event&) = delete;

  void set() noexcept {
    // TODO(exercise): mark the event set and learn, in the same step,
    // whether anybody sleeps. If so, wake them: how many?
    WB_NOT_IMPLEMENTED(
        "event::set: exchange(set_state, release); wb::wake_all if it was unset_waiting");
  }

  void wait() noexcept {
    // TODO(exercise): until the state is set_state: announce the sleep
    // (unset -> unset_waiting, without ever overwriting set_state), then
    // sleep with wb::wait while the state is unset_waiting.
    WB_NOT_IMPLEMENTED(
        "event::wait: compare_exchange unset -> unset_waiting, wb::wait, load (acquire) again");
  }

  bool is_set() const noexcept {
    // TODO(exercise): one load. Which order, if the caller then reads what
    // the setter published?
    WB_NOT_IMPLEMENTED("event::is_set: load (acquire) == set_state");
  }

 private:
  static constexpr std::uint32_t unset = 0;
  static constexpr std::uint32_t unset_waiting = 1;  // threads may be asleep: set must wake
  static constexpr std::uint32_t set_state = 2;

  wb::atomic<std::uint32_t> state_{unset};
};
