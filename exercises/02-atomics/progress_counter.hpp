// Exercise 2.4 — progress_counter: count finished work, and sleep until enough is done.
//
// Workers report progress ("I finished n more items") and a coordinator
// waits until a given amount of work is done — to print a progress bar, to
// start the next phase, to collect results. The count is one atomic number;
// the interesting part is the waiting. Spinning on the counter would burn a
// core for as long as the work takes. C++20 lets a thread sleep on an atomic
// itself: wb::wait(a, seen) blocks while `a` still holds `seen`, and
// wb::wake_all(a) wakes the threads sleeping on `a` (std::atomic::wait and
// notify_all, seen in this chapter's demo).
//
//     progress_counter done;
//     // on each worker:            // on the coordinator:
//     process(item);                done.wait_until(items.size());
//     done.advance();               use(results);   // every result is visible
//
// Contract
//   * value() is the sum of every n passed to advance so far (it starts at
//     0). The sum must never overflow std::uint64_t.
//   * advance(n) adds n and wakes the threads sleeping in wait_until, so that
//     each can check whether its own target is reached now. Any number of
//     threads may call advance concurrently; no update is lost.
//   * wait_until(target) returns once value() >= target: at once if it
//     already is, otherwise after the advance that gets it there. It never
//     returns earlier. While it waits it sleeps: it does not spin.
//   * Any number of threads may wait, each for its own target.
//   * The object must outlive every call on it.
//
// Memory ordering: everything a worker did before advance(n) happens-before
// everything a thread does after a wait_until (or a value()) that saw the
// count including those n. That is what makes `use(results)` above safe, and
// it is why this exercise, unlike the others in this chapter, needs
// orderings other than relaxed: advance is a release, and the loads in
// value and wait_until are acquires. Chapter 3 explains release and acquire
// in depth; here it is enough that a release "publishes" the writes before
// it to whoever acquire-reads the value it wrote.
//
// Run the tests: ./workbook check progress_counter      Hints: ./workbook hint progress_counter
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <cstdint>

class progress_counter {
 public:
  progress_counter() = default;
  progress_counter(const progress_counter&) = delete;
  progress_counter& operator=(const progress_counter&) = delete;

  void advance(std::uint64_t n = 1) noexcept {
    // TODO(exercise): add n in one indivisible step (several workers advance
    // at once), publishing the work done before it; then wake the sleepers.
    // How many of them may have reached their target?
    (void)n;
    WB_NOT_IMPLEMENTED("progress_counter::advance: add n with a release, then wake every waiter");
  }

  std::uint64_t value() const noexcept {
    // TODO(exercise): read the count so that the work it counts is visible.
    WB_NOT_IMPLEMENTED("progress_counter::value: load done_ with acquire");
  }

  void wait_until(std::uint64_t target) const {
    // TODO(exercise): while the count is below target, sleep with
    // wb::wait(done_, seen). It returns when done_ no longer holds `seen` —
    // which is not the same as "the target is reached". Which value must
    // `seen` be so that an advance between your check and your sleep is
    // never missed?
    (void)target;
    WB_NOT_IMPLEMENTED("progress_counter::wait_until: sleep on done_ until it reaches target");
  }

 private:
  wb::atomic<std::uint64_t> done_{0};  // total of every advance so far
};
