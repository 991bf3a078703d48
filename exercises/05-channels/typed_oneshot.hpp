// Exercise 5.3 — typed_oneshot: a one-shot channel whose handles can each be used once.
//
// Exercise 5.2 checks at run time that a one-shot channel is used once. Here
// the types do most of that work. make_channel<T>() returns two handles, a
// sender and a receiver, that share one channel state. Neither can be
// copied, and send and receive are &&-qualified: they can be called only on
// an rvalue, so the call site says "this handle is used up":
//
//     auto [tx, rx] = typed_oneshot::make_channel<result>();
//     std::thread worker([tx = std::move(tx)]() mutable { std::move(tx).send(compute()); });
//     ...
//     while (!rx.is_ready()) do_other_work();
//     result r = std::move(rx).receive();
//
// Now there is only one sender and one receiver, each used up by its one
// call. Like any C++ object, a handle is used by one thread at a time (two
// threads calling std::move(tx).send() on the same handle at once is a data
// race on the handle, [res.on.data.races]); within that rule at most one
// send and one receive ever run, so the state needs no `writing` or
// `reading` claims: a `ready` flag is enough again. What C++ cannot check at compile time (it
// has no borrow checker) is use after move: `std::move(tx).send(a);
// std::move(tx).send(b);` compiles. So a moved-from or used handle is
// detected at run time, and every call on it throws.
//
// The second half of the exercise is lifetime. The state is allocated by
// make_channel and shared by the two handles, which may end on different
// threads in either order: the last one must free it, and with it a message
// that was sent and never received. This solution counts the handles in the
// state (an atomic starting at 2); std::shared_ptr would do the same, but
// through atomics the workbook's tools cannot see.
//
// Contract
//   * make_channel<T>() returns {sender, receiver}. Both are move-only; a
//     move leaves the source "moved-from". Each handle is used by one thread
//     at a time (as any object: [res.on.data.races]); the two handles may be
//     used on two different threads at once.
//   * std::move(s).send(v): stores v and uses the sender up. On a moved-from
//     or used sender it throws std::logic_error (and v is destroyed).
//   * r.is_ready(): whether the message has arrived. std::move(r).receive():
//     moves the message out and uses the receiver up. Before the message has
//     arrived it throws std::logic_error and leaves the receiver usable. On a
//     moved-from or used receiver both throw std::logic_error.
//   * A handle gives up its share of the state when it is used, destroyed or
//     move-assigned over; the last share frees the state, destroying a
//     message that was sent and never received. No leak, no double free, in
//     whichever order and on whichever threads the handles end.
//   * A sender dropped unused means the message never arrives: is_ready
//     stays false (exercise 5.4 turns this into an error for the receiver).
//
// Memory ordering: everything the sender did before send(v) happens-before
// everything the receiver does after an is_ready() that returned true or a
// receive() that returned v (release store of `ready`, acquire loads). And
// everything either handle did to the state happens-before the state is
// freed: the decrement of the handle count is acquire-release.
//
// Run the tests: ./workbook check typed_oneshot      Hints: ./workbook hint typed_oneshot
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

namespace typed_oneshot {

template <class T>
class sender;
template <class T>
class receiver;
template <class T>
std::pair<sender<T>, receiver<T>> make_channel();

namespace detail {

// What the two handles share.
template <class T>
struct shared_state {
  wb::atomic<bool> ready{false};    // true exactly while slot holds a value
  wb::atomic<unsigned> handles{2};  // handles that still hold a share
  alignas(T) unsigned char slot[sizeof(T)];

  ~shared_state() {
    // TODO(exercise): a message sent and never received still lives in
    // slot: destroy it.
    WB_NOT_IMPLEMENTED("shared_state::~shared_state: destroy a message that was never received");
  }

  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(slot)); }

  void release_handle() noexcept {
    // TODO(exercise): one handle gives up its share. The handle that takes
    // the count to zero deletes the state — and must see everything the
    // other handle did to it first. Which order does the decrement need?
    WB_NOT_IMPLEMENTED(
        "shared_state::release_handle: decrement, and delete the state on the last share");
  }
};

}  // namespace detail

template <class T>
class sender {
 public:
  sender(sender&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  sender& operator=(sender&& other) noexcept {
    if (this != &other) {
      drop();
      state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
  }
  ~sender() { drop(); }

  void send(T message) && {
    // TODO(exercise): reject a moved-from or used sender (state_ is null)
    // with std::logic_error. Otherwise construct the message in the slot,
    // publish it (a release store of `ready`), and use the sender up.
    (void)message;
    WB_NOT_IMPLEMENTED("sender::send: check the handle, construct, publish ready, drop the handle");
  }

 private:
  friend std::pair<sender<T>, receiver<T>> make_channel<T>();
  explicit sender(detail::shared_state<T>* state) noexcept : state_(state) {}

  // Gives up this handle's share, once: afterwards state_ is null.
  void drop() noexcept {
    if (state_) std::exchange(state_, nullptr)->release_handle();
  }

  detail::shared_state<T>* state_;  // null once moved from or used
};

template <class T>
class receiver {
 public:
  receiver(receiver&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}
  receiver& operator=(receiver&& other) noexcept {
    if (this != &other) {
      drop();
      state_ = std::exchange(other.state_, nullptr);
    }
    return *this;
  }
  ~receiver() { drop(); }

  bool is_ready() const {
    // TODO(exercise): reject a moved-from or used receiver; otherwise read
    // `ready` so that a caller who sees true may receive the message.
    WB_NOT_IMPLEMENTED("receiver::is_ready: check the handle, acquire-load ready");
  }

  T receive() && {
    // TODO(exercise): reject a moved-from or used receiver, and a receive
    // before the message is there (leave the receiver usable then). Move
    // the message out, destroy the husk, tell the state's destructor there
    // is nothing left to destroy, and use the receiver up.
    WB_NOT_IMPLEMENTED(
        "receiver::receive: check, move the message out, clear ready, drop the handle");
  }

 private:
  friend std::pair<sender<T>, receiver<T>> make_channel<T>();
  explicit receiver(detail::shared_state<T>* state) noexcept : state_(state) {}

  void drop() noexcept {
    if (state_) std::exchange(state_, nullptr)->release_handle();
  }

  detail::shared_state<T>* state_;  // null once moved from or used
};

template <class T>
std::pair<sender<T>, receiver<T>> make_channel() {
  auto* state = new detail::shared_state<T>;
  return {sender<T>(state), receiver<T>(state)};
}

}  // namespace typed_oneshot
