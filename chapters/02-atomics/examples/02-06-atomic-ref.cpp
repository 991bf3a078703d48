// Chapter 2, demo 02-06: std::atomic_ref
// A plain array is built and read single-threaded, but filled by four threads at once in
// between. During that phase every access goes through std::atomic_ref; before and after it,
// plain reads and writes are fine because thread start and join order them.
// Run: ./workbook demo 02-06-atomic-ref
//      (binary: build/dev/chapters/02-atomics/demo.02-06-atomic-ref)
#include <fmt/core.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

int main() {
  // [atomic-ref-phase]
  // Every element must be aligned to required_alignment. For int that is alignof(int) on the
  // usual platforms; the static_assert turns "usual" into a checked fact.
  static_assert(std::atomic_ref<int>::required_alignment == alignof(int));
  std::array<int, 10> histogram{};  // plain ints: zeroed single-threaded
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < 4; ++w) {
      workers.emplace_back([&histogram, w] {
        for (int i = 0; i < 10'000; ++i) {
          const auto bucket = static_cast<std::size_t>((i * 7 + w) % 10);
          std::atomic_ref<int>{histogram[bucket]}.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
  }  // joined: from here on no atomic_ref exists, and plain access is safe again
  // [atomic-ref-phase]
  int total = 0;
  for (const int count : histogram) total += count;
  fmt::print("bucket 0 holds {}, all buckets {} (expected 40000)\n", histogram[0], total);
  return total == 40'000 ? 0 : 1;
}
