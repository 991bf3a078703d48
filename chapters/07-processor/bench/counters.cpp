// What does sharing a cache line cost? Five ways for threads to count, in the
// workbook's harness (tools/bench/include/wb/bench.hpp), the `bench` tree (-O2):
// `./workbook bench counters`. Names are "count/<way>/threads:N", each a team
// of threads started once and released together; the baseline is shared_atomic.
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
// allows (the lab prints the topology first). Numbers are measured here, never
// asserted in a test.
#include <atomic>
#include <cstddef>
#include <optional>
#include <wb/bench.hpp>

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

int threads(const benchmark::State& state) { return static_cast<int>(state.range(0)); }

void shared_atomic(benchmark::State& state) {
  wb::bench::run_team(state, threads(state),
                      [](int) { shared_count.fetch_add(1, std::memory_order_relaxed); });
}

void adjacent_slots(benchmark::State& state) {
  wb::bench::run_team(state, threads(state), [](int t) {
    adjacent[static_cast<std::size_t>(t)].fetch_add(1, std::memory_order_relaxed);
  });
}

void padded_slots(benchmark::State& state) {
  wb::bench::run_team(state, threads(state), [](int t) {
    padded[static_cast<std::size_t>(t)]->fetch_add(1, std::memory_order_relaxed);
  });
}

void sharded(benchmark::State& state) {
  wb::bench::run_team(state, threads(state),
                      [](int t) { shards.add(static_cast<std::size_t>(t)); });
}

void batched_tally(benchmark::State& state) {
  // One tally per thread, made by its thread on its first operation and flushed at the end.
  std::optional<batched_counter::tally> tallies[max_threads];
  wb::bench::run_team(state, threads(state), [&tallies](int t) {
    auto& mine = tallies[static_cast<std::size_t>(t)];
    if (!mine) mine.emplace(batched);
    mine->increment();
    benchmark::ClobberMemory();  // keep each increment an increment, not one add of the total
  });
}

const bool registered = [] {
  wb::bench::baseline("count", "shared_atomic");
  wb::bench::team_benchmark(benchmark::RegisterBenchmark("count/shared_atomic", shared_atomic));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark("count/adjacent_slots", adjacent_slots));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark("count/padded_slots", padded_slots));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark("count/sharded_counter", sharded));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark("count/batched_counter", batched_tally));
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
