// The workbook's benchmark harness: what every chapters/NN-topic/bench/*.cpp builds on, so that
// every benchmark measures the same way (CONTRIBUTING.md, "Adding a benchmark to the lab").
//
//   * Names are "scenario/subject[/threads:N]", and each scenario names its baseline with
//     wb::bench::baseline(scenario, subject): the lab (./workbook bench) prints every subject's
//     median as a ratio against the baseline of its scenario, at the same thread count.
//   * Several threads: run_team() starts its threads once, before the timed region, and releases
//     them together for each timed round; each thread counts its own operations, so the lab shows
//     per-thread shares (fairness), not only the total. Google Benchmark's ->Threads(n) instead
//     gives every thread the same number of iterations, which hides an unfair lock (the fast
//     thread simply finishes first) and lets the slowest thread set the time.
//   * Work outside the lock as well as inside: work(n), a chain of n dependent multiply-adds the
//     compiler cannot fold. A loop of lock+unlock and nothing else rewards a lock that lets the
//     releasing thread take it straight back (barging), which no real program does all day.
//   * A team's threads are pinned, one CPU each, when the machine has a CPU for each
//     (wb::topology::pin_plan; WB_BENCH_PIN=0 turns it off): left to the scheduler, the two
//     threads of a hand-off benchmark share one CPU in one repetition and not in the next, and
//     the two modes differ tenfold. A larger team runs unpinned; the `pinned` counter says which.
//   * The metric is nanoseconds per operation, the `ns_per_op` counter (lower is better); for a
//     team it is wall time over the operations of all threads, the inverse of throughput.
//   * WB_BENCH_MAIN() leaves libstdc++'s single-threaded shortcut for good (see chapter 6's
//     benchmark) and records the CPU topology and the pinning in the JSON context.
// The lab asks for interleaved repetitions and takes medians: see tools/bench/lab.cpp.
#pragma once

#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdlib>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>
#include <wb/topology.hpp>

