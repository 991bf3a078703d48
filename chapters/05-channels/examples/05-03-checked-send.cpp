// Chapter 5, demo 05-03: Turning misuse into an error with one compare-and-exchange
// Four threads race to send on the same one-shot slot. Claiming the slot with a
// compare-and-exchange from `empty` lets exactly one of them in; the others get an exception
// instead of constructing over the winner's message.
// Run: ./workbook demo 05-03-checked-send
//      (binary: build/dev/chapters/05-channels/demo.05-03-checked-send)
#include <fmt/core.h>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

constexpr std::uint8_t empty = 0, writing = 1, ready = 2;
std::atomic<std::uint8_t> state{empty};
int slot = 0;  // plain memory, written only by the thread that claimed it

// [claim]
void send(int message) {
  std::uint8_t expected = empty;
  if (!state.compare_exchange_strong(expected, writing, std::memory_order_relaxed)) {
    throw std::logic_error("send called twice");  // expected now holds what we found
  }
  slot = message;                                 // we alone own the slot now
  state.store(ready, std::memory_order_release);  // publish it
}
// [claim]

int main() {
  std::atomic<int> refused{0};
  {
    std::vector<std::jthread> senders;
    for (int i = 1; i <= 4; ++i) {
      senders.emplace_back([&refused, i] {
        try {
          send(i * 100);
        } catch (const std::logic_error&) { refused.fetch_add(1); }
      });
    }
  }
  const bool one_winner = state.load(std::memory_order_acquire) == ready && refused == 3;
  fmt::print("slot holds {}, {} senders were refused\n", slot, refused.load());
  return one_winner ? 0 : 1;
}
