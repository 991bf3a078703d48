// What does a reference cost? Our arc's clone + drop against std::shared_ptr's
// copy + destroy, in the workbook's harness (tools/bench/include/wb/bench.hpp).
// `./workbook bench arc_vs_shared_ptr` (the bench tree, -O2).
//
// A trap first: libstdc++ skips the atomic instructions of shared_ptr's
// counts while the process has never started a second thread (glibc's
// __libc_single_threaded), so a naive single-threaded benchmark compares our
// atomic increments with plain ones. WB_BENCH_MAIN() starts (and joins) a
// thread before any benchmark runs; the flag never goes back, so every
// measurement uses atomics, as a real concurrent program would.
//
//   clone_drop/...            one thread: two uncontended atomic read-modify-writes
//   shared/.../threads:N      a team of threads all cloning the same object, so its
//                             count's cache line moves between the cores on every
//                             operation, with a little work between clones
#include <cstdint>
#include <memory>
#include <wb/bench.hpp>

#include "arc.hpp"

namespace {

struct payload {
  std::uint64_t value = 42;
};

const arc<payload>& shared_arc() {
  static const arc<payload> a{payload{}};
  return a;
}

const std::shared_ptr<payload>& shared_shared_ptr() {
  static const auto p = std::make_shared<payload>();
  return p;
}

void arc_clone_drop(benchmark::State& state) {
  const arc<payload>& original = shared_arc();
  for (auto _ : state) {
    arc<payload> copy(original);
    benchmark::DoNotOptimize(copy);
  }
  wb::bench::per_op(state);
}

void shared_ptr_copy_destroy(benchmark::State& state) {
  const std::shared_ptr<payload>& original = shared_shared_ptr();
  for (auto _ : state) {
    std::shared_ptr<payload> copy(original);
    benchmark::DoNotOptimize(copy);
  }
  wb::bench::per_op(state);
}

template <class Pointer>
void shared(benchmark::State& state, const Pointer& original) {
  wb::bench::run_team(state, static_cast<int>(state.range(0)), [&original](int) {
    Pointer copy(original);
    benchmark::DoNotOptimize(copy);
    wb::bench::work(20);
  });
}

const bool registered = [] {
  shared_arc();  // build both objects before any timing
  shared_shared_ptr();
  wb::bench::baseline("clone_drop", "std::shared_ptr");
  wb::bench::baseline("shared", "std::shared_ptr");
  benchmark::RegisterBenchmark("clone_drop/std::shared_ptr", shared_ptr_copy_destroy);
  benchmark::RegisterBenchmark("clone_drop/arc", arc_clone_drop);
  wb::bench::team_benchmark(benchmark::RegisterBenchmark(
      "shared/std::shared_ptr", [](benchmark::State& s) { shared(s, shared_shared_ptr()); }));
  wb::bench::team_benchmark(benchmark::RegisterBenchmark(
      "shared/arc", [](benchmark::State& s) { shared(s, shared_arc()); }));
  return true;
}();

}  // namespace

WB_BENCH_MAIN()
