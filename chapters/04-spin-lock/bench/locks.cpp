// How much does a lock cost? Our spin locks against std::mutex, measured with
// Google Benchmark in the `bench` tree (-O2): `./workbook bench locks`.
//
// Each iteration takes the lock, increments a counter it protects and
// releases it. With one thread that is the uncontended cost (one atomic
// read-modify-write to lock, one store to unlock); with two threads on this
// 2-core machine every iteration fights for the same cache line; with four,
// the threads outnumber the cores, which is where spinning goes wrong: a
// waiter can burn its whole time slice while the holder is not running.
// Compare the columns, not the absolute numbers, and remember that speed
// is measured here, never asserted in a test.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <mutex>

#include "spin_lock.hpp"
#include "ticket_lock.hpp"
#include "ttas_lock.hpp"

namespace {

// One lock and one counter per lock type, shared by the benchmark's threads.
template <class Lock>
struct shared_state {
  static inline Lock lock;
  static inline std::uint64_t counter = 0;  // protected by `lock`
};

template <class Lock>
void lock_increment_unlock(benchmark::State& state) {
  using shared = shared_state<Lock>;
  for (auto _ : state) {
    shared::lock.lock();
    ++shared::counter;
    benchmark::DoNotOptimize(shared::counter);
    shared::lock.unlock();
  }
  state.SetItemsProcessed(state.iterations());
}

// Real time, not CPU time: a thread that sleeps in std::mutex uses no CPU
// but still waits, and waiting is what we want to compare.
#define WB_LOCK_BENCHMARK(Lock) \
  BENCHMARK(lock_increment_unlock<Lock>)->Threads(1)->Threads(2)->Threads(4)->UseRealTime()

WB_LOCK_BENCHMARK(std::mutex);
WB_LOCK_BENCHMARK(spin_lock);
WB_LOCK_BENCHMARK(ttas_lock);
WB_LOCK_BENCHMARK(ticket_lock);

}  // namespace

BENCHMARK_MAIN();
