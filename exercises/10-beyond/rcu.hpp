// Exercise 10.6 — rcu: read-copy-update with a grace period.
//
// One shared value of type T that many readers read at once, without ever
// blocking or writing to anything another reader writes, while a writer
// replaces it now and then. A reader sees either the old value or the new one,
// whole. The writer never changes a value in place: it copies, publishes the
// new version with one pointer store, and then waits for a *grace period*:
// until every reader that might still hold the old version has left its
// read-side section. Only then does it delete the old version.
//
//     rcu<config> shared(2, config{...});        // two reader slots
//     // reader thread 0:
//     int port = shared.read(0, [](const config& c) { return c.port; });
//     // writer thread:
//     shared.update(config{...});                // returns once the old one is freed
//
// Contract
//   * rcu(readers, initial): `readers` reader slots, numbered 0..readers-1.
//     A thread reads through one slot; two threads never use the same slot at
//     the same time (the slot is the thread's identity: the model checker runs
//     every thread on one OS thread, so a thread_local would not do).
//   * read(reader, f) calls f(const T&) on the current version, inside a
//     read-side section, and returns what f returns. f must not call read
//     again (sections do not nest) nor update (it would wait for itself).
//     A reader never blocks: a read is a few loads and stores of its own.
//   * update(value) publishes a new version and deletes the old one after a
//     grace period. Writers are serialised with a mutex: one update at a time.
//   * synchronize() waits for a grace period: every read-side section that had
//     begun when it was called has ended when it returns.
//   * The destructor deletes the current version; no reader may be running.
//
// Memory ordering: the writer's store of the new pointer is a release and the
// reader's load an acquire, so a reader sees the new version fully built. The
// grace period is a store-buffering handshake, exactly the shape that needs
// sequentially consistent fences: the reader *announces* itself in its slot
// and then reads the pointer; the writer *publishes* the pointer and then
// reads the slots. With a seq_cst fence between the two actions on each side,
// at least one of them sees the other ([atomics.order] p4): either the writer
// sees the reader's announcement and waits for it, or the reader sees the new
// pointer and never touches the old version. Leaving the section is a release
// store that the writer's acquire load of the slot reads, which orders the
// reader's accesses to the old version before its delete ([intro.races]).
//
// Run the tests: ./workbook check rcu      Hints: ./workbook hint rcu
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

template <class T>
class rcu {
 public:
  rcu(int readers, T initial)
      : readers_(readers),
        slots_(std::make_unique<wb::atomic<std::uint64_t>[]>(static_cast<std::size_t>(readers))),
        current_(new T(std::move(initial))) {
    for (int r = 0; r < readers_; ++r)
      slots_[static_cast<std::size_t>(r)].store(idle, wb::memory_order_relaxed);
  }

  rcu(const rcu&) = delete;
  rcu& operator=(const rcu&) = delete;

  ~rcu() { delete current_.load(wb::memory_order_relaxed); }

  template <class F>
  decltype(auto) read(int reader, F&& f) {
    wb::atomic<std::uint64_t>& slot = slots_[static_cast<std::size_t>(reader)];
    // TODO(exercise): enter the read-side section: announce in `slot` the
    //   grace-period number you start in (period_), then a fence — which one,
    //   and why is a release store alone not enough? (The writer publishes and
    //   then reads the slots; you announce and then read the pointer.)
    // TODO(exercise): load current_, call f on it, and leave the section
    //   (slot back to `idle`) only once f has returned.
    (void)slot;
    WB_NOT_IMPLEMENTED("rcu read: announce, fence, load the pointer, call f, then leave");
    return std::forward<F>(f)(*current_.load(wb::memory_order_acquire));
  }

  void update(T value) {
    std::lock_guard<wb::mutex> writers(writer_);
    // TODO(exercise): publish a new heap copy of `value` in current_, wait for
    //   a grace period (synchronize_locked), and only then delete the old one.
    (void)value;
    WB_NOT_IMPLEMENTED("rcu update: publish the new version, wait a grace period, free the old");
  }

  void synchronize() {
    std::lock_guard<wb::mutex> writers(writer_);
    synchronize_locked();
  }

 private:
  static constexpr std::uint64_t idle = 0;

  void synchronize_locked() {
    // TODO(exercise): the writer's half of the handshake (a fence), then begin
    //   a new grace period (period_) and wait, slot by slot, while a reader is
    //   still in a section it entered in an older period. Spin politely:
    //   wb::spin_loop_hint() and std::this_thread::yield().
    WB_NOT_IMPLEMENTED("rcu synchronize: fence, new period, wait for older readers");
  }

  const int readers_;
  std::unique_ptr<wb::atomic<std::uint64_t>[]>
      slots_;                            // per reader: idle, or the period it entered in
  wb::atomic<std::uint64_t> period_{1};  // grace periods begun, plus one (never idle)
  wb::atomic<T*> current_;
  wb::mutex writer_;
};
