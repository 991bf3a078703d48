// Tests for exercise 5.2, oneshot (exercises/05-channels/oneshot.hpp).
//
// Every misuse the contract names (a second send, a second receive, a
// receive before the send) must be a std::logic_error, and must leave the
// channel intact: the message that did go through is still delivered, and
// every `tracked` value (drop_counter.hpp) is destroyed exactly once.
//
// The concurrent cases hand a message from one thread to another many
// times. The receiver polls try_receive (it never blocks), so the only
// deadline is the join. They check the value that arrived; the payload lives
// on the heap, so a receiver that reads it before the sender has finished
// writing it is a data race that ThreadSanitizer reports (it models
// acquire/release on atomics), and often a crash in a plain run.
//
// The racing cases let two senders (or two receivers) go for one channel at
// the same moment: exactly one must win, the other must get the error.
#include <catch2/catch.hpp>

#include "drop_counter.hpp"
#include "oneshot.hpp"
#include "shadowed.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

namespace {

// run_concurrently releases its threads together through a latch, which
// still lets them start microseconds apart. For the racing cases, each
// thread also counts itself in and spins until both have: then their calls
// start within nanoseconds of each other, which is what it takes for two
// check-then-act steps to interleave. The spin is bounded, then yields, so
// that a busy machine (the other thread not running) is not made busier. (A
// correct channel passes however the calls interleave; the spin only makes a
// wrong one fail more often.)
void start_together(std::atomic<int>& ready, int n) {
  ready.fetch_add(1);
  for (int spins = 0; ready.load() < n; ++spins) {
    if (spins > 20000) std::this_thread::yield();
  }
}

}  // namespace

