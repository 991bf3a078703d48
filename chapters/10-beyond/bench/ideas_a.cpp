// Chapter 10, part A: our semaphore, sequence lock and MCS lock against what
// a practitioner would pick instead, with Google Benchmark in the `bench`
// tree (-O2): `./workbook bench ideas_a`.
//   * semaphore vs std::counting_semaphore: one thread acquire + release
//     (the uncontended path), and 2 and 4 threads sharing 1 permit with
//     work outside (the contended path: sleeps and wakes).
//   * seqlock vs Concurrency Kit's ck_sequence (libck-dev): a read of four
//     64-bit words with no writer (the read side is what a seqlock is for).
//   * mcs_lock vs chapter 4's ticket lock vs CK's ck_spinlock_mcs: lock +
//     unlock with work outside, on 1, 2 and 4 threads (CK's: up to the
//     number of cores, see below).
// CK's headers are C that does not compile as C++, so its side is compiled
// as C in ck_side.c and called out of line; our seqlock read and lock +
// unlock are called out of line too, so that both sides pay one call.
// Without libck-dev the program is built without the CK rows.
//
// Compare ratios, not absolute numbers, and run with repetitions in random
// interleaving and read medians:
//   --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//   --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <wb/sync.hpp>

#include <array>
#include <cstdint>
#include <semaphore>
#include <thread>

#include "../04-spin-lock/ticket_lock.hpp"
#include "mcs_lock.hpp"
#include "semaphore.hpp"
#include "seqlock.hpp"

#ifdef WB_HAVE_CK
#include "ck_side.h"
#endif

namespace {

// A little work between two critical sections, so that a thread does not
// take the lock again at once. Not `pause`: on recent x86 one takes ~140
// cycles, and 32 of them would hide the lock's cost entirely.
void work_outside() {
  for (int i = 0; i < 64; ++i) benchmark::DoNotOptimize(i);
}

// ---- semaphore --------------------------------------------------------------

template <class Semaphore>
void semaphore_uncontended(benchmark::State& state) {
  Semaphore permits(1);
  for (auto _ : state) {
    permits.acquire();
    permits.release();
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Semaphore>
struct shared_semaphore {
  alignas(64) static inline Semaphore permits{1};
};

template <class Semaphore>
void semaphore_contended(benchmark::State& state) {
  for (auto _ : state) {
    shared_semaphore<Semaphore>::permits.acquire();
    shared_semaphore<Semaphore>::permits.release();
    work_outside();
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(semaphore_uncontended<std::counting_semaphore<>>);
BENCHMARK(semaphore_uncontended<semaphore>);
BENCHMARK(semaphore_contended<std::counting_semaphore<>>)->Threads(2)->Threads(4)->UseRealTime();
BENCHMARK(semaphore_contended<semaphore>)->Threads(2)->Threads(4)->UseRealTime();

// ---- sequence lock: the read side -------------------------------------------

seqlock<4>& our_sequence() {
  static seqlock<4> lock;
  return lock;
}

// Both sides return the four words by value (in memory the caller gives).
[[gnu::noinline]] seqlock<4>::value_type our_sequence_read() { return our_sequence().read(); }

template <auto Read>
void sequence_read(benchmark::State& state) {
  our_sequence().write({1, 2, 3, 4});
  for (auto _ : state) {
    auto words = Read();
    benchmark::DoNotOptimize(words);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(sequence_read<our_sequence_read>)->Name("seqlock_read");
#ifdef WB_HAVE_CK
BENCHMARK(sequence_read<wb_ck_sequence_read>)->Name("ck_sequence_read");
#endif

// ---- queued locks -----------------------------------------------------------

alignas(64) ticket_lock the_ticket_lock;
alignas(64) mcs_lock the_mcs_lock;

[[gnu::noinline]] void ticket_lock_unlock() {
  the_ticket_lock.lock();
  the_ticket_lock.unlock();
}

[[gnu::noinline]] void mcs_lock_unlock() {
  mcs_lock::node mine;
  the_mcs_lock.lock(mine);
  the_mcs_lock.unlock(mine);
}

template <void (*LockUnlock)()>
void lock_with_work_outside(benchmark::State& state) {
  for (auto _ : state) {
    LockUnlock();
    work_outside();
  }
  state.SetItemsProcessed(state.iterations());
}

// 1, 2 and 4 threads. CK's MCS lock spins and never yields: with more
// threads than cores, each hand-over waits until the scheduler runs the
// preempted next waiter (on a 2-core machine, 4 threads did not finish in
// 100 s), so it runs only with as many threads as there are cores. Ours and
// the ticket lock yield now and then and run at 4 everywhere.
void up_to_four_threads(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2, 4}) b->Threads(threads);
}
void up_to_the_cores(benchmark::internal::Benchmark* b) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  for (int threads : {1, 2, 4}) {
    if (threads <= cores) b->Threads(threads);
  }
}

BENCHMARK(lock_with_work_outside<ticket_lock_unlock>)
    ->Name("ticket_lock")
    ->Apply(up_to_four_threads)
    ->UseRealTime();
BENCHMARK(lock_with_work_outside<mcs_lock_unlock>)
    ->Name("mcs_lock")
    ->Apply(up_to_four_threads)
    ->UseRealTime();
#ifdef WB_HAVE_CK
BENCHMARK(lock_with_work_outside<wb_ck_mcs_lock_unlock>)
    ->Name("ck_spinlock_mcs")
    ->Apply(up_to_the_cores)
    ->UseRealTime();
#endif

}  // namespace

BENCHMARK_MAIN();
