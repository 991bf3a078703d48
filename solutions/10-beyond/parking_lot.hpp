// Exercise 10.4 — parking_lot: wait queues keyed by address, and a one-byte mutex built on them.
// Reference solution. (Contract: see exercises/10-beyond/parking_lot.hpp.)
//
// Why it is correct
//   * No lost wake-up. park() calls validate() and enqueues the thread under
//     the bucket's mutex; unpark_one() dequeues and runs its callback under
//     the same mutex. The mutex orders the two critical sections
//     ([thread.mutex.requirements.mutex]): either the unpark comes first,
//     and validate() sees the state the callback left (the byte mutex's
//     "parked" bit cleared) and refuses to sleep, or the park comes first,
//     and the unpark finds the thread in the queue. Checking outside the
//     mutex opens the window this rules out:
//
//       parker                                  unparker
//       validate(): locked and parked -> sleep
//                                               lock bucket: queue empty
//                                               callback: state = unlocked
//                                               unlock bucket
//       lock bucket, enqueue, sleep             (nobody will ever wake it)
//
//   * The sleeping itself is on the waiter's own word (`parked_`), with
//     wb::wait: the kernel's compare-and-sleep makes the store of 0 and
//     the wake after it impossible to miss, as in chapter 9.
//   * The waiter lives on the parker's stack. The unparker stores 0 and
//     wakes it while it still holds the bucket mutex, and the parker takes
//     that mutex once more before returning: so the unparker is done with
//     the waiter before its stack frame goes away.
//   * byte_mutex: `locked` is the lock, `parked` says "threads may be parked
//     on this address". A waiter sets `parked` before it parks, and
//     validate() parks it only while both bits are set. The owner's unlock
//     sees `parked` (its compare-exchange from `locked` fails) and unparks
//     one thread; the callback, under the bucket mutex, leaves `parked` set
//     if more threads are queued, so the next unlock wakes one of them.
//     While `parked` is set nobody but that owner changes the byte, so the
//     callback may simply store.
//
// Memory ordering
//   * byte_mutex: the compare-exchanges that set `locked` are acquires, the
//     compare-exchange in unlock() and the callback's store that clear it
//     are releases, and each acquire that reads a cleared `locked` reads
//     that release or a read-modify-write after it in its release sequence
//     ([intro.races] p5): critical sections are ordered ([atomics.order]).
//     Setting `parked` and the loads that decide what to try next are
//     relaxed: they decide only whether to park, which validate() checks
//     again under the bucket mutex, and that mutex gives every order the
//     park/unpark decision needs.
//   * parking_lot: the queue is plain memory guarded by the bucket mutex.
//     `parked_` is stored with release and loaded with acquire, so what the
//     callback did happens-before the woken thread's return from park().
#pragma once

#include <wb/sync.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>

class parking_lot {
 public:
  struct unpark_result {
    bool unparked;   // a thread was dequeued and is being woken
    bool have_more;  // more threads are parked on the same address
  };

  // The one table every byte_mutex uses (as libstdc++'s atomic waits, WebKit
  // and Rust's parking_lot crate share one table per process).
  static parking_lot& global() noexcept {
    static parking_lot lot;
    return lot;
  }

  parking_lot() = default;
  parking_lot(const parking_lot&) = delete;
  parking_lot& operator=(const parking_lot&) = delete;

  template <class Validate>
  bool park(const void* address, Validate validate) {
    bucket& home = bucket_for(address);
    waiter me(address);
    {
      std::lock_guard hold(home.mutex);
      if (!validate()) return false;  // under the mutex: no unpark in between
      home.append(&me);
    }
    while (me.parked_.load(wb::memory_order_acquire) == 1) {
      wb::wait(me.parked_, std::uint32_t{1}, wb::memory_order_relaxed);
    }
    std::lock_guard wait_for_unparker(home.mutex);  // it no longer touches `me`
    return true;
  }

