// Tests for exercise 5.4, blocking_oneshot (exercises/05-channels/blocking_oneshot.hpp).
//
// receive blocks, so every receive that may wait runs on a worker whose join
// has a deadline: a receiver that is never woken ends the run with "did not
// finish within". To check that a *sleeping* receiver is woken, the receiver
// counts itself in and the test sleeps `settle` before sending (or before
// dropping the sender); a correct channel passes however the threads are
// scheduled, the sleep only makes a channel that forgets to wake fail
// reliably.
//
// Every thread that uses a handle is joined before the channel is destroyed:
// that is the lifetime rule of the contract (a sender may still be inside
// wake_one when the receiver has already returned).
//
// Messages are `tracked` values (drop_counter.hpp): each is destroyed once,
// by the receiver or by the channel's destructor. The payload lives on the
// heap, so a receiver that reads it without an acquire that synchronizes with
// the send's release is a data race ThreadSanitizer reports.
#include <catch2/catch.hpp>

#include "blocking_oneshot.hpp"
#include "drop_counter.hpp"
#include "shadowed.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

// Time for a receiver that has counted itself in to fall asleep in receive.
constexpr auto settle = 50ms;

void wait_until_arrived(const std::atomic<int>& arrived, int n) {
  while (arrived.load() < n) std::this_thread::yield();
}

}  // namespace

