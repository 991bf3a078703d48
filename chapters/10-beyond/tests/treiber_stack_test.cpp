// Tests for exercise 10.5, treiber_stack (exercises/10-beyond/treiber_stack.hpp).
//
// What each case can catch
//   * LIFO order, empty stack, every slot back: single-threaded cases.
//   * A slot handed out twice, or lost: threads pop a slot, mark it taken in a
//     per-slot counter (a second taker sees it already taken), write its
//     buffer and push it back; at the end every slot is in the stack once.
//   * ABA: the model case "a pop that stalls while its top slot leaves and
//     comes back" is the classic interleaving, explored deterministically: a
//     pop reads the top and its link, another thread pops two slots and
//     pushes the first back; without a tag the stalled pop's
//     compare-and-exchange succeeds and puts a slot the other thread holds
//     back on top. On real threads this needs a preemption in a window of a
//     few instructions, so the stress case only sometimes sees it.
//   * Missing release/acquire: the slot's buffer is a wb::cell, so a pop that
//     does not synchronise with the push is a data race in the model (and
//     under ThreadSanitizer).
#include <catch2/catch.hpp>

#include "treiber_stack.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

namespace {

// Pops everything left; the slots in the order they came out.
std::vector<std::uint32_t> drain(treiber_stack& stack) {
  std::vector<std::uint32_t> out;
  while (auto s = stack.pop()) out.push_back(*s);
  return out;
}

}  // namespace

TEST_CASE("treiber_stack: pop on an empty stack returns nothing", "[ch10][treiber_stack]") {
  treiber_stack stack(4);
  REQUIRE_FALSE(stack.pop().has_value());
  stack.push(2);
  REQUIRE(stack.pop() == std::optional<std::uint32_t>(2));
  REQUIRE_FALSE(stack.pop().has_value());
}

TEST_CASE("treiber_stack: the last slot pushed is the first popped", "[ch10][treiber_stack]") {
  treiber_stack stack(5);
  for (std::uint32_t s : {3u, 0u, 4u, 1u}) stack.push(s);
  REQUIRE(drain(stack) == std::vector<std::uint32_t>{1, 4, 0, 3});
  stack.push(0);
  stack.push(1);
  REQUIRE(stack.pop() == std::optional<std::uint32_t>(1));
  stack.push(2);
  REQUIRE(drain(stack) == std::vector<std::uint32_t>{2, 0});
}

TEST_CASE("treiber_stack: threads never hold the same slot and none is lost",
          "[ch10][treiber_stack]") {
  constexpr std::uint32_t slots = 6;
  constexpr unsigned threads = 4;
  constexpr int rounds = 4000;
  wb::test::repeat(3, [&](unsigned) {
    treiber_stack stack(slots);
    for (std::uint32_t s = 0; s < slots; ++s) stack.push(s);
    std::vector<std::atomic<int>> holders(slots);
    std::vector<wb::cell<long>> buffers(slots);
    std::atomic<long> shared_slot{0}, bad_buffer{0};
    wb::test::run_concurrently(threads, [&](unsigned t) {
      for (int i = 0; i < rounds; ++i) {
        auto got = stack.pop();
        if (!got) continue;  // all slots taken by the others at this moment
        const std::uint32_t s = *got;
        if (holders[s].fetch_add(1, std::memory_order_relaxed) != 0) shared_slot.fetch_add(1);
        const long mark = static_cast<long>(t) * rounds + i;
        buffers[s].set(mark);
        if (buffers[s].get() != mark) bad_buffer.fetch_add(1);
        holders[s].fetch_sub(1, std::memory_order_relaxed);
        stack.push(s);
        if (i % 256 == 0) wb::test::progress();
      }
    });
    REQUIRE(shared_slot.load() == 0);
    REQUIRE(bad_buffer.load() == 0);
    std::vector<std::uint32_t> left = drain(stack);
    std::sort(left.begin(), left.end());
    REQUIRE(left == std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5});
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("treiber_stack: model a pop that stalls while its top slot leaves and comes back",
          "[ch10][treiber_stack][model]") {
  wb::model::check([] {
    treiber_stack stack(3);
    stack.push(1);
    stack.push(0);  // the stack, top first: 0 1
    std::optional<std::uint32_t> stalled;
    std::optional<std::uint32_t> kept;
    wb::thread a([&] { stalled = stack.pop(); });
    // b: pop 0, pop 1, push 0 back and keep 1. The top is 0 again, but 1 is
    // no longer under it.
    const auto first = stack.pop();
    kept = stack.pop();
    if (first) stack.push(*first);
    a.join();
    // Every slot is in exactly one place: a's hands, b's hands, or the stack.
    std::vector<std::uint32_t> all = drain(stack);
    if (stalled) all.push_back(*stalled);
    if (kept) all.push_back(*kept);
    std::sort(all.begin(), all.end());
    REQUIRE(all == std::vector<std::uint32_t>{0, 1});
  });
}

TEST_CASE("treiber_stack: model the thread that pops a slot sees what the pusher wrote",
          "[ch10][treiber_stack][model]") {
  wb::model::check([] {
    treiber_stack stack(2);
    wb::cell<long> buffer0(0);
    wb::thread producer([&] {
      buffer0.set(42);
      stack.push(0);
    });
    std::optional<std::uint32_t> got;
    while (!(got = stack.pop())) {
      wb::spin_loop_hint();
      if (!wb::model::enabled()) std::this_thread::yield();  // the producer may need our core
    }
    REQUIRE(*got == 0);
    REQUIRE(buffer0.get() == 42);
    producer.join();
  });
}

TEST_CASE("treiber_stack: model two threads pop and push concurrently",
          "[ch10][treiber_stack][model]") {
  wb::model::check([] {
    treiber_stack stack(3);
    for (std::uint32_t s = 0; s < 3; ++s) stack.push(s);
    std::optional<std::uint32_t> a_got, b_got;
    wb::thread a([&] {
      a_got = stack.pop();
      if (a_got) stack.push(*a_got);
      a_got = stack.pop();
    });
    b_got = stack.pop();
    a.join();
    REQUIRE(a_got.has_value());
    REQUIRE(b_got.has_value());
    REQUIRE(*a_got != *b_got);
    std::vector<std::uint32_t> all = drain(stack);
    all.push_back(*a_got);
    all.push_back(*b_got);
    std::sort(all.begin(), all.end());
    REQUIRE(all == std::vector<std::uint32_t>{0, 1, 2});
  });
}
