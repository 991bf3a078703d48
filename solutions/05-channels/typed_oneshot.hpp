// Exercise 5.3 — typed_oneshot: a one-shot channel whose handles can each be used once.
// Reference solution. (Contract: see exercises/05-channels/typed_oneshot.hpp.)
//
// Why it is correct
//   * There is one sender and one receiver, and each is used up by its one
//     call: send and receive are &&-qualified, and both end by dropping the
//     handle's pointer to the shared state. A handle, like any object, is
//     used by one thread at a time ([res.on.data.races]: two threads calling
//     send on the same handle at once race on the handle itself). Within
//     that rule at most one send and one receive ever run, so the state
//     needs no `writing` or `reading` claims. The only runtime checks left are the ones the
//     type system cannot make: a moved-from (or used) handle has a null
//     state_ and every call on it throws, and receive before the value is
//     there throws.
//   * The shared state holds a count of the handles still alive, starting at
//     2. Each handle gives up its share exactly once (on send, receive,
//     destruction or move-assignment, whichever comes first, because giving
//     it up nulls state_), and the handle that takes the count from 1 to 0
//     deletes the state. Its destructor destroys a value that was sent and
//     never received: `ready` is still true only in that case, because
//     receive sets it back to false once it has moved the value out and
//     destroyed the husk.
//
// Memory ordering
//   * send's store of `ready` is a release and the receiver's loads are
//     acquires (is_ready, receive): a receive that sees `true` synchronizes
//     with the send ([atomics.order]/2), so constructing the value
//     happens-before moving it out.
//   * receive's store of `false` is relaxed: the only later reader is the
//     destructor of the state, and that is ordered after it by the count.
//   * The count is decremented with acq_rel. Whichever handle gives up its
//     share first, its release orders everything it did to the state before
//     the decrement; the last handle's acquire reads that decrement, so all
//     of it happens-before the delete ([intro.races], synchronizes-with):
//
//       sender thread                    receiver thread
//       construct value in slot
//       ready.store(true, release)  ---> ready.load(acquire) == true
//       handles.fetch_sub -> 2 (rel) \   move value out, destroy husk
//                                     `> handles.fetch_sub -> 1 (acq): last
//                                        delete state   (everything above is before it)
//
//     Relaxed would let the deleting thread free memory the other thread is
//     still reading or writing as far as the model is concerned: a data race
//     on the deallocation. Chapter 6 refines this (release on every
//     decrement, one acquire fence on the last); the fence form is not used
//     here because ThreadSanitizer does not model standalone fences.
#pragma once

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

// What the two handles share. Allocated by make_channel, freed by the handle
// that gives up its share last.
template <class T>
struct shared_state {
  wb::atomic<bool> ready{false};    // true exactly while slot holds a value
  wb::atomic<unsigned> handles{2};  // handles that still hold a share
  alignas(T) unsigned char slot[sizeof(T)];

  ~shared_state() {
    if (ready.load(wb::memory_order_relaxed)) value().~T();  // sent, never received
  }

  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(slot)); }

  void release_handle() noexcept {
    if (handles.fetch_sub(1, wb::memory_order_acq_rel) == 1) delete this;  // the last share
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
    if (!state_) throw std::logic_error("typed_oneshot: send on a moved-from or used sender");
    ::new (static_cast<void*>(state_->slot)) T(std::move(message));
    state_->ready.store(true, wb::memory_order_release);  // publishes the value
    drop();                                               // a sender is used once
  }

 private:
  friend std::pair<sender<T>, receiver<T>> make_channel<T>();
  explicit sender(detail::shared_state<T>* state) noexcept : state_(state) {}

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
    if (!state_) throw std::logic_error("typed_oneshot: is_ready on a moved-from or used receiver");
    return state_->ready.load(wb::memory_order_acquire);
  }

  T receive() && {
    if (!state_) throw std::logic_error("typed_oneshot: receive on a moved-from or used receiver");
    if (!state_->ready.load(wb::memory_order_acquire)) {
      throw std::logic_error("typed_oneshot: receive called before send (check is_ready first)");
    }
    T message(std::move(state_->value()));
    state_->value().~T();
    state_->ready.store(false, wb::memory_order_relaxed);  // nothing left for ~shared_state
    drop();                                                // a receiver is used once
    return message;
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
