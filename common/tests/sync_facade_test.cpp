// In a normal build the facade must cost nothing: every name is the standard
// entity itself, or a wrapper with the same size and layout.
#include <catch2/catch.hpp>

#include <wb/sync.hpp>

#include <type_traits>

static_assert(std::is_same_v<wb::atomic<int>, std::atomic<int>>);
static_assert(std::is_same_v<wb::atomic<void*>, std::atomic<void*>>);
static_assert(std::is_same_v<wb::thread, std::thread>);
static_assert(std::is_same_v<wb::mutex, std::mutex>);
static_assert(std::is_same_v<wb::condition_variable, std::condition_variable>);
static_assert(std::is_same_v<wb::memory_order, std::memory_order>);
static_assert(wb::memory_order_acquire == std::memory_order_acquire);
static_assert(wb::memory_order_seq_cst == std::memory_order_seq_cst);

// cell<T> is a T and nothing more.
static_assert(sizeof(wb::cell<int>) == sizeof(int));
static_assert(alignof(wb::cell<long double>) == alignof(long double));
static_assert(std::is_trivially_copyable_v<wb::cell<int>>);
static_assert(std::is_standard_layout_v<wb::cell<int>>);

// The wrappers are inline and noexcept, like the members they forward to.
static_assert(noexcept(wb::spin_loop_hint()));
static_assert(noexcept(wb::wake_one(std::declval<wb::atomic<int>&>())));
static_assert(noexcept(wb::wait(std::declval<const wb::atomic<int>&>(), 0)));

TEST_CASE("sync facade: the aliases behave as the standard types", "[common][sync]") {
  wb::atomic<int> a{1};
  CHECK(a.fetch_add(1, wb::memory_order_relaxed) == 1);
  wb::atomic_thread_fence(wb::memory_order_seq_cst);
  CHECK(a.load(wb::memory_order_acquire) == 2);
  wb::spin_loop_hint();
  wb::wait(a, 1);  // value is 2, not 1: returns at once
  wb::wake_all(a);
}

TEST_CASE("sync facade: wait blocks until a wake after a change", "[common][sync]") {
  wb::atomic<int> flag{0};
  wb::thread waker([&] {
    flag.store(1, wb::memory_order_release);
    wb::wake_one(flag);
  });
  while (flag.load(wb::memory_order_acquire) == 0) wb::wait(flag, 0, wb::memory_order_acquire);
  waker.join();
  CHECK(flag.load() == 1);
}

TEST_CASE("sync facade: cell reads and writes its value", "[common][sync]") {
  wb::cell<int> c{41};
  c.with_mut([](int& v) { ++v; });
  CHECK(c.with([](const int& v) { return v; }) == 42);
  c.set(7);
  CHECK(c.get() == 7);
}
