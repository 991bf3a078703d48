// The CLH lock (Craig; Landin and Hagersten, 1993-94): a queued spin lock in
// which each waiter spins on its *predecessor's* node, and unlock is a single
// store. Four threads count to 4 x 100000 under it.
#include <fmt/core.h>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

// [clh]
class clh_lock {
 public:
  struct alignas(64) node {
    std::atomic<bool> locked{false};
  };

  // Call unlock(mine) after; the node returned (our predecessor's, which
  // nobody reads any more) is ours for the next lock(). `mine` goes on to
  // our successor, who spins on it.
  node* lock(node* mine) {
    mine->locked.store(true, std::memory_order_relaxed);
    node* predecessor = tail_.exchange(mine, std::memory_order_acq_rel);
    while (predecessor->locked.load(std::memory_order_acquire)) {
      std::this_thread::yield();  // 4 threads, maybe 2 cores: let the owner run
    }
    return predecessor;
  }
  void unlock(node* mine) { mine->locked.store(false, std::memory_order_release); }

 private:
  node dummy_;  // the queue starts with a free node
  std::atomic<node*> tail_{&dummy_};
};
// [clh]

int main(int argc, char** argv) {
  const long per_thread = argc > 1 ? std::atol(argv[1]) : 100000;
  clh_lock lock;
  std::vector<clh_lock::node> nodes(4);
  long counter = 0;  // guarded by lock
  std::vector<std::thread> threads;
  for (auto& first : nodes) {
    threads.emplace_back([&, mine = &first]() mutable {
      for (long i = 0; i < per_thread; ++i) {
        clh_lock::node* const next_mine = lock.lock(mine);
        ++counter;
        lock.unlock(mine);
        mine = next_mine;  // the node we recycle from our predecessor
      }
    });
  }
  for (auto& t : threads) t.join();
  fmt::print("4 threads x {} increments under a CLH lock: {}\n", per_thread, counter);
  return counter == 4 * per_thread ? 0 : 1;
}
