// Tests for exercise 5.1, mutex_channel (exercises/05-channels/mutex_channel.hpp).
//
// Messages are `tracked` values (drop_counter.hpp), so every case can check
// that each message was destroyed exactly once: none leaked in the channel,
// none destroyed twice.
//
// A receive that may block runs on a worker whose join has a deadline, so a
// lost wake-up ends the run with "did not finish within". To check that a
// sleeping receiver is woken (not one that happens to arrive later), the
// receivers count themselves in and the test sleeps `settle` first; a correct
// channel passes however the threads are scheduled, the sleep only makes a
// wrong one fail reliably.
//
// The stress case runs several senders and receivers at once (the receivers
// alternate receive and try_receive) and checks,
// after the join, that every value was delivered exactly once, in order per
// sender, and that no receive reported "closed" before close() was called.
#include <catch2/catch.hpp>

#include "drop_counter.hpp"
#include "mutex_channel.hpp"
#include "shadowed.hpp"

#include <wb/model.hpp>
#include <wb/sync.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

// Time for threads that have counted themselves in to fall asleep in receive.
constexpr auto settle = 50ms;

// Spins until n threads have counted themselves in; each counts itself in
// before it calls into the channel, so this cannot hang.
void wait_until_arrived(const std::atomic<int>& arrived, int n) {
  while (arrived.load() < n) std::this_thread::yield();
}

// The value of a received message, or -2 for "nothing".
int value_of(const std::optional<tracked>& message) { return message ? message->value() : -2; }

}  // namespace

