// Chapter 6, demo 06-01: a minimal reference count
// The smallest arc: one block with a count and a value. Copies add one with a relaxed
// fetch_add; drops subtract one with a release fetch_sub, and the one that reaches zero
// acquires before it deletes. Four threads each drop their copy; exactly one deletes.
// Run: ./workbook demo 06-01-shared-counting
//      (binary: build/dev/chapters/06-arc/demo.06-01-shared-counting)
#include <fmt/core.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

std::atomic<int> deletions{0};

// [minimal-arc]
template <class T>
struct block {
  std::atomic<long> count{1};
  T value;
};

template <class T>
block<T>* clone(block<T>* b) {
  b->count.fetch_add(1, std::memory_order_relaxed);  // made from a live reference: nothing to order
  return b;
}

template <class T>
void drop(block<T>* b) {
  if (b->count.fetch_sub(1, std::memory_order_release) == 1) {
    (void)b->count.load(std::memory_order_acquire);  // see every other owner's use of value
    delete b;
    deletions.fetch_add(1, std::memory_order_relaxed);
  }
}
// [minimal-arc]

int main() {
  auto* shared = new block<std::string>{.value = "configuration v1"};  // count starts at 1
  std::vector<std::jthread> owners;
  for (int i = 0; i < 4; ++i) {
    owners.emplace_back([copy = clone(shared)] {
      if (copy->value.size() != 16) std::abort();  // use the value...
      drop(copy);                                  // ...then let go of it
    });
  }
  drop(shared);    // main lets go too; whoever is last deletes
  owners.clear();  // joins
  fmt::print("deleted {} time(s)\n", deletions.load());
  return deletions.load() == 1 ? 0 : 1;
}
