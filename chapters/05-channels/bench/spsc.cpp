// Moving values from one thread to another: our SPSC ring against a mutex +
// deque channel and Boost's lock-free spsc_queue. `./workbook bench spsc`
// (the bench tree, -O2).
//
// Each iteration starts a producer that pushes `items` integers while the
// benchmark's thread pops them; items/s is the throughput of the hand-off.
// Every queue holds at most `capacity` values, so both sides spin (politely)
// when it is full or empty, as a bounded SPSC queue's users do. Starting the
// producer thread costs tens of microseconds per iteration, under 5% of an
// iteration here; it is the same for every queue.
#include <benchmark/benchmark.h>
#include <boost/lockfree/spsc_queue.hpp>

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <wb/sync.hpp>

#include "spsc_ring.hpp"

namespace {

constexpr std::size_t capacity = 1024;
constexpr std::uint64_t items = 1 << 16;

// The three queues behind one interface: try_push / try_pop.
struct ring_queue {
  spsc_ring<std::uint64_t> ring{capacity};
  bool try_push(std::uint64_t v) { return ring.try_push(v); }
  std::optional<std::uint64_t> try_pop() { return ring.try_pop(); }
};

struct mutex_deque_queue {
  std::mutex mutex;
  std::deque<std::uint64_t> values;  // guarded by mutex
  bool try_push(std::uint64_t v) {
    std::lock_guard lock(mutex);
    if (values.size() == capacity) return false;
    values.push_back(v);
    return true;
  }
  std::optional<std::uint64_t> try_pop() {
    std::lock_guard lock(mutex);
    if (values.empty()) return std::nullopt;
    const std::uint64_t v = values.front();
    values.pop_front();
    return v;
  }
};

struct boost_queue {
  boost::lockfree::spsc_queue<std::uint64_t, boost::lockfree::capacity<capacity>> queue;
  bool try_push(std::uint64_t v) { return queue.push(v); }
  std::optional<std::uint64_t> try_pop() {
    std::uint64_t v;
    if (queue.pop(v)) return v;
    return std::nullopt;
  }
};

template <class Queue>
void producer_to_consumer(benchmark::State& state) {
  for (auto _ : state) {
    Queue queue;
    std::thread producer([&] {
      for (std::uint64_t i = 0; i < items; ++i) {
        while (!queue.try_push(i)) wb::spin_loop_hint();
      }
    });
    std::uint64_t sum = 0;
    for (std::uint64_t received = 0; received < items;) {
      if (auto v = queue.try_pop()) {
        sum += *v;
        ++received;
      } else {
        wb::spin_loop_hint();
      }
    }
    producer.join();
    if (sum != items * (items - 1) / 2) state.SkipWithError("values were lost or duplicated");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items));
}

BENCHMARK(producer_to_consumer<ring_queue>)->UseRealTime();
BENCHMARK(producer_to_consumer<boost_queue>)->UseRealTime();
BENCHMARK(producer_to_consumer<mutex_deque_queue>)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
