// Tests for exercise 3.1, mailbox (exercises/03-memory-ordering/mailbox.hpp).
//
// The payload is a `letter`: a heap-allocated string and vector plus a
// checksum over both, i.e. many plain memory locations, none atomic. A
// consumer that got the flag without the payload (a relaxed publish or a
// relaxed check) reads them while the producer writes them: a data race,
// which ThreadSanitizer reports, and on a weakly ordered machine a torn
// letter, which the checksum shows.
//
// The handover cases start a producer and a consumer together on a fresh
// mailbox, many times over, and check every letter after the join; each
// thread records what it saw in its own slot.
#include <catch2/catch.hpp>

#include "mailbox.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct letter {
  std::string text;
  std::vector<int> numbers;
  long checksum = 0;  // text.size() + sum of numbers: a letter read half-written does not add up
};

letter write_letter(int n) {
  letter l;
  l.text = "letter number " + std::to_string(n) + std::string(40, '.');  // longer than SSO
  l.numbers.resize(static_cast<std::size_t>(8 + n % 8));
  std::iota(l.numbers.begin(), l.numbers.end(), n);
  l.checksum =
      static_cast<long>(l.text.size()) + std::accumulate(l.numbers.begin(), l.numbers.end(), 0L);
  return l;
}

// The letter is whole and is letter n.
bool is_letter(const letter& l, int n) {
  const long sum =
      static_cast<long>(l.text.size()) + std::accumulate(l.numbers.begin(), l.numbers.end(), 0L);
  return sum == l.checksum && l.text.rfind("letter number " + std::to_string(n) + ".", 0) == 0 &&
         !l.numbers.empty() && l.numbers.front() == n;
}

}  // namespace

TEST_CASE("mailbox: a posted value is taken once", "[ch03][mailbox]") {
  mailbox<std::string> box;
  CHECK(box.try_take() == std::nullopt);  // nothing posted yet
  box.post("hello, consumer");
  const std::optional<std::string> got = box.try_take();
  REQUIRE(got.has_value());
  CHECK(*got == "hello, consumer");
  CHECK(box.try_take() == std::nullopt);  // taken: the mailbox is empty for good
}

TEST_CASE("mailbox: posting twice is an error", "[ch03][mailbox]") {
  mailbox<int> box;
  box.post(1);
  CHECK_THROWS_AS(box.post(2), std::logic_error);
  CHECK(box.try_take() == 1);                      // the second post changed nothing
  CHECK_THROWS_AS(box.post(3), std::logic_error);  // still an error after the take
  CHECK(box.try_take() == std::nullopt);
}

TEST_CASE("mailbox: take after the value was taken is an error", "[ch03][mailbox]") {
  mailbox<int> box;
  box.post(5);
  CHECK(box.take() == 5);
  CHECK_THROWS_AS(box.take(), std::logic_error);  // would otherwise wait forever
}

TEST_CASE("mailbox: move-only values travel through the mailbox", "[ch03][mailbox]") {
  mailbox<std::unique_ptr<int>> box;
  box.post(std::make_unique<int>(7));
  std::optional<std::unique_ptr<int>> got = box.try_take();
  REQUIRE(got.has_value());
  REQUIRE(*got != nullptr);
  CHECK(**got == 7);
}

TEST_CASE("mailbox: take waits for the post", "[ch03][mailbox]") {
  mailbox<letter> box;
  std::atomic<int> arrived{0};
  std::atomic<bool> returned{false};
  letter got;  // written by the consumer, read after the join
  wb::test::thread_group consumer("a take on an empty mailbox, then one post");
  consumer.spawn([&] {
    arrived.fetch_add(1);
    got = box.take();
    returned = true;
  });
  while (arrived.load() < 1) std::this_thread::yield();
  std::this_thread::sleep_for(50ms);  // lets a take that does not wait return early
  CHECK_FALSE(returned.load());       // nothing posted yet: it must still be waiting
  box.post(write_letter(3));
  consumer.join_within();
  CHECK(is_letter(got, 3));
}

TEST_CASE("mailbox: racing posts and exactly one wins", "[ch03][mailbox][stress]") {
  constexpr unsigned posters = 4;
  wb::test::repeat(50, [&](unsigned) {
    mailbox<letter> box;
    std::vector<int> refused(posters, 0);
    wb::test::run_concurrently(
        posters,
        [&](unsigned i) {
          try {
            box.post(write_letter(static_cast<int>(i)));
          } catch (const std::logic_error&) { refused[i] = 1; }
        },
        wb::test::default_deadline, "4 threads posting to one mailbox");
    CHECK(std::accumulate(refused.begin(), refused.end(), 0) == static_cast<int>(posters) - 1);
    const std::optional<letter> got = box.try_take();
    REQUIRE(got.has_value());
    int winner = -1;
    for (unsigned i = 0; i < posters; ++i)
      if (!refused[i]) winner = static_cast<int>(i);
    CHECK(is_letter(*got, winner));
  });
}

