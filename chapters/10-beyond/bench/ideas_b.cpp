// Part B of chapter 10 against the libraries a practitioner would pick, with
// Google Benchmark in the `bench` tree (-O2): `./workbook bench ideas_b`.
//
//   * The Treiber stack (exercise 10.5) against boost::lockfree::stack with a
//     fixed capacity, which is the same design: an array of nodes named by
//     index, and a head word holding an index and an ABA tag. One iteration
//     is what a free list does all day: pop a slot, push it back.
//   * The RCU read side (exercise 10.6) against liburcu's: the `mb` flavour,
//     the like-for-like one (a full barrier on the read side, as the C++
//     model needs without sys_membarrier), and `memb` beside it (no barrier
//     on the read side: the writer forces one on every reader with the
//     membarrier system call). Those two are in ideas_b_urcu_mb.cpp and
//     ideas_b_urcu_memb.cpp: each flavour's inline read side is its own
//     translation unit, because their headers rename the same API.
//     Every read-side benchmark reads through the section one int of the
//     current version; no writer runs (it is the read side we compare).
//
// Read ratios, not absolute numbers: a shared, loaded VM shows only rough
// figures. Run with --benchmark_repetitions=9 --benchmark_enable_random_interleaving=true
// and compare medians.
#include <benchmark/benchmark.h>

#include <boost/lockfree/stack.hpp>

#include <cstdint>
#include <optional>

#include "rcu.hpp"
#include "treiber_stack.hpp"

namespace {

constexpr std::uint32_t slots = 1024;

// ---- the stack: pop a slot, push it back -----------------------------------

treiber_stack& our_stack() {
  static treiber_stack* stack = [] {
    auto* s = new treiber_stack(slots);
    for (std::uint32_t i = 0; i < slots; ++i) s->push(i);
    return s;
  }();
  return *stack;
}

using boost_stack_t = boost::lockfree::stack<std::uint32_t, boost::lockfree::capacity<slots>>;

boost_stack_t& boost_stack() {
  static boost_stack_t* stack = [] {
    auto* s = new boost_stack_t;
    for (std::uint32_t i = 0; i < slots; ++i) s->push(i);
    return s;
  }();
  return *stack;
}

void treiber_pop_push(benchmark::State& state) {
  treiber_stack& stack = our_stack();
  for (auto _ : state) {
    std::optional<std::uint32_t> slot = stack.pop();
    benchmark::DoNotOptimize(slot);
    if (slot) stack.push(*slot);
  }
  state.SetItemsProcessed(state.iterations());
}

void boost_lockfree_pop_push(benchmark::State& state) {
  boost_stack_t& stack = boost_stack();
  for (auto _ : state) {
    std::uint32_t slot = 0;
    const bool got = stack.pop(slot);
    benchmark::DoNotOptimize(slot);
    if (got) stack.push(slot);
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- the RCU read side -------------------------------------------------------

struct config {
  int port;
};

rcu<config>& our_rcu() {
  static rcu<config>* shared = new rcu<config>(8, config{8080});
  return *shared;
}

void rcu_read(benchmark::State& state) {
  rcu<config>& shared = our_rcu();
  const int reader = static_cast<int>(state.thread_index());
  for (auto _ : state) {
    benchmark::DoNotOptimize(shared.read(reader, [](const config& c) { return c.port; }));
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(treiber_pop_push)->ThreadRange(1, 4)->UseRealTime();
BENCHMARK(boost_lockfree_pop_push)->ThreadRange(1, 4)->UseRealTime();
BENCHMARK(rcu_read)->ThreadRange(1, 2)->UseRealTime();

BENCHMARK_MAIN();
