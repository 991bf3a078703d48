// Tests for exercise 1.4, blocking_queue (exercises/01-threads/blocking_queue.hpp).
//
// A call that blocks runs on a worker thread whose join has a deadline, so a
// lost wake-up ends the run with "did not finish within". Calls the contract
// says return at once (push with room, pop when not empty or closed, close,
// size) run on the test's thread.
//
// To see that a call really blocks, or to close a queue while threads are
// asleep in it, each thread counts itself in just before the call and the
// test then sleeps `settle`. A correct queue passes however the threads are
// scheduled (a blocked call cannot return early; a call that arrives after
// close() returns at once); the sleep only decides how reliably a wrong one
// (one that does not block, or wakes too few) is caught.
//
// The stress cases check every item: delivered exactly once, in order per
// producer, the queue never above capacity, and no pop ending before close().
// They also call size() while other threads push and pop, which is how
// ThreadSanitizer catches a size() that does not lock.
#include <catch2/catch.hpp>

#include "blocking_queue.hpp"

#include <wb/testing.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace Catch {
// Failure messages show "nullopt" or the value instead of "{?}". (Catch2 2.x
// has this behind a configuration macro, which would have to be defined
// before the precompiled header.)
template <>
struct StringMaker<std::optional<int>> {
  static std::string convert(const std::optional<int>& item) {
    return item ? std::to_string(*item) : "nullopt";
  }
};
template <>
struct StringMaker<std::nullopt_t> {
  static std::string convert(std::nullopt_t) { return "nullopt"; }
};
}  // namespace Catch

namespace {

// Time for threads that have counted themselves in to reach their blocking call.
constexpr auto settle = 50ms;

// Spins until n threads have counted themselves in. Cannot hang: each thread
// counts itself in before it calls into the queue.
void wait_until_arrived(const std::atomic<int>& arrived, int n) {
  while (arrived.load() < n) std::this_thread::yield();
}

// What the stress cases saw, checked on the test's thread after the join.
struct delivery_report {
  int missing = 0;       // accepted by push, never popped
  int duplicated = 0;    // popped more than once
  int unexpected = 0;    // popped but never accepted (or not an item at all)
  int out_of_order = 0;  // one consumer saw a producer's items out of push order
};

// Items are producer * per_producer + sequence number. `accepted[p]` holds
// what producer p's pushes accepted, `received[c]` what consumer c popped,
// each in the order it happened.
delivery_report check_delivery(const std::vector<std::vector<int>>& accepted,
                               const std::vector<std::vector<int>>& received, int per_producer) {
  const int total = static_cast<int>(accepted.size()) * per_producer;
  std::vector<int> pushes(static_cast<std::size_t>(total), 0);
  std::vector<int> pops(static_cast<std::size_t>(total), 0);
  for (const auto& mine : accepted)
    for (int item : mine) ++pushes[static_cast<std::size_t>(item)];

  delivery_report report;
  for (const auto& mine : received) {
    std::vector<int> last_seen(accepted.size(), -1);  // per producer, in this consumer
    for (int item : mine) {
      if (item < 0 || item >= total) {
        ++report.unexpected;
        continue;
      }
      ++pops[static_cast<std::size_t>(item)];
      int& last = last_seen[static_cast<std::size_t>(item / per_producer)];
      if (item % per_producer <= last) ++report.out_of_order;
      last = item % per_producer;
    }
  }
  for (std::size_t i = 0; i < pops.size(); ++i) {
    if (pushes[i] == 1 && pops[i] == 0) ++report.missing;
    if (pops[i] > 1) ++report.duplicated;
    if (pushes[i] == 0 && pops[i] > 0) ++report.unexpected;
  }
  return report;
}

}  // namespace

TEST_CASE("blocking_queue: items come out in the order they went in", "[ch01][blocking_queue]") {
  blocking_queue<int> q(3);
  CHECK(q.size() == 0);
  CHECK(q.push(1));
  CHECK(q.push(2));
  CHECK(q.push(3));
  CHECK(q.size() == 3);
  CHECK(q.pop() == 1);
  CHECK(q.pop() == 2);
  CHECK(q.size() == 1);
  // Refill past the start of the deque a few times: still first in, first out.
  for (int i = 4; i < 40; ++i) {
    CHECK(q.push(i));
    CHECK(q.pop() == i - 1);
  }
  CHECK(q.pop() == 39);
  CHECK(q.size() == 0);
}

