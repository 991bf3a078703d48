// Chapter 1, demo 01-06: A data race
// Two threads increment a plain int without synchronisation. That is undefined behaviour;
// build with -fsanitize=thread (`cmake --preset tsan`) and ThreadSanitizer reports it.
// Run: ./workbook demo 01-06-data-race   (builds and runs it under ThreadSanitizer)
//      (binaries: build/dev/chapters/01-threads/demo.01-06-data-race, and the same path
//       under build/tsan/ for the build that reports the race)
#include <fmt/core.h>

#include <thread>

// [racy-counter]
int counter = 0;  // a plain int: neither atomic nor guarded by a mutex

void increment_many() {
  for (int i = 0; i < 100'000; ++i) {
    ++counter;  // a read and a write of `counter`, each conflicting with the other thread's
  }
}

int main() {
  std::thread a{increment_many};
  std::thread b{increment_many};
  a.join();
  b.join();
  // [intro.races]/21: the two threads' accesses conflict (same location, at least one a
  // write), they are not atomic, and neither happens before the other. That is a data race,
  // so the whole program has undefined behaviour: not merely "a wrong count", because the
  // compiler may assume no race and, say, keep `counter` in a register for the whole loop.
  fmt::print("expected 200000, got {}\n", counter);
}
// [racy-counter]
