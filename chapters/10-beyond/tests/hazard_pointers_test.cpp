// Tests for exercise 10.7, hazard_pointers (exercises/10-beyond/hazard_pointers.hpp),
// alone and under the chapter's lock-free sorted list (sorted_list.hpp).
//
// What each case can catch
//   * A node deleted while protected, or never deleted: single-threaded cases
//     with a node type that counts its destructions (scan threshold 1, so every
//     retire scans).
//   * The handshake (model): a reader protects the head while a writer swaps
//     it and retires the old node. A hazard pointer that is not re-read after
//     publishing, published only after the re-read, or published without a
//     seq_cst fence lets the scan delete the node the reader then reads: the
//     model reports the use of a destroyed object. The freed memory is not
//     reused in that execution (no object is created after the delete), so
//     the checker still recognises it; once memory is reused it could not
//     (common/MODEL.md). A clear that is not a release leaves the reader's
//     read unordered with the delete: "destroyed while accessed".
//   * The list: stress in dev and under ThreadSanitizer (a use after free is a
//     race with `free` there, and AddressSanitizer runs the solution too), and
//     model cases where a remove's unlink and retire meet a traversal.
#include <catch2/catch.hpp>

#include "hazard_pointers.hpp"
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

// A node that counts its destructions into a counter the test owns.
struct tracked {
  wb::atomic<long> value;
  int* deleted;
  tracked(long v, int* counter) : value(v), deleted(counter) {}
  ~tracked() { ++*deleted; }
};

std::uintptr_t word_of(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

// The list's policy over the learner's domain.
struct hp_policy {
  hazard_pointers<list_node>& domain;
  void enter(int) {}
  void leave(int t) { domain.clear(t); }
  std::uintptr_t protect(int t, int slot, const wb::atomic<std::uintptr_t>& link) {
    return domain.protect(t, slot, link);
  }
  void retire(int t, list_node* node) { domain.retire(t, node); }
};

}  // namespace

TEST_CASE("hazard_pointers: protect returns the link and a retired unprotected node is deleted",
          "[ch10][hazard_pointers]") {
  int deleted = 0;
  {
    hazard_pointers<tracked> hp(2, 1);
    tracked* node = new tracked(5, &deleted);
    wb::atomic<std::uintptr_t> link(word_of(node));
    REQUIRE(hp.protect(0, 0, link) == word_of(node));
    wb::atomic<std::uintptr_t> marked(word_of(node) | 1);
    REQUIRE(hp.protect(0, 1, marked) == (word_of(node) | 1));  // the mark is returned as read
    wb::atomic<std::uintptr_t> nothing(0);
    REQUIRE(hp.protect(1, 2, nothing) == 0);
    hp.clear(0);
    link.store(0);
    hp.retire(1, node);  // nobody holds it: deleted by this scan
    REQUIRE(deleted == 1);
  }
  REQUIRE(deleted == 1);
}

TEST_CASE("hazard_pointers: a protected node outlives its retire until the hazard is cleared",
          "[ch10][hazard_pointers]") {
  int deleted = 0;
  {
    hazard_pointers<tracked> hp(2, 1);
    tracked* a = new tracked(1, &deleted);
    tracked* b = new tracked(2, &deleted);
    wb::atomic<std::uintptr_t> link(word_of(a) | 1);  // marked: still protects a
    REQUIRE(hp.protect(0, 2, link) == (word_of(a) | 1));
    link.store(word_of(b));
    hp.retire(1, a);
    REQUIRE(deleted == 0);  // thread 0 holds a
    REQUIRE(a->value.load() == 1);
    hp.clear(0);
    link.store(0);
    hp.retire(1, b);  // this scan finds a unprotected too
    REQUIRE(deleted == 2);
  }
  SECTION("the destructor deletes what is still retired") {
    int left = 0;
    {
      hazard_pointers<tracked> hp(1, 100);
      hp.retire(0, new tracked(1, &left));
      hp.retire(0, new tracked(2, &left));
      REQUIRE(left == 0);
    }
    REQUIRE(left == 2);
  }
}