TEST_CASE("blocking_queue: capacity must be at least 1", "[ch01][blocking_queue]") {
  CHECK_THROWS_AS(blocking_queue<int>(0), std::invalid_argument);
  blocking_queue<int> q(1);
  CHECK(q.capacity() == 1);
  CHECK(q.size() == 0);
  CHECK(q.push(7));
  CHECK(q.size() == 1);
  CHECK(q.capacity() == 1);
}

TEST_CASE("blocking_queue: push on a closed queue returns false", "[ch01][blocking_queue]") {
  blocking_queue<int> q(2);
  q.close();
  q.close();  // idempotent
  CHECK_FALSE(q.push(1));
  CHECK(q.size() == 0);
  CHECK(q.pop() == std::nullopt);
}

TEST_CASE("blocking_queue: after close, pop drains the items, then returns nullopt",
          "[ch01][blocking_queue]") {
  blocking_queue<int> q(4);
  CHECK(q.push(1));
  CHECK(q.push(2));
  CHECK(q.push(3));
  q.close();
  CHECK_FALSE(q.push(4));
  CHECK(q.size() == 3);
  CHECK(q.pop() == 1);
  CHECK(q.pop() == 2);
  CHECK(q.pop() == 3);
  CHECK(q.pop() == std::nullopt);
  CHECK(q.pop() == std::nullopt);  // and stays so
}

TEST_CASE("blocking_queue: pop on an empty queue waits for a push", "[ch01][blocking_queue]") {
  blocking_queue<int> q(2);
  std::atomic<int> arrived{0};
  std::atomic<bool> returned{false};
  std::optional<int> got;  // written by the consumer, read after the join
  wb::test::thread_group consumer("a pop on an empty queue, then one push");
  consumer.spawn([&] {
    arrived.fetch_add(1);
    got = q.pop();
    returned = true;
  });
  wait_until_arrived(arrived, 1);
  std::this_thread::sleep_for(settle);
  CHECK_FALSE(returned.load());  // nothing to pop yet: it must still be waiting
  CHECK(q.push(42));
  consumer.join_within();
  CHECK(got == 42);
  CHECK(q.size() == 0);
}

TEST_CASE("blocking_queue: push on a full queue waits for a pop", "[ch01][blocking_queue]") {
  blocking_queue<int> q(2);
  CHECK(q.push(1));
  CHECK(q.push(2));
  std::atomic<int> arrived{0};
  std::atomic<bool> returned{false};
  bool accepted = false;  // written by the producer, read after the join
  wb::test::thread_group producer("a push on a full queue, then one pop");
  producer.spawn([&] {
    arrived.fetch_add(1);
    accepted = q.push(3);
    returned = true;
  });
  wait_until_arrived(arrived, 1);
  std::this_thread::sleep_for(settle);
  CHECK_FALSE(returned.load());  // no room yet: it must still be waiting
  CHECK(q.size() == 2);
  CHECK(q.pop() == 1);
  producer.join_within();
  CHECK(accepted);
  CHECK(q.pop() == 2);
  CHECK(q.pop() == 3);
}

TEST_CASE("blocking_queue: close wakes every blocked consumer", "[ch01][blocking_queue]") {
  constexpr int consumers = 4;
  blocking_queue<int> q(1);
  std::atomic<int> arrived{0};
  std::atomic<int> saw_end{0};
  wb::test::thread_group group("consumers blocked in pop on an empty queue, then close()");
  for (int i = 0; i < consumers; ++i) {
    group.spawn([&] {
      arrived.fetch_add(1);
      if (!q.pop()) saw_end.fetch_add(1);
    });
  }
  wait_until_arrived(arrived, consumers);
  std::this_thread::sleep_for(settle);  // let them all fall asleep in pop
  q.close();
  group.join_within();
  CHECK(saw_end.load() == consumers);
}

