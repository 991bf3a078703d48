// Chapter 5, demo 05-05: A receiver that sleeps on the channel's state
// The channel object lives on main's stack; the sender thread only borrows it. The receiver
// sleeps in atomic::wait while the state is `empty`; the sender stores `ready` and then
// notifies. The thread is declared after the channel, so it is joined before the channel dies.
// Run: ./workbook demo 05-05-blocking-receive
//      (binary: build/dev/chapters/05-channels/demo.05-05-blocking-receive)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

struct borrowed_channel {
  static constexpr std::uint32_t empty = 0, ready = 1;
  std::atomic<std::uint32_t> state{empty};
  std::string message;  // written before `ready`, read after it

  // [send-then-wake]
  void send(std::string m) {
    message = std::move(m);
    state.store(ready, std::memory_order_release);  // change the state first...
    state.notify_one();                             // ...then wake the receiver
  }
  // [send-then-wake]
  // [wait-while-empty]
  std::string receive() {
    while (state.load(std::memory_order_acquire) == empty) {
      state.wait(empty, std::memory_order_acquire);  // sleeps only while state is still empty
    }
    return std::move(message);
  }
  // [wait-while-empty]
};

int main() {
  // [borrow]
  borrowed_channel channel;  // declared first, destroyed last
  std::jthread sender([&channel] { channel.send("hello from the sender"); });
  const std::string got = channel.receive();  // may return before send() has returned...
  sender.join();                              // ...so join before `channel` goes away
  // [borrow]
  fmt::print("received: {}\n", got);
  return got == "hello from the sender" ? 0 : 1;
}
