// Chapter 6, demo 06-03: the classic drop, with an acquire fence on the last decrement
// What Rust's Arc and most C++ reference counts do: every decrement is a release, and only
// the thread that reaches zero pays for an acquire, as a standalone fence. ThreadSanitizer
// does not model std::atomic_thread_fence, so this demo is not run under it.
// Run: ./workbook demo 06-03-fence-on-last-drop
//      (binary: build/dev/chapters/06-arc/demo.06-03-fence-on-last-drop)
#include <fmt/core.h>

#include <atomic>
#include <thread>
#include <vector>

struct payload {
  int data[4] = {1, 2, 3, 4};
};

struct block {
  std::atomic<int> count{1};
  payload value;
};

int deleted_by = -1;  // written by the deleter only; read after the joins

// [fence-drop]
void drop(block* b, int me) {
  if (b->count.fetch_sub(1, std::memory_order_release) != 1) return;
  // The fence makes the fetch_sub above, which read the final value of a release
  // sequence, synchronize with every earlier release decrement ([atomics.fences]/4).
  std::atomic_thread_fence(std::memory_order_acquire);
  deleted_by = me;
  delete b;
}
// [fence-drop]

int main() {
  constexpr int threads = 4;
  auto* b = new block;
  b->count.store(threads, std::memory_order_relaxed);  // one reference per thread, made up front
  std::vector<std::thread> owners;
  std::atomic<int> sum{0};
  for (int i = 0; i < threads; ++i) {
    owners.emplace_back([=, &sum] {
      sum.fetch_add(b->value.data[i], std::memory_order_relaxed);  // read the value...
      drop(b, i);                                                  // ...then drop
    });
  }
  for (auto& t : owners) t.join();
  fmt::print("sum {}; thread {} deleted the block\n", sum.load(), deleted_by);
  return sum.load() == 10 && deleted_by >= 0 ? 0 : 1;
}