TEST_CASE("blocking_queue: close wakes every blocked producer, and their push fails",
          "[ch01][blocking_queue]") {
  constexpr int producers = 4;
  blocking_queue<int> q(1);
  CHECK(q.push(0));
  std::atomic<int> arrived{0};
  std::atomic<int> refused{0};
  wb::test::thread_group group("producers blocked in push on a full queue, then close()");
  for (int i = 1; i <= producers; ++i) {
    group.spawn([&, i] {
      arrived.fetch_add(1);
      if (!q.push(i)) refused.fetch_add(1);
    });
  }
  wait_until_arrived(arrived, producers);
  std::this_thread::sleep_for(settle);  // let them all fall asleep in push
  q.close();
  group.join_within();
  CHECK(refused.load() == producers);
  CHECK(q.pop() == 0);  // the item from before close() is still delivered
  CHECK(q.pop() == std::nullopt);
}

// A stolen wake-up, scripted. A thread asleep in pop (push) is woken for an
// item (a free slot), and before it gets the mutex back a third thread takes
// that item (slot). The woken thread must find the table unchanged and sleep
// again; one that checked its condition only once, before waiting, pops from
// an empty deque (a crash) or pushes past the capacity.
//
// The script holds threads inside the queue's critical section with items
// whose n-th move waits at a gate the test opens: the move into the queue's
// storage (push) and the move out of it (pop) are made under the lock in
// every solution, so a thread held there holds the mutex. The stealer is
// made to wait for the mutex *before* the wake-up is sent, so it is first in
// line; whoever moves the item (the slot) first is recorded, and in the rare
// round in which the woken thread still wins, nothing was stolen and the
// round is run again. A correct queue passes whoever wins.
namespace {

class move_gate {
 public:
  void pass() {  // called by the move that is held
    bool expected = false;
    if (first_.compare_exchange_strong(expected, true)) first_thread_ = std::this_thread::get_id();
    entered_.fetch_add(1);
    while (!open_.load()) std::this_thread::sleep_for(1ms);
  }
  void open() { open_.store(true); }
  int entered() const { return entered_.load(); }
  // Read after entered() > 0 (the store above happens before that increment).
  std::thread::id first_thread() const { return first_thread_; }

 private:
  std::atomic<bool> open_{false};
  std::atomic<bool> first_{false};
  std::atomic<int> entered_{0};
  std::thread::id first_thread_;
};

// An int with a script: its move number `at` (1 is the move into the
// queue's storage, 2 the move out of it) passes through `gate`.
class scripted_item {
 public:
  scripted_item(int value, move_gate* gate = nullptr, int at = 0)
      : value_(value), gate_(gate), at_(at) {}
  scripted_item(scripted_item&& other) noexcept
      : value_(other.value_), gate_(other.gate_), at_(other.at_), moves_(other.moves_ + 1) {
    if (gate_ != nullptr && moves_ == at_) gate_->pass();
  }
  scripted_item& operator=(scripted_item&&) = delete;
  int value() const { return value_; }

 private:
  int value_;
  move_gate* gate_;
  int at_;
  int moves_ = 0;
};

template <class Done>
void wait_until(Done done, const char* what) {
  const auto deadline = wb::test::scaled(wb::test::default_deadline);
  const auto start = std::chrono::steady_clock::now();
  while (!done()) {
    if (std::chrono::steady_clock::now() - start > deadline)
      wb::test::fail_deadline(what, deadline);
    std::this_thread::sleep_for(1ms);
  }
}

}  // namespace