TEST_CASE("mutex_channel: messages come out in the order they went in", "[ch05][mutex_channel]") {
  drop_stats stats;
  {
    mutex_channel<tracked> channel;
    CHECK(value_of(channel.try_receive()) == -2);  // empty: nothing, at once
    for (int i = 1; i <= 5; ++i) CHECK(channel.send(tracked(stats, i)));
    for (int i = 1; i <= 3; ++i) CHECK(value_of(channel.try_receive()) == i);
    CHECK(value_of(channel.receive()) == 4);  // not empty: returns at once
    CHECK(value_of(channel.receive()) == 5);
    CHECK(value_of(channel.try_receive()) == -2);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("mutex_channel: after close receive drains and then returns nullopt",
          "[ch05][mutex_channel]") {
  drop_stats stats;
  {
    mutex_channel<tracked> channel;
    CHECK(channel.send(tracked(stats, 1)));
    CHECK(channel.send(tracked(stats, 2)));
    channel.close();
    channel.close();                               // idempotent
    CHECK_FALSE(channel.send(tracked(stats, 3)));  // refused: and destroyed, not kept
    CHECK(stats.alive() == 2);
    CHECK(value_of(channel.receive()) == 1);
    CHECK(value_of(channel.try_receive()) == 2);
    CHECK(value_of(channel.receive()) == -2);  // closed and drained: at once
    CHECK(value_of(channel.receive()) == -2);  // and stays so
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("mutex_channel: messages never received are destroyed with the channel",
          "[ch05][mutex_channel]") {
  drop_stats stats;
  {
    mutex_channel<tracked> channel;
    for (int i = 0; i < 10; ++i) CHECK(channel.send(tracked(stats, i)));
    CHECK(value_of(channel.try_receive()) == 0);
    CHECK(stats.alive() == 9);
  }
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

TEST_CASE("mutex_channel: receive on an empty channel waits for a send", "[ch05][mutex_channel]") {
  drop_stats stats;
  {
    mutex_channel<tracked> channel;
    std::atomic<int> arrived{0};
    std::atomic<bool> returned{false};
    int got = -3;  // written by the receiver, read after the join
    wb::test::thread_group receiver("a receive on an empty channel, then one send");
    receiver.spawn([&] {
      arrived.fetch_add(1);
      got = value_of(channel.receive());
      returned = true;
    });
    wait_until_arrived(arrived, 1);
    std::this_thread::sleep_for(settle);
    CHECK_FALSE(returned.load());  // nothing sent yet: it must still be waiting
    CHECK(channel.send(tracked(stats, 42)));
    receiver.join_within();
    CHECK(got == 42);
  }
  CHECK(stats.alive() == 0);
}

TEST_CASE("mutex_channel: close wakes every blocked receiver", "[ch05][mutex_channel]") {
  constexpr int receivers = 4;
  mutex_channel<tracked> channel;
  std::atomic<int> arrived{0};
  std::atomic<int> saw_end{0};
  wb::test::thread_group group("receivers blocked on an empty channel, then close()");
  for (int i = 0; i < receivers; ++i) {
    group.spawn([&] {
      arrived.fetch_add(1);
      if (!channel.receive()) saw_end.fetch_add(1);
    });
  }
  wait_until_arrived(arrived, receivers);
  std::this_thread::sleep_for(settle);  // let them all fall asleep in receive
  channel.close();
  group.join_within();
  CHECK(saw_end.load() == receivers);
}

TEST_CASE("mutex_channel: many senders and receivers deliver every message once",
          "[ch05][mutex_channel][stress]") {
  constexpr int senders = 4;
  constexpr int receivers = 4;
  constexpr int per_sender = 500;
  wb::test::repeat(4, [&](unsigned) {
    drop_stats stats;
    std::vector<std::vector<int>> received(receivers);  // one slot per receiver
    std::vector<int> ended_early(receivers, 0);
    std::vector<int> refused(senders, 0);
    {
      mutex_channel<tracked> channel;
      std::atomic<int> senders_left{senders};
      wb::test::run_concurrently(
          senders + receivers,
          [&](unsigned thread) {
            const int i = static_cast<int>(thread);
            if (i < senders) {
              for (int seq = 0; seq < per_sender; ++seq) {
                if (!channel.send(tracked(stats, i * per_sender + seq))) ++refused[thread];
              }
              if (senders_left.fetch_sub(1) == 1) channel.close();  // the last sender closes
            } else {
              auto& mine = received[thread - senders];
              // Alternate receive and try_receive, so that both run against
              // the senders. A receive that returns nullopt means closed.
              for (unsigned k = 0;; ++k) {
                std::optional<tracked> message = k % 2 ? channel.try_receive() : channel.receive();
                if (message) mine.push_back(message->value());
                else if (k % 2 == 0) break;
              }
              // Only the last sender closes: nobody may see "closed" before that.
              ended_early[thread - senders] = senders_left.load() != 0;
            }
          },
          wb::test::default_deadline, "4 senders and 4 receivers on one channel");
    }
    for (int r : refused) CHECK(r == 0);
    for (int early : ended_early) CHECK(early == 0);
    std::vector<int> times_received(senders * per_sender, 0);
    int out_of_order = 0;
    int unexpected = 0;
    for (const auto& mine : received) {
      std::vector<int> last(senders, -1);  // per sender, as this receiver saw them
      for (int v : mine) {
        if (v < 0 || v >= senders * per_sender) {
          ++unexpected;
          continue;
        }
        ++times_received[static_cast<std::size_t>(v)];
        int& prev = last[static_cast<std::size_t>(v / per_sender)];
        if (v % per_sender <= prev) ++out_of_order;
        prev = v % per_sender;
      }
    }
    int missing = 0;
    int duplicated = 0;
    for (int n : times_received) {
      if (n == 0) ++missing;
      if (n > 1) ++duplicated;
    }
    CHECK(missing == 0);
    CHECK(duplicated == 0);
    CHECK(unexpected == 0);
    CHECK(out_of_order == 0);
    CHECK(stats.alive() == 0);
    CHECK(stats.double_destroyed.load() == 0);
  });
}

TEST_CASE("mutex_channel: try_receive polls safely while senders send",
          "[ch05][mutex_channel][stress]") {
  constexpr int senders = 2;
  constexpr int pollers = 2;
  constexpr int per_sender = 1000;
  constexpr int total = senders * per_sender;
  drop_stats stats;
  std::vector<long> sums(pollers, 0);  // one slot per poller
  {
    mutex_channel<tracked> channel;
    std::atomic<int> taken{0};
    wb::test::run_concurrently(
        senders + pollers,
        [&](unsigned thread) {
          const int i = static_cast<int>(thread);
          if (i < senders) {
            for (int seq = 0; seq < per_sender; ++seq)
              channel.send(tracked(stats, i * per_sender + seq));
          } else {
            // Never blocks: polls until every message has been taken by someone.
            while (taken.load() < total) {
              if (std::optional<tracked> message = channel.try_receive()) {
                sums[thread - senders] += message->value();
                taken.fetch_add(1);
              } else {
                std::this_thread::yield();
              }
            }
          }
        },
        wb::test::default_deadline, "2 senders and 2 threads polling try_receive");
  }
  long sum = 0;
  for (long s : sums) sum += s;
  CHECK(sum == static_cast<long>(total) * (total - 1) / 2);
  CHECK(stats.alive() == 0);
  CHECK(stats.double_destroyed.load() == 0);
}

// ---- Model-checked cases (layer 4: `[model]`, see common/MODEL.md) ----------
// In the model tree each body is explored under every schedule (bound 2),
// with wb::mutex and wb::condition_variable modelled; elsewhere it runs 100
// times with real threads, within a deadline (check_blocking, shadowed.hpp).
// The model schedules every notify before, between and after the receiver's
// check and its wait, and lets a wait wake up spuriously once: a notify that
// can come before the state change, one receiver too few woken, or a wait
// not re-checked in a loop fails deterministically (a deadlock report, or a
// receive that returns nothing). The messages are `shadowed` values, whose
// construction in the deque, move out and destruction access a wb::cell
// standing for the element's memory, so an access to the deque outside the
// lock is a data race on it. Assertions only on the body's thread, after
// the joins.

TEST_CASE("mutex_channel: model receive waits for a send and gets it",
          "[ch05][mutex_channel][model]") {
  check_blocking(
      [] {
        shadow_memory memory;
        mutex_channel<shadowed> channel;
        wb::thread sender([&] { channel.send(shadowed(memory, 5)); });
        const std::optional<shadowed> message = channel.receive();
        sender.join();
        REQUIRE(message.has_value());
        REQUIRE(message->value() == 5);
      },
      "100 runs of a receive and a send on two threads");
}

TEST_CASE("mutex_channel: model try_receive polls until a whole message arrives",
          "[ch05][mutex_channel][model]") {
  check_blocking(
      [] {
        shadow_memory memory;
        mutex_channel<shadowed> channel;
        wb::thread sender([&] { channel.send(shadowed(memory, 6)); });
        int seen = -2;
        while (seen == -2) {
          if (const std::optional<shadowed> message = channel.try_receive()) {
            seen = message->value();
          } else {
            pause_polling();
          }
        }
        sender.join();
        REQUIRE(seen == 6);
      },
      "100 runs of a send and a try_receive polling on two threads");
}

TEST_CASE("mutex_channel: model close wakes both blocked receivers",
          "[ch05][mutex_channel][model]") {
  check_blocking(
      [] {
        mutex_channel<shadowed> channel;
        bool first_ended = false;  // each written by its thread, read after the joins
        bool second_ended = false;
        wb::thread first([&] { first_ended = !channel.receive().has_value(); });
        wb::thread second([&] { second_ended = !channel.receive().has_value(); });
        channel.close();
        first.join();
        second.join();
        REQUIRE(first_ended);
        REQUIRE(second_ended);
      },
      "100 runs of two receives and a close on three threads");
}

// Every send may have a receiver to wake, whatever the queue held before. A
// send that notifies only when it finds the channel empty ("if it was not
// empty, a receiver is already on its way") is wrong with two receivers:
// both asleep, two sends in a row, and the second finds the first message
// still queued because the receiver it woke has not run yet. The model
// explores exactly that schedule: the second receiver sleeps for good, a
// deadlock report.
TEST_CASE("mutex_channel: model two sends in a row wake two sleeping receivers",
          "[ch05][mutex_channel][model]") {
  check_blocking(
      [] {
        mutex_channel<int> channel;
        int first_got = -2;  // each written by its thread, read after the joins
        int second_got = -2;
        wb::thread first([&] { first_got = channel.receive().value_or(-1); });
        wb::thread second([&] { second_got = channel.receive().value_or(-1); });
        channel.send(1);
        channel.send(2);
        first.join();
        second.join();
        REQUIRE(first_got + second_got == 3);
      },
      "100 runs of two receives and two sends on three threads");
}
