// Our three mutexes against std::mutex, measured with Google Benchmark in the
// `bench` tree (-O2): `./workbook bench mutexes`.
//
// Two scenarios, both with real time (a thread asleep in the kernel uses no
// CPU but still waits, and waiting is what we compare):
//   * uncontended: one thread, lock + unlock and nothing else. The floor is
//     `cas_xchg_floor`: the bare compare-exchange and exchange that any lock
//     able to tell "waiters" from "no waiters" needs (one locked instruction
//     each on x86).
//   * contended with work outside the lock: each iteration does a short
//     critical section (increment a counter) *and* some work outside it
//     (a few pause instructions), on 1, 2 and 4 threads. Without the work
//     outside, a benchmark rewards a lock that lets the releasing thread
//     take it straight back (barging), which no real program does all day.
// Compare ratios, not absolute numbers: this is a small, shared VM. The
// chapter's full benchmark lab (per-thread counts, pthread and Abseil,
// plots) is future work; see the chapter's README.
#include <benchmark/benchmark.h>

#include <wb/sync.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>

#include "spinning_mutex.hpp"
#include "three_state_mutex.hpp"
#include "two_state_mutex.hpp"

namespace {

template <class Mutex>
void uncontended(benchmark::State& state) {
  Mutex mutex;
  std::uint64_t counter = 0;
  for (auto _ : state) {
    mutex.lock();
    ++counter;
    benchmark::DoNotOptimize(counter);
    mutex.unlock();
  }
  state.SetItemsProcessed(state.iterations());
}

// The physical floor: what the three-state mutex's uncontended path is made of.
void cas_xchg_floor(benchmark::State& state) {
  std::atomic<std::uint32_t> word{0};
  std::uint64_t counter = 0;
  for (auto _ : state) {
    std::uint32_t expected = 0;
    word.compare_exchange_strong(expected, 1, std::memory_order_acquire, std::memory_order_relaxed);
    ++counter;
    benchmark::DoNotOptimize(counter);
    benchmark::DoNotOptimize(word.exchange(0, std::memory_order_release));
  }
  state.SetItemsProcessed(state.iterations());
}

// One lock and one counter per mutex type, shared by the benchmark's threads.
template <class Mutex>
struct shared_state {
  alignas(64) static inline Mutex mutex;
  alignas(64) static inline std::uint64_t counter = 0;  // protected by `mutex`
};

template <class Mutex>
void contended_with_work_outside(benchmark::State& state) {
  using shared = shared_state<Mutex>;
  for (auto _ : state) {
    shared::mutex.lock();
    ++shared::counter;
    benchmark::DoNotOptimize(shared::counter);
    shared::mutex.unlock();
    for (int i = 0; i < 32; ++i) wb::spin_loop_hint();  // work outside the lock
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(cas_xchg_floor);
BENCHMARK(uncontended<std::mutex>);
BENCHMARK(uncontended<two_state_mutex>);
BENCHMARK(uncontended<three_state_mutex>);
BENCHMARK(uncontended<spinning_mutex>);

#define WB_CONTENDED(Mutex) \
  BENCHMARK(contended_with_work_outside<Mutex>)->Threads(1)->Threads(2)->Threads(4)->UseRealTime()

WB_CONTENDED(std::mutex);
WB_CONTENDED(two_state_mutex);
WB_CONTENDED(three_state_mutex);
WB_CONTENDED(spinning_mutex);

}  // namespace

BENCHMARK_MAIN();