TEST_CASE("blocking_queue: a consumer woken for an item another consumer took waits again",
          "[ch01][blocking_queue]") {
  int stolen = 0;  // rounds in which the stealer took the item first
  for (int round = 0; round < 10 && stolen < 2; ++round) {
    blocking_queue<scripted_item> q(2);
    move_gate into_queue;
    std::atomic<int> arrived{0};
    std::atomic<bool> woken_returned{false};
    std::atomic<int> woken_got{-1};
    std::atomic<int> stealer_got{-1};
    wb::test::thread_group group("a consumer woken for an item another consumer took");
    group.spawn([&] {  // the consumer that will be woken
      arrived.fetch_add(1);
      auto item = q.pop();
      woken_got = item ? item->value() : -2;
      woken_returned = true;
    });
    wait_until_arrived(arrived, 1);
    std::this_thread::sleep_for(settle);  // asleep in pop on an empty queue
    std::atomic<bool> producer_pushed{false};
    group.spawn([&] {  // the producer, held inside push while holding the mutex
      producer_pushed = q.push(scripted_item(1, &into_queue, 1));
    });
    wait_until([&] { return into_queue.entered() == 1; },
               "the producer to reach the move into the queue");
    std::atomic<bool> stealer_started{false};
    group.spawn([&] {  // the stealer: waits for the mutex the producer holds
      stealer_started = true;
      auto item = q.pop();
      stealer_got = item ? item->value() : -2;
    });
    wait_until([&] { return stealer_started.load(); }, "the stealer to start");
    std::this_thread::sleep_for(settle);  // the stealer is now waiting for the mutex
    into_queue
        .open();  // the producer appends, unlocks (the stealer is first in line), wakes the consumer
    wait_until([&] { return stealer_got.load() != -1 || woken_returned.load(); },
               "a consumer to take the item");
    if (stealer_got.load() == 1) {
      ++stolen;
      std::this_thread::sleep_for(settle);  // time for a consumer that does not re-check to crash
      CHECK_FALSE(woken_returned.load());   // the queue is empty: it must be asleep again
      CHECK(q.push(scripted_item(2)));
      group.join_within();
      CHECK(woken_got.load() == 2);
    } else {
      CHECK(woken_got.load() == 1);  // the woken consumer won the mutex: nothing stolen
      CHECK(q.push(scripted_item(2)));
      group.join_within();
      CHECK(stealer_got.load() == 2);
    }
    CHECK(producer_pushed.load());
  }
  if (stolen == 0) WARN("the woken consumer won the mutex in every round: nothing was stolen");
}

TEST_CASE("blocking_queue: a producer woken for a slot another producer took waits again",
          "[ch01][blocking_queue]") {
  int stolen = 0;  // rounds in which the stealer took the slot first
  for (int round = 0; round < 10 && stolen < 2; ++round) {
    blocking_queue<scripted_item> q(1);
    move_gate out_of_queue;
    CHECK(q.push(scripted_item(0, &out_of_queue, 2)));  // full; its pop will be held
    std::atomic<int> arrived{0};
    std::atomic<bool> woken_returned{false};
    std::atomic<bool> stealer_returned{false};
    wb::test::thread_group group("a producer woken for a slot another producer took");
    std::atomic<bool> woken_pushed{false};
    group.spawn([&] {  // the producer that will be woken
      arrived.fetch_add(1);
      woken_pushed = q.push(scripted_item(1));
      woken_returned = true;
    });
    wait_until_arrived(arrived, 1);
    std::this_thread::sleep_for(settle);  // asleep in push on a full queue
    std::atomic<int> popped{-1};
    group.spawn([&] {  // the consumer, held inside pop while holding the mutex
      auto item = q.pop();
      popped = item ? item->value() : -2;
    });
    wait_until([&] { return out_of_queue.entered() == 1; },
               "the consumer to reach the move out of the queue");
    std::atomic<bool> stealer_started{false};
    std::atomic<bool> stealer_pushed{false};
    group.spawn([&] {  // the stealer: waits for the mutex the consumer holds
      stealer_started = true;
      stealer_pushed = q.push(scripted_item(2));
      stealer_returned = true;
    });
    wait_until([&] { return stealer_started.load(); }, "the stealer to start");
    std::this_thread::sleep_for(settle);  // the stealer is now waiting for the mutex
    out_of_queue
        .open();  // the consumer takes 0, unlocks (the stealer is first in line), wakes the producer
    wait_until([&] { return stealer_returned.load() || woken_returned.load(); },
               "a producer to take the slot");
    if (stealer_returned.load() && !woken_returned.load()) {
      ++stolen;
      std::this_thread::sleep_for(settle);  // time for a producer that does not re-check to push
      CHECK_FALSE(woken_returned.load());   // the queue is full: it must be asleep again
      CHECK(q.size() <= 1);
      auto second = q.pop();
      CHECK((second && second->value() == 2));
    } else {
      CHECK(q.size() <= 1);
      auto second = q.pop();  // the woken producer's 1 (or a stealer's 2 pushed past the capacity)
      CHECK(second);
    }
    group.join_within();  // the last producer pushes into the slot just freed
    CHECK(popped.load() == 0);
    CHECK(woken_pushed.load());
    CHECK(stealer_pushed.load());
    CHECK(q.size() == 1);
  }
  if (stolen == 0) WARN("the woken producer won the mutex in every round: nothing was stolen");
}

