// Chapter 2, demo 02-08: Sleeping on an atomic with wait and notify
// Workers advance a shared counter and notify; the main thread sleeps in atomic::wait until the
// counter reaches its target, instead of polling it with sleeps as demo 02-02 does.
// Run: ./workbook demo 02-08-wait-notify
//      (binary: build/dev/chapters/02-atomics/demo.02-08-wait-notify)
#include <fmt/core.h>

#include <atomic>
#include <thread>
#include <vector>

constexpr int worker_count = 3;
constexpr int steps_per_worker = 200;
constexpr int target = worker_count * steps_per_worker;

int main() {
  std::atomic<int> done{0};
  std::vector<std::jthread> workers;
  // [notify-side]
  for (int w = 0; w < worker_count; ++w) {
    workers.emplace_back([&done] {
      for (int i = 0; i < steps_per_worker; ++i) {
        done.fetch_add(1, std::memory_order_relaxed);  // change the value first...
        done.notify_all();                             // ...then wake whoever waits on it
      }
    });
  }
  // [notify-side]
  // [wait-side]
  int seen = done.load(std::memory_order_relaxed);
  int wake_ups = 0;
  while (seen < target) {
    // Blocks only while done still holds `seen`. A change made before this call makes it return
    // at once, so a notification sent earlier is not needed and cannot be lost.
    done.wait(seen, std::memory_order_relaxed);
    seen = done.load(std::memory_order_relaxed);  // it changed, but maybe not far enough
    ++wake_ups;
  }
  // [wait-side]
  fmt::print("reached {} after {} wake-ups (anything up to {} is correct)\n", seen, wake_ups,
             target);
  return seen == target ? 0 : 1;
}
