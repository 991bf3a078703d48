// The handshake under hazard pointers, epochs and RCU is the store-buffering
// litmus test: each side stores its own flag, then loads the other's. x86
// itself shows the outcome "both loaded 0" (its store buffer delays each
// store past the later load), so without fences one side can miss the other;
// a seq_cst fence on both sides rules it out. Counts vary from run to run
// and machine to machine (a loaded machine shows fewer); with fences the
// second count is always 0.
#include <fmt/core.h>

#include <atomic>
#include <cstdlib>
#include <thread>

std::atomic<int> announced{0}, unlinked{0};

// [handshake]
template <bool Fences>
int reader_side() {
  announced.store(1, std::memory_order_release);  // "I hold the node"
  if (Fences) std::atomic_thread_fence(std::memory_order_seq_cst);
  return unlinked.load(std::memory_order_acquire);  // "is it still linked?"
}
template <bool Fences>
int writer_side() {
  unlinked.store(1, std::memory_order_release);  // "I unlinked it"
  if (Fences) std::atomic_thread_fence(std::memory_order_seq_cst);
  return announced.load(std::memory_order_acquire);  // "does anyone hold it?"
}
// [handshake]

void wait_for(const std::atomic<int>& round, int i) {
  for (int spins = 0; round.load(std::memory_order_acquire) < i; ++spins)
    if (spins > 2000) std::this_thread::yield();  // the other side may need our core
}

template <bool Fences>
int both_missed(int rounds) {
  std::atomic<int> go{0}, done{0};
  int reader_saw = 0;  // written before `done`, read after it
  std::thread reader([&] {
    for (int i = 1; i <= rounds; ++i) {
      wait_for(go, i);
      reader_saw = reader_side<Fences>();
      done.store(i, std::memory_order_release);
    }
  });
  int missed = 0;
  for (int i = 1; i <= rounds; ++i) {
    announced.store(0, std::memory_order_relaxed);
    unlinked.store(0, std::memory_order_relaxed);
    go.store(i, std::memory_order_release);
    for (volatile int d = 0; d < i % 256;) d = d + 1;  // vary the start: let the reader catch up
    const int writer_saw = writer_side<Fences>();
    wait_for(done, i);
    if (reader_saw == 0 && writer_saw == 0) ++missed;  // both went ahead: a use after free
  }
  reader.join();
  return missed;
}

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20000;
  fmt::print("without fences: both sides missed each other in {} of {} rounds\n",
             both_missed<false>(rounds), rounds);
  fmt::print("with seq_cst fences: {} of {} rounds\n", both_missed<true>(rounds), rounds);
}
