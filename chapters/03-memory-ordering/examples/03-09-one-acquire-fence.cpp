// Chapter 3, demo 03-09: Many relaxed loads, one acquire fence
// Eight workers each fill their own result slot and raise their own flag with a release
// store. The collector polls all eight flags with relaxed loads until every one is up, then
// issues a single acquire fence, after which it may read every slot. One fence pairs with
// all eight release stores, because each flag it read was written by one of them.
// Not run under ThreadSanitizer, which does not understand standalone fences.
// Run: ./workbook demo 03-09-one-acquire-fence
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-09-one-acquire-fence)
#include <fmt/core.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

constexpr int workers = 8;

int main() {
  // [one-fence]
  std::array<long, workers> result{};             // plain: slot w is written by worker w only
  std::array<std::atomic<bool>, workers> done{};  // value-initialised: all false
  std::vector<std::jthread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      long sum = 0;
      for (long i = 1; i <= 1000 * (w + 1); ++i) sum += i;
      result[w] = sum;
      done[w].store(true, std::memory_order_release);  // A_w: publishes result[w]
    });
  }
  long flag_loads = 0;
  for (bool all_done = false; !all_done; std::this_thread::yield()) {
    all_done = true;
    for (auto& flag : done) {
      ++flag_loads;
      all_done = flag.load(std::memory_order_relaxed) && all_done;  // X_w: relaxed, no ordering
    }
  }
  // Every A_w was read by some relaxed load X_w sequenced before this fence, so every A_w
  // synchronizes with it ([atomics.fences]): all eight results happen before the reads below.
  std::atomic_thread_fence(std::memory_order_acquire);
  long total = 0;
  for (long r : result) total += r;
  // [one-fence]
  long expected = 0;
  for (long n = 1000; n <= 8000; n += 1000) expected += n * (n + 1) / 2;
  fmt::print("total {} (expected {}) after {} relaxed flag loads and 1 acquire fence\n", total,
             expected, flag_loads);
  return total == expected ? 0 : 1;
}
