// Chapter 5, demo 05-01: The simplest channel: a deque, a mutex and a condition variable
// Two producers send numbers, two consumers add them up; close() tells the consumers that
// nothing more will come. Every send and every receive takes the same lock.
// Run: ./workbook demo 05-01-mutex-channel
//      (binary: build/dev/chapters/05-channels/demo.05-01-mutex-channel)
#include <fmt/core.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

// [mutex-channel]
template <class T>
class channel {
 public:
  void send(T value) {
    {
      std::lock_guard lock(mutex_);
      items_.push_back(std::move(value));
    }
    ready_.notify_one();  // one message can satisfy one receiver
  }
  std::optional<T> receive() {  // nullopt: closed and drained
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T value = std::move(items_.front());
    items_.pop_front();
    return value;
  }
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();  // every sleeping receiver must see it
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;  // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_
};
// [mutex-channel]

int main() {
  channel<int> numbers;
  std::atomic<long> total{0};
  {
    std::vector<std::jthread> threads;
    for (int c = 0; c < 2; ++c)
      threads.emplace_back([&] {
        while (auto n = numbers.receive()) total += *n;
      });
    std::jthread p1([&] {
      for (int i = 1; i <= 500; ++i) numbers.send(i);
    });
    std::jthread p2([&] {
      for (int i = 501; i <= 1000; ++i) numbers.send(i);
    });
    p1.join();
    p2.join();
    numbers.close();  // the consumers drain what is left, then see nullopt
  }
  fmt::print("received a total of {} (expected {})\n", total.load(), 1000 * 1001 / 2);
  return total == 1000 * 1001 / 2 ? 0 : 1;
}
