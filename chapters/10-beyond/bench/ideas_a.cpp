// Part A of chapter 10 against what a practitioner would pick instead, in the workbook's harness
// (tools/bench/include/wb/bench.hpp). Run it with `./workbook bench ideas_a`: a table of medians
// of interleaved repetitions, with ratios against each scenario's baseline.
//
// Scenarios (baseline first):
//   semaphore_uncontended/...  one thread, acquire + release of a semaphore of 1 permit.
//                              Baseline: std::counting_semaphore.
//   semaphore_1_permit/...     a team of 1, 2 or 4 threads sharing 1 permit: acquire, work
//                              inside, release, work outside. Baseline: std::counting_semaphore.
//   seqlock_read/...           one thread, a read of four 64-bit words with no writer (the read
//                              side is what a sequence lock is for). Baseline: CK's ck_sequence.
//   lock/...                   a team of 1, 2 or 4 threads: lock, increment, unlock, work
//                              outside. Baseline: chapter 4's ticket lock, beside our MCS lock and
//                              CK's ck_spinlock_mcs.
// Concurrency Kit's headers are C that does not compile as C++ (implicit void* conversions), so
// its side is compiled as C in ck_side.c and called out of line; our seqlock read and MCS lock +
// unlock are called out of line too, so that both sides pay one call. Without libck-dev the
// program is built without the CK rows (and the seqlock and lock scenarios have no baseline).
// CK's MCS lock spins and never yields: with more threads than CPUs a hand-over waits until the
// scheduler runs the preempted next waiter, so its team runs only up to the number of CPUs.
#include <array>
#include <cstdint>
#include <memory>
#include <semaphore>
#include <string>
#include <thread>
#include <wb/bench.hpp>

#include "../04-spin-lock/ticket_lock.hpp"
#include "mcs_lock.hpp"
#include "semaphore.hpp"
#include "seqlock.hpp"

#ifdef WB_HAVE_CK
#include "ck_side.h"
#endif

namespace {

using wb::bench::work;

constexpr unsigned outside_steps = 200;  // work outside the critical section, every operation
constexpr unsigned inside_steps = 20;    // work while holding the permit

// ---- semaphore ----------------------------------------------------------------------------------
template <class Semaphore>
struct alignas(64) shared_permits {
  Semaphore permits{1};
};

template <class Semaphore>
void semaphore_uncontended(benchmark::State& state) {
  auto s = std::make_unique<shared_permits<Semaphore>>();
  for (auto _ : state) {
    s->permits.acquire();
    s->permits.release();
  }
  wb::bench::per_op(state);
}

template <class Semaphore>
void semaphore_1_permit(benchmark::State& state) {
  auto s = std::make_unique<shared_permits<Semaphore>>();
  wb::bench::run_team(state, static_cast<int>(state.range(0)), [&s](int) {
    s->permits.acquire();
    work(inside_steps);
    s->permits.release();
    work(outside_steps);
  });
}

// ---- sequence lock: the read side ---------------------------------------------------------------
seqlock<4>& our_sequence() {
  static seqlock<4> lock;
  return lock;
}

// Both sides return the four words by value (in memory the caller gives).
[[gnu::noinline]] seqlock<4>::value_type our_sequence_read() { return our_sequence().read(); }

template <auto Read>
void seqlock_read(benchmark::State& state) {
  our_sequence().write({1, 2, 3, 4});
  for (auto _ : state) {
    auto words = Read();
    benchmark::DoNotOptimize(words);
  }
  wb::bench::per_op(state);
}

// ---- queued locks -------------------------------------------------------------------------------
struct alignas(64) guarded_counter {
  alignas(64) std::uint64_t value = 0;  // protected by the lock of the scenario
};
alignas(64) ticket_lock the_ticket_lock;
alignas(64) mcs_lock the_mcs_lock;
guarded_counter counter;

[[gnu::noinline]] void ticket_lock_unlock() {
  the_ticket_lock.lock();
  ++counter.value;
  benchmark::DoNotOptimize(counter.value);
  the_ticket_lock.unlock();
}

[[gnu::noinline]] void mcs_lock_unlock() {
  mcs_lock::node mine;
  the_mcs_lock.lock(mine);
  ++counter.value;
  benchmark::DoNotOptimize(counter.value);
  the_mcs_lock.unlock(mine);
}

template <void (*LockUnlock)()>
void lock(benchmark::State& state) {
  wb::bench::run_team(state, static_cast<int>(state.range(0)), [](int) {
    LockUnlock();
    work(outside_steps);
  });
}

// team_benchmark's 1, 2 and 4 threads, but no more than there are CPUs.
benchmark::internal::Benchmark* team_up_to_the_cpus(benchmark::internal::Benchmark* b) {
  const long cpus = static_cast<long>(std::thread::hardware_concurrency());
  b->ArgName("threads");
  for (long threads : {1L, 2L, 4L}) {
    if (threads == 1 || threads <= cpus) b->Arg(threads);
  }
  return b->UseManualTime()->Iterations(10);
}

// ---- registration -------------------------------------------------------------------------------
const bool registered = [] {
  wb::bench::baseline("semaphore_uncontended", "std::counting_semaphore");
  wb::bench::baseline("semaphore_1_permit", "std::counting_semaphore");
  benchmark::RegisterBenchmark("semaphore_uncontended/std::counting_semaphore",
                               semaphore_uncontended<std::counting_semaphore<>>);
  benchmark::RegisterBenchmark("semaphore_uncontended/semaphore", semaphore_uncontended<semaphore>);
  wb::bench::team_benchmark(benchmark::RegisterBenchmark(
      "semaphore_1_permit/std::counting_semaphore", semaphore_1_permit<std::counting_semaphore<>>));
  wb::bench::team_benchmark(
      benchmark::RegisterBenchmark("semaphore_1_permit/semaphore", semaphore_1_permit<semaphore>));

#ifdef WB_HAVE_CK
  wb::bench::baseline("seqlock_read", "ck_sequence");
  benchmark::RegisterBenchmark("seqlock_read/ck_sequence", seqlock_read<wb_ck_sequence_read>);
#endif
  benchmark::RegisterBenchmark("seqlock_read/seqlock", seqlock_read<our_sequence_read>);

  wb::bench::baseline("lock", "ticket_lock");
  wb::bench::team_benchmark(
      benchmark::RegisterBenchmark("lock/ticket_lock", lock<ticket_lock_unlock>));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark("lock/mcs_lock", lock<mcs_lock_unlock>));
#ifdef WB_HAVE_CK
  team_up_to_the_cpus(
      benchmark::RegisterBenchmark("lock/ck_spinlock_mcs", lock<wb_ck_mcs_lock_unlock>));
#endif
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
