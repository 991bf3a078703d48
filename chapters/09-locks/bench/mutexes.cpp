// The lock lab: our mutexes and reader-writer lock against the standard library's, glibc's and
// Abseil's, in the workbook's harness (tools/bench/include/wb/bench.hpp). Run it with
// `./workbook bench mutexes`: it prints a table of medians and ratios and writes a plot.
//
// Scenarios (each with its baseline, the lock a learner would otherwise use):
//   uncontended/...        one thread, lock + unlock around an increment; the physical floor is
//                          `lock cmpxchg + xchg`, the two locked instructions any lock that can
//                          tell "waiters" from "no waiters" needs. Baseline: std::mutex.
//   short_cs/.../threads:N a team of 1, 2 or 4 threads; each operation locks, increments, unlocks
//                          and then works outside the lock (work(200), about 0.25 µs).
//   long_cs/.../threads:N  the same with work(50) inside the lock as well.
//   read_mostly/...        reader-writer locks, 9 reads for every write, work outside as above.
//                          Baseline: std::shared_mutex.
// The team's counters show each thread's share of the acquisitions: a lock that lets the
// releasing thread barge back in wins throughput and loses fairness, and the table shows both.
// Each lock and the data it protects sit on cache lines of their own (alignas(64)), so the layout
// is the same for every lock instead of wherever the linker put a static.
#include <absl/synchronization/mutex.h>
#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <wb/bench.hpp>

#include "rw_lock.hpp"
#include "spinning_mutex.hpp"
#include "three_state_mutex.hpp"
#include "two_state_mutex.hpp"

namespace {

using wb::bench::work;

constexpr unsigned outside_steps = 200;  // work outside the lock, every operation
constexpr unsigned long_cs_steps = 50;   // work inside the lock, long_cs only

// ---- the other locks, behind lock()/unlock() (and lock_shared()/unlock_shared()) ----------------
class pthread_default {
 public:
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }

 private:
  pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
};

// glibc's adaptive mutex spins a bounded, self-tuning number of times before sleeping.
class pthread_adaptive {
 public:
  pthread_adaptive() {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&m_, &attr);
    pthread_mutexattr_destroy(&attr);
  }
  ~pthread_adaptive() { pthread_mutex_destroy(&m_); }
  pthread_adaptive(const pthread_adaptive&) = delete;
  pthread_adaptive& operator=(const pthread_adaptive&) = delete;
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }

 private:
  pthread_mutex_t m_;
};

class absl_mutex {
 public:
  void lock() { m_.Lock(); }
  void unlock() { m_.Unlock(); }
  void lock_shared() { m_.ReaderLock(); }
  void unlock_shared() { m_.ReaderUnlock(); }

 private:
  absl::Mutex m_;
};

// ---- the physical floor -------------------------------------------------------------------------
void floor_pair(benchmark::State& state) {
  alignas(64) std::atomic<std::uint32_t> word{0};
  std::uint64_t counter = 0;
  for (auto _ : state) {
    std::uint32_t expected = 0;
    word.compare_exchange_strong(expected, 1, std::memory_order_acquire, std::memory_order_relaxed);
    ++counter;
    benchmark::DoNotOptimize(counter);
    benchmark::DoNotOptimize(word.exchange(0, std::memory_order_release));
  }
  wb::bench::per_op(state);
}

// ---- scenarios ----------------------------------------------------------------------------------
template <class Mutex>
struct alignas(64) guarded {
  Mutex mutex;
  alignas(64) std::uint64_t counter = 0;  // protected by mutex
};

template <class Mutex>
void uncontended(benchmark::State& state) {
  auto g = std::make_unique<guarded<Mutex>>();
  for (auto _ : state) {
    g->mutex.lock();
    ++g->counter;
    benchmark::DoNotOptimize(g->counter);
    g->mutex.unlock();
  }
  wb::bench::per_op(state);
}

template <class Mutex, unsigned inside_steps>
void contended(benchmark::State& state) {
  auto g = std::make_unique<guarded<Mutex>>();
  wb::bench::run_team(state, static_cast<int>(state.range(0)), [&g](int) {
    g->mutex.lock();
    ++g->counter;
    benchmark::DoNotOptimize(g->counter);
    if constexpr (inside_steps > 0) work(inside_steps);
    g->mutex.unlock();
    work(outside_steps);
  });
}

template <class RwLock>
void read_mostly(benchmark::State& state) {
  auto g = std::make_unique<guarded<RwLock>>();
  wb::bench::padded_count turn[4];
  wb::bench::run_team(state, static_cast<int>(state.range(0)), [&g, &turn](int t) {
    if (++turn[t].value % 10 == 0) {  // one write in ten
      g->mutex.lock();
      ++g->counter;
      work(long_cs_steps);
      g->mutex.unlock();
    } else {
      g->mutex.lock_shared();
      benchmark::DoNotOptimize(g->counter);
      work(long_cs_steps);
      g->mutex.unlock_shared();
    }
    work(outside_steps);
  });
}

// ---- registration -------------------------------------------------------------------------------
template <class Mutex>
void register_mutex(const char* name) {
  benchmark::RegisterBenchmark((std::string("uncontended/") + name).c_str(), uncontended<Mutex>);
  wb::bench::team_benchmark(
      benchmark::RegisterBenchmark((std::string("short_cs/") + name).c_str(), contended<Mutex, 0>));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark((std::string("long_cs/") + name).c_str(),
                                                         contended<Mutex, long_cs_steps>));
}

template <class RwLock>
void register_rw_lock(const char* name) {
  wb::bench::team_benchmark(benchmark::RegisterBenchmark(
      (std::string("read_mostly/") + name).c_str(), read_mostly<RwLock>));
}

const bool registered = [] {
  // Debian builds Abseil without NDEBUG, which leaves its deadlock detector on: a graph update on
  // every lock. Turn it off, as a release build would.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  for (const char* scenario : {"uncontended", "short_cs", "long_cs"}) {
    wb::bench::baseline(scenario, "std::mutex");
  }
  wb::bench::baseline("read_mostly", "std::shared_mutex");
  benchmark::RegisterBenchmark("uncontended/lock_cmpxchg+xchg", floor_pair);
  register_mutex<std::mutex>("std::mutex");
  register_mutex<pthread_default>("pthread_default");
  register_mutex<pthread_adaptive>("pthread_adaptive");
  register_mutex<absl_mutex>("absl::Mutex");
  register_mutex<two_state_mutex>("two_state_mutex");
  register_mutex<three_state_mutex>("three_state_mutex");
  register_mutex<spinning_mutex>("spinning_mutex");
  register_rw_lock<std::shared_mutex>("std::shared_mutex");
  register_rw_lock<absl_mutex>("absl::Mutex(reader)");
  register_rw_lock<rw_lock>("rw_lock");
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
