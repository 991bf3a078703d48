// Exercise 9.5 — rw_lock: a reader-writer lock whose writers sleep and are not starved.
// Reference solution. (Contract: see exercises/09-locks/rw_lock.hpp.)
//
// Why it is correct
//   * One word says everything a newcomer must know:
//
//       state_                     meaning
//       0                          free
//       2 * n       (n >= 1)       n readers, no writer waiting
//       2 * n + 1   (n >= 1)       n readers, a writer waiting: no new readers
//       1                          a writer waiting, nobody inside (transient)
//       write_locked (all ones)    a writer holds it (odd: readers stay out)
//
//     The low bit is "readers must wait": set by a waiting writer, and by
//     write_locked. A reader enters with a compare-exchange s -> s + 2 only
//     from an even s, so once a writer has announced itself, the readers
//     already inside drain out and no new one gets in: a stream of readers
//     cannot starve a writer.
//   * Readers sleep on state_ itself (wb::wait(state_, s) for the odd s they
//     saw). Every change of the state that could let them in comes with a
//     wake_all: write unlock wakes every reader, since they can all enter.
//     A writer that leaves without waking all of them would strand the rest.
//   * Writers sleep on a separate counter, writer_wake_, so that they are
//     not woken by every reader coming and going, and so that a writer
//     does not busy-loop while readers hold the lock: it announces itself
//     (sets the low bit), reads writer_wake_, re-checks the state, and
//     sleeps while writer_wake_ still holds what it read. The last reader
//     out of a state with the bit set (fetch_sub returned 3) and every
//     write unlock bump writer_wake_ and wake one writer. Because the
//     writer read writer_wake_ *before* re-checking the state, a last
//     reader leaving in between changes writer_wake_, and the sleep does
//     not start (the same argument as the condition variable's counter).
//   * A writer sleeps only while the state is odd and not 1: readers inside
//     behind its bit (the last one out wakes a writer) or another writer
//     inside (its unlock wakes one). If a write unlock cleared the bit in
//     the meantime and readers came in, the state is even, nobody would
//     wake us, and the writer announces itself again instead of sleeping.
//   * Write unlock clears everything, including another writer's waiting
//     bit: that writer is woken through writer_wake_ and sets it again if
//     it has to wait. Readers and writers then race for the free lock;
//     either is fine, and neither can be shut out forever, because the
//     woken writer re-announces itself as soon as a reader gets in.
//
// Memory ordering
//   * Taking the lock, shared or exclusive, is a compare-exchange with
//     acquire; releasing it is a release (the reader's fetch_sub, the
//     writer's store of 0). A writer's acquire that reads 0 or 1 reads the
//     end of a release sequence of reader fetch_subs ([intro.races] p5: a
//     release sequence continues through read-modify-writes), so every
//     reader's section happens-before the writer's, and the writer's
//     release store is read by the next reader's acquire CAS.
//   * Setting the waiting bit is relaxed: it only stops readers, it
//     publishes nothing.
//   * writer_wake_ is bumped with release and read by the writer with
//     acquire. The last reader does fetch_sub on state_ and then bumps
//     writer_wake_; a writer whose acquire load reads that bump therefore
//     sees the fetch_sub in its next load of state_ (happens-before plus
//     coherence, [intro.races] p18). With a relaxed load it could read the
//     new wake count and the *old* state, sleep on the new count, and never
//     be woken.
#pragma once

#include <wb/sync.hpp>

#include <cassert>
#include <cstdint>

class rw_lock {
 public:
  rw_lock() = default;
  rw_lock(const rw_lock&) = delete;
  rw_lock& operator=(const rw_lock&) = delete;

  // ---- shared (readers) ----

  void lock_shared() noexcept {
    std::uint32_t state = state_.load(wb::memory_order_relaxed);
    for (;;) {
      if (readers_may_enter(state)) {
        assert(state < write_locked - 2 && "too many readers");
        if (state_.compare_exchange_weak(state, state + one_reader, wb::memory_order_acquire,
                                         wb::memory_order_relaxed)) {
          return;
        }
      } else {
        wb::wait(state_, state, wb::memory_order_relaxed);  // until the state changes
        state = state_.load(wb::memory_order_relaxed);
      }
    }
  }

  bool try_lock_shared() noexcept {
    std::uint32_t state = state_.load(wb::memory_order_relaxed);
    while (readers_may_enter(state)) {
      if (state_.compare_exchange_weak(state, state + one_reader, wb::memory_order_acquire,
                                       wb::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  void unlock_shared() noexcept {
    const std::uint32_t previous = state_.fetch_sub(one_reader, wb::memory_order_release);
    assert(previous >= one_reader && previous != write_locked &&
           "unlock_shared without a read lock");
    if (previous == one_reader + writer_waiting) wake_writer();  // last reader, a writer waits
  }

  // ---- exclusive (writers) ----

  void lock() noexcept {
    std::uint32_t state = state_.load(wb::memory_order_relaxed);
    for (;;) {
      if (state <= writer_waiting) {  // nobody inside (maybe our own or another writer's bit)
        if (state_.compare_exchange_weak(state, write_locked, wb::memory_order_acquire,
                                         wb::memory_order_relaxed)) {
          return;
        }
        continue;
      }
      if (state != write_locked && (state & writer_waiting) == 0) {  // readers inside: announce
        if (!state_.compare_exchange_weak(state, state | writer_waiting, wb::memory_order_relaxed,
                                          wb::memory_order_relaxed)) {
          continue;
        }
      }
      // Read the wake counter first, then re-check the state: a wake in
      // between changes the counter, and the wait below returns at once.
      const std::uint32_t wakes = writer_wake_.load(wb::memory_order_acquire);
      state = state_.load(wb::memory_order_relaxed);
      if (someone_will_wake_a_writer(state)) {
        wb::wait(writer_wake_, wakes, wb::memory_order_relaxed);
        state = state_.load(wb::memory_order_relaxed);
      }
    }
  }

  bool try_lock() noexcept {
    std::uint32_t state = state_.load(wb::memory_order_relaxed);
    while (state <= writer_waiting) {
      if (state_.compare_exchange_weak(state, write_locked, wb::memory_order_acquire,
                                       wb::memory_order_relaxed)) {
        return true;
      }
    }
    return false;
  }

  void unlock() noexcept {
    state_.store(0, wb::memory_order_release);
    wake_writer();         // a writer may wait for its turn ...
    wb::wake_all(state_);  // ... and every sleeping reader may enter now
  }

 private:
  static constexpr std::uint32_t writer_waiting = 1;  // low bit: readers must wait
  static constexpr std::uint32_t one_reader = 2;
  static constexpr std::uint32_t write_locked = UINT32_MAX;  // odd, so readers wait

  static bool readers_may_enter(std::uint32_t state) noexcept {
    return (state & writer_waiting) == 0;
  }

  // A writer may sleep only in a state whose end bumps writer_wake_:
  // readers inside with the waiting bit set (the last one out wakes a
  // writer) or a writer inside (its unlock does). An even state means a
  // write unlock cleared the bit since we set it: the readers now inside
  // would leave without waking anyone, so announce again instead.
  static bool someone_will_wake_a_writer(std::uint32_t state) noexcept {
    return state > writer_waiting && (state & writer_waiting) != 0;
  }

  void wake_writer() noexcept {
    writer_wake_.fetch_add(1, wb::memory_order_release);
    wb::wake_one(writer_wake_);
  }

  wb::atomic<std::uint32_t> state_{0};
  wb::atomic<std::uint32_t> writer_wake_{0};  // bumped whenever a waiting writer may proceed
};
