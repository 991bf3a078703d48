// Exercise 4.4 — ticket_lock: first come, first served.
// Reference solution. (Contract: see exercises/04-spin-lock/ticket_lock.hpp.)
//
// Why it is correct
//   * Two counters, like the ticket machine and the "now serving" display at
//     a deli counter. lock() draws a ticket with fetch_add on next_ticket_:
//     a read-modify-write, so no two threads ever get the same number
//     ([atomics.order]: an RMW reads the last value in modification order).
//     It then waits until now_serving_ shows its number.
//   * now_serving_ is written only by the owner, in unlock, and only ever
//     moves to the next number. So exactly one thread (the holder of that
//     ticket) sees its number: mutual exclusion. And numbers are served in
//     the order they were drawn: FIFO, hence fair — no thread can be
//     overtaken by one that arrived after it.
//   * unlock is a load and a store rather than a fetch_add: nobody else
//     writes now_serving_ while we hold the lock, so there is no concurrent
//     update to lose, and a plain store is cheaper than an RMW.
//   * The counters are 32-bit and wrap around: ticket arithmetic is modulo
//     2^32, which stays correct as long as fewer than 2^32 threads wait at
//     once. queue_length() subtracts modulo 2^32 for the same reason.
//   * Waiting spins for a while, then yields the core. A ticket lock hands
//     the lock to one particular thread; if that thread is not running (more
//     runnable threads than cores, as on a 2-core machine running 4 test
//     threads), every waiter behind it waits too, and pure spinning would
//     burn the very time slices the next owner needs. 128 spins before
//     yielding is a heuristic, not a measurement.
//
// Memory ordering: next_ticket_'s fetch_add is relaxed: the ticket number is
// the whole message (it only has to be unique), and it publishes nothing.
// The synchronization is on now_serving_. The owner of ticket k-1 stores k
// with release after its critical section; the waiter with ticket k loads
// now_serving_ with acquire until it reads k. That store is the only one
// that writes k, so the acquire load that reads it synchronizes with it
// ([atomics.order]/2):
//
//   T1 (ticket k-1): ... writes ... ; now_serving_.store(k, release)
//                                                |  synchronizes with
//                                                v
//   T2 (ticket k):              now_serving_.load(acquire) -> k ; ... reads ...
//
// The load in unlock is relaxed: it reads the owner's own number, which
// this thread already acquired in lock (coherence: it cannot read an older
// value, and nobody else writes now_serving_ while we hold the lock).
// queue_length loads now_serving_ with acquire before next_ticket_, so that
// the tickets it sees include every ticket already served (the served
// tickets' fetch_adds happen-before the stores that served them): the
// difference never goes negative.
#pragma once

#include <wb/sync.hpp>

#include <cstdint>
#include <thread>

class ticket_lock {
 public:
  ticket_lock() = default;
  ticket_lock(const ticket_lock&) = delete;
  ticket_lock& operator=(const ticket_lock&) = delete;

  void lock() noexcept {
    const std::uint32_t ticket = next_ticket_.fetch_add(1, wb::memory_order_relaxed);
    if (now_serving_.load(wb::memory_order_acquire) == ticket) return;  // nobody ahead of us
    lock_contended(ticket);
  }

  void unlock() noexcept {
    const std::uint32_t serving = now_serving_.load(wb::memory_order_relaxed);  // our own ticket
    now_serving_.store(serving + 1, wb::memory_order_release);  // call the next number
  }

  /// Tickets drawn minus tickets served: the owner plus the waiters. A
  /// snapshot for tests and statistics; it may be stale the moment it returns.
  std::uint32_t queue_length() const noexcept {
    const std::uint32_t serving = now_serving_.load(wb::memory_order_acquire);
    return next_ticket_.load(wb::memory_order_relaxed) - serving;
  }

 private:
  static constexpr unsigned spins_before_yield = 128;  // heuristic

  void lock_contended(std::uint32_t ticket) noexcept {
    unsigned spins = 0;
    while (now_serving_.load(wb::memory_order_acquire) != ticket) {
      if (spins < spins_before_yield) {
        ++spins;
        wb::spin_loop_hint();
      } else {
        std::this_thread::yield();  // the thread whose turn it is may be waiting for our core
      }
    }
  }

  wb::atomic<std::uint32_t> next_ticket_{0};  // the next ticket to hand out
  wb::atomic<std::uint32_t> now_serving_{0};  // the ticket that may hold the lock
};
