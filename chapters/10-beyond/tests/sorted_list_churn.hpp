// The real-thread stress shared by the two reclamation exercises of chapter
// 10: threads insert, remove and look up a few keys of one sorted_list at
// random, each counting its own successful inserts minus removes per key;
// after the joins every key's net count must be 0 or 1 and agree with
// contains(). A reclamation scheme that frees a node someone still reads
// turns this into a crash or a use after free (AddressSanitizer), a lost or
// doubled key, or a data race (ThreadSanitizer); the deterministic versions
// are the model cases of each test file.
#pragma once

#include <catch2/catch.hpp>

#include "sorted_list.hpp"

#include <wb/progress.hpp>
#include <wb/testing.hpp>

#include <cstdint>
#include <vector>

/// `threads` threads make `ops` random operations each on keys [0, keys) of
/// `list` (thread t passes t as its thread number), from a generator seeded
/// with `seed`, t and `round`; then checks that the list is still a set.
template <class Policy>
void churn_keeps_a_set(sorted_list<Policy>& list, int threads, long keys, int ops,
                       std::uint32_t seed, unsigned round) {
  // net[t][k]: thread t's successful inserts minus removes of key k.
  std::vector<std::vector<long>> net(threads, std::vector<long>(keys, 0));
  wb::test::run_concurrently(threads, [&](unsigned t) {
    std::uint32_t rng = seed * (t + 1) + round;
    for (int i = 0; i < ops; ++i) {
      rng = rng * 1664525u + 1013904223u;
      const long key = static_cast<long>((rng >> 8) % keys);
      switch ((rng >> 20) % 3) {
        case 0:
          net[t][key] += list.insert(static_cast<int>(t), key) ? 1 : 0;
          break;
        case 1:
          net[t][key] -= list.remove(static_cast<int>(t), key) ? 1 : 0;
          break;
        default:
          (void)list.contains(static_cast<int>(t), key);
          break;
      }
      if (i % 256 == 0) wb::test::progress();
    }
  });
  for (long key = 0; key < keys; ++key) {
    long total = 0;
    for (int t = 0; t < threads; ++t) total += net[t][key];
    INFO("key " << key);
    REQUIRE((total == 0 || total == 1));
    REQUIRE(list.contains(0, key) == (total == 1));
  }
}
