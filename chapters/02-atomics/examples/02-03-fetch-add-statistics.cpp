// Chapter 2, demo 02-03: fetch_add, for progress and statistics from many threads
// Four workers share one progress counter and two running totals. Each update is a single
// read-modify-write, so no increment is ever lost, even though every operation is relaxed.
// Run: ./workbook demo 02-03-fetch-add-statistics
//      (binary: build/dev/chapters/02-atomics/demo.02-03-fetch-add-statistics)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

constexpr int worker_count = 4;
constexpr int items_per_worker = 10'000;

// [shared-statistics]
std::atomic<int> processed{0};
std::atomic<std::uint64_t> total_bytes{0};

void record(std::uint64_t bytes) {
  // Each call is one indivisible step. The pair is not: a reader between the two calls can
  // see the new count with the old total, which is fine for statistics but not for invariants.
  processed.fetch_add(1, std::memory_order_relaxed);
  total_bytes.fetch_add(bytes, std::memory_order_relaxed);
}
// [shared-statistics]

int main() {
  {
    std::vector<std::jthread> workers;
    for (int w = 0; w < worker_count; ++w) {
      workers.emplace_back([w] {
        for (int i = 0; i < items_per_worker; ++i) record(static_cast<std::uint64_t>(w + 1));
      });
    }
  }  // every worker is joined here, so the final values are complete
  // [fetch-add-returns]
  std::atomic<int> ticket{10};
  const int before = ticket.fetch_add(5);  // returns the value it replaced: 10
  const int after = ++ticket;              // operator++ is fetch_add(1) + 1: 16
  // [fetch-add-returns]
  fmt::print("processed {} items, {} bytes; fetch_add returned {}, then ++ gave {}\n",
             processed.load(), total_bytes.load(), before, after);
  const bool right = processed.load() == worker_count * items_per_worker &&
                     total_bytes.load() == items_per_worker * (1 + 2 + 3 + 4);
  fmt::print("no lost updates: {}\n", right);
  return right ? 0 : 1;
}
