// Exercise 1.4 — blocking_queue: a bounded queue that hands work between threads.
// Reference solution. (Contract: see exercises/01-threads/blocking_queue.hpp.)
//
// Why it is correct
//   * One mutex guards all the state (items_, closed_). Every predicate a
//     thread waits for is read and every change to it is made while holding
//     mutex_, so no thread can test a predicate, miss the change and then go
//     to sleep: cv.wait releases the mutex and starts waiting in one atomic
//     step ([thread.condition]), so a notifier that gets the mutex afterwards
//     always finds the waiter registered.
//   * Each wait is a predicate wait, equivalent to `while (!pred()) cv.wait(lock);`
//     ([thread.condition.condvar]). A return from wait is only a hint: it may
//     be spurious, and between the notify and this thread getting the mutex
//     back another thread may have taken the item or the slot (a "stolen"
//     wake-up). Rechecking under the lock is what makes pop() never touch an
//     empty deque and push() never exceed the capacity.
//   * One item wakes one consumer and one free slot wakes one producer:
//     notify_one is enough, because a single push can satisfy at most one
//     waiting pop, and vice versa. A consumer whose item was stolen waits
//     again; the thief took that item, so nothing is lost.
//   * close() changes the predicate of *every* waiter on *both* condition
//     variables, and no later event is guaranteed to wake them (after close
//     there are no more pushes, and maybe no more pops). So it must
//     notify_all on not_empty_ (blocked consumers) and on not_full_ (blocked
//     producers). notify_one would leave all but one of them asleep forever.
//   * Notifying after unlocking, as here, and notifying while still holding
//     the lock are both correct: what matters is that the state changed under
//     the mutex. Outside the lock is slightly better (the woken thread does
//     not immediately block on a mutex we still hold). It is safe only because
//     the queue, and so its condition variables, outlives every call on it
//     (the contract); when a woken thread may destroy the condition variable
//     (a one-shot "done" flag on someone's stack), notify under the lock.
//   * pop() drains before it reports closure: it returns std::nullopt only
//     when closed_ AND items_ is empty, so nothing accepted by push is lost.
//
// Memory ordering: every access to items_ and closed_ happens under mutex_;
// an unlock synchronizes with the next lock of the same mutex
// ([thread.mutex.requirements.mutex]), which orders a push before the pop
// that takes its value.
#pragma once

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
    {
      std::unique_lock lock(mutex_);
      not_full_.wait(lock, [this] { return closed_ || items_.size() < capacity_; });
      if (closed_) return false;  // value is dropped when it goes out of scope
      items_.push_back(std::move(value));
    }
    not_empty_.notify_one();  // one new item can satisfy one waiting pop
    return true;
  }

  std::optional<T> pop() {
    std::optional<T> item;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return closed_ || !items_.empty(); });
      if (closed_ && items_.empty()) return std::nullopt;  // closed and drained
      item.emplace(std::move(items_.front()));
      items_.pop_front();
    }
    not_full_.notify_one();  // one free slot can satisfy one waiting push
    return item;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();  // every blocked pop must see closed_ (and drain)
    not_full_.notify_all();   // every blocked push must see closed_ and fail
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);  // push and pop change items_ concurrently
    return items_.size();
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
