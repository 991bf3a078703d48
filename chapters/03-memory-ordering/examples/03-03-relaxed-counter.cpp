// Chapter 3, demo 03-03: Relaxed atomics and the modification order
// Four threads increment one counter with relaxed fetch_add while a watcher reads it with
// relaxed loads. No increment is lost, and the watcher never sees the counter go backwards:
// every atomic has one modification order that all threads agree on, whatever the memory order.
// Run: ./workbook demo 03-03-relaxed-counter
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-03-relaxed-counter)
#include <fmt/core.h>

#include <atomic>
#include <thread>
#include <vector>

int main() {
  constexpr int threads = 4;
  constexpr int per_thread = 50'000;
  // [relaxed-counter]
  std::atomic<long> counter{0};
  std::atomic<bool> done{false};
  long observations = 0;
  long went_backwards = 0;
  {
    std::jthread watcher{[&] {
      long last = 0;
      while (!done.load(std::memory_order_relaxed)) {
        long now = counter.load(std::memory_order_relaxed);
        if (now < last) ++went_backwards;  // read-read coherence forbids this ([intro.races])
        last = now;
        ++observations;
      }
    }};
    std::vector<std::jthread> incrementers;
    for (int t = 0; t < threads; ++t) {
      incrementers.emplace_back([&counter] {
        for (int i = 0; i < per_thread; ++i) counter.fetch_add(1, std::memory_order_relaxed);
      });
    }
    incrementers.clear();  // joins the incrementers
    done.store(true, std::memory_order_relaxed);
  }  // joins the watcher: its plain results are ours to read
  // [relaxed-counter]
  fmt::print("counter = {} (expected {}): a read-modify-write always reads the latest value\n",
             counter.load(), threads * per_thread);
  fmt::print("watcher: {} loads, went backwards {} times\n", observations, went_backwards);
  return counter.load() == threads * per_thread && went_backwards == 0 ? 0 : 1;
}
