// Chapter 3, demo 03-01: What the compiler may do with plain variables
// Three ways to publish a value behind a flag. Run on one thread, all three behave the same:
// that is the as-if rule. Look at the machine code, though, and only one of them keeps the
// order another thread would need. The program itself runs single-threaded and has no race.
// Run: ./workbook demo 03-01-compiler-reordering
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-01-compiler-reordering)
// See the reordering for yourself (g++ 12, x86-64):
//   g++ -std=c++20 -O2 -S -o - chapters/03-memory-ordering/examples/03-01-compiler-reordering.cpp
//     | c++filt | grep -A6 '^publish'
#include <fmt/core.h>

#include <atomic>

// [plain-and-volatile]
int payload = 0;
bool ready_plain = false;
volatile bool ready_volatile = false;

void publish_plain(int v) {
  payload = v * 3;
  ready_plain = true;  // g++ 12 -O2 stores this FIRST: movb $1, ready_plain; movl %eax, payload
}

void publish_volatile(int v) {
  payload = v * 3;
  ready_volatile = true;  // also FIRST: volatile orders volatile accesses only, not `payload`
}
// [plain-and-volatile]

// [release]
std::atomic<bool> ready_atomic{false};

void publish_release(int v) {
  payload = v * 3;
  ready_atomic.store(true, std::memory_order_release);  // the store to payload stays before it
}
// [release]

int main() {
  // One thread cannot tell the difference: every version leaves the same values behind.
  publish_plain(14);
  fmt::print("plain:    payload = {}, ready = {}\n", payload, ready_plain);
  publish_volatile(14);
  fmt::print("volatile: payload = {}, ready = {}\n", payload, static_cast<bool>(ready_volatile));
  publish_release(14);
  fmt::print("release:  payload = {}, ready = {}\n", payload, ready_atomic.load());
  fmt::print(
      "Same results on one thread (the as-if rule). Only the release store promises another\n"
      "thread that sees ready == true that it also sees payload == 42. To see the machine\n"
      "code, run the -O2 -S command from this demo's source.\n");
  return payload == 42 ? 0 : 1;
}
