// Exercise 5.4 — blocking_oneshot: a borrowed one-shot channel whose receiver sleeps until the message arrives.
// Reference solution. (Contract: see exercises/05-channels/blocking_oneshot.hpp.)
//
// Why it is correct
//   * The channel object holds the state and the slot itself, and the handles
//     only point at it: no allocation, and nothing to free. The price is the
//     lifetime rule (the channel outlives both handles and every call on
//     them), which C++ cannot check for us.
//   * split can succeed once (an atomic exchange on split_), so there is
//     exactly one sender and one receiver, and each is used up by its one
//     call: send and receive are &&-qualified and null the handle's pointer.
//     A handle is used by one thread at a time, like any object
//     ([res.on.data.races]), so at most one send and one receive ever run,
//     and the state needs no `writing` or `reading` claims.
//   * Every exit from `empty` wakes the receiver: send stores `ready` and
//     then wakes; a sender destroyed unused stores `closed` and then wakes.
//     Without the second, a receiver whose sender died (an exception, an
//     early return) would sleep forever.
//   * No lost wake-up. receive sleeps with wb::wait(state_, empty), which
//     blocks only while state_ still holds `empty`, and compares and goes to
//     sleep as one step with respect to wake_one ([atomics.wait]):
//
//       receiver                           sender
//       s = load -> empty
//                                          store ready
//                                          wake_one   (nobody asleep yet)
//       wait(state_, empty): state_ is ready -> returns at once
//
//     If instead the receiver is asleep before the store, the wake_one after
//     the store finds it. The order on the sender's side is what matters:
//     change the state first, then wake. One receiver exists, so wake_one
//     is enough.
//   * Exception safety. T's move constructor may throw, in publish (into
//     the slot) or in take (out of it). send nulls its pointer only after
//     publish returned: if the construction throws, state_ is still `empty`
//     and the sender still holds the channel, so its destructor stores
//     `closed` and wakes the receiver (or the caller may try the same
//     sender again). Nulling it first would leave nobody to wake a receiver
//     that is already asleep: it would sleep forever. In take, a throwing
//     move leaves state_ `ready` and the message in the slot, where the
//     channel's destructor destroys it.
//   * The value is destroyed exactly once: by receive, which moves it out,
//     destroys the husk and leaves `taken`, or by ~blocking_oneshot when the
//     state is still `ready`.
//
// Memory ordering
//   * The store of `ready` is a release; receive's loads (the one in
//     wb::wait included) are acquires. The load that sees `ready` reads the
//     value the release wrote, so constructing the value happens-before
//     moving it out ([atomics.order]/2).
//   * `closed` and `taken` are stored relaxed: `closed` publishes no data
//     (the receiver reads nothing but the state before it throws), and
//     `taken` is read only by the destructor, which the lifetime rule orders
//     after every call.
//   * split_ is exchanged relaxed: it guards against a second split, and
//     atomicity alone makes exactly one exchange see `false`.
//   * The destructor loads relaxed, for the same reason as in oneshot: every
//     call on the handles happens-before the destruction (the contract).
#pragma once

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
    if (state_.load(wb::memory_order_relaxed) == ready) value().~T();  // sent, never received
  }

  std::pair<sender, receiver> split() {
    if (split_.exchange(true, wb::memory_order_relaxed)) {
      throw std::logic_error(
          "blocking_oneshot: split called twice (one sender and one receiver per channel)");
    }
    return {sender(this), receiver(this)};
  }

  class sender {
   public:
    sender(sender&& other) noexcept : channel_(std::exchange(other.channel_, nullptr)) {}
    sender& operator=(sender&&) = delete;
    ~sender() {
      if (channel_) channel_->abandon();  // dropped without sending: tell the receiver
    }

    void send(T message) && {
      if (!channel_)
        throw std::logic_error("blocking_oneshot: send on a moved-from or used sender");
      channel_->publish(std::move(message));  // may throw (T's move constructor): see below
      channel_ = nullptr;                     // used up only once the message is in the slot
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
    ~receiver() = default;  // an unreceived value is destroyed by the channel

    T receive() && {
      if (!channel_)
        throw std::logic_error("blocking_oneshot: receive on a moved-from or used receiver");
      return std::exchange(channel_, nullptr)->take();
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
    ::new (static_cast<void*>(slot_)) T(std::move(message));
    state_.store(ready, wb::memory_order_release);  // publish the value...
    wb::wake_one(state_);                           // ...then wake the receiver
  }

  void abandon() noexcept {
    state_.store(closed, wb::memory_order_relaxed);
    wb::wake_one(state_);
  }

  T take() {
    std::uint32_t seen = state_.load(wb::memory_order_acquire);
    while (seen == empty) {
      wb::wait(state_, empty, wb::memory_order_acquire);  // sleeps only while state_ is empty
      seen = state_.load(wb::memory_order_acquire);
    }
    if (seen == closed)
      throw std::logic_error("blocking_oneshot: the sender was destroyed without sending");
    T message(std::move(value()));
    value().~T();
    state_.store(taken, wb::memory_order_relaxed);  // nothing left for the destructor
    return message;
  }

  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(slot_)); }

  wb::atomic<std::uint32_t> state_{empty};  // 32 bits: the size a futex waits on
  wb::atomic<bool> split_{false};
  alignas(T) unsigned char slot_[sizeof(
      T)];  // constructed by send, destroyed by receive or the destructor
};