TEST_CASE("blocking_queue: many producers and consumers, every item delivered once",
          "[ch01][blocking_queue][stress]") {
  constexpr int producers = 4;
  constexpr int consumers = 4;
  constexpr int per_producer = 500;
  constexpr std::size_t capacity = 2;  // small: producers and consumers block all the time
  wb::test::repeat(4, [&](unsigned) {
    blocking_queue<int> q(capacity);
    std::atomic<int> producers_left{producers};
    // Each thread writes only its own slot; the test reads them after the join.
    std::vector<std::vector<int>> accepted(producers);
    std::vector<std::size_t> largest_size(producers, 0);
    std::vector<std::vector<int>> received(consumers);
    std::vector<int> ended_early(consumers, 0);
    wb::test::run_concurrently(
        producers + consumers,
        [&](unsigned thread) {
          const int i = static_cast<int>(thread);
          if (i < producers) {
            for (int seq = 0; seq < per_producer; ++seq) {
              const int item = i * per_producer + seq;
              if (q.push(item)) accepted[thread].push_back(item);
              largest_size[thread] = std::max(largest_size[thread], q.size());
            }
            if (producers_left.fetch_sub(1) == 1) q.close();  // the last producer closes
          } else {
            auto& mine = received[thread - producers];
            while (auto item = q.pop()) mine.push_back(*item);
            // nullopt means closed, and only the last producer closes.
            ended_early[thread - producers] = producers_left.load() != 0;
          }
        },
        wb::test::default_deadline, "4 producers and 4 consumers on a queue of capacity 2");

    for (const auto& mine : accepted) CHECK(mine.size() == per_producer);  // never closed early
    for (std::size_t largest : largest_size) CHECK(largest <= capacity);
    for (int early : ended_early) CHECK(early == 0);
    const delivery_report report = check_delivery(accepted, received, per_producer);
    CHECK(report.missing == 0);
    CHECK(report.duplicated == 0);
    CHECK(report.unexpected == 0);
    CHECK(report.out_of_order == 0);
    CHECK(q.size() == 0);
  });
}

TEST_CASE("blocking_queue: close during traffic loses no accepted item",
          "[ch01][blocking_queue][stress]") {
  constexpr int producers = 3;
  constexpr int consumers = 3;
  constexpr int per_producer = 2000;
  wb::test::repeat(8, [&](unsigned round) {
    blocking_queue<int> q(2);
    std::atomic<int> popped{0};
    std::vector<std::vector<int>> accepted(producers);
    std::vector<std::vector<int>> received(consumers);
    // Close at a different moment each round, always well before all
    // producers * per_producer items could have gone through.
    const int close_after = 100 + static_cast<int>(round % 8) * 300;
    wb::test::run_concurrently(
        producers + consumers + 1,
        [&](unsigned thread) {
          const int i = static_cast<int>(thread);
          if (i < producers) {
            for (int seq = 0; seq < per_producer; ++seq) {
              const int item = i * per_producer + seq;
              if (!q.push(item)) break;  // closed
              accepted[thread].push_back(item);
            }
          } else if (i < producers + consumers) {
            auto& mine = received[thread - producers];
            while (auto item = q.pop()) {
              mine.push_back(*item);
              popped.fetch_add(1);
            }
          } else {
            // Nobody else closes, so items keep flowing until the count gets there.
            while (popped.load() < close_after) std::this_thread::yield();
            q.close();
          }
        },
        wb::test::default_deadline, "3 producers, 3 consumers and a thread that closes mid-way");

    const delivery_report report = check_delivery(accepted, received, per_producer);
    CHECK(report.missing == 0);
    CHECK(report.duplicated == 0);
    CHECK(report.unexpected == 0);
    CHECK(report.out_of_order == 0);
  });
}

