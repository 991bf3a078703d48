// A sleep and a wake, three ways, measured with Google Benchmark in the
// `bench` tree (-O2): `./workbook bench round_trip`.
//
// Two threads hand a turn back and forth; each hand-over is "store the other
// thread's number, wake it", and the receiver sleeps until the turn is its.
// One iteration is one hand-over by each thread, so a round trip: two wakes,
// and usually two sleeps and two context switches.
//   futex_round_trip      exercise 8.1's futex::wait / wake_one: the raw
//                         system call, nothing else
//   atomic_wait_round_trip  std::atomic<uint32_t>::wait / notify_one
//                         (libstdc++ 12: a few spins and yields, then the
//                         futex, plus its waiter-count bookkeeping)
//   condvar_round_trip    std::mutex + std::condition_variable: glibc's
//                         mutex and condition variable, each a futex inside
// Real time, not CPU time: a thread asleep uses no CPU but still waits.
// The two threads are symmetric by construction (a hand-over needs both), so
// Google Benchmark's ->Threads(2), which gives each thread the same number of
// iterations, measures it fairly; the lab's run_team is for threads that
// compete. The lab shows each way as a ratio to the condition variable.
// The spins in atomic::wait can win on an idle machine with two free cores
// (the turn often comes back before the waiter reaches the kernel) and lose
// on a busy one. Compare ratios on your own machine; this is a shared VM.
#include <wb/bench.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "futex.hpp"

namespace {

futex::word_type futex_turn{0};
std::atomic<std::uint32_t> atomic_turn{0};
std::mutex condvar_mutex;
std::condition_variable condvar;
std::uint32_t condvar_turn = 0;  // guarded by condvar_mutex

// Each benchmark thread runs the same number of iterations, and every run
// ends with thread 1's hand-over, so the turn is back at 0 for the next run.
void futex_round_trip(benchmark::State& state) {
  const auto me = static_cast<std::uint32_t>(state.thread_index());
  for (auto _ : state) {
    for (std::uint32_t seen; (seen = futex_turn.load(std::memory_order_acquire)) != me;) {
      futex::wait(futex_turn, seen);
    }
    futex_turn.store(1 - me, std::memory_order_release);
    futex::wake_one(futex_turn);
  }
}

void atomic_wait_round_trip(benchmark::State& state) {
  const auto me = static_cast<std::uint32_t>(state.thread_index());
  for (auto _ : state) {
    for (std::uint32_t seen; (seen = atomic_turn.load(std::memory_order_acquire)) != me;) {
      atomic_turn.wait(seen, std::memory_order_acquire);
    }
    atomic_turn.store(1 - me, std::memory_order_release);
    atomic_turn.notify_one();
  }
}

void condvar_round_trip(benchmark::State& state) {
  const auto me = static_cast<std::uint32_t>(state.thread_index());
  for (auto _ : state) {
    std::unique_lock lock(condvar_mutex);
    condvar.wait(lock, [&] { return condvar_turn == me; });
    condvar_turn = 1 - me;
    lock.unlock();
    condvar.notify_one();
  }
}

// Names are scenario/subject (CONTRIBUTING.md, "Adding a benchmark to the lab").
const bool registered = [] {
  wb::bench::baseline("round_trip", "condvar");
  benchmark::RegisterBenchmark("round_trip/futex", futex_round_trip)->Threads(2)->UseRealTime();
  benchmark::RegisterBenchmark("round_trip/atomic_wait", atomic_wait_round_trip)
      ->Threads(2)
      ->UseRealTime();
  benchmark::RegisterBenchmark("round_trip/condvar", condvar_round_trip)->Threads(2)->UseRealTime();
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
