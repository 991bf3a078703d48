// Chapter 9, demo 09-01: how many wake calls does an unlock make?
// The two-state mutex wakes on every unlock: it cannot know whether anyone sleeps. The
// three-state mutex wakes only when a sleeper announced itself. Both count their wake calls.
// Run: ./workbook demo 09-01-wake-calls
//      (binary: build/dev/chapters/09-locks/demo.09-01-wake-calls)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

std::atomic<long> wake_calls{0};  // on a raw futex, each one is a system call

// [two-state]
class two_state {  // 0 = unlocked, 1 = locked (maybe with sleepers)
 public:
  void lock() {
    while (state_.exchange(1, std::memory_order_acquire) == 1)
      state_.wait(1, std::memory_order_relaxed);
  }
  void unlock() {
    state_.store(0, std::memory_order_release);
    state_.notify_one();  // always: the state cannot say whether anyone sleeps
    wake_calls.fetch_add(1, std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint32_t> state_{0};
};
// [two-state]

// [three-state]
class three_state {  // 0 = unlocked, 1 = locked, 2 = locked and someone may sleep
 public:
  void lock() {
    std::uint32_t expected = 0;
    if (state_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) return;
    while (state_.exchange(2, std::memory_order_acquire) != 0)
      state_.wait(2, std::memory_order_relaxed);
  }
  void unlock() {
    if (state_.exchange(0, std::memory_order_release) == 2) {  // only when a sleeper said so
      state_.notify_one();
      wake_calls.fetch_add(1, std::memory_order_relaxed);
    }
  }

 private:
  std::atomic<std::uint32_t> state_{0};
};
// [three-state]

template <class Mutex>
void count_wakes(const char* name, int threads, int per_thread) {
  Mutex mutex;
  long counter = 0;  // guarded by mutex
  wake_calls = 0;
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        mutex.lock();
        ++counter;
        mutex.unlock();
      }
    });
  }
  workers.clear();  // joins
  fmt::print("{:<12} {} thread(s): {:>7} unlocks, {:>7} wake calls\n", name, threads, counter,
             wake_calls.load());
}

int main(int argc, char** argv) {
  const int per_thread = argc > 1 ? std::atoi(argv[1]) : 100'000;
  count_wakes<two_state>("two-state", 1, per_thread);
  count_wakes<three_state>("three-state", 1, per_thread);
  count_wakes<two_state>("two-state", 2, per_thread);
  count_wakes<three_state>("three-state", 2, per_thread);
}
