// Chapter 7: one function per atomic operation and memory order, compiled by
// show-asm.sh for x86-64 and AArch64 so that the instructions can be read
// side by side. extern "C" keeps the labels readable.
#include <atomic>

std::atomic<int> x;

extern "C" {
int load_relaxed() { return x.load(std::memory_order_relaxed); }
int load_acquire() { return x.load(std::memory_order_acquire); }
int load_seq_cst() { return x.load(std::memory_order_seq_cst); }
void store_relaxed(int v) { x.store(v, std::memory_order_relaxed); }
void store_release(int v) { x.store(v, std::memory_order_release); }
void store_seq_cst(int v) { x.store(v, std::memory_order_seq_cst); }
int fetch_add_relaxed(int v) { return x.fetch_add(v, std::memory_order_relaxed); }
int fetch_add_acq_rel(int v) { return x.fetch_add(v, std::memory_order_acq_rel); }
int exchange_seq_cst(int v) { return x.exchange(v, std::memory_order_seq_cst); }
bool cas_strong_acq_rel(int e, int d) {
  return x.compare_exchange_strong(e, d, std::memory_order_acq_rel, std::memory_order_relaxed);
}
bool cas_weak_acq_rel(int e, int d) {
  return x.compare_exchange_weak(e, d, std::memory_order_acq_rel, std::memory_order_relaxed);
}
int fetch_or_acq_rel(int v) { return x.fetch_or(v, std::memory_order_acq_rel); }
bool fetch_or_one_bit(int bit) {
  return x.fetch_or(1 << bit, std::memory_order_acq_rel) & (1 << bit);
}
int fetch_and_release(int v) { return x.fetch_and(v, std::memory_order_release); }
void fence_acquire() { std::atomic_thread_fence(std::memory_order_acquire); }
void fence_release() { std::atomic_thread_fence(std::memory_order_release); }
void fence_seq_cst() { std::atomic_thread_fence(std::memory_order_seq_cst); }
}
