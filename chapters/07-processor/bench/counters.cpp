// What does sharing a cache line cost? Five ways for threads to count, measured
// with Google Benchmark in the `bench` tree (-O2): `./workbook bench counters`.
//
//   shared_atomic    every thread fetch_adds one atomic: true sharing, the line
//                    moves on every increment
//   adjacent_slots   each thread fetch_adds its own atomic, but the slots are
//                    next to each other in one array: false sharing
//   padded_slots     the same with each slot a cache_padded (exercise 7.1)
//   sharded_counter  exercise 7.2: one padded shard per thread, a load and a
//                    store instead of a read-modify-write
//   batched_counter  exercise 7.3: a tally in a register, flushed every 64
//
// With one thread all five measure the uncontended cost of their instructions
// (a `lock xadd` against a `mov` pair against an `add` to a register). With
// two or more, compare adjacent_slots with padded_slots: same instructions,
// different layout. On a VM or with SMT siblings the differences shrink or
// wobble: run it more than once, and read chapter 7 for what the topology
// allows. Numbers are measured here, never asserted in a test.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>

#include "batched_counter.hpp"
#include "cache_padded.hpp"
#include "sharded_counter.hpp"

namespace {

constexpr std::size_t max_threads = 8;

std::atomic<long> shared_count{0};
std::atomic<long> adjacent[max_threads];
cache_padded<std::atomic<long>> padded[max_threads];
sharded_counter shards(max_threads);
batched_counter batched(64);

void shared_atomic(benchmark::State& state) {
  for (auto _ : state) shared_count.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}

void adjacent_slots(benchmark::State& state) {
  std::atomic<long>& mine = adjacent[static_cast<std::size_t>(state.thread_index())];
  for (auto _ : state) mine.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}

void padded_slots(benchmark::State& state) {
  std::atomic<long>& mine = *padded[static_cast<std::size_t>(state.thread_index())];
  for (auto _ : state) mine.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}

void sharded(benchmark::State& state) {
  const auto mine = static_cast<std::size_t>(state.thread_index());
  for (auto _ : state) shards.add(mine);
  state.SetItemsProcessed(state.iterations());
}

void batched_tally(benchmark::State& state) {
  batched_counter::tally mine(batched);
  for (auto _ : state) {
    mine.increment();
    benchmark::ClobberMemory();  // keep each increment an increment, not one add of the total
  }
  state.SetItemsProcessed(state.iterations());
}

#define WB_COUNTER_BENCHMARK(f) BENCHMARK(f)->Threads(1)->Threads(2)->Threads(4)->UseRealTime()

WB_COUNTER_BENCHMARK(shared_atomic);
WB_COUNTER_BENCHMARK(adjacent_slots);
WB_COUNTER_BENCHMARK(padded_slots);
WB_COUNTER_BENCHMARK(sharded)->Name("sharded_counter");
WB_COUNTER_BENCHMARK(batched_tally)->Name("batched_counter");

}  // namespace

BENCHMARK_MAIN();
