// Chapter 2, demo 02-09: Is this atomic lock-free?
// is_always_lock_free answers at compile time for every object of a type, and the
// ATOMIC_..._LOCK_FREE macros answer for the built-in types. Types the hardware cannot update
// in one instruction fall back to a hidden lock, and is_always_lock_free says so.
// Run: ./workbook demo 02-09-lock-free-queries
//      (binary: build/dev/chapters/02-atomics/demo.02-09-lock-free-queries)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>

struct pair64 {  // 16 bytes: GCC hands these to libatomic (-latomic), which may use a lock
  std::int64_t low, high;
};
struct three_ints {  // 12 bytes: no instruction updates 12 bytes at once
  int a, b, c;
};

// [lock-free-queries]
static_assert(std::atomic<int>::is_always_lock_free, "this workbook assumes lock-free int");

template <class T>
void report(const char* name) {
  fmt::print("{:<28} size {:>2}  always lock-free: {:<5}\n", name, sizeof(T),
             std::atomic<T>::is_always_lock_free);
}
// [lock-free-queries]

int main() {
  report<bool>("std::atomic<bool>");
  report<int>("std::atomic<int>");
  report<std::int64_t>("std::atomic<std::int64_t>");
  report<void*>("std::atomic<void*>");
  report<double>("std::atomic<double>");
  report<pair64>("std::atomic<pair64>");
  report<three_ints>("std::atomic<three_ints>");
  // [lock-free-macros]
  // 2: always lock-free, 1: sometimes (it depends on the object or the processor), 0: never.
  fmt::print("ATOMIC_INT_LOCK_FREE = {}, ATOMIC_LLONG_LOCK_FREE = {}, ", ATOMIC_INT_LOCK_FREE,
             ATOMIC_LLONG_LOCK_FREE);
  fmt::print("ATOMIC_POINTER_LOCK_FREE = {}\n", ATOMIC_POINTER_LOCK_FREE);
  // [lock-free-macros]
}