namespace wb::bench {

// Declares `subject` the baseline of `scenario`: the lab divides by its median.
inline void baseline(const std::string& scenario, const std::string& subject) {
  benchmark::AddCustomContext("baseline/" + scenario, subject);
}

// Work that stands for what a thread does between two critical sections (or inside a longer one):
// `steps` dependent 64-bit multiply-adds, about 4 cycles each, kept by the optimiser because the
// result escapes. Unlike pause instructions, its cost does not vary tenfold between CPU models.
inline void work(unsigned steps) {
  std::uint64_t x = steps;
  for (unsigned i = 0; i < steps; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  benchmark::DoNotOptimize(x);
}

// Whether run_team pins its threads (wb::topology::pin_plan): yes, unless the environment says
// WB_BENCH_PIN=0 (to see what the scheduler alone does).
inline bool pinning_enabled() {
  const char* env = std::getenv("WB_BENCH_PIN");
  return env == nullptr || std::string(env) != "0";
}

// A cache line of its own for each thread's count: the counting must not be a benchmark itself.
struct alignas(64) padded_count {
  std::uint64_t value = 0;
};
struct alignas(64) padded_seconds {
  double seconds = 0;
};

// The CPU time the calling thread has used, in seconds.
inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs `op(thread_index)` on `threads` threads, as many times as each can until the round ends,
// for every timed iteration of `state` (one round of `round_length`). The threads are created
// once, before the first round, wait until all are ready, and are released together; the time of
// a round runs from the release until the last thread has stopped. Reports, as counters:
//   ns_per_op   wall time / operations of all threads (lower is better)
//   cpu_ns_per_op  CPU time the team's threads used / their operations: what each operation
//               cost in instructions, spinning and system calls, without the time a thread
//               slept or waited for a CPU. On a busy shared machine, where the team gets a
//               fraction of each CPU, wall time mostly measures the other programs; this does not
//               (but it does not see the latency of a sleeping lock either: read both).
//   fairness    the least busy thread's operations / the busiest thread's (1 = even)
//   share<i>    thread i's share of all operations, in % (only with 2 threads or more)
//   pinned      1 when every thread ran pinned to a CPU of its own (wb::topology::pin_plan: when
//               the machine has a CPU for each); absent when the team was left to the scheduler
// An operation that may wait for another thread (an SPSC queue's push into a full queue) takes
// the round's stop flag as a second argument, `op(thread_index, stop)`, and gives up when it is
// set: its partner may already have stopped. Use with ->UseManualTime() (team_benchmark does).
template <class Op>
void run_team(benchmark::State& state, int threads, Op op,
              std::chrono::microseconds round_length = std::chrono::milliseconds(10)) {
  std::atomic<std::uint64_t> generation{0};  // bumped to release a round; ~0 ends the team
  std::atomic<int> ready{0};                 // threads waiting for the next release
  std::atomic<int> stopped{0};               // threads done with the current round
  std::atomic<bool> stop{false};
  std::vector<padded_count> counts(static_cast<std::size_t>(threads));
  std::vector<padded_seconds> cpu(static_cast<std::size_t>(threads));
  constexpr std::uint64_t quit = ~std::uint64_t{0};
  const std::vector<int> plan =
      pinning_enabled() ? wb::topology::pin_plan(threads) : std::vector<int>{};
  std::atomic<int> pinned{0};  // threads that the system let pin themselves

  std::vector<std::thread> team;
  for (int t = 0; t < threads; ++t) {
    team.emplace_back([&, t] {
      if (!plan.empty() && wb::topology::pin_this_thread(plan[static_cast<std::size_t>(t)])) {
        pinned.fetch_add(1, std::memory_order_relaxed);  // read after the joins
      }
      std::uint64_t seen = 0;
      for (;;) {
        ready.fetch_add(1, std::memory_order_acq_rel);
        std::uint64_t g;
        while ((g = generation.load(std::memory_order_acquire)) == seen) std::this_thread::yield();
        if (g == quit) return;
        seen = g;
        const double cpu_start = thread_cpu_seconds();
        std::uint64_t n = 0;
        while (!stop.load(std::memory_order_relaxed)) {
          if constexpr (std::is_invocable_v<Op&, int, const std::atomic<bool>&>) {
            op(t, stop);
          } else {
            op(t);
          }
          ++n;
        }
        counts[static_cast<std::size_t>(t)].value += n;
        cpu[static_cast<std::size_t>(t)].seconds += thread_cpu_seconds() - cpu_start;
        stopped.fetch_add(1, std::memory_order_acq_rel);
      }
    });
  }

  double seconds = 0;
  std::uint64_t round = 0;
  for (auto _ : state) {
    while (ready.load(std::memory_order_acquire) < threads) std::this_thread::yield();
    ready.store(0, std::memory_order_relaxed);
    stopped.store(0, std::memory_order_relaxed);
    stop.store(false, std::memory_order_relaxed);
    const auto start = std::chrono::steady_clock::now();
    generation.store(++round, std::memory_order_release);
    std::this_thread::sleep_for(round_length);
    stop.store(true, std::memory_order_relaxed);
    while (stopped.load(std::memory_order_acquire) < threads) std::this_thread::yield();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    state.SetIterationTime(elapsed.count());
    seconds += elapsed.count();
  }
  while (ready.load(std::memory_order_acquire) < threads) std::this_thread::yield();
  generation.store(quit, std::memory_order_release);
  for (auto& thread : team) thread.join();

  std::uint64_t total = 0, least = ~std::uint64_t{0}, most = 0;
  double cpu_seconds = 0;
  for (const auto& c : cpu) cpu_seconds += c.seconds;
  for (const auto& c : counts) {
    total += c.value;
    least = std::min(least, c.value);
    most = std::max(most, c.value);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(total));
  state.counters["ns_per_op"] = total == 0 ? 0.0 : seconds * 1e9 / static_cast<double>(total);
  state.counters["cpu_ns_per_op"] =
      total == 0 ? 0.0 : cpu_seconds * 1e9 / static_cast<double>(total);
  state.counters["fairness"] =
      most == 0 ? 0.0 : static_cast<double>(least) / static_cast<double>(most);
  // Only when pinned: a counter that is 0 in every repetition has a coefficient of variation of
  // 0/0, which Google Benchmark writes into its JSON as NaN, and no JSON reader accepts that.
  if (pinned.load(std::memory_order_relaxed) == threads) state.counters["pinned"] = 1.0;
  if (threads > 1) {
    for (int t = 0; t < threads; ++t) {
      state.counters["share" + std::to_string(t)] =
          total == 0 ? 0.0
                     : 100.0 * static_cast<double>(counts[static_cast<std::size_t>(t)].value) /
                           static_cast<double>(total);
    }
  }
}

// For a single-threaded loop timed by Google Benchmark itself: sets ns_per_op from the loop's CPU
// time (Google Benchmark divides a rate counter by CPU time unless the benchmark asks for real
// time), which other programs on a shared machine disturb less than wall time. Call after the
// loop with the number of operations per iteration.
inline void per_op(benchmark::State& state, std::int64_t ops_per_iteration = 1) {
  state.SetItemsProcessed(state.iterations() * ops_per_iteration);
  state.counters["ns_per_op"] =
      benchmark::Counter(static_cast<double>(state.iterations() * ops_per_iteration) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// The usual thread counts of a team benchmark: 1, 2 and 4 (4 outnumbers a 2-CPU machine, which is
// where spinning goes wrong: a waiter can burn its time slice while the holder is not running).
inline benchmark::internal::Benchmark* team_benchmark(benchmark::internal::Benchmark* b) {
  return b->ArgName("threads")->Arg(1)->Arg(2)->Arg(4)->UseManualTime()->Iterations(10);
}

// Records the topology and leaves libstdc++'s single-threaded shortcut before anything runs.
inline int main(int argc, char** argv) {
  std::thread([] {}).join();  // glibc's __libc_single_threaded never goes back to true
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a row per line, also into the lab's pipe (progress)
  const std::string topology = wb::topology::summary();
  std::fprintf(stderr, "topology: %s\n", topology.c_str());  // run alone, the program says it too
  benchmark::AddCustomContext("topology", topology);
  const std::string pinning =
      pinning_enabled() ? wb::topology::pinning_summary(4) : "teams unpinned (WB_BENCH_PIN=0)";
  std::fprintf(stderr, "pinning: %s\n", pinning.c_str());
  benchmark::AddCustomContext("pinning", pinning);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace wb::bench

#define WB_BENCH_MAIN() \
  int main(int argc, char** argv) { return wb::bench::main(argc, argv); }