TEST_CASE("mailbox: many handovers and every letter arrives whole", "[ch03][mailbox][stress]") {
  // Four producer/consumer pairs at once, each on its own mailbox, many
  // rounds. Consumers poll with try_take (pairs 0, 1) or block in take
  // (pairs 2, 3), so both paths hand over letters that are still being
  // written when the consumer starts looking.
  constexpr unsigned pairs = 4;
  wb::test::repeat(60, [&](unsigned round) {
    std::vector<mailbox<letter>> boxes(pairs);
    std::vector<letter> got(pairs);
    std::vector<int> polls(pairs, 0);
    wb::test::run_concurrently(
        2 * pairs,
        [&](unsigned thread) {
          const unsigned pair = thread / 2;
          const int n = static_cast<int>(round * pairs + pair);
          if (thread % 2 == 0) {
            boxes[pair].post(write_letter(n));
          } else if (pair < 2) {
            std::optional<letter> l;
            while (!(l = boxes[pair].try_take())) {
              // Mostly a tight poll, to look while the letter is being
              // written; now and then a yield, for a poster without a core.
              if (++polls[pair] % 64 == 0) std::this_thread::yield();
              else wb::spin_loop_hint();
            }
            got[pair] = std::move(*l);
          } else {
            got[pair] = boxes[pair].take();
          }
        },
        wb::test::default_deadline, "4 producers and 4 consumers handing over letters");
    for (unsigned pair = 0; pair < pairs; ++pair) {
      INFO("pair " << pair << " in round " << round);
      CHECK(is_letter(got[pair], static_cast<int>(round * pairs + pair)));
      CHECK(boxes[pair].try_take() == std::nullopt);  // taken once
    }
  });
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads. The payload is a `traced` int: constructing or moving one writes
// a wb::cell that stands for the payload's memory, and reading its value
// reads that cell, so a handover without happens-before (a relaxed flag, a
// payload written after the flag) is a data race the model reports with
// both lines. Assertions only on the body's thread, after the joins.

namespace {

class traced {
 public:
  traced(wb::cell<int>& memory, int value) : memory_(&memory) { memory_->set(value); }
  traced(traced&& other) noexcept : memory_(other.memory_) {
    memory_->with_mut([](int&) {});  // moving the value writes its memory
  }
  traced& operator=(traced&&) = delete;
  int value() const { return memory_->get(); }

 private:
  wb::cell<int>* memory_;
};

}  // namespace

TEST_CASE("mailbox: model try_take sees the whole posted value", "[ch03][mailbox][model]") {
  wb::model::check([] {
    wb::cell<int> memory{0};
    mailbox<traced> box;
    wb::thread producer([&] { box.post(traced(memory, 42)); });
    int seen = -1;
    if (std::optional<traced> got = box.try_take()) seen = got->value();
    producer.join();
    REQUIRE((seen == -1 || seen == 42));
  });
}

TEST_CASE("mailbox: model take waits for the post and sees it", "[ch03][mailbox][model]") {
  wb::model::check([] {
    wb::cell<int> memory{0};
    mailbox<traced> box;
    wb::thread producer([&] { box.post(traced(memory, 7)); });
    const int seen = box.take().value();
    producer.join();
    REQUIRE(seen == 7);
  });
}

TEST_CASE("mailbox: model two racing posts and exactly one wins", "[ch03][mailbox][model]") {
  wb::model::check([] {
    wb::cell<int> memory1{0};  // one per poster: only the winner's is handed over
    wb::cell<int> memory2{0};
    mailbox<traced> box;
    bool thread_refused = false;
    wb::thread other([&] {
      try {
        box.post(traced(memory1, 1));
      } catch (const std::logic_error&) { thread_refused = true; }
    });
    bool main_refused = false;
    try {
      box.post(traced(memory2, 2));
    } catch (const std::logic_error&) { main_refused = true; }
    other.join();
    REQUIRE(thread_refused != main_refused);
    std::optional<traced> got = box.try_take();
    REQUIRE(got.has_value());
    REQUIRE(got->value() == (main_refused ? 1 : 2));
  });
}
