// Exercise 5.4 — blocking_oneshot: a borrowed one-shot channel whose receiver sleeps until the message arrives.
//
// Two changes from exercise 5.3. First, no allocation: the channel is an
// object you create (on the stack, say), and split() hands out a sender and
// a receiver that merely point at it. Second, no polling: receive() blocks,
// sleeping with wb::wait on the channel's state until the sender stores the
// message and wakes it with wb::wake_one.
//
//     blocking_oneshot<result> channel;
//     auto [tx, rx] = channel.split();
//     std::jthread worker([tx = std::move(tx)]() mutable { std::move(tx).send(compute()); });
//     result r = std::move(rx).receive();   // sleeps until the worker sends
//     worker.join();                        // before `channel` goes away (see below)
//
// State table (state_; each arrow is one atomic store by the one thread allowed to make it)
//
//       state    meaning                                   what happens next
//       empty    nothing sent; the receiver may be asleep  send: -> ready, wake the receiver
//                                                          sender destroyed unused: -> closed, wake it
//       ready    the message is in the slot                receive: move it out, -> taken
//                                                          channel destroyed: destroy the message
//       taken    the receiver has the message (final)      nothing
//       closed   the sender was destroyed unused (final)   receive throws std::logic_error
//
// Contract
//   * split() returns {sender, receiver}, once per channel; a second split
//     throws std::logic_error. The handles are move-only (no assignment).
//   * std::move(s).send(v): stores v, wakes the receiver, uses the sender up.
//     std::move(r).receive(): returns the message, sleeping (not spinning)
//     until it arrives; throws std::logic_error if the sender was destroyed
//     without sending. Either call on a moved-from or used handle throws
//     std::logic_error at once.
//   * Lifetime (the rule C++ cannot check, and Rust's borrow checker would):
//     the channel must outlive both handles and every call on them. Note
//     that receive can return before send has: the sender may still be
//     inside wb::wake_one, touching the channel. So join (or otherwise wait
//     for) the sending thread before the channel is destroyed.
//   * A message sent and never received is destroyed with the channel.
//   * Exceptions: if T's move constructor throws inside send, the exception
//     leaves send, nothing was sent, and the sender is still usable; when
//     it is destroyed unused the receiver wakes with std::logic_error, as
//     for any sender that never sent. (A receiver must never sleep forever
//     because a constructor threw.) If it throws inside receive, the
//     message stays in the channel and is destroyed with it.
//
// Memory ordering: everything the sender did before send(v) happens-before
// everything the receiver does after the receive that returns v: the store
// of `ready` is a release and the receiver's loads (including the one
// inside wb::wait) are acquires. No wake-up is lost as long as the sender
// stores the new state before it wakes, because wb::wait(state_, empty)
// sleeps only while state_ still holds `empty` ([atomics.wait]).
//
// Run the tests: ./workbook check blocking_oneshot      Hints: ./workbook hint blocking_oneshot
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>
#include <new>
#include <stdexcept>
#include <utility>

template <class T>
class blocking_oneshot {
 public:
  class sender;
  class receiver;

  blocking_oneshot() = default;
  blocking_oneshot(const blocking_oneshot&) = delete;
  blocking_oneshot& operator=(const blocking_oneshot&) = delete;

  ~blocking_oneshot() {
    // TODO(exercise): destroy a message that was sent and never received.
    WB_NOT_IMPLEMENTED("blocking_oneshot::~blocking_oneshot: destroy a message still in the slot");
  }

  std::pair<sender, receiver> split() {
    // TODO(exercise): hand out the two handles the first time only; a second
    // split is a std::logic_error (two senders could both construct into
    // slot_). Which atomic operation makes "the first time" safe even when
    // two threads call split at once?
    WB_NOT_IMPLEMENTED(
        "blocking_oneshot::split: first call only (exchange split_), return the handles");
  }

  class sender {
   public:
    sender(sender&& other) noexcept : channel_(std::exchange(other.channel_, nullptr)) {}
    sender& operator=(sender&&) = delete;
    ~sender() {
      // TODO(exercise): a sender destroyed without sending must not leave
      // the receiver asleep forever: tell the channel (abandon).
    }

    void send(T message) && {
      // TODO(exercise): reject a moved-from or used sender with
      // std::logic_error; otherwise publish, and only then use the handle
      // up (if publishing throws, this sender must still close the channel).
      (void)message;
      WB_NOT_IMPLEMENTED(
          "blocking_oneshot::sender::send: check the handle, publish the message, then null it");
    }

   private:
    friend class blocking_oneshot;
    explicit sender(blocking_oneshot* channel) noexcept : channel_(channel) {}
    blocking_oneshot* channel_;  // null once moved from or used
  };

  class receiver {
   public:
    receiver(receiver&& other) noexcept : channel_(std::exchange(other.channel_, nullptr)) {}
    receiver& operator=(receiver&&) = delete;
    ~receiver() = default;  // an unreceived message is destroyed by the channel

    T receive() && {
      // TODO(exercise): reject a moved-from or used receiver with
      // std::logic_error; otherwise use the handle up and take the message.
      WB_NOT_IMPLEMENTED(
          "blocking_oneshot::receiver::receive: check the handle, null it, take the message");
    }

   private:
    friend class blocking_oneshot;
    explicit receiver(blocking_oneshot* channel) noexcept : channel_(channel) {}
    blocking_oneshot* channel_;  // null once moved from or used
  };

 private:
  static constexpr std::uint32_t empty = 0;   // nothing sent yet; the receiver may be asleep
  static constexpr std::uint32_t ready = 1;   // slot_ holds the message
  static constexpr std::uint32_t taken = 2;   // the receiver moved it out (final)
  static constexpr std::uint32_t closed = 3;  // the sender was destroyed unused (final)

  void publish(T message) {
    // TODO(exercise): construct the message in slot_, store `ready` (so that
    // the receiver sees the message), and only then wake the receiver.
    (void)message;
    WB_NOT_IMPLEMENTED("blocking_oneshot::publish: construct, release-store ready, wake_one");
  }

  void abandon() noexcept {
    // TODO(exercise): store `closed` and wake the receiver.
    WB_NOT_IMPLEMENTED("blocking_oneshot::abandon: store closed, wake_one");
  }

  T take() {
    // TODO(exercise): while the state is `empty`, sleep with
    // wb::wait(state_, empty, ...), then look again (wait returns when the
    // value is no longer `empty`, or spuriously). `closed`: throw
    // std::logic_error. `ready`: move the message out, destroy the husk, and
    // leave the state `taken` so the destructor knows the slot is empty.
    WB_NOT_IMPLEMENTED("blocking_oneshot::take: wait while empty, then take the message or throw");
  }

  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(slot_)); }

  wb::atomic<std::uint32_t> state_{empty};  // 32 bits: the size a futex waits on
  wb::atomic<bool> split_{false};
  alignas(T) unsigned char slot_[sizeof(
      T)];  // constructed by send, destroyed by receive or the destructor
};
