// Chapter 3, demo 03-04: Message passing with release and acquire
// A producer fills a plain struct and raises an atomic flag with a release store; a consumer
// waits for the flag with acquire loads and then reads the struct without any lock. The
// release store synchronizes with the acquire load that reads it, so the struct's writes
// happen before its reads. ThreadSanitizer agrees: run it in the tsan tree and it is silent.
// Run: ./workbook demo 03-04-message-passing
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-04-message-passing)
#include <fmt/core.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

struct message {
  std::string sender;
  std::vector<int> readings;
};

int main() {
  // [message-passing]
  message box;                     // plain data: no atomics inside
  std::atomic<bool> ready{false};  // the only atomic

  std::jthread producer{[&] {
    box.sender = "sensor-7";
    box.readings = {18, 19, 21, 24};
    ready.store(true, std::memory_order_release);  // (1) everything above is published with it
  }};

  int spins = 0;
  while (!ready.load(std::memory_order_acquire)) {  // (2) reads true: (1) synchronizes with (2)
    ++spins;
    std::this_thread::yield();
  }
  // (1) happens before (2), so the producer's writes to `box` happen before these reads.
  fmt::print("from {}: {} readings, last {}\n", box.sender, box.readings.size(),
             box.readings.back());
  // [message-passing]
  fmt::print("the consumer polled {} times before the flag was up (any number is fine)\n", spins);
  return box.readings.size() == 4 ? 0 : 1;
}
