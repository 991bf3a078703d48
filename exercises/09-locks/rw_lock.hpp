// Exercise 9.5 — rw_lock: a reader-writer lock whose writers sleep and are not starved.
//
// Many threads may read shared data at once; a writer needs it alone. One
// 32-bit word says what a newcomer must know: twice the number of readers
// inside, plus a low bit that tells new readers to wait. A writer inside
// is the all-ones value (odd, so readers wait for it too):
//
//     state_                     meaning
//     0                          free
//     2 * n       (n >= 1)       n readers, no writer waiting
//     2 * n + 1   (n >= 1)       n readers, a writer waiting: no new readers
//     1                          a writer waiting, nobody inside
//     write_locked (all ones)    a writer holds it
//
// Readers sleep on state_. Writers sleep on their own counter,
// writer_wake_, which the last reader out and every write unlock bump:
// that way a waiting writer neither busy-loops nor is woken by every
// reader that comes and goes.
//
//     rw_lock lock;
//     { std::shared_lock reader(lock); ... }   // SharedLockable
//     { std::lock_guard writer(lock); ... }    // Lockable
//
// Contract
//   * lock_shared() returns once the thread holds a read lock; any number of
//     readers hold it together, never together with a writer.
//     try_lock_shared() takes a read lock if readers may enter now and
//     returns whether it did; it never blocks.
//   * lock() returns once the thread holds the write lock, alone.
//     try_lock() takes it only if nobody is inside. unlock() and
//     unlock_shared() release what the calling thread holds.
//   * Writers are not starved: once a writer waits, new readers wait too
//     (lock_shared sleeps, try_lock_shared fails) until a writer has been
//     in. A stream of readers cannot keep a writer out.
//   * No lost wake-up: the last reader out wakes a waiting writer; a write
//     unlock wakes a waiting writer and every sleeping reader.
//   * Not fair among writers, not recursive, not upgradable, not copyable.
//
// Memory ordering: a writer's section happens-before the sections of the
// readers and writers that enter after it, and every reader's section
// happens-before the next writer's. Taking the lock, shared or exclusive,
// is a compare-exchange with acquire; releasing it is a release (the
// reader's fetch_sub, the writer's store). The writer that reads the end of
// a chain of reader fetch_subs synchronizes with each of them (a release
// sequence continues through read-modify-writes, [intro.races]). Setting the
// waiting bit publishes nothing (relaxed). writer_wake_ is bumped with
// release and read with acquire, so that a writer that sees a bump also
// sees the state change that came before it.
//
// Run the tests: ./workbook check rw_lock      Hints: ./workbook hint rw_lock
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class rw_lock {
 public:
  rw_lock() = default;
  rw_lock(const rw_lock&) = delete;
  rw_lock& operator=(const rw_lock&) = delete;

  // ---- shared (readers) ----

  void lock_shared() noexcept {
    // TODO(exercise): while the state is even, try state -> state + 2 with
    // a compare-exchange (acquire). While it is odd, sleep until it
    // changes (wb::wait on state_ with the value you saw), then reload.
    WB_NOT_IMPLEMENTED(
        "rw_lock::lock_shared: CAS state -> state + 2 while even, wb::wait(state_, s) while odd");
  }

  bool try_lock_shared() noexcept {
    // TODO(exercise): as lock_shared, but return false instead of sleeping.
    WB_NOT_IMPLEMENTED("rw_lock::try_lock_shared: CAS state -> state + 2 while even, else false");
  }

  void unlock_shared() noexcept {
    // TODO(exercise): leave (release). If you were the last reader and a
    // writer waits (the state was 3), bump writer_wake_ and wake it.
    WB_NOT_IMPLEMENTED(
        "rw_lock::unlock_shared: fetch_sub(2, release); if it returned 3, wake a writer");
  }

  // ---- exclusive (writers) ----

  void lock() noexcept {
    // TODO(exercise): loop:
    //   * nobody inside (state 0 or 1): CAS to write_locked (acquire);
    //   * readers inside and the bit clear: set the bit (CAS, relaxed);
    //   * then read writer_wake_ (acquire), re-read the state, and sleep on
    //     writer_wake_ only if someone will bump it: readers inside behind
    //     the bit, or a writer inside. Why read writer_wake_ first? And
    //     what if a write unlock cleared your bit in the meantime?
    WB_NOT_IMPLEMENTED(
        "rw_lock::lock: CAS 0/1 -> write_locked, else set the waiting bit and sleep on "
        "writer_wake_");
  }

  bool try_lock() noexcept {
    // TODO(exercise): CAS 0 or 1 -> write_locked; never wait.
    WB_NOT_IMPLEMENTED("rw_lock::try_lock: CAS 0 or 1 -> write_locked with acquire");
  }

  void unlock() noexcept {
    // TODO(exercise): store 0 (release), then wake one writer (bump
    // writer_wake_) and every sleeping reader.
    WB_NOT_IMPLEMENTED(
        "rw_lock::unlock: store 0, bump writer_wake_ and wake one writer, wake_all readers");
  }

 private:
  static constexpr std::uint32_t writer_waiting = 1;  // low bit: readers must wait
  static constexpr std::uint32_t one_reader = 2;
  static constexpr std::uint32_t write_locked = UINT32_MAX;  // odd, so readers wait

  wb::atomic<std::uint32_t> state_{0};
  wb::atomic<std::uint32_t> writer_wake_{0};  // bumped whenever a waiting writer may proceed
};
