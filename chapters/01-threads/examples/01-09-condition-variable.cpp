// Chapter 1, demo 01-09: Handing work over with a condition variable
// A producer pushes five numbers and then "done"; a consumer sleeps until there is something
// to do, always waiting with a predicate so spurious and early wake-ups are harmless.
// Run: ./workbook demo 01-09-condition-variable
//      (binary: build/dev/chapters/01-threads/demo.01-09-condition-variable)
#include <fmt/core.h>

#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

std::mutex m;
std::condition_variable changed;
std::queue<int> items;  // guarded by m
bool done = false;      // guarded by m

// [producer-side]
void produce() {
  for (int i = 1; i <= 5; ++i) {
    {
      std::lock_guard lock{m};
      items.push(i);       // change the condition only while holding the mutex, or a consumer
    }                      // between its check and its sleep could miss the notification
    changed.notify_one();  // no need to hold the mutex just to notify
  }
  {
    std::lock_guard lock{m};
    done = true;
  }
  changed.notify_one();
}
// [producer-side]

// [consumer-side]
void consume() {
  int sum = 0;
  std::unique_lock lock{m};
  for (;;) {
    // Equivalent to `while (!pred()) changed.wait(lock);`. A wake-up may be spurious, or
    // another consumer may have taken the item first, so the condition is rechecked under m.
    changed.wait(lock, [] { return !items.empty() || done; });
    if (items.empty()) break;  // done, and everything produced has been consumed
    sum += items.front();
    items.pop();
  }
  fmt::print("consumer: sum = {} (always 15)\n", sum);
}
// [consumer-side]

int main() {
  std::jthread consumer{consume};
  std::jthread producer{produce};
}
