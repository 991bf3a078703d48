// Tests for exercise 10.8, epoch_reclaim (exercises/10-beyond/epoch_reclaim.hpp),
// alone and under the chapter's lock-free sorted list (sorted_list.hpp).
//
// What each case can catch
//   * Freeing too early, step by step on one thread (two thread numbers used
//     in turn): a node retired in the current epoch, or one epoch ago, is
//     still deleted too early; an advance that ignores a thread pinned in an
//     older epoch; a reclaim that never frees. Deterministic in every tree.
//   * The handshake (model): a reader pins and reads the head while a writer
//     swaps it, retires the old node and reclaims until it can. A pin without
//     its seq_cst fence, or an advance that reads the announcements too
//     early, lets the node go while the reader holds it: the model reports
//     the use of a destroyed object (the freed memory is not reused in that
//     execution, so the checker still recognises it: common/MODEL.md).
//   * The list: stress in dev and under ThreadSanitizer (a use after free is
//     a race with `free`), and a model case.
#include <catch2/catch.hpp>

#include "epoch_reclaim.hpp"
#include "sorted_list.hpp"
#include "sorted_list_churn.hpp"

#include <wb/model.hpp>
#include <wb/progress.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <cstdint>
#include <vector>

namespace {

struct tracked {
  wb::atomic<long> value;
  int* deleted;
  tracked(long v, int* counter) : value(v), deleted(counter) {}
  ~tracked() { ++*deleted; }
};

struct epoch_policy {
  epoch_domain<list_node>& domain;
  void enter(int t) { domain.pin(t); }
  void leave(int t) { domain.unpin(t); }
  std::uintptr_t protect(int, int, const wb::atomic<std::uintptr_t>& link) {
    return link.load(wb::memory_order_acquire);  // pinned: every node we reach stays
  }
  void retire(int t, list_node* node) { domain.retire(t, node); }
};

}  // namespace

TEST_CASE("epoch_reclaim: a node lives until two epochs after its retire",
          "[ch10][epoch_reclaim]") {
  int deleted = 0;
  {
    epoch_domain<tracked> epochs(2);
    epochs.pin(0);  // a reader, pinned in epoch 0
    epochs.pin(1);  // the writer
    epochs.retire(1, new tracked(1, &deleted));
    REQUIRE(deleted == 0);  // retired in the current epoch: the reader may hold it
    epochs.reclaim(1);
    epochs.reclaim(1);
    REQUIRE(deleted == 0);  // the reader, pinned in an older epoch, holds the epoch back
    epochs.unpin(0);
    epochs.reclaim(1);
    REQUIRE(deleted == 0);  // the writer itself is still pinned in the old epoch
    epochs.unpin(1);
    epochs.reclaim(1);
    epochs.reclaim(1);
    REQUIRE(deleted == 1);  // nobody pinned: two advances, and it goes
  }
  REQUIRE(deleted == 1);
}

TEST_CASE("epoch_reclaim: a thread pinned in a new epoch does not hold an old node",
          "[ch10][epoch_reclaim]") {
  int deleted = 0;
  epoch_domain<tracked> epochs(2);
  epochs.pin(1);
  epochs.retire(1, new tracked(1, &deleted));
  epochs.unpin(1);
  epochs.reclaim(1);  // advance
  epochs.pin(0);      // pinned in the newer epoch: it cannot reach the node
  epochs.reclaim(1);
  epochs.reclaim(1);
  REQUIRE(deleted == 1);
  epochs.unpin(0);
  SECTION("the destructor deletes what is still retired") {
    int left = 0;
    {
      epoch_domain<tracked> more(1);
      more.pin(0);
      more.retire(0, new tracked(1, &left));
      more.retire(0, new tracked(2, &left));
      more.unpin(0);
      REQUIRE(left == 0);
    }
    REQUIRE(left == 2);
  }
}

TEST_CASE("epoch_reclaim: the sorted list stays a set under concurrent inserts and removes",
          "[ch10][epoch_reclaim]") {
  constexpr int threads = 4;
  constexpr long keys = 8;
  constexpr int ops = 3000;
  wb::test::repeat(3, [&](unsigned round) {
    epoch_domain<list_node> domain(threads);
    epoch_policy policy{domain};
    sorted_list<epoch_policy> list(policy);
    churn_keeps_a_set(list, threads, keys, ops, 777u, round);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("epoch_reclaim: model a pinned reader keeps the node a writer retires",
          "[ch10][epoch_reclaim][model]") {
  wb::model::check([] {
    int deleted = 0;
    epoch_domain<tracked> epochs(2);
    tracked* old_node = new tracked(1, &deleted);
    tracked* new_node = new tracked(2, &deleted);
    wb::atomic<tracked*> head(old_node);
    long seen = 0;
    wb::thread reader([&] {
      epochs.pin(1);
      const tracked* node = head.load(wb::memory_order_acquire);
      seen = node->value.load(wb::memory_order_relaxed);
      seen += node->value.load(wb::memory_order_relaxed);
      epochs.unpin(1);
    });
    epochs.pin(0);
    head.store(new_node, wb::memory_order_release);
    epochs.retire(0, old_node);
    epochs.unpin(0);
    epochs.reclaim(0);
    epochs.reclaim(0);
    reader.join();
    REQUIRE((seen == 2 || seen == 4));
    delete new_node;
  });
}

TEST_CASE("epoch_reclaim: model a remove retires a node a traversal is on",
          "[ch10][epoch_reclaim][model]") {
  wb::model::options opts;
  opts.preemption_bound = 1;
  wb::model::check(
      [] {
        epoch_domain<list_node> domain(2);
        epoch_policy policy{domain};
        sorted_list<epoch_policy> list(policy);
        list.insert(0, 1);
        list.insert(0, 2);
        list.insert(0, 3);
        bool found3 = false, removed = false;
        wb::thread remover([&] {
          removed = list.remove(1, 2);
          domain.reclaim(1);
          domain.reclaim(1);
        });
        found3 = list.contains(0, 3);
        remover.join();
        REQUIRE(removed);
        REQUIRE(found3);
        REQUIRE_FALSE(list.contains(0, 2));
      },
      opts);
}
