// Exercise 10.4 — parking_lot: wait queues keyed by address, and a one-byte mutex built on them.
//
// Chapter 9's mutexes sleep with wb::wait on their own 32-bit word: the
// futex needs a word to compare. A parking lot moves the waiting out of the
// lock: one process-wide table of wait queues, keyed by address, holds the
// sleeping threads, and a lock needs only enough bits to say "locked" and
// "someone may be parked here". WebKit's WTF::ParkingLot (2016) introduced
// the name and builds a one-byte lock on it; Rust's parking_lot crate does
// the same; libstdc++'s std::atomic<T>::wait keeps a table of the same shape
// (16 "proxies" keyed by address) for every T the futex cannot wait on.
//
//     byte_mutex m;                         // sizeof(m) == 1
//     std::lock_guard hold(m);              // Lockable
//
// Contract: parking_lot
//   * park(address, validate): locks the address's bucket, calls validate();
//     if it returns false, returns false at once. Otherwise queues the
//     calling thread on `address`, unlocks the bucket, and sleeps until an
//     unpark_one(address) dequeues it; then returns true. validate() runs
//     with the bucket locked: no unpark_one on the same bucket can run
//     between it and the queueing (that is the whole point).
//   * unpark_one(address, callback): locks the bucket, dequeues the first
//     thread parked on `address` (if any), calls callback(result) with the
//     bucket still locked, then wakes the dequeued thread, and returns the
//     result: whether a thread was dequeued, and whether others remain on
//     the same address.
//   * Threads on one address are woken in the order they parked. Addresses
//     are only keys: nothing is read at them. Many addresses share a bucket.
//
// Contract: byte_mutex
//   * One byte (in every tree but the model's). lock(), try_lock() and
//     unlock() as chapter 9's mutexes: at most one owner, a thread that finds
//     it held sleeps (parks) instead of spinning, no waiter sleeps forever
//     behind a free mutex, unlock() makes no call into the parking lot when
//     nobody is parked. Not fair: a running thread may take it first.
//
// Memory ordering: everything a thread does while it holds the byte_mutex
// happens-before everything the next owner does while it holds it
// ([atomics.order]). For the parking lot: what the callback does
// happens-before the woken thread returns from park().
//
// Run the tests: ./workbook check parking_lot      Hints: ./workbook hint parking_lot
#pragma once

#include <wb/not_implemented.hpp>
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
    // TODO(exercise): make a waiter for yourself on your stack. With the
    // bucket's mutex held, call validate() (false: return false) and append
    // the waiter. Then, *without* the mutex, sleep on the waiter's parked_
    // while it is 1. Before returning, make sure the unparker no longer
    // touches your waiter (it lives in this stack frame).
    (void)address;
    (void)validate;
    WB_NOT_IMPLEMENTED(
        "parking_lot::park: validate and enqueue under the bucket mutex, then wb::wait on the "
        "waiter's parked_");
  }

  template <class Callback>
  unpark_result unpark_one(const void* address, Callback callback) {
    // TODO(exercise): with the bucket's mutex held: dequeue the first waiter
    // on `address`, find out whether others remain, call callback(result),
    // then set the waiter's parked_ to 0 (which order?) and wake it.
    (void)address;
    (void)callback;
    WB_NOT_IMPLEMENTED(
        "parking_lot::unpark_one: dequeue, callback, then store 0 in parked_ and wb::wake_one, all "
        "under the bucket mutex");
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
    // TODO(exercise): the fast path: one compare-exchange from 0 to locked
    // (which order?); lock_contended() when it fails.
    WB_NOT_IMPLEMENTED(
        "byte_mutex::lock: compare_exchange 0 -> locked with acquire, else lock_contended()");
  }

  bool try_lock() noexcept {
    // TODO(exercise): set `locked` if it is clear, keeping `parked` as it is.
    WB_NOT_IMPLEMENTED(
        "byte_mutex::try_lock: compare_exchange state -> state | locked while locked is clear");
  }

  void unlock() noexcept {
    // TODO(exercise): the fast path: locked -> 0 when nobody is parked;
    // otherwise unlock_contended().
    WB_NOT_IMPLEMENTED(
        "byte_mutex::unlock: compare_exchange locked -> 0 with release, else unlock_contended()");
  }

 private:
  static constexpr std::uint8_t locked = 1;
  static constexpr std::uint8_t parked = 2;  // threads may be parked on &state_

  void lock_contended() noexcept {
    // TODO(exercise): loop. Free: try to take it (keep `parked`). Held
    // without `parked`: set `parked` first (if the byte changed, look again).
    // Then park on &state_ with a validate() that parks only while the byte
    // is still locked | parked.
    WB_NOT_IMPLEMENTED(
        "byte_mutex::lock_contended: take it when free, else set parked and park while locked | "
        "parked");
  }

  void unlock_contended() noexcept {
    // TODO(exercise): unpark one thread on &state_; in the callback (bucket
    // locked) store the new byte: unlocked, with `parked` only if more
    // threads remain queued. Which order must that store have?
    WB_NOT_IMPLEMENTED(
        "byte_mutex::unlock_contended: unpark_one, the callback stores parked (have_more) or 0 "
        "with release");
  }

  wb::atomic<std::uint8_t> state_{0};
};