TEST_CASE("hazard_pointers: the sorted list stays a set under concurrent inserts and removes",
          "[ch10][hazard_pointers]") {
  constexpr int threads = 4;
  constexpr long keys = 8;
  constexpr int ops = 3000;
  wb::test::repeat(3, [&](unsigned round) {
    hazard_pointers<list_node> domain(threads, 4);
    hp_policy policy{domain};
    sorted_list<hp_policy> list(policy);
    churn_keeps_a_set(list, threads, keys, ops, 12345u, round);
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------

TEST_CASE("hazard_pointers: model a reader protects the head while a writer retires it",
          "[ch10][hazard_pointers][model]") {
  // Three preemptions, as the checker counts them: a clear that is not a
  // release shows only when the reader runs between the writer's store to
  // the head and the scan's fence (one real preemption) and clears before
  // the scan reads its hazard pointer. Two of the reader's loads return what
  // its previous load of the same object returned (the re-read of the head,
  // the second read of the node): each is a yield for the checker (MODEL.md,
  // "Spin loops"), after which carrying on costs a preemption. So bound 2
  // has no schedule that shows it (checked with and without partial-order
  // reduction).
  wb::model::options opts;
  opts.preemption_bound = 3;
  wb::model::check(
      [] {
        int deleted = 0;
        hazard_pointers<tracked> hp(2, 1);
        tracked* old_node = new tracked(1, &deleted);
        tracked* new_node = new tracked(2, &deleted);
        wb::atomic<std::uintptr_t> head(word_of(old_node));
        long seen = 0;
        wb::thread reader([&] {
          const std::uintptr_t word = hp.protect(1, 0, head);
          const auto* node = reinterpret_cast<const tracked*>(word);
          seen = node->value.load(wb::memory_order_relaxed);
          seen += node->value.load(wb::memory_order_relaxed);
          hp.clear(1);
        });
        head.store(word_of(new_node), wb::memory_order_release);
        hp.retire(0, old_node);
        reader.join();
        REQUIRE((seen == 2 || seen == 4));
        hp.retire(0, new_node);  // every node is deleted: the head is now the domain's
      },
      opts);
}

TEST_CASE("hazard_pointers: model a remove unlinks and retires a node a traversal is on",
          "[ch10][hazard_pointers][model]") {
  wb::model::check([] {
    hazard_pointers<list_node> domain(2, 1);
    hp_policy policy{domain};
    sorted_list<hp_policy> list(policy);
    list.insert(0, 1);
    list.insert(0, 2);
    list.insert(0, 3);
    bool found3 = false, removed = false;
    wb::thread remover([&] { removed = list.remove(1, 2); });
    found3 = list.contains(0, 3);
    remover.join();
    REQUIRE(removed);
    REQUIRE(found3);
    REQUIRE_FALSE(list.contains(0, 2));
  });
}

TEST_CASE("hazard_pointers: model two removes of neighbours", "[ch10][hazard_pointers][model]") {
  wb::model::options opts;
  opts.preemption_bound = 1;
  wb::model::check(
      [] {
        hazard_pointers<list_node> domain(2, 1);
        hp_policy policy{domain};
        sorted_list<hp_policy> list(policy);
        list.insert(0, 1);
        list.insert(0, 2);
        list.insert(0, 3);
        bool removed1 = false, removed2 = false;
        wb::thread other([&] { removed2 = list.remove(1, 2); });
        removed1 = list.remove(0, 1);
        other.join();
        REQUIRE(removed1);
        REQUIRE(removed2);
        REQUIRE_FALSE(list.contains(0, 1));
        REQUIRE_FALSE(list.contains(0, 2));
        REQUIRE(list.contains(0, 3));
      },
      opts);
}
