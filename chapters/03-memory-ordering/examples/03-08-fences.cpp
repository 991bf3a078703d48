// Chapter 3, demo 03-08: Release and acquire fences
// The same message passing as demo 03-04, but with relaxed operations on the flag and the
// ordering moved into std::atomic_thread_fence. The consumer polls with a relaxed load and
// pays for the acquire fence only on the path that found a message.
// ThreadSanitizer does not understand standalone fences and would report a false race, so
// this demo is not run in the tsan tree.
// Run: ./workbook demo 03-08-fences
//      (binary: build/dev/chapters/03-memory-ordering/demo.03-08-fences)
#include <fmt/core.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <utility>

// [fences]
std::string payload;  // plain data
std::atomic<bool> posted{false};

void post(std::string text) {
  payload = std::move(text);
  std::atomic_thread_fence(std::memory_order_release);  // F1: orders the write above...
  posted.store(true, std::memory_order_relaxed);        // ...before this store, for F2
}

std::optional<std::string> try_receive() {
  if (!posted.load(std::memory_order_relaxed)) return std::nullopt;  // nothing yet: no fence
  // This relaxed load read the store that follows F1, so F1 synchronizes with F2
  // ([atomics.fences]): the write to payload happens before the read below.
  std::atomic_thread_fence(std::memory_order_acquire);  // F2
  return payload;
}
// [fences]

int main() {
  std::jthread producer{[] { post("fenced, not released"); }};
  long empty_polls = 0;
  std::optional<std::string> message;
  while (!(message = try_receive())) {
    ++empty_polls;
    std::this_thread::yield();
  }
  fmt::print("received \"{}\" after {} empty polls (each cost one relaxed load, no fence)\n",
             *message, empty_polls);
  return *message == "fenced, not released" ? 0 : 1;
}