TEST_CASE("oneshot: a message sent is received once", "[ch05][oneshot]") {
  drop_stats stats;
  {
    oneshot<tracked> channel;
    CHECK_FALSE(channel.is_ready());
    channel.send(tracked(stats, 42));
    CHECK(channel.is_ready());
    tracked message = channel.receive();
    CHECK(message.value() == 42);
    CHECK_FALSE(channel.is_ready());
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("oneshot: a second send is an error and the first message survives", "[ch05][oneshot]") {
  drop_stats stats;
  {
    oneshot<tracked> channel;
    channel.send(tracked(stats, 1));
    CHECK_THROWS_AS(channel.send(tracked(stats, 2)), std::logic_error);
    CHECK(stats.alive() == 1);  // the refused message is destroyed, not kept
    CHECK(channel.receive().value() == 1);
    CHECK_THROWS_AS(channel.send(tracked(stats, 3)), std::logic_error);  // also after receive
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("oneshot: a second receive is an error", "[ch05][oneshot]") {
  drop_stats stats;
  {
    oneshot<tracked> channel;
    channel.send(tracked(stats, 7));
    CHECK(channel.receive().value() == 7);
    CHECK_THROWS_AS(channel.receive(), std::logic_error);
    CHECK_THROWS_AS(channel.try_receive(), std::logic_error);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("oneshot: receive before send is an error and try_receive says nothing yet",
          "[ch05][oneshot]") {
  drop_stats stats;
  {
    oneshot<tracked> channel;
    CHECK_FALSE(channel.try_receive().has_value());
    CHECK_THROWS_AS(channel.receive(), std::logic_error);
    CHECK_FALSE(channel.try_receive().has_value());  // still nothing, still no error
    channel.send(tracked(stats, 5));                 // the early calls changed nothing
    std::optional<tracked> message = channel.try_receive();
    REQUIRE(message.has_value());
    CHECK(message->value() == 5);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("oneshot: a message never received is destroyed with the channel", "[ch05][oneshot]") {
  drop_stats stats;
  {
    oneshot<tracked> channel;
    channel.send(tracked(stats, 9));
    CHECK(stats.alive() == 1);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
  {
    oneshot<tracked> never_used;  // nothing to destroy: must not touch the empty slot
  }
  CHECK(stats.constructed.load() == stats.destroyed.load());
}

TEST_CASE("oneshot: a message crosses from one thread to another", "[ch05][oneshot][stress]") {
  drop_stats stats;
  int wrong = 0;
  wb::test::repeat(300, [&](unsigned round) {
    oneshot<tracked> channel;
    int got = -3;  // written by the receiver, read after the join
    wb::test::run_concurrently(
        2,
        [&](unsigned thread) {
          if (thread == 0) {
            channel.send(tracked(stats, static_cast<int>(round)));
          } else {
            std::optional<tracked> message;
            while (!(message = channel.try_receive())) std::this_thread::yield();
            got = message->value();
          }
        },
        wb::test::default_deadline, "a sender and a receiver polling try_receive");
    if (got != static_cast<int>(round)) ++wrong;
  });
  CHECK(wrong == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("oneshot: of two racing senders exactly one succeeds", "[ch05][oneshot][stress]") {
  drop_stats stats;
  int wrong_outcomes = 0;
  wb::test::repeat(400, [&](unsigned) {
    oneshot<tracked> channel;
    std::atomic<int> sent{0};
    std::atomic<int> refused{0};
    std::atomic<int> started{0};
    wb::test::run_concurrently(
        2,
        [&](unsigned thread) {
          tracked message(stats, static_cast<int>(thread));
          start_together(started, 2);
          try {
            channel.send(std::move(message));
            sent.fetch_add(1);
          } catch (const std::logic_error&) { refused.fetch_add(1); }
        },
        wb::test::default_deadline, "two threads calling send at once");
    const int got = channel.receive().value();
    if (sent.load() != 1 || refused.load() != 1 || (got != 0 && got != 1)) ++wrong_outcomes;
  });
  CHECK(wrong_outcomes == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("oneshot: of two racing receivers exactly one gets the message",
          "[ch05][oneshot][stress]") {
  drop_stats stats;
  int wrong_outcomes = 0;
  wb::test::repeat(400, [&](unsigned round) {
    oneshot<tracked> channel;
    channel.send(tracked(stats, static_cast<int>(round)));
    std::atomic<int> received{0};
    std::atomic<int> refused{0};
    std::atomic<int> bad_value{0};
    std::atomic<int> started{0};
    wb::test::run_concurrently(
        2,
        [&](unsigned) {
          start_together(started, 2);
          try {
            if (channel.receive().value() != static_cast<int>(round)) bad_value.fetch_add(1);
            received.fetch_add(1);
          } catch (const std::logic_error&) { refused.fetch_add(1); }
        },
        wb::test::default_deadline, "two threads calling receive at once");
    if (received.load() != 1 || refused.load() != 1 || bad_value.load() != 0) ++wrong_outcomes;
  });
  CHECK(wrong_outcomes == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads. The message is a `shadowed` value (shadowed.hpp): constructing it
// in the slot, moving it out and destroying it access a wb::cell that stands
// for the slot's memory, so a handover without happens-before (a relaxed
// state, a value read before the state says `ready`), or two threads both
// using the slot, is a data race the model reports with both lines. The
// check-then-act races (a load of the state, then a store) need one
// preemption in the right place, which the model always tries. Assertions
// only on the body's thread, after the joins.

TEST_CASE("oneshot: model try_receive sees the whole message or nothing",
          "[ch05][oneshot][model]") {
  wb::model::check([] {
    shadow_memory memory;
    oneshot<shadowed> channel;
    wb::thread sender([&] { channel.send(shadowed(memory, 42)); });
    int seen = -2;  // nothing yet
    if (std::optional<shadowed> message = channel.try_receive()) seen = message->value();
    sender.join();
    REQUIRE((seen == -2 || seen == 42));
  });
}

TEST_CASE("oneshot: model of two racing senders exactly one succeeds", "[ch05][oneshot][model]") {
  wb::model::check([] {
    shadow_memory memory;
    oneshot<shadowed> channel;
    bool thread_refused = false;
    wb::thread other([&] {
      try {
        channel.send(shadowed(memory, 1));
      } catch (const std::logic_error&) { thread_refused = true; }
    });
    bool main_refused = false;
    try {
      channel.send(shadowed(memory, 2));
    } catch (const std::logic_error&) { main_refused = true; }
    other.join();
    REQUIRE(thread_refused != main_refused);
    REQUIRE(channel.receive().value() == (main_refused ? 1 : 2));
  });
}

TEST_CASE("oneshot: model of two racing receivers exactly one gets the message",
          "[ch05][oneshot][model]") {
  wb::model::check([] {
    shadow_memory memory;
    oneshot<shadowed> channel;
    channel.send(shadowed(memory, 7));
    int thread_got = -2;  // -2: refused
    wb::thread other([&] {
      try {
        thread_got = channel.receive().value();
      } catch (const std::logic_error&) {}
    });
    int main_got = -2;
    try {
      main_got = channel.receive().value();
    } catch (const std::logic_error&) {}
    other.join();
    REQUIRE(((thread_got == 7 && main_got == -2) || (thread_got == -2 && main_got == 7)));
  });
}

// is_ready() says a message *is waiting*: a receive right after it returned
// true must succeed. One that already says true while the sender is still
// constructing the message (the `writing` state, one step early) sends the
// observer into a receive that finds nothing: "called before send". The
// model stops the sender between its claim and its publish, and checks.
TEST_CASE("oneshot: model is_ready true means receive succeeds", "[ch05][oneshot][model]") {
  wb::model::check([] {
    shadow_memory memory;
    oneshot<shadowed> channel;
    wb::thread sender([&] { channel.send(shadowed(memory, 42)); });
    int seen = -2;  // not ready yet
    bool refused = false;
    if (channel.is_ready()) {
      try {
        seen = channel.receive().value();
      } catch (const std::logic_error&) { refused = true; }
    }
    sender.join();
    REQUIRE_FALSE(refused);
    REQUIRE((seen == -2 || seen == 42));
  });
}

// Exception safety: T's move constructor may throw inside send (into the
// slot) or inside try_receive (out of it). The channel must come out as it
// went in, never stuck in `writing` or `reading` (throwing_payload.hpp).
#include "throwing_payload.hpp"

TEST_CASE("oneshot: a send whose message throws while moving leaves the channel empty",
          "[ch05][oneshot]") {
  move_switch moves;
  {
    oneshot<fragile> channel;
    moves.armed = true;
    CHECK_THROWS_AS(channel.send(fragile(moves, 1)), move_failed);
    moves.armed = false;
    CHECK_FALSE(channel.is_ready());
    CHECK_FALSE(channel.try_receive().has_value());  // nothing yet, and not an error
    CHECK_NOTHROW(channel.send(fragile(moves, 2)));  // the slot was given back: not a "second send"
    REQUIRE(channel.is_ready());
    CHECK(channel.receive().value() == 2);
  }
  CHECK(moves.alive.load() == 0);
}

TEST_CASE("oneshot: a receive whose message throws while moving leaves the message in the channel",
          "[ch05][oneshot]") {
  move_switch moves;
  {
    oneshot<fragile> channel;
    channel.send(fragile(moves, 3));
    moves.armed = true;
    CHECK_THROWS_AS(channel.try_receive(), move_failed);
    moves.armed = false;
    CHECK(channel.is_ready());  // still there: not taken, not "received twice"
    CHECK(channel.receive().value() == 3);
  }
  CHECK(moves.alive.load() == 0);
  {
    oneshot<fragile> channel;  // a message whose receive threw is destroyed with the channel
    channel.send(fragile(moves, 4));
    moves.armed = true;
    CHECK_THROWS_AS(channel.receive(), move_failed);
    moves.armed = false;
  }
  CHECK(moves.alive.load() == 0);
}
