// Exercise 3.1 — mailbox: hand one value to another thread with release/acquire.
//
// One thread computes a value — a configuration, a result, a message — and
// another needs it. A mutex would do, but the hand-over happens once, so an
// atomic flag is enough: the producer writes the value into plain memory,
// then raises the flag; the consumer checks the flag, then reads the value.
// The value is NOT atomic (a std::string, a struct): the flag's memory order
// is the only thing that makes the consumer see the value the producer wrote,
// rather than half of it, or undefined behaviour. Getting that order right is
// the exercise.
//
//     mailbox<std::string> box;
//     std::thread producer([&] { box.post(load_greeting()); });
//     std::string greeting = box.take();   // waits for the post
//
// Contract
//   * post(v) stores v; it may be called once per mailbox. A second post()
//     (from the same or another thread, even racing with the first) throws
//     std::logic_error and changes nothing.
//   * try_take() returns the posted value, moving it out, if a post() has
//     completed and the value was not taken yet; otherwise std::nullopt at
//     once. After a successful take, try_take() returns std::nullopt.
//   * take() returns the value like try_take(), but waits (without spinning)
//     until it is posted. take() after the value was taken throws
//     std::logic_error (waiting would never end).
//   * One consumer: try_take()/take() are called by one thread at a time.
//     post() may run on any thread. T must be movable.
//   * The mailbox must outlive every call on it.
//
// Memory ordering: everything the producer did before post(v), including
// constructing v, happens-before everything the consumer does after the
// try_take()/take() that returns v. The state's store that says "full" is a
// release, the consumer's load that sees it is an acquire: the store
// synchronizes with the load ([atomics.order]). Any weaker pair is a data
// race on the payload.
//
// Run the tests: ./workbook check mailbox      Hints: ./workbook hint mailbox
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>

template <class T>
class mailbox {
 public:
  mailbox() = default;
  mailbox(const mailbox&) = delete;
  mailbox& operator=(const mailbox&) = delete;

  void post(T value) {
    // TODO(exercise): claim the mailbox in one indivisible step ("if state_
    // is empty, make it writing"), so that of two posts exactly one wins; the
    // loser throws std::logic_error. The winner writes payload_, then marks
    // the state full with the order that publishes payload_, then wakes a
    // consumer sleeping in take().
    (void)value;
    WB_NOT_IMPLEMENTED(
        "mailbox::post: claim the slot, write the payload, publish it with a release store");
  }

  std::optional<T> try_take() {
    // TODO(exercise): look at the state first, and only if it says full read
    // payload_. Which order must that load have so that the payload's bytes
    // are visible? Moving the value out leaves the state `taken`.
    WB_NOT_IMPLEMENTED("mailbox::try_take: acquire-load the state, then read the payload");
  }

  T take() {
    // TODO(exercise): like try_take, but sleep with wb::wait(state_, seen,
    // order) while the state is empty or writing. Taken already: throw.
    WB_NOT_IMPLEMENTED("mailbox::take: wait until the state is full, then take the payload");
  }

 private:
  static constexpr std::uint8_t empty = 0;    // nothing posted yet
  static constexpr std::uint8_t writing = 1;  // a post() won the claim and is writing payload_
  static constexpr std::uint8_t full = 2;     // payload_ is written and may be read
  static constexpr std::uint8_t taken = 3;    // the consumer took the value

  wb::atomic<std::uint8_t> state_{empty};
  std::optional<T> payload_;  // plain memory: written by the winning post(), read by the consumer
};
