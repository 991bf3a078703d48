// Chapter 3, demo 03-10: A misconception: volatile as a synchronisation flag
// A writer fills a plain int and then sets a volatile bool; a reader spins on the volatile
// until it is true. Built without sanitizers it usually prints 42 on x86, which is how this
// idea survives. But volatile makes no access atomic and orders nothing between threads: the
// program has two data races, and ThreadSanitizer reports the first one it meets.
// Run: ./workbook demo 03-10-volatile-is-not-atomic   (builds and runs it under ThreadSanitizer)
//      (binaries: build/dev/chapters/03-memory-ordering/demo.03-10-volatile-is-not-atomic, and
//       the same path under build/tsan/ for the build that reports the race)
#include <fmt/core.h>

#include <thread>

// [volatile-flag]
int payload = 0;
volatile bool ready = false;  // volatile: every access really happens, in source order
                              // relative to other volatile accesses. Nothing more.

void writer() {
  payload = 42;
  ready = true;  // may be emitted before the payload store (demo 03-01); not a release
}

void reader() {
  while (!ready) {  // a non-atomic read racing with the write above: undefined behaviour
  }
  fmt::print("payload = {}\n", payload);  // and a second race, on payload
}
// [volatile-flag]

int main() {
  std::jthread r{reader};
  std::jthread w{writer};
  // Joined in reverse order: w, then r. The fix is std::atomic<bool> with release/acquire.
}
