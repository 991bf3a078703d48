// Exercise 5.1 — mutex_channel: an unbounded channel from a mutex and a condition variable.
// Reference solution. (Contract: see exercises/05-channels/mutex_channel.hpp.)
//
// Why it is correct
//   * One mutex guards all the state (items_, closed_). Every predicate a
//     receiver waits for is read, and every change to it is made, while
//     holding mutex_, so a receiver cannot test "empty", miss a send and then
//     go to sleep: condition_variable::wait releases the mutex and starts
//     waiting as one step ([thread.condition]).
//   * receive waits with a predicate (`while (!pred()) wait(lock)`): a wake-up
//     may be spurious, and with several receivers another one may take the
//     item between the notify and this thread getting the mutex back (a stolen
//     wake-up). Rechecking under the lock is what keeps front() away from an
//     empty deque.
//   * send notifies one receiver: one item can satisfy at most one receive.
//     A receiver whose item was stolen waits again; the thief has the item,
//     so nothing is lost.
//   * close changes the answer for every waiting receiver, and after close no
//     send will ever wake them: notify_all.
//   * The channel is unbounded, so send never waits: there is only one
//     condition variable, and only receivers sleep on it.
//   * Notifying after the unlock is correct because the channel outlives
//     every call on it (the contract), so the condition variable is still
//     there when notify_one runs.
//
// Memory ordering: every access to items_ and closed_ happens under mutex_,
// and an unlock synchronizes with the next lock of the same mutex
// ([thread.mutex.requirements.mutex]). So a send happens-before the receive
// that takes its value, and close happens-before a receive that returns
// std::nullopt because of it.
#pragma once

#include <wb/sync.hpp>

#include <deque>
#include <mutex>
#include <optional>
#include <utility>

template <class T>
class mutex_channel {
 public:
  mutex_channel() = default;
  mutex_channel(const mutex_channel&) = delete;
  mutex_channel& operator=(const mutex_channel&) = delete;

  bool send(T value) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return false;  // value is destroyed when it goes out of scope
      items_.push_back(std::move(value));
    }
    item_or_closed_.notify_one();  // one item can satisfy one receiver
    return true;
  }

  std::optional<T> receive() {
    std::unique_lock lock(mutex_);
    item_or_closed_.wait(lock, [this] { return closed_ || !items_.empty(); });
    return take_front();  // nullopt only when closed and drained
  }

  std::optional<T> try_receive() {
    std::lock_guard lock(mutex_);
    return take_front();
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    item_or_closed_.notify_all();  // every waiting receiver must see closed_
  }

 private:
  // Called with mutex_ held.
  std::optional<T> take_front() {
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    return item;
  }

  wb::mutex mutex_;
  wb::condition_variable item_or_closed_;  // signalled by send (one) and close (all)
  std::deque<T> items_;                    // guarded by mutex_
  bool closed_ = false;                    // guarded by mutex_
};
