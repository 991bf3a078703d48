// Chapter 3, demo 03-05: Relaxed is not enough to pass a message
// Demo 03-04 with both flag operations relaxed. On x86 it prints the right answer every
// time, because the processor keeps stores in order and so does the compiler, this time.
// The C++ program still has a data race on `answer`, and ThreadSanitizer reports it on every
// run: it checks happens-before, not the values the hardware happened to produce.
// Run: ./workbook demo 03-05-missing-acquire   (builds and runs it under ThreadSanitizer)
//      (binaries: build/dev/chapters/03-memory-ordering/demo.03-05-missing-acquire, and the
//       same path under build/tsan/ for the build that reports the race)
#include <fmt/core.h>

#include <atomic>
#include <thread>

int main() {
  // [missing-acquire]
  int answer = 0;  // plain data
  std::atomic<bool> ready{false};

  std::jthread producer{[&] {
    answer = 42;
    ready.store(true, std::memory_order_relaxed);  // no release: publishes nothing but itself
  }};

  while (!ready.load(std::memory_order_relaxed)) {  // no acquire: reads true, syncs with nothing
    std::this_thread::yield();
  }
  // The write to `answer` and this read conflict, and neither happens before the other: a data
  // race ([intro.races]), so undefined behaviour, even if the bytes look right on this machine.
  int seen = answer;
  fmt::print("answer = {}\n", seen);
  // [missing-acquire]
  return 0;
}
