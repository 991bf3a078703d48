// Chapter 3, demo 03-06: Lazy initialisation through a pointer (double-checked locking)
// Eight threads ask for a table that is built on first use. The fast path is one acquire
// load of an atomic pointer; only callers that find it null take the mutex, check again,
// and build. The release store of the pointer publishes the table's contents with it.
// Run: ./workbook demo 03-06-double-checked-locking
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-06-double-checked-locking)
#include <fmt/core.h>

#include <array>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

struct squares_table {
  std::array<int, 1000> values{};
  squares_table() {
    for (int i = 0; i < 1000; ++i) values[i] = i * i;  // plain writes, published by the pointer
  }
};

// [double-checked]
std::atomic<const squares_table*> table_ptr{nullptr};
std::mutex table_mutex;
std::atomic<int> tables_built{0};

const squares_table& table() {
  // Acquire: if we see the pointer, we see every write the builder made before storing it.
  const squares_table* p = table_ptr.load(std::memory_order_acquire);
  if (p == nullptr) {
    std::lock_guard lock{table_mutex};
    p = table_ptr.load(std::memory_order_relaxed);  // the mutex already orders this re-check
    if (p == nullptr) {
      p = new squares_table{};
      tables_built.fetch_add(1, std::memory_order_relaxed);
      table_ptr.store(p, std::memory_order_release);  // release: the contents go with it
    }
  }
  return *p;
}
// [double-checked]

int main() {
  std::vector<int> seen(8);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&seen, t] { seen[t] = table().values[999]; });
    }
  }
  bool all_right = true;
  for (int v : seen) all_right = all_right && v == 999 * 999;
  fmt::print("8 threads read values[999] = {}; all right: {}; tables built: {}\n", seen[0],
             all_right, tables_built.load());
  delete table_ptr.load();  // every thread is joined: nobody can still be using it
  return all_right && tables_built.load() == 1 ? 0 : 1;
}
