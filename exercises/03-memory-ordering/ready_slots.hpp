// Exercise 3.3 — ready_slots: N producers, one acquire fence for all of them.
//
// N workers each compute one part of a result; a consumer wants all parts.
// Each part lives in its own slot of plain memory with its own "ready" flag.
// With release stores and acquire loads the consumer would pay for N
// acquires. Fences let it pay for one: producers publish their flag with a
// relaxed store after a release fence, and the consumer checks every flag
// with relaxed loads, then issues a single acquire fence before it reads
// the slots. This is the "many relaxed loads, one acquire fence" pattern.
//
//     ready_slots<std::string, 4> parts;
//     // worker i:   parts.publish(i, compute_part(i));
//     // consumer:   std::array<std::string, 4> all = parts.collect();
//
// Contract
//   * publish(i, v) stores v in slot i, once. i >= size() throws
//     std::out_of_range; publishing a slot that was already published (or is
//     being published) throws std::logic_error and changes nothing.
//     Different slots may be published concurrently, from any threads.
//   * try_collect() returns a copy of all N values if every slot has been
//     published, otherwise std::nullopt at once: all or nothing.
//   * collect() waits (without spinning) until every slot is published, then
//     returns a copy of all N values.
//   * try_collect() and collect() may be called from any number of threads,
//     any number of times. T must be default-constructible and copyable.
//   * The ready_slots must outlive every call on it.
//
// Memory ordering: the write of each slot's value happens-before every read
// of it by a try_collect()/collect() that returns it. Each publish() issues a
// release fence before its relaxed flag store; the consumer issues one
// acquire fence after all its relaxed flag loads: each release fence then
// synchronizes with that acquire fence ([atomics.fences]).
//
// Verdict layers: build, tests and the model checker, which models fences.
// ThreadSanitizer does not understand standalone fences and reports false
// data races on a correct fence-based solution, so it is not used here.
//
// Run the tests: ./workbook check ready_slots      Hints: ./workbook hint ready_slots
#pragma once

#include <wb/not_implemented.hpp>
#include <wb/sync.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>

template <class T, std::size_t N>
class ready_slots {
 public:
  static_assert(N > 0, "ready_slots needs at least one slot");

  ready_slots() = default;
  ready_slots(const ready_slots&) = delete;
  ready_slots& operator=(const ready_slots&) = delete;

  static constexpr std::size_t size() noexcept { return N; }

  void publish(std::size_t slot, T value) {
    // TODO(exercise): reject a slot out of range (std::out_of_range). Claim
    // the slot in one indivisible step (empty -> writing) so that a second
    // publish of it throws std::logic_error. Then write the value, issue a
    // release fence, store `ready` relaxed, and wake any thread waiting on
    // that slot's state. Why must the fence be between the value and the
    // flag, and not after the flag?
    (void)slot;
    (void)value;
    WB_NOT_IMPLEMENTED(
        "ready_slots::publish: claim, write the value, release fence, relaxed store of ready");
  }

  std::optional<std::array<T, N>> try_collect() const {
    // TODO(exercise): load every state relaxed; if one is not ready, return
    // std::nullopt. Only when all are ready: one acquire fence, then copy
    // the values. Why must the fence come after the loads?
    WB_NOT_IMPLEMENTED(
        "ready_slots::try_collect: relaxed-load every flag, then one acquire fence, then read");
  }

  std::array<T, N> collect() const {
    // TODO(exercise): like try_collect, but for a slot that is not ready
    // yet, sleep with wb::wait(states_[i], seen, wb::memory_order_relaxed)
    // and look again.
    WB_NOT_IMPLEMENTED(
        "ready_slots::collect: wait for every flag (relaxed), then one acquire fence, then read");
  }

 private:
  static constexpr std::uint8_t empty = 0;    // not published yet
  static constexpr std::uint8_t writing = 1;  // a publish() claimed the slot and is writing it
  static constexpr std::uint8_t ready = 2;    // the value is written (and fenced)

  std::array<wb::atomic<std::uint8_t>, N> states_{};  // value-initialised: all empty
  std::array<T, N> values_{};                         // plain memory, one writer per slot
};
