// Exercise 5.1 — mutex_channel: an unbounded channel from a mutex and a condition variable.
//
// A channel carries messages from senders to receivers. This is the simplest
// correct one: a std::deque guarded by a mutex, and a condition variable on
// which receivers sleep while there is nothing to receive. Any number of
// threads may send and receive at once (multi-producer, multi-consumer).
// It is the baseline the rest of the chapter measures itself against: easy to
// get right, and every operation takes a lock.
//
//     mutex_channel<job> jobs;
//     // producers:                   // workers:
//     jobs.send(make_job());          while (auto j = jobs.receive()) run(*j);
//     ...                             // nullopt: closed, and nothing left
//     jobs.close();
//
// Contract
//   * T only needs to be movable. The channel is unbounded: send never waits
//     for room.
//   * send(v) and receive() by state:
//
//       state                  send(v)                          receive()               try_receive()
//       open, empty            appends v, returns true          blocks until a send     std::nullopt
//                                                               or close()
//       open, not empty        appends v, returns true          the oldest message      the oldest message
//       closed, not empty      returns false (v is destroyed)   the oldest message      the oldest message
//       closed, empty          returns false (v is destroyed)   std::nullopt            std::nullopt
//
//     A blocked receive re-reads the table when it wakes up.
//   * Messages from one sender come out in the order it sent them; each is
//     received exactly once.
//   * close() is idempotent and wakes every blocked receive. Messages sent
//     before close() are still delivered ("drain, then nullopt").
//   * Destroying the channel destroys the messages nobody received. The
//     channel must outlive every call on it.
//
// Memory ordering: everything a sender did before send(v) happens-before
// everything the receiver does after the receive that returns v, and
// close() happens-before a receive that returns std::nullopt because of it.
// The mutex gives you all of this: an unlock synchronizes with the next lock
// of the same mutex ([thread.mutex.requirements.mutex]).
//
// Run the tests: ./workbook check mutex_channel      Hints: ./workbook hint mutex_channel
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): under mutex_, refuse the message if the channel is
    // closed; otherwise append it. Then wake a receiver that may be asleep.
    // How many receivers can one message satisfy?
    (void)value;
    WB_NOT_IMPLEMENTED("mutex_channel::send: append under the lock, then wake one receiver");
  }

  std::optional<T> receive() {
    // TODO(exercise): under mutex_, sleep on item_or_closed_ until there is
    // a message or the channel is closed. A wake-up only says "something may
    // have changed": it may be spurious, or another receiver may have taken
    // the message first. Then take the oldest message, or return
    // std::nullopt if there is none (closed and drained).
    WB_NOT_IMPLEMENTED(
        "mutex_channel::receive: wait with a predicate, then take the oldest message");
  }

  std::optional<T> try_receive() {
    // TODO(exercise): like receive, without the waiting.
    WB_NOT_IMPLEMENTED(
        "mutex_channel::try_receive: take the oldest message under the lock, if any");
  }

  void close() {
    // TODO(exercise): mark the channel closed, then wake the receivers.
    // Which of them can make progress now, and will anything else wake them?
    WB_NOT_IMPLEMENTED("mutex_channel::close: mark closed, wake every blocked receiver");
  }

 private:
  wb::mutex mutex_;
  wb::condition_variable item_or_closed_;  // signalled when a message arrives or the channel closes
  std::deque<T> items_;                    // guarded by mutex_
  bool closed_ = false;                    // guarded by mutex_
};
