// A grace period: the writer publishes a new version at once, but frees the
// old one only after every reader that might hold it has left its read-side
// section. The order of the lines printed never varies: the writer cannot
// get past synchronize while the reader is inside.
#include <fmt/core.h>

#include <atomic>
#include <thread>

// [tiny-rcu]
std::atomic<const char*> current{"version 1"};
std::atomic<unsigned> reader_period{0};  // 0: not reading; else the period it entered in
std::atomic<unsigned> period{1};

const char* read_lock() {
  reader_period.store(period.load(std::memory_order_relaxed), std::memory_order_release);
  std::atomic_thread_fence(std::memory_order_seq_cst);  // announce, then read
  return current.load(std::memory_order_acquire);
}
void read_unlock() { reader_period.store(0, std::memory_order_release); }

void synchronize() {
  std::atomic_thread_fence(std::memory_order_seq_cst);  // publish, then look
  const unsigned now = period.fetch_add(1, std::memory_order_relaxed) + 1;
  for (unsigned r = reader_period.load(std::memory_order_acquire); r != 0 && r < now;
       r = reader_period.load(std::memory_order_acquire)) {
    std::this_thread::yield();
  }
}
// [tiny-rcu]

int main() {
  std::atomic<bool> writer_started{false};
  const char* seen = read_lock();
  fmt::print("reader: in its section, reading \"{}\"\n", seen);
  std::thread writer([&] {
    current.store("version 2", std::memory_order_release);
    writer_started.store(true);
    synchronize();  // waits for the reader
    fmt::print("writer: grace period over, \"version 1\" may be freed\n");
  });
  while (!writer_started.load()) std::this_thread::yield();
  fmt::print("reader: still reading \"{}\" (the writer published \"{}\" and waits)\n", seen,
             current.load());
  read_unlock();
  writer.join();
  seen = read_lock();
  fmt::print("reader: a new section reads \"{}\"\n", seen);
  read_unlock();
}
