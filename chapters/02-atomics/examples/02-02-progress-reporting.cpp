// Chapter 2, demo 02-02: Reporting progress through an atomic
// One background thread processes items and stores how many it has finished; the main thread
// polls that number and prints it whenever it changes. One writer, so a store is enough.
// Run: ./workbook demo 02-02-progress-reporting
//      (binary: build/dev/chapters/02-atomics/demo.02-02-progress-reporting)
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <thread>

constexpr int item_count = 50;

void process_item(int) { std::this_thread::sleep_for(std::chrono::microseconds{200}); }

int main() {
  // [progress-store]
  std::atomic<int> processed{0};  // written by the worker only, read by main
  std::jthread worker{[&processed] {
    for (int i = 0; i < item_count; ++i) {
      process_item(i);
      processed.store(i + 1, std::memory_order_relaxed);  // only this thread writes it
    }
  }};
  // [progress-store]

  // [progress-poll]
  int last_reported = -1;
  for (;;) {
    const int now = processed.load(std::memory_order_relaxed);
    if (now != last_reported) {
      fmt::print("progress: {}/{}\n", now, item_count);
      last_reported = now;
    }
    if (now == item_count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{2});  // polling: see demo 02-08
  }
  // [progress-poll]
  // Later loads never see an earlier value than this thread already saw (read-read coherence),
  // so the numbers printed above only ever go up.
  fmt::print("done: the last report was {}\n", last_reported);
}