TEST_CASE("blocking_queue: move-only items travel through the queue", "[ch01][blocking_queue]") {
  blocking_queue<std::unique_ptr<int>> q(2);
  CHECK(q.push(std::make_unique<int>(1)));
  std::optional<std::unique_ptr<int>> item = q.pop();
  REQUIRE(item.has_value());
  REQUIRE(*item != nullptr);
  CHECK(**item == 1);

  constexpr int n = 200;
  long long sum = 0;   // written by the consumer, read after the join
  int null_items = 0;  // likewise
  wb::test::thread_group group("a producer and a consumer of std::unique_ptr<int>");
  group.spawn([&] {
    for (int i = 1; i <= n; ++i) q.push(std::make_unique<int>(i));
    q.close();
  });
  group.spawn([&] {
    while (auto next = q.pop()) {
      if (*next) sum += **next;
      else ++null_items;
    }
  });
  group.join_within();
  CHECK(sum == n * (n + 1) / 2);
  CHECK(null_items == 0);
  CHECK_FALSE(q.push(std::make_unique<int>(0)));  // refused, and freed: no leak under ASan
}

// Every push may have a consumer to wake, whatever the queue held before. A
// push that notifies only when it finds the queue empty ("otherwise a
// consumer is already awake") loses wake-ups with several sleeping
// consumers: pushes in a row find the first item still queued, because the
// consumer it woke has not run yet, and wake nobody. Three consumers asleep,
// three pushes back to back: all three must be delivered.
TEST_CASE("blocking_queue: pushes in a row wake as many sleeping consumers",
          "[ch01][blocking_queue]") {
  constexpr int consumers = 3;
  wb::test::repeat(2, [&](unsigned) {
    blocking_queue<int> q(consumers);
    std::atomic<int> arrived{0};
    std::atomic<int> sum{0};
    wb::test::thread_group group("3 consumers asleep in pop, then 3 pushes in a row");
    for (int i = 0; i < consumers; ++i) {
      group.spawn([&] {
        arrived.fetch_add(1);
        sum.fetch_add(q.pop().value_or(100));
      });
    }
    wait_until_arrived(arrived, consumers);
    std::this_thread::sleep_for(settle);  // let them all fall asleep in pop
    for (int item = 1; item <= consumers; ++item) CHECK(q.push(item));
    group.join_within();
    CHECK(sum.load() == 1 + 2 + 3);
  });
}

// No call on the queue overlaps another, scripted: a pop is held inside its
// critical section (its item's move out of the queue waits for the test),
// and meanwhile size() on another thread must not return. A size() that
// reads without the lock, or takes it only when try_lock succeeds (and, with
// an adopted guard, even unlocks the mutex the pop holds), returns at once.
// The first move after `arm()` is the move out of the queue's storage, which
// every solution makes while holding the lock (the storage is guarded by it).
namespace {

class gated_item {
 public:
  struct gate {
    std::atomic<bool> armed{false};
    std::atomic<bool> inside{false};
    std::atomic<bool> open{false};
  };

  explicit gated_item(gate& g) : gate_(&g) {}
  gated_item(gated_item&& other) noexcept : gate_(other.gate_) {
    if (gate_->armed.exchange(false)) {  // only the first move after arm() waits
      gate_->inside.store(true);
      while (!gate_->open.load()) std::this_thread::yield();
    }
  }
  gated_item& operator=(gated_item&&) = delete;

 private:
  gate* gate_;
};

}  // namespace

TEST_CASE("blocking_queue: size waits while a pop is inside the lock", "[ch01][blocking_queue]") {
  constexpr auto patience = 200ms;
  gated_item::gate gate;
  blocking_queue<gated_item> q(2);
  CHECK(q.push(gated_item(gate)));
  gate.armed.store(true);
  std::atomic<int> returned_early{0};
  std::atomic<long> size_seen{-1};
  wb::test::thread_group group("a pop held inside its critical section, then size()");
  group.spawn([&] { (void)q.pop(); });
  while (!gate.inside.load()) std::this_thread::yield();
  group.spawn([&] {
    size_seen.store(static_cast<long>(q.size()));
    if (!gate.open.load()) returned_early.fetch_add(1);
  });
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (returned_early.load() == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(1ms);
  }
  const int early = returned_early.load();
  gate.open.store(true);
  group.join_within();
  CHECK(early == 0);  // size() did not return while the pop held the lock
  CHECK(size_seen.load() == 0);
}