  template <class Callback>
  unpark_result unpark_one(const void* address, Callback callback) {
    bucket& home = bucket_for(address);
    std::lock_guard hold(home.mutex);
    waiter* const woken = home.remove_first(address);
    const unpark_result result{.unparked = woken != nullptr, .have_more = home.has(address)};
    callback(result);  // before the woken thread can run
    if (woken != nullptr) {
      woken->parked_.store(0, wb::memory_order_release);
      wb::wake_one(woken->parked_);
    }
    return result;
  }

 private:
  struct waiter {
    explicit waiter(const void* key) : address(key) {}
    const void* address;
    waiter* next = nullptr;
    wb::atomic<std::uint32_t> parked_{1};  // 1 until unparked
  };

  // One wait queue (FIFO) and its mutex, shared by every address that hashes
  // here. A few hundred bytes per bucket at most; 64 buckets is a heuristic.
  struct bucket {
    wb::mutex mutex;
    waiter* head = nullptr;  // guarded by mutex
    waiter* tail = nullptr;

    void append(waiter* w) {
      (tail == nullptr ? head : tail->next) = w;
      tail = w;
    }
    waiter* remove_first(const void* address) {
      waiter* previous = nullptr;
      for (waiter* w = head; w != nullptr; previous = w, w = w->next) {
        if (w->address != address) continue;
        (previous == nullptr ? head : previous->next) = w->next;
        if (tail == w) tail = previous;
        return w;
      }
      return nullptr;
    }
    bool has(const void* address) const {
      for (const waiter* w = head; w != nullptr; w = w->next) {
        if (w->address == address) return true;
      }
      return false;
    }
  };

  static constexpr std::size_t bucket_bits = 6;

  bucket& bucket_for(const void* address) {
    // Fibonacci hashing: multiply, keep the top bits.
    const auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(address));
    return buckets_[(key * 0x9E3779B97F4A7C15u) >> (64 - bucket_bits)];
  }

  std::array<bucket, std::size_t{1} << bucket_bits> buckets_;
};

class byte_mutex {
 public:
  byte_mutex() = default;
  byte_mutex(const byte_mutex&) = delete;
  byte_mutex& operator=(const byte_mutex&) = delete;

  void lock() noexcept {
    std::uint8_t expected = 0;
    if (!state_.compare_exchange_weak(expected, locked, wb::memory_order_acquire,
                                      wb::memory_order_relaxed)) {
      lock_contended();
    }
  }

  bool try_lock() noexcept {
    std::uint8_t state = state_.load(wb::memory_order_relaxed);
    while ((state & locked) == 0) {
      if (state_.compare_exchange_weak(state, state | locked, wb::memory_order_acquire,
                                       wb::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  void unlock() noexcept {
    std::uint8_t expected = locked;  // nobody parked: nobody to wake
    if (!state_.compare_exchange_strong(expected, 0, wb::memory_order_release,
                                        wb::memory_order_relaxed)) {
      unlock_contended();
    }
  }

 private:
  static constexpr std::uint8_t locked = 1;
  static constexpr std::uint8_t parked = 2;  // threads may be parked on &state_

  void lock_contended() noexcept {
    std::uint8_t state = state_.load(wb::memory_order_relaxed);
    for (;;) {
      if ((state & locked) == 0) {  // free (maybe with others parked): take it
        if (state_.compare_exchange_weak(state, state | locked, wb::memory_order_acquire,
                                         wb::memory_order_relaxed)) {
          return;
        }
        continue;
      }
      if ((state & parked) == 0 &&
          !state_.compare_exchange_weak(state, state | parked, wb::memory_order_relaxed,
                                        wb::memory_order_relaxed)) {
        continue;  // the byte changed: look again
      }
      parking_lot::global().park(
          &state_, [this] { return state_.load(wb::memory_order_relaxed) == (locked | parked); });
      state = state_.load(wb::memory_order_relaxed);
    }
  }

  void unlock_contended() noexcept {
    // The byte is locked | parked, and only we may change it now.
    parking_lot::global().unpark_one(&state_, [this](parking_lot::unpark_result result) {
      state_.store(result.have_more ? parked : 0, wb::memory_order_release);
    });
  }

  wb::atomic<std::uint8_t> state_{0};
};
