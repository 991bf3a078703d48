// Exercise 5.2 — oneshot: a one-shot channel whose misuse is a clear error, never undefined behaviour.
// Reference solution. (Contract: see exercises/05-channels/oneshot.hpp.)
//
// Why it is correct
//   * Every claim of state_ is a compare-and-exchange from the one state it
//     is allowed to leave, so two threads can never both believe they own
//     the slot:
//       - send:    empty -> writing  (claims the slot; a second send fails)
//       - send:    writing -> ready  (a plain store: only the claimant is here)
//       - receive: ready -> reading  (claims the value; a second receive fails)
//     and only the claimant may undo its claim (writing -> empty,
//     reading -> ready) when moving the message throws: see below.
//     A thread touches slot_ only while it alone owns it: the sender between
//     its successful claim and its store of `ready`, the receiver after its
//     successful claim, the destructor when nobody else can be running.
//   * A failed claim tells the caller why from the state it read: a send that
//     finds anything but `empty` is a second send; a receive that finds
//     `reading` is a second receive; one that finds `empty` or `writing` is
//     early (try_receive says "nothing yet", receive throws).
//   * Exception safety: T's move constructor may throw, in send (into the
//     slot) or in try_receive (out of it). Each claim is then undone: send
//     stores `empty` back (nothing was sent, and a later send may succeed),
//     try_receive stores `ready` back (the message is still in the slot, for
//     a later receive or the destructor). Without that the state would stay
//     `writing` or `reading` forever: every later call would fail, and a
//     message left in a `reading` slot would never be destroyed.
//   * The value is destroyed exactly once: by the receive that moves it out
//     (which destroys the moved-from husk at once), or by the destructor if it
//     was sent and never received (state `ready`). In `writing` the destructor
//     cannot run: the contract says the channel outlives every call on it.
//
// Memory ordering
//   * send's store of `ready` is a release and receive's successful
//     compare-and-exchange from `ready` is an acquire. The acquire reads the
//     value the release wrote, so the store synchronizes with it
//     ([atomics.order]/2): constructing the value happens-before moving it
//     out. Relaxed on either side would leave the two accesses to slot_
//     unordered: a data race ([intro.races]), which ThreadSanitizer reports.
//   * send's claim (empty -> writing) is an acquire, for one case only: a
//     send whose construction threw may have written to slot_ before it
//     stored `empty` back (a release), and the next sender's construction
//     writes to the same bytes; the acquire makes the first happen-before
//     the second ([intro.races]: without it the two writes would be a data race). Apart from that the claim orders
//     nothing: a sender that fails to claim never touches slot_, and the
//     receiver waits for `ready`. Atomicity, not ordering, is what rejects a
//     second send: the compare-and-exchange is one indivisible
//     read-modify-write, so of two racing senders exactly one finds `empty`
//     ([atomics.order]/10).
//   * The undo stores are releases for the same reason: the thread that
//     claims the slot next (a sender after `empty`, a receiver after
//     `ready`, both with acquires) touches the bytes the failed move wrote.
//   * The failure orders of the compare-and-exchanges are relaxed: a failed
//     call reads the state only to choose an error message, never slot_.
//   * is_ready is an acquire, so a caller that saw `true` and then calls
//     receive on the same thread is ordered after the send either way.
//   * The destructor loads relaxed: the contract requires every other call
//     to happen-before the destruction (a join, or the synchronisation that
//     told the owner the other threads are done), and that already orders
//     the sender's construction of the value before the destructor's
//     destruction of it.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

template <class T>
class oneshot {
 public:
  oneshot() = default;
  oneshot(const oneshot&) = delete;
  oneshot& operator=(const oneshot&) = delete;

  ~oneshot() {
    if (state_.load(wb::memory_order_relaxed) == ready) value().~T();  // sent, never received
  }

  void send(T message) {
    std::uint8_t expected = empty;
    if (!state_.compare_exchange_strong(expected, writing, wb::memory_order_acquire,
                                        wb::memory_order_relaxed)) {
      throw std::logic_error("oneshot: send called twice (a one-shot channel carries one message)");
    }
    try {
      ::new (static_cast<void*>(slot_)) T(std::move(message));
    } catch (...) {
      state_.store(empty, wb::memory_order_release);  // nothing was sent: give the slot back
      throw;
    }
    state_.store(ready, wb::memory_order_release);  // publishes the value constructed above
  }

  bool is_ready() const noexcept { return state_.load(wb::memory_order_acquire) == ready; }

  T receive() {
    if (std::optional<T> message = try_receive()) return std::move(*message);
    throw std::logic_error(
        "oneshot: receive called before send (check is_ready, or use try_receive)");
  }

  std::optional<T> try_receive() {
    std::uint8_t expected = ready;
    if (!state_.compare_exchange_strong(expected, reading, wb::memory_order_acquire,
                                        wb::memory_order_relaxed)) {
      if (expected == reading) throw std::logic_error("oneshot: receive called twice");
      return std::nullopt;  // empty, or the sender is still writing
    }
    std::optional<T> message;
    try {
      message.emplace(std::move(value()));
    } catch (...) {
      state_.store(ready,
                   wb::memory_order_release);  // not taken: the message stays for a later receive
      throw;
    }
    value().~T();  // the husk; the channel no longer holds a value
    return message;
  }

 private:
  // The four states of state_. Each arrow in the header's table is one
  // atomic operation.
  static constexpr std::uint8_t empty = 0;    // nothing sent yet
  static constexpr std::uint8_t writing = 1;  // a sender has claimed the slot and is constructing
  static constexpr std::uint8_t ready = 2;    // slot_ holds the message
  static constexpr std::uint8_t reading = 3;  // a receiver has taken it (final)

  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(slot_)); }

  wb::atomic<std::uint8_t> state_{empty};
  alignas(
      T) unsigned char slot_[sizeof(T)];  // constructed by send, destroyed by receive or ~oneshot
};
