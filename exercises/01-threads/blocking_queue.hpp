// Exercise 1.4 — blocking_queue: a bounded queue that hands work between threads.
//
// Producers push work, consumers pop it, and neither should spin: a consumer
// with nothing to do sleeps until an item arrives, a producer that is too far
// ahead sleeps until there is room (the bound is what keeps a fast producer
// from filling memory). close() ends the conversation: it tells everyone,
// including the threads asleep inside push and pop, that no more items will
// come. This is the condition-variable pattern of demo 01-09, made reusable.
//
// Contract
//   * blocking_queue<T>(capacity) holds at most `capacity` items; capacity 0
//     throws std::invalid_argument. T only needs to be movable
//     (std::unique_ptr works).
//   * push(v) and pop() behave by state:
//
//       state                  push(v)                         pop()
//       open, empty            appends v, returns true         blocks until a push or close()
//       open, some room        appends v, returns true         returns the oldest item
//       open, full             blocks until a pop or close()   returns the oldest item
//       closed, items left     returns false (v is dropped)    returns the oldest item
//       closed, empty          returns false (v is dropped)    returns std::nullopt
//
//     A blocked call re-reads the table when it wakes up: a push blocked on a
//     full queue that is then closed returns false; a pop blocked on an empty
//     queue that is then closed returns std::nullopt.
//   * Items come out in the order they went in (FIFO), each exactly once.
//   * close() is idempotent and wakes every blocked push and pop. Items
//     already in the queue are still delivered ("drain, then nullopt").
//   * size() is the number of items at that moment (a snapshot: it may be
//     stale by the time the caller looks at it); capacity() never changes.
//   * The queue must outlive every call on it: destroy it only once every
//     thread that uses it is done.
//
// Memory ordering: everything a producer did before push(v) happens-before
// everything the consumer does after the pop() that returns v, and close()
// happens-before a pop() that returns std::nullopt or a push() that returns
// false because of it. The mutex gives you all of this: an unlock
// synchronizes with the next lock of the same mutex
// ([thread.mutex.requirements.mutex]).
//
// Run the tests: ./workbook check blocking_queue      Hints: ./workbook hint blocking_queue
#pragma once

#include <wb/not_implemented.hpp>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

template <class T>
class blocking_queue {
 public:
  explicit blocking_queue(std::size_t capacity) : capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("blocking_queue: capacity must be at least 1");
  }

  blocking_queue(const blocking_queue&) = delete;
  blocking_queue& operator=(const blocking_queue&) = delete;

  bool push(T value) {
    // TODO(exercise): under mutex_, sleep on not_full_ until there is room or
    // the queue is closed. A wake-up only says "something may have changed":
    // another producer may have taken the free slot first, so check again
    // after every wake-up. Closed: refuse the value. Otherwise append it, and
    // wake one consumer that may be asleep waiting for an item.
    (void)value;
    WB_NOT_IMPLEMENTED("blocking_queue::push: wait for room or close, append, wake a consumer");
  }

  std::optional<T> pop() {
    // TODO(exercise): the mirror image of push: sleep on not_empty_ until
    // there is an item or the queue is closed, rechecking after every
    // wake-up. Return std::nullopt only when the queue is closed AND empty
    // (items pushed before close() are still delivered). Otherwise take the
    // oldest item, and wake one producer that may be waiting for room.
    WB_NOT_IMPLEMENTED(
        "blocking_queue::pop: wait for an item or close, take the oldest, wake a producer");
  }

  void close() {
    // TODO(exercise): mark the queue closed, then wake the threads blocked in
    // pop() and in push(). Which of them can make progress now, and how many?
    WB_NOT_IMPLEMENTED("blocking_queue::close: mark closed, wake every blocked push and pop");
  }

  std::size_t size() const {
    // TODO(exercise): the number of items. push and pop change items_ on
    // other threads at the same time, so read it the way they write it.
    WB_NOT_IMPLEMENTED("blocking_queue::size: count the items, safely");
  }

  std::size_t capacity() const noexcept { return capacity_; }

 private:
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;  // signalled when an item arrives or the queue closes
  std::condition_variable not_full_;   // signalled when room appears or the queue closes
  std::deque<T> items_;                // guarded by mutex_
  const std::size_t capacity_;
  bool closed_ = false;  // guarded by mutex_
};
