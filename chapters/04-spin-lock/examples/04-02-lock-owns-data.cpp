// Chapter 4, demo 04-02: a lock that owns its data, and a guard that cannot be forgotten
// The value lives inside the lock; the only way to it is a guard, which lock() returns once
// the lock is held and whose destructor releases it. Forgetting to unlock is impossible.
// Run: ./workbook demo 04-02-lock-owns-data
//      (binary: build/dev/chapters/04-spin-lock/demo.04-02-lock-owns-data)
#include <fmt/core.h>
#include <wb/sync.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

// [owning-lock]
template <class T>
class locked {
 public:
  class guard {
   public:
    guard(const guard&) = delete;  // two copies would unlock twice
    guard& operator=(const guard&) = delete;
    ~guard() { owner_.flag_.store(false, std::memory_order_release); }
    T* operator->() const noexcept { return &owner_.value_; }
    T& operator*() const noexcept { return owner_.value_; }

   private:
    friend class locked;  // only lock() makes a guard, and only once the lock is held
    explicit guard(locked& owner) noexcept : owner_(owner) {}
    locked& owner_;
  };

  [[nodiscard]] guard lock() noexcept {  // nodiscard: `x.lock();` alone would unlock at once
    while (flag_.exchange(true, std::memory_order_acquire)) wb::spin_loop_hint();
    return guard(*this);  // C++17: returned without a copy or a move
  }

 private:
  std::atomic<bool> flag_{false};
  T value_{};  // private: reachable only through a guard
};
// [owning-lock]

int main() {
  // [guard-in-use]
  locked<std::vector<std::string>> log;
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < 3; ++i) log.lock()->push_back(fmt::format("thread {} line {}", t, i));
      });
    }
  }
  auto g = log.lock();  // held until the end of main
  // [guard-in-use]
  fmt::print("{} lines, first: \"{}\"\n", g->size(), g->front());
  return g->size() == 9 ? 0 : 1;
}
