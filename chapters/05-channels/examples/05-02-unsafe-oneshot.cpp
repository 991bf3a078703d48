// Chapter 5, demo 05-02: A one-shot channel with a ready flag, and how to misuse it
// The message lives inside the channel; a release store of `ready` publishes it and an acquire
// load sees it. Correct when used as intended. A second send, or a second receive, is undefined
// behaviour that nothing detects: the demo only describes it.
// Run: ./workbook demo 05-02-unsafe-oneshot
//      (binary: build/dev/chapters/05-channels/demo.05-02-unsafe-oneshot)
#include <fmt/core.h>

#include <atomic>
#include <new>
#include <string>
#include <thread>

// [unsafe-oneshot]
template <class T>
class unsafe_oneshot {
 public:
  ~unsafe_oneshot() {
    if (ready_.load(std::memory_order_relaxed)) value().~T();
  }
  // Precondition: called once. A second call constructs over a live T.
  void send(T message) {
    ::new (static_cast<void*>(slot_)) T(std::move(message));
    ready_.store(true, std::memory_order_release);  // publishes the construction above
  }
  bool is_ready() const { return ready_.load(std::memory_order_acquire); }
  // Precondition: is_ready() returned true, and receive was not called before.
  T receive() {
    T message = std::move(value());
    value().~T();
    ready_.store(false, std::memory_order_relaxed);
    return message;
  }

 private:
  T& value() { return *std::launder(reinterpret_cast<T*>(slot_)); }
  std::atomic<bool> ready_{false};
  alignas(T) unsigned char slot_[sizeof(T)];
};
// [unsafe-oneshot]

int main() {
  unsafe_oneshot<std::string> result;
  std::jthread worker([&] { result.send("forty-two, computed the hard way"); });
  while (!result.is_ready()) std::this_thread::yield();
  const std::string message = result.receive();
  fmt::print("received: {}\n", message);
  // result.send("again");   // undefined behaviour: nothing stops it, nothing reports it
  return message.empty() ? 1 : 0;
}
