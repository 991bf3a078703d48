// What does a reference cost? Our arc's clone + drop against std::shared_ptr's
// copy + destroy. `./workbook bench arc_vs_shared_ptr` (the bench tree, -O2).
//
// A trap first: libstdc++ skips the atomic instructions of shared_ptr's
// counts while the process has never started a second thread (glibc's
// __libc_single_threaded), so a naive single-threaded benchmark compares our
// atomic increments with plain ones. main() below starts (and joins) a
// thread before any benchmark runs; the flag never goes back, so every
// measurement uses atomics, as a real concurrent program would.
//
// With one thread the cost is two uncontended atomic read-modify-writes per
// clone + drop; with two, both threads clone the same object, so its count's
// cache line moves between the cores on every operation.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <thread>

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
  state.SetItemsProcessed(state.iterations());
}

void shared_ptr_copy_destroy(benchmark::State& state) {
  const std::shared_ptr<payload>& original = shared_shared_ptr();
  for (auto _ : state) {
    std::shared_ptr<payload> copy(original);
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(arc_clone_drop)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(shared_ptr_copy_destroy)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  std::thread([] {}).join();  // leave libstdc++'s single-threaded shortcut for good
  shared_arc();               // build both objects before any timing
  shared_shared_ptr();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
