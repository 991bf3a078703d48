// liburcu's memb flavour, read side, for ideas_b.cpp (which explains the
// comparison). _LGPL_SOURCE makes the read side inline, as ours is.
#define _LGPL_SOURCE
#include <benchmark/benchmark.h>

#include <urcu/urcu-memb.h>

namespace {

struct config {
  int port;
};

config* current = new config{8080};

void urcu_memb_read(benchmark::State& state) {
  urcu_memb_register_thread();
  for (auto _ : state) {
    urcu_memb_read_lock();
    const config* c = rcu_dereference(current);
    benchmark::DoNotOptimize(c->port);
    urcu_memb_read_unlock();
  }
  urcu_memb_unregister_thread();
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(urcu_memb_read)->ThreadRange(1, 2)->UseRealTime();
