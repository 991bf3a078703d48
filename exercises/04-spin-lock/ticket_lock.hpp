// Exercise 4.4 — ticket_lock: first come, first served.
//
// The spin locks so far are a scramble: when the lock is freed, whichever
// waiter's exchange lands first wins, and a thread can lose that race again
// and again while others come and go. A ticket lock is a queue. lock()
// draws a numbered ticket; unlock() calls the next number; each thread waits
// until its own number is called. Threads are served in the order they drew
// their tickets.
//
//     ticket_lock lock;                     // same use as spin_lock
//     std::lock_guard guard(lock);
//
// Contract
//   * lock() returns once the calling thread holds the lock. At most one
//     thread holds it at any time.
//   * FIFO: a thread whose lock() drew its ticket before another's gets the
//     lock before it. (Drawing the ticket is the first thing lock() does.)
//   * unlock() releases the lock to the next ticket. Only the owner calls it.
//   * queue_length() is the number of tickets drawn and not yet served — the
//     owner plus the waiters — as a snapshot (for tests and statistics; it
//     may be stale when it returns). 0 for a free lock, 1 for a held lock
//     nobody waits for.
//   * Waiting spins with wb::spin_loop_hint() for a while, then yields the
//     core (std::this_thread::yield()): the next owner is one particular
//     thread, and it may be waiting for a core that a spinner occupies.
//   * No try_lock (see the chapter's quizzes); not recursive; not copyable.
//
// Memory ordering: everything the owner of ticket k does while it holds the
// lock happens-before everything the owner of ticket k + 1 does while it
// holds it. Drawing a ticket publishes nothing (relaxed is enough: the
// number only has to be unique). unlock's store to now_serving_ is a
// release and the waiter's load of now_serving_ is an acquire: reading the
// number the previous owner stored synchronizes with that store
// ([atomics.order]).
//
// Run the tests: ./workbook check ticket_lock      Hints: ./workbook hint ticket_lock
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>
#include <thread>

class ticket_lock {
 public:
  ticket_lock() = default;
  ticket_lock(const ticket_lock&) = delete;
  ticket_lock& operator=(const ticket_lock&) = delete;

  void lock() noexcept {
    // TODO(exercise): draw a ticket, so that no two threads ever get the
    // same number, even when they draw at the same instant. If
    // now_serving_ already shows it, the lock is yours; otherwise wait in
    // lock_contended(ticket).
    WB_NOT_IMPLEMENTED("ticket_lock::lock: fetch_add on next_ticket_, then wait for now_serving_");
  }

  void unlock() noexcept {
    // TODO(exercise): call the next number. Who else can be writing
    // now_serving_ right now? Which order publishes your critical section?
    WB_NOT_IMPLEMENTED("ticket_lock::unlock: store now_serving_ + 1 with release");
  }

  /// Tickets drawn minus tickets served: the owner plus the waiters. A
  /// snapshot for tests and statistics; it may be stale the moment it returns.
  std::uint32_t queue_length() const noexcept {
    // TODO(exercise): tickets drawn minus tickets served (unsigned
    // arithmetic wraps correctly). Read now_serving_ first, with acquire, so
    // that the tickets you then read include every ticket already served.
    WB_NOT_IMPLEMENTED("ticket_lock::queue_length: next_ticket_ - now_serving_");
  }

 private:
  static constexpr unsigned spins_before_yield = 128;  // heuristic

  void lock_contended(std::uint32_t ticket) noexcept {
    // TODO(exercise): wait until now_serving_ shows `ticket`. Spin with
    // wb::spin_loop_hint() for the first spins_before_yield rounds, then
    // std::this_thread::yield(). Which order must the load have, given that
    // you are about to touch what the previous owner wrote?
    (void)ticket;
    WB_NOT_IMPLEMENTED(
        "ticket_lock::lock_contended: acquire-load now_serving_ until it is your ticket");
  }

  wb::atomic<std::uint32_t> next_ticket_{0};  // the next ticket to hand out
  wb::atomic<std::uint32_t> now_serving_{0};  // the ticket that may hold the lock
};
