// How much does a lock cost? Our spin locks against std::mutex, in the workbook's harness
// (tools/bench/include/wb/bench.hpp): `./workbook bench locks` prints a table of medians and
// ratios against std::mutex and writes a plot.
//
//   uncontended/...        one thread, lock + increment + unlock: one atomic read-modify-write
//                          to lock, one store to unlock.
//   with_work/.../threads:N a team of 1, 2 or 4 threads; each operation takes the lock,
//                          increments, releases it, and then works outside the lock (about
//                          0.25 µs). Without that work, a benchmark rewards the lock that lets
//                          the releasing thread take it straight back (barging): the test-and-set
//                          locks would look fast and the ticket lock, which hands the lock to the
//                          next in line, slow, and no real program locks in a tight loop all day.
// The fairness column shows the other side: the ticket lock serves threads in turn (fairness
// near 1); a test-and-set lock lets whoever is on a CPU win. With 4 threads on a 2-CPU machine a
// spinning waiter can burn its whole time slice while the holder is not running, and the ticket
// lock suffers most: the next in line may be the one that is not running.
// Each lock and its counter have cache lines of their own (alignas(64)), the same for every lock.
#include <cstdint>
#include <memory>
#include <mutex>
#include <wb/bench.hpp>

#include "spin_lock.hpp"
#include "ticket_lock.hpp"
#include "ttas_lock.hpp"

namespace {

template <class Lock>
struct alignas(64) guarded {
  Lock lock;
  alignas(64) std::uint64_t counter = 0;  // protected by lock
};

template <class Lock>
void uncontended(benchmark::State& state) {
  auto g = std::make_unique<guarded<Lock>>();
  for (auto _ : state) {
    g->lock.lock();
    ++g->counter;
    benchmark::DoNotOptimize(g->counter);
    g->lock.unlock();
  }
  wb::bench::per_op(state);
}

template <class Lock>
void with_work(benchmark::State& state) {
  auto g = std::make_unique<guarded<Lock>>();
  wb::bench::run_team(state, static_cast<int>(state.range(0)), [&g](int) {
    g->lock.lock();
    ++g->counter;
    benchmark::DoNotOptimize(g->counter);
    g->lock.unlock();
    wb::bench::work(200);  // outside the lock
  });
}

template <class Lock>
void register_lock(const char* name) {
  benchmark::RegisterBenchmark((std::string("uncontended/") + name).c_str(), uncontended<Lock>);
  wb::bench::team_benchmark(
      benchmark::RegisterBenchmark((std::string("with_work/") + name).c_str(), with_work<Lock>));
}

const bool registered = [] {
  wb::bench::baseline("uncontended", "std::mutex");
  wb::bench::baseline("with_work", "std::mutex");
  register_lock<std::mutex>("std::mutex");
  register_lock<spin_lock>("spin_lock");
  register_lock<ttas_lock>("ttas_lock");
  register_lock<ticket_lock>("ticket_lock");
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
