// Exercise 3.1 — mailbox: hand one value to another thread with release/acquire.
// Reference solution. (Contract: see exercises/03-memory-ordering/mailbox.hpp.)
//
// Why it is correct
//   * The payload is plain memory. Only the thread that wins the claim (the
//     compare-and-swap empty -> writing) writes it, and only before it stores
//     `full`; the consumer reads it only after it has loaded `full`. So the
//     one write and the reads never overlap, provided the store of `full`
//     happens-before... see "Memory ordering" below: that is the whole point.
//   * The claim is one indivisible read-modify-write: of two posts, even
//     racing ones, exactly one finds `empty` in state_'s modification order
//     ([atomics.order]: an RMW reads the last value before its own write).
//     The other finds writing, full or taken and throws: posting twice is a
//     clear error, never a second writer on the payload.
//   * take() sleeps with wb::wait on the value it last saw, so it cannot miss
//     the change: wait returns at once if state_ no longer holds that value,
//     and post() stores `full` before it wakes.
//
// Memory ordering:
//
//   producer                                   consumer
//   payload_.emplace(v)    (plain writes)
//   state_.store(full, release)  ----------->  state_.load(acquire) == full
//                            synchronizes-with  read payload_ (plain reads)
//
//   The acquire load reads the value the release store wrote, so the store
//   synchronizes with the load ([atomics.order] p2). The payload's writes are
//   sequenced before the store and the reads sequenced after the load, hence
//   writes happen-before reads ([intro.races]): no data race, and the
//   consumer sees the whole value. With a relaxed store or a relaxed load
//   there is no synchronizes-with edge: the reads race with the writes
//   (undefined behaviour; ThreadSanitizer reports it), and on ARM the
//   consumer can really see `full` before the string's bytes.
//   * The claim CAS is relaxed: nothing is published through `writing`; it
//     only has to be atomic. The consumer's store of `taken` is relaxed too:
//     it publishes nothing (the payload is never read again), it only makes a
//     later post() fail.
#pragma once

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
    std::uint8_t expected = empty;
    if (!state_.compare_exchange_strong(expected, writing, wb::memory_order_relaxed)) {
      throw std::logic_error("mailbox: post() called twice (a mailbox carries one value)");
    }
    payload_.emplace(std::move(value));
    state_.store(full, wb::memory_order_release);  // publishes payload_
    wb::wake_all(state_);
  }

  std::optional<T> try_take() {
    if (state_.load(wb::memory_order_acquire) != full) return std::nullopt;
    return take_payload();
  }

  T take() {
    for (;;) {
      const std::uint8_t seen = state_.load(wb::memory_order_acquire);
      if (seen == full) return take_payload();
      if (seen == taken) throw std::logic_error("mailbox: take() after the value was taken");
      wb::wait(state_, seen, wb::memory_order_acquire);  // until post() changes state_
    }
  }

 private:
  // Only the consumer calls this, after an acquire load returned `full`.
  T take_payload() {
    T value = std::move(*payload_);
    state_.store(taken, wb::memory_order_relaxed);  // publishes nothing: see above
    return value;
  }

  static constexpr std::uint8_t empty = 0;    // nothing posted yet
  static constexpr std::uint8_t writing = 1;  // a post() won the claim and is writing payload_
  static constexpr std::uint8_t full = 2;     // payload_ is written and may be read
  static constexpr std::uint8_t taken = 3;    // the consumer took the value

  wb::atomic<std::uint8_t> state_{empty};
  std::optional<T> payload_;  // written by the one post() that claimed it, read by the consumer
};
