// Exercise 5.2 — oneshot: a one-shot channel whose misuse is a clear error, never undefined behaviour.
//
// A one-shot channel carries exactly one message: one thread sends a result,
// another picks it up. No mutex, no queue: the message lives inside the
// channel object (raw storage, constructed in place), and one atomic says
// whether it is there. The chapter's first version uses a `bool ready` flag,
// and a second send or a second receive is then undefined behaviour (a
// value constructed over a live one, or moved out of twice). This version
// replaces the flag with a single atomic state that every call moves forward
// with one compare-and-exchange, so that misuse is detected and reported.
//
//     oneshot<result> done;
//     // worker:                       // waiter:
//     done.send(compute());            while (!done.is_ready()) do_other_work();
//                                      result r = done.receive();
//
// State table (state_ holds one of four values; each arrow is one atomic operation)
//
//       state     meaning                          send(v)                receive()          try_receive()
//       empty     nothing sent yet                 -> writing, then ready  logic_error        std::nullopt
//       writing   a sender is constructing it      logic_error            logic_error        std::nullopt
//       ready     the message is in the slot       logic_error            -> reading         -> reading
//       reading   a receiver has taken it (final)  logic_error            logic_error        logic_error
//
// Contract
//   * send(v): the first send stores v; any later send (or one racing with
//     it) throws std::logic_error and v is destroyed. The channel is
//     unchanged by the failed call.
//   * receive(): moves the message out and returns it. Before the message is
//     there it throws std::logic_error ("called before send"); after it was
//     taken it throws std::logic_error ("called twice").
//   * try_receive(): the message, or std::nullopt if it is not there yet;
//     after it was taken, std::logic_error.
//   * is_ready(): whether a message is waiting to be received.
//   * Any thread may call any function, at the same time as others: the
//     state decides. Errors are exceptions, never undefined behaviour.
//   * The message is destroyed exactly once: by the receive that takes it,
//     or by ~oneshot if nobody did. The channel must outlive every call on
//     it (destroy it only after the threads using it are done).
//   * Exceptions: if moving the message throws (T's move constructor), the
//     exception leaves the call and the channel is as it was before it: a
//     send that threw sent nothing (the state is `empty` again, a later
//     send may succeed), a receive that threw took nothing (the message is
//     still there, `ready`). A claim must never stay stuck in `writing` or
//     `reading`.
//
// Memory ordering: everything the sender did before send(v) happens-before
// everything the receiver does after the receive (or try_receive) that
// returns v: the store that makes the state `ready` is a release, and the
// receiver's compare-and-exchange that reads `ready` is an acquire. The
// other operations need less; the solution argues each one.
//
// Run the tests: ./workbook check oneshot      Hints: ./workbook hint oneshot
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): if a message was sent and never received, it still
    // lives in slot_: destroy it (value().~T()). In which state is that?
    WB_NOT_IMPLEMENTED("oneshot::~oneshot: destroy a message that was never received");
  }

  void send(T message) {
    // TODO(exercise): claim the slot by moving state_ from empty to writing
    // in one compare-and-exchange; if the state was anything else, this is a
    // second send: throw std::logic_error. Then construct the message in
    // slot_ (placement new) and publish it by storing `ready`. Which of these
    // steps must be a release, and which need less? If the
    // construction throws, give the slot back (`empty`) before rethrowing.
    (void)message;
    WB_NOT_IMPLEMENTED("oneshot::send: claim empty -> writing, construct in slot_, store ready");
  }

  bool is_ready() const noexcept {
    // TODO(exercise): is the state `ready`? (Read it so that a caller who
    // sees `true` could safely look at the message.)
    WB_NOT_IMPLEMENTED("oneshot::is_ready: load state_ and compare with ready");
  }

  T receive() {
    // TODO(exercise): try_receive, and turn "nothing yet" into a
    // std::logic_error that tells the caller what to do instead.
    WB_NOT_IMPLEMENTED("oneshot::receive: try_receive, or throw if there is no message yet");
  }

  std::optional<T> try_receive() {
    // TODO(exercise): claim the message by moving state_ from ready to
    // reading in one compare-and-exchange (an acquire: it must see the
    // sender's writes). If that fails, the state you read tells you why: a
    // second receive (throw) or nothing yet (nullopt). Having claimed it,
    // move the message out and destroy what is left in slot_. If the move
    // throws, put the claim back (`ready`) before rethrowing.
    WB_NOT_IMPLEMENTED(
        "oneshot::try_receive: claim ready -> reading, move the message out, destroy the husk");
  }

 private:
  static constexpr std::uint8_t empty = 0;    // nothing sent yet
  static constexpr std::uint8_t writing = 1;  // a sender has claimed the slot and is constructing
  static constexpr std::uint8_t ready = 2;    // slot_ holds the message
  static constexpr std::uint8_t reading = 3;  // a receiver has taken it (final)

  // The message in slot_; only valid while one is constructed there.
  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(slot_)); }

  wb::atomic<std::uint8_t> state_{empty};
  alignas(
      T) unsigned char slot_[sizeof(T)];  // constructed by send, destroyed by receive or ~oneshot
};