TEST_CASE("blocking_oneshot: a message sent is received", "[ch05][blocking_oneshot]") {
  drop_stats stats;
  {
    blocking_oneshot<tracked> channel;
    auto [sender, receiver] = channel.split();
    std::move(sender).send(tracked(stats, 42));
    int got = -3;
    wb::test::finishes_within(wb::test::default_deadline, "receive after the send",
                              [&] { got = std::move(receiver).receive().value(); });
    CHECK(got == 42);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("blocking_oneshot: split twice is an error", "[ch05][blocking_oneshot]") {
  blocking_oneshot<tracked> channel;
  auto handles = channel.split();
  CHECK_THROWS_AS(channel.split(), std::logic_error);
}

TEST_CASE("blocking_oneshot: moved-from and used handles are rejected",
          "[ch05][blocking_oneshot]") {
  drop_stats stats;
  {
    blocking_oneshot<tracked> channel;
    auto [sender, receiver] = channel.split();
    auto sender2 = std::move(sender);
    auto receiver2 = std::move(receiver);
    CHECK_THROWS_AS(std::move(sender).send(tracked(stats, 1)), std::logic_error);
    CHECK_THROWS_AS(std::move(receiver).receive(), std::logic_error);  // does not block
    std::move(sender2).send(tracked(stats, 2));
    CHECK_THROWS_AS(std::move(sender2).send(tracked(stats, 3)), std::logic_error);
    CHECK(std::move(receiver2).receive().value() == 2);
    CHECK_THROWS_AS(std::move(receiver2).receive(), std::logic_error);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("blocking_oneshot: a message never received is destroyed with the channel",
          "[ch05][blocking_oneshot]") {
  drop_stats stats;
  {
    blocking_oneshot<tracked> channel;
    auto [sender, receiver] = channel.split();
    std::move(sender).send(tracked(stats, 1));
    CHECK(stats.alive() == 1);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("blocking_oneshot: receive sleeps until a send on another thread",
          "[ch05][blocking_oneshot]") {
  drop_stats stats;
  {
    blocking_oneshot<tracked> channel;
    auto [sender, receiver] = channel.split();
    std::atomic<int> arrived{0};
    std::atomic<bool> returned{false};
    int got = -3;  // written by the receiver, read after the join
    wb::test::thread_group group("a receive on an empty channel, then a send");
    group.spawn([&] {
      arrived.fetch_add(1);
      got = std::move(receiver).receive().value();
      returned = true;
    });
    wait_until_arrived(arrived, 1);
    std::this_thread::sleep_for(settle);
    CHECK_FALSE(returned.load());  // nothing sent yet: it must still be waiting
    std::move(sender).send(tracked(stats, 7));
    group.join_within();
    CHECK(got == 7);
  }
  CHECK(stats.alive() == 0);
}

TEST_CASE("blocking_oneshot: a sender destroyed unused wakes the receiver with an error",
          "[ch05][blocking_oneshot]") {
  blocking_oneshot<tracked> channel;
  auto handles = channel.split();
  std::optional<blocking_oneshot<tracked>::sender> sender(std::move(handles.first));
  std::atomic<int> arrived{0};
  std::atomic<bool> threw{false};
  wb::test::thread_group group("a receive on an empty channel, then the sender is destroyed");
  group.spawn([&] {
    arrived.fetch_add(1);
    try {
      (void)std::move(handles.second).receive();
    } catch (const std::logic_error&) { threw = true; }
  });
  wait_until_arrived(arrived, 1);
  std::this_thread::sleep_for(settle);
  sender.reset();  // dropped without sending
  group.join_within();
  CHECK(threw.load());
}

TEST_CASE("blocking_oneshot: a message crosses threads many times",
          "[ch05][blocking_oneshot][stress]") {
  drop_stats stats;
  int wrong = 0;
  wb::test::repeat(300, [&](unsigned round) {
    blocking_oneshot<tracked> channel;
    auto [sender, receiver] = channel.split();
    int got = -3;  // written by the receiver, read after the join
    wb::test::run_concurrently(
        2,
        [&](unsigned thread) {
          if (thread == 0) {
            std::move(sender).send(tracked(stats, static_cast<int>(round)));
          } else {
            got = std::move(receiver).receive().value();
          }
        },
        wb::test::default_deadline, "a sender and a blocking receiver");
    if (got != static_cast<int>(round)) ++wrong;
  });
  CHECK(wrong == 0);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("blocking_oneshot: many channels and threads at once",
          "[ch05][blocking_oneshot][stress]") {
  constexpr int pairs = 4;
  drop_stats stats;
  int wrong = 0;
  int abandoned_seen = 0;
  int rounds = 0;
  wb::test::repeat(50, [&](unsigned) {
    ++rounds;
    std::vector<blocking_oneshot<tracked>> channels(pairs);
    std::vector<std::optional<blocking_oneshot<tracked>::sender>> senders;
    std::vector<std::optional<blocking_oneshot<tracked>::receiver>> receivers;
    for (auto& channel : channels) {
      auto [sender, receiver] = channel.split();
      senders.emplace_back(std::move(sender));
      receivers.emplace_back(std::move(receiver));
    }
    std::vector<int> got(pairs, -3);  // one slot per receiving thread; -4: sender abandoned
    wb::test::run_concurrently(
        2 * pairs,
        [&](unsigned thread) {
          const std::size_t i = thread / 2;
          if (thread % 2 == 0) {
            if (i == pairs - 1) senders[i].reset();  // the last pair: dropped unused
            else std::move(*senders[i]).send(tracked(stats, static_cast<int>(i)));
          } else {
            try {
              got[i] = std::move(*receivers[i]).receive().value();
            } catch (const std::logic_error&) { got[i] = -4; }
          }
        },
        wb::test::default_deadline, "4 senders (one drops its handle) and 4 blocking receivers");
    for (int i = 0; i < pairs - 1; ++i) {
      if (got[static_cast<std::size_t>(i)] != i) ++wrong;
    }
    if (got[pairs - 1] == -4) ++abandoned_seen;
  });
  CHECK(wrong == 0);
  CHECK(abandoned_seen == rounds);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2) and
// every value each load may read; elsewhere it runs 100 times with real
// threads, within a deadline (check_blocking, shadowed.hpp). The model
// schedules the receiver's wake-up deliberately: a wake that comes before the
// state change, or none at all, leaves the receiver asleep for good, which
// the model reports as a deadlock with the line each thread waits at. The
// message is a `shadowed` value whose construction in the slot, move out and
// destruction access a wb::cell standing for the slot's memory, so a receive
// not ordered after the send is a data race on it. Assertions only on the
// body's thread, after the join.

TEST_CASE("blocking_oneshot: model receive sleeps until the send and sees it",
          "[ch05][blocking_oneshot][model]") {
  check_blocking(
      [] {
        shadow_memory memory;
        blocking_oneshot<shadowed> channel;
        auto [sender, receiver] = channel.split();
        wb::thread sending([&] { std::move(sender).send(shadowed(memory, 7)); });
        const int seen = std::move(receiver).receive().value();
        sending.join();
        REQUIRE(seen == 7);
      },
      "100 runs of a receive and a send on two threads");
}

TEST_CASE("blocking_oneshot: model a sender dropped unused wakes the receiver",
          "[ch05][blocking_oneshot][model]") {
  check_blocking(
      [] {
        blocking_oneshot<shadowed> channel;
        auto [sender, receiver] = channel.split();
        wb::thread dropping([&] { auto dropped = std::move(sender); });
        bool threw = false;
        try {
          (void)std::move(receiver).receive();
        } catch (const std::logic_error&) { threw = true; }
        dropping.join();
        REQUIRE(threw);
      },
      "100 runs of a receive and a sender dropped on two threads");
}

// The contract says receive *sleeps*. A receiver that polls the state in a
// loop (with or without spin_loop_hint or yield) returns the right message in
// every test above; what it does differently is never to reach wb::wait. The
// model shows that without a clock: here nobody ever sends and the sender
// stays alive, so the execution cannot finish. A sleeping receiver is blocked
// in wb::wait and the body's thread in join, which the model reports as a
// deadlock naming wb::wait; a polling receiver keeps running until the step
// budget is spent, which is a livelock report instead. With real threads
// (every other tree) the body would never end, so there the receiver is
// only checked to be still waiting after `settle`, then released by
// dropping the sender.
TEST_CASE("blocking_oneshot: model a receiver with nothing to receive sleeps in wb::wait",
          "[ch05][blocking_oneshot][model]") {
  if (!wb::model::enabled()) {
    blocking_oneshot<int> channel;
    auto handles = channel.split();
    std::optional<blocking_oneshot<int>::sender> sender(std::move(handles.first));
    std::atomic<int> arrived{0};
    std::atomic<bool> returned{false};
    wb::test::thread_group group("a receive with nothing sent, released by dropping the sender");
    group.spawn([&] {
      arrived.fetch_add(1);
      try {
        (void)std::move(handles.second).receive();
      } catch (const std::logic_error&) {}
      returned = true;
    });
    wait_until_arrived(arrived, 1);
    std::this_thread::sleep_for(settle);
    CHECK_FALSE(returned.load());
    sender.reset();
    group.join_within();
    return;
  }
  std::string report;
  wb::model::options opts;
  opts.max_steps = 500;  // a polling receiver reaches it quickly; a sleeping one never
  try {
    wb::model::check(
        [] {
          blocking_oneshot<int> channel;
          auto [sender, receiver] = channel.split();
          wb::thread receiving([&] { (void)std::move(receiver).receive(); });
          receiving.join();  // never returns: the sender is alive and never sends
        },
        opts);
  } catch (const wb::model::failure& f) { report = f.what(); }
  INFO(report);
  CHECK_THAT(report, Catch::Matchers::Contains("deadlock"));
  CHECK_THAT(report, Catch::Matchers::Contains("waits in wb::wait"));
}

// Exception safety: T's move constructor may throw inside send. The sender
// must then still hold the channel: usable again, and, when destroyed
// unused, closing the channel so that a sleeping receiver wakes
// (throwing_payload.hpp).
#include "throwing_payload.hpp"

TEST_CASE("blocking_oneshot: a send whose message throws while moving leaves the sender usable",
          "[ch05][blocking_oneshot]") {
  move_switch moves;
  {
    blocking_oneshot<fragile> channel;
    auto [sender, receiver] = channel.split();
    moves.armed = true;
    CHECK_THROWS_AS(std::move(sender).send(fragile(moves, 1)), move_failed);
    moves.armed = false;
    CHECK_NOTHROW(std::move(sender).send(fragile(moves, 2)));  // not "a used sender"
    int got = -3;
    wb::test::finishes_within(wb::test::default_deadline,
                              "receive after a send that threw and a retry",
                              [&] { got = std::move(receiver).receive().value(); });
    CHECK(got == 2);
  }
  CHECK(moves.alive.load() == 0);
}

TEST_CASE(
    "blocking_oneshot: a send that throws and a sender then dropped wake the receiver with an "
    "error",
    "[ch05][blocking_oneshot]") {
  move_switch moves;
  blocking_oneshot<fragile> channel;
  auto handles = channel.split();
  std::optional<blocking_oneshot<fragile>::sender> sender(std::move(handles.first));
  std::atomic<int> arrived{0};
  std::atomic<bool> threw{false};
  wb::test::thread_group group(
      "a receive on an empty channel, a send that throws, the sender dropped");
  group.spawn([&] {
    arrived.fetch_add(1);
    try {
      (void)std::move(handles.second).receive();
    } catch (const std::logic_error&) { threw = true; }
  });
  wait_until_arrived(arrived, 1);
  std::this_thread::sleep_for(settle);  // let the receiver fall asleep (it wakes either way)
  moves.armed = true;
  CHECK_THROWS_AS(std::move(*sender).send(fragile(moves, 1)), move_failed);
  moves.armed = false;
  sender.reset();  // dropped without having sent: the receiver must wake, not sleep forever
  group.join_within();
  CHECK(threw.load());
  CHECK(moves.alive.load() == 0);
}
