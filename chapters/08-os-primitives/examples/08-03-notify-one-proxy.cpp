// Chapter 8, demo 08-03: what does notify_one wake?
// Four threads wait on one atomic. The main thread changes the value and calls notify_one once,
// then counts how many waiters came back. For a 4-byte int, libstdc++ 12 sleeps on the atomic
// itself with a futex, and one waiter wakes: the other three stay asleep although the value they
// wait on has changed (which is why notify_one is only right when one waiter can act). For an
// 8-byte long it sleeps on a counter in a shared table instead, and notify_one wakes every waiter
// whose address hashes to that slot: all four come back, three of them for nothing.
// Run: ./workbook demo 08-03-notify-one-proxy
//      (binary: build/dev/chapters/08-os-primitives/demo.08-03-notify-one-proxy)
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

// [notify-one]
template <class T>
int returned_after_one_notify() {
  std::atomic<T> value{0};
  std::atomic<int> returned{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&] {
      value.wait(0);  // returns when woken and the value is no longer 0
      returned.fetch_add(1);
    });
  }
  std::this_thread::sleep_for(50ms);  // let them fall asleep (not guaranteed: see the count)
  value.store(1);
  value.notify_one();
  std::this_thread::sleep_for(50ms);  // let the woken ones return
  const int count = returned.load();
  value.notify_all();  // release the rest
  for (auto& t : waiters) t.join();
  return count;
}
// [notify-one]

int main() {
  fmt::print(
      "std::atomic<int>  (4 bytes, a futex on the atomic): {} of 4 returned after one notify_one\n",
      returned_after_one_notify<int>());
  fmt::print(
      "std::atomic<long> (8 bytes, through the proxy table): {} of 4 returned after one "
      "notify_one\n",
      returned_after_one_notify<long>());
  fmt::print(
      "(counts depend on whether every waiter was asleep in time; on a busy machine, run again)\n");
}
