// Tests for exercise 5.3, typed_oneshot (exercises/05-channels/typed_oneshot.hpp).
//
// The types already forbid most misuse (send and receive are &&-qualified,
// the handles cannot be copied). What is left for run time, and tested here:
// a moved-from or used handle must throw std::logic_error, and so must a
// receive before the send, leaving the receiver usable.
//
// Lifetimes: every message is a `tracked` value (drop_counter.hpp). A value
// sent and never received must be destroyed when the last handle goes, in
// either order, and nothing may be destroyed twice. The shared state itself
// is a heap allocation: LeakSanitizer (asan-ubsan tree) reports it if no
// handle frees it, and AddressSanitizer a use after free if one frees it too
// early.
//
// The concurrent cases drop the two handles on two threads, in whatever
// order the scheduler picks, so the last one (which frees the state) varies.
// A decrement of the handle count that is not acquire/release leaves the
// delete unordered with the other thread's last access: a data race on the
// freed memory that ThreadSanitizer reports.
#include <catch2/catch.hpp>

#include "drop_counter.hpp"
#include "shadowed.hpp"
#include "typed_oneshot.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <utility>

TEST_CASE("typed_oneshot: a message sent is received once", "[ch05][typed_oneshot]") {
  drop_stats stats;
  {
    auto [sender, receiver] = typed_oneshot::make_channel<tracked>();
    CHECK_FALSE(receiver.is_ready());
    std::move(sender).send(tracked(stats, 42));
    CHECK(receiver.is_ready());
    tracked message = std::move(receiver).receive();
    CHECK(message.value() == 42);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("typed_oneshot: a moved-from or used sender is rejected", "[ch05][typed_oneshot]") {
  drop_stats stats;
  {
    auto [sender, receiver] = typed_oneshot::make_channel<tracked>();
    auto moved_to = std::move(sender);
    CHECK_THROWS_AS(std::move(sender).send(tracked(stats, 1)), std::logic_error);
    std::move(moved_to).send(tracked(stats, 2));
    CHECK_THROWS_AS(std::move(moved_to).send(tracked(stats, 3)), std::logic_error);  // used up
    CHECK(stats.alive() == 1);  // the refused messages are destroyed
    CHECK(std::move(receiver).receive().value() == 2);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("typed_oneshot: a moved-from or used receiver is rejected", "[ch05][typed_oneshot]") {
  drop_stats stats;
  {
    auto [sender, receiver] = typed_oneshot::make_channel<tracked>();
    std::move(sender).send(tracked(stats, 8));
    auto moved_to = std::move(receiver);
    CHECK_THROWS_AS(std::move(receiver).receive(), std::logic_error);
    CHECK_THROWS_AS(receiver.is_ready(), std::logic_error);
    CHECK(std::move(moved_to).receive().value() == 8);
    CHECK_THROWS_AS(std::move(moved_to).receive(), std::logic_error);  // used up
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("typed_oneshot: receive before send is an error and the receiver stays usable",
          "[ch05][typed_oneshot]") {
  drop_stats stats;
  {
    auto [sender, receiver] = typed_oneshot::make_channel<tracked>();
    CHECK_THROWS_AS(std::move(receiver).receive(), std::logic_error);
    std::move(sender).send(tracked(stats, 3));
    CHECK(std::move(receiver).receive().value() == 3);
  }
  CHECK(stats.alive() == 0);
}

TEST_CASE("typed_oneshot: a message never received is destroyed with the last handle",
          "[ch05][typed_oneshot]") {
  drop_stats stats;
  SECTION("the receiver is dropped after the send") {
    auto channel = typed_oneshot::make_channel<tracked>();
    std::move(channel.first).send(tracked(stats, 1));
    { auto dropped = std::move(channel.second); }  // the sender is used up: this is the last
    CHECK(stats.alive() == 0);
  }
  SECTION("the receiver is destroyed after an unused sender") {
    auto channel = typed_oneshot::make_channel<tracked>();
    { auto dropped = std::move(channel.first); }
    CHECK(stats.alive() == 0);
    { auto dropped = std::move(channel.second); }
    CHECK(stats.alive() == 0);
  }
  SECTION("move assignment gives up the share it held") {
    auto first = typed_oneshot::make_channel<tracked>();
    auto second = typed_oneshot::make_channel<tracked>();
    std::move(first.first).send(tracked(stats, 1));
    std::move(second.first).send(tracked(stats, 2));
    first.second = std::move(second.second);  // the first channel's last handle is gone
    CHECK(stats.alive() == 1);
    CHECK(std::move(first.second).receive().value() == 2);
    CHECK(stats.alive() == 0);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("typed_oneshot: handles on two threads deliver the message and free the state once",
          "[ch05][typed_oneshot][stress]") {
  drop_stats stats;
  int wrong = 0;
  wb::test::repeat(400, [&](unsigned round) {
    auto [sender, receiver] = typed_oneshot::make_channel<tracked>();
    int got = -3;                            // written by the receiving thread, read after the join
    const bool receive_it = round % 4 != 3;  // sometimes the receiver is dropped unused
    wb::test::run_concurrently(
        2,
        [&](unsigned thread) {
          if (thread == 0) {
            std::move(sender).send(tracked(stats, static_cast<int>(round)));
          } else if (receive_it) {
            while (!receiver.is_ready()) std::this_thread::yield();
            got = std::move(receiver).receive().value();
          } else {
            auto dropped = std::move(receiver);  // races with the send to be the last handle
          }
        },
        wb::test::default_deadline, "a sender and a receiver on two threads");
    if (receive_it && got != static_cast<int>(round)) ++wrong;
  });
  CHECK(wrong == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("typed_oneshot: many channels used by many threads at once",
          "[ch05][typed_oneshot][stress]") {
  constexpr int pairs = 4;
  drop_stats stats;
  int wrong = 0;
  wb::test::repeat(50, [&](unsigned) {
    std::vector<std::pair<typed_oneshot::sender<tracked>, typed_oneshot::receiver<tracked>>>
        channels;
    for (int i = 0; i < pairs; ++i) channels.push_back(typed_oneshot::make_channel<tracked>());
    std::vector<int> got(pairs, -3);  // one slot per receiving thread
    wb::test::run_concurrently(
        2 * pairs,
        [&](unsigned thread) {
          auto& [sender, receiver] = channels[thread / 2];
          if (thread % 2 == 0) {
            std::move(sender).send(tracked(stats, static_cast<int>(thread / 2)));
          } else {
            while (!receiver.is_ready()) std::this_thread::yield();
            got[thread / 2] = std::move(receiver).receive().value();
          }
        },
        wb::test::default_deadline, "4 senders and 4 receivers on 4 channels");
    for (int i = 0; i < pairs; ++i) {
      if (got[static_cast<std::size_t>(i)] != i) ++wrong;
    }
  });
  CHECK(wrong == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree the body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads. The message is a `shadowed` value (shadowed.hpp): constructing it
// in the slot, moving it out and destroying it access a wb::cell that stands
// for the slot's memory. So a receive not ordered after the send (a relaxed
// `ready`), or a last handle whose destruction of an unreceived message is
// not ordered after the send (a relaxed count), is a data race the model
// reports with both lines. Assertions only on the body's thread, after the
// join.

TEST_CASE("typed_oneshot: model handles on two threads deliver the message and free the state once",
          "[ch05][typed_oneshot][model]") {
  wb::model::check([] {
    shadow_memory memory;
    auto [sender, receiver] = typed_oneshot::make_channel<shadowed>();
    wb::thread sending([&] { std::move(sender).send(shadowed(memory, 42)); });
    int seen = -2;  // not received: the receiver is dropped, racing the send to be the last handle
    if (receiver.is_ready()) {
      seen = std::move(receiver).receive().value();
    } else {
      auto dropped = std::move(receiver);
    }
    sending.join();
    REQUIRE((seen == -2 || seen == 42));
  });
}

// Move-assignment is finished with the handle it replaces when the statement
// ends: the target's old share is given up, and the source is moved-from. A
// swap leaves the old share in the source instead, which then still works
// (a send from it reaches the first channel) although the contract says a
// moved-from handle throws.
TEST_CASE("typed_oneshot: the source of a move-assignment is moved-from", "[ch05][typed_oneshot]") {
  drop_stats stats;
  {
    auto first = typed_oneshot::make_channel<tracked>();
    auto second = typed_oneshot::make_channel<tracked>();
    first.first = std::move(second.first);
    CHECK_THROWS_AS(std::move(second.first).send(tracked(stats, 1)), std::logic_error);
    CHECK_FALSE(first.second.is_ready());  // the first channel's sender was given up unused
    std::move(first.first).send(tracked(stats, 2));
    CHECK(second.second.is_ready());  // the sender now belongs to the second channel

    first.second = std::move(second.second);
    CHECK_THROWS_AS(second.second.is_ready(), std::logic_error);
    CHECK(std::move(first.second).receive().value() == 2);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}
