// Tests for exercise 8.1, futex (exercises/08-os-primitives/futex.hpp).
//
// What each case can catch
//   * The three answers: value_changed when the word differs (no sleep),
//     timed_out when nobody wakes us in time (and never before the time
//     asked for, on Linux, where the clock is the same as steady_clock's),
//     and a wake after a change always ends a wait (wake_one and wake_all;
//     a wake_all that wakes only one leaves the others asleep: a deadline).
//   * Linux only: wake_one wakes at most one of three sleepers; a signal
//     delivered to a sleeping waiter (a handler installed without
//     SA_RESTART, so the kernel returns EINTR) is not a wake-up; and a stream
//     of signals does not postpone a timeout. The waiter's state is read
//     from /proc/self/task/<tid>/stat ('S': asleep in the kernel), so a
//     signal is sent only while it really sleeps.
// Every wait a wrong solution could make endless is inside a deadline.
// Sleeps only give waiters time to fall asleep, so that a wrong wake is
// caught; a correct solution passes however the threads are scheduled.
#include <catch2/catch.hpp>

#include "futex.hpp"

#include <wb/progress.hpp>
#include <wb/testing.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#if defined(__linux__)
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>
#endif

namespace {

using namespace std::chrono_literals;
using futex::wait_result;

const char* name_of(wait_result r) {
  switch (r) {
    case wait_result::woken:
      return "woken";
    case wait_result::value_changed:
      return "value_changed";
    case wait_result::timed_out:
      return "timed_out";
  }
  return "?";
}

// Sleeps on `word` until it no longer holds `expected`, as every user of
// the wrapper does.
void wait_while_equal(futex::word_type& word, std::uint32_t expected) {
  while (word.load(std::memory_order_acquire) == expected) futex::wait(word, expected);
}

}  // namespace

TEST_CASE("futex: wait returns value_changed when the word does not hold expected",
          "[ch08][futex]") {
  futex::word_type word{7};
  wait_result plain = wait_result::woken;
  wait_result with_timeout = wait_result::woken;
  wb::test::finishes_within(wb::test::default_deadline, "futex::wait(word, 6) on a word holding 7",
                            [&] {
                              plain = futex::wait(word, 6);
                              with_timeout = futex::wait(word, 6, 10s);
                            });
  INFO("wait(word, 6) on 7 returned " << name_of(plain) << ", with a timeout "
                                      << name_of(with_timeout));
  CHECK(plain == wait_result::value_changed);
  CHECK(with_timeout == wait_result::value_changed);
}

TEST_CASE("futex: a wait that nobody ends times out", "[ch08][futex]") {
  futex::word_type word{0};
  wait_result result = wait_result::woken;
  wait_result zero = wait_result::woken;
  std::chrono::steady_clock::duration slept{};
  wb::test::finishes_within(wb::test::default_deadline,
                            "futex::wait(word, 0, 30 ms), nobody waking", [&] {
                              const auto start = std::chrono::steady_clock::now();
                              result = futex::wait(word, 0, 30ms);
                              slept = std::chrono::steady_clock::now() - start;
                              zero = futex::wait(word, 0, 0ns);
                            });
  INFO("wait(word, 0, 30 ms) returned " << name_of(result) << ", wait(word, 0, 0 ns) "
                                        << name_of(zero));
  CHECK(result == wait_result::timed_out);
  CHECK(zero == wait_result::timed_out);
#if defined(__linux__)
  // The futex's deadline and steady_clock are both CLOCK_MONOTONIC: a
  // timeout that ends early is a wrong deadline, not a busy machine.
  INFO("it returned after " << std::chrono::duration_cast<std::chrono::microseconds>(slept).count()
                            << " us");
  CHECK(slept >= 30ms);
#else
  (void)slept;
#endif
}

TEST_CASE("futex: wake_one ends the wait of a sleeper", "[ch08][futex]") {
  futex::word_type word{0};
  int message = 0;  // plain data, published by the store to `word`
  int received = 0;
  wb::test::thread_group group("a thread asleep in futex::wait, woken by wake_one");
  group.spawn([&] {
    wait_while_equal(word, 0);
    received = message;
  });
  std::this_thread::sleep_for(20ms);  // time to fall asleep
  message = 42;
  word.store(1, std::memory_order_release);
  futex::wake_one(word);
  group.join_within();
  CHECK(received == 42);
}

TEST_CASE("futex: wake_all ends the wait of every sleeper", "[ch08][futex]") {
  constexpr int sleepers = 4;
  futex::word_type word{0};
  std::atomic<int> finished{0};
  wb::test::thread_group group("4 threads asleep in futex::wait, woken by one wake_all");
  for (int i = 0; i < sleepers; ++i) {
    group.spawn([&] {
      wait_while_equal(word, 0);
      finished.fetch_add(1, std::memory_order_relaxed);
    });
  }
  std::this_thread::sleep_for(30ms);  // time for all of them to fall asleep
  word.store(1, std::memory_order_release);
  futex::wake_all(word);  // one call: each sleeper must be woken by it
  group.join_within();
  CHECK(finished.load() == sleepers);
}

TEST_CASE("futex: two threads taking turns lose no wake-up", "[ch08][futex][stress]") {
  constexpr std::uint32_t turns = 2000;
  wb::test::repeat(3, [&](unsigned) {
    futex::word_type turn{0};
    wb::test::run_concurrently(
        2,
        [&](unsigned me) {
          for (std::uint32_t mine = me; mine < 2 * turns; mine += 2) {
            for (std::uint32_t seen = turn.load(std::memory_order_acquire); seen != mine;
                 seen = turn.load(std::memory_order_acquire)) {
              futex::wait(turn, seen);
            }
            turn.store(mine + 1, std::memory_order_release);
            futex::wake_one(turn);
            if (mine % 200 == me) wb::test::progress();
          }
        },
        wb::test::default_deadline, "two threads passing a turn 4000 times through futex::wait");
    CHECK(turn.load() == 2 * turns);
  });
}

#if defined(__linux__)

namespace {

std::atomic<int> signals_handled{0};

extern "C" void count_signal(int) { signals_handled.fetch_add(1, std::memory_order_relaxed); }

// SIGUSR1 with a handler and without SA_RESTART, for one test case: a
// futex wait it interrupts fails with EINTR (signal(7)).
class interrupting_signal {
 public:
  interrupting_signal() {
    struct sigaction action {};
    action.sa_handler = count_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART
    sigaction(SIGUSR1, &action, &previous_);
  }
  ~interrupting_signal() { sigaction(SIGUSR1, &previous_, nullptr); }
  interrupting_signal(const interrupting_signal&) = delete;
  interrupting_signal& operator=(const interrupting_signal&) = delete;

 private:
  struct sigaction previous_ {};
};

// 'S' while the thread sleeps in the kernel, 'R' while it runs.
char scheduler_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')');  // the name may contain spaces
  return paren == std::string::npos || paren + 2 >= line.size() ? '?' : line[paren + 2];
}

// A thread that calls one futex::wait and says who it is and how it ended.
struct one_waiter {
  std::atomic<pid_t> tid{0};
  pthread_t handle{};  // written before tid is published
  std::atomic<bool> returned{false};
  wait_result result = wait_result::woken;  // read after the join

  void run(const futex::word_type& word, std::uint32_t expected,
           std::optional<std::chrono::nanoseconds> timeout = std::nullopt) {
    handle = pthread_self();
    tid.store(static_cast<pid_t>(syscall(SYS_gettid)), std::memory_order_release);
    result = futex::wait(word, expected, timeout);
    returned.store(true, std::memory_order_release);
  }

  void wait_until_started() const {
    while (tid.load(std::memory_order_acquire) == 0) std::this_thread::yield();
  }
  bool asleep() const { return scheduler_state(tid.load(std::memory_order_acquire)) == 'S'; }
};

}  // namespace

TEST_CASE("futex: wake_one wakes at most one sleeper", "[ch08][futex][linux]") {
  constexpr int sleepers = 3;
  futex::word_type word{0};
  one_waiter waiters[sleepers];
  wb::test::thread_group group("3 threads in futex::wait(word, 0)");
  for (auto& w : waiters) group.spawn([&] { w.run(word, 0); });
  for (auto& w : waiters) {
    w.wait_until_started();
    while (!w.asleep()) std::this_thread::sleep_for(1ms);
  }
  futex::wake_one(word);  // the word still holds 0: only a wake can end a wait
  const auto returned = [&] {
    int n = 0;
    for (const auto& w : waiters) n += w.returned.load(std::memory_order_acquire) ? 1 : 0;
    return n;
  };
  wb::test::finishes_within(wb::test::default_deadline, "the sleeper that wake_one woke", [&] {
    while (returned() == 0) std::this_thread::sleep_for(1ms);
  });
  std::this_thread::sleep_for(30ms);  // time for a second, wrongly woken one to return
  const int woken_by_one_call = returned();
  futex::wake_all(word);  // let the others go
  group.join_within();
  CHECK(woken_by_one_call == 1);
}

TEST_CASE("futex: a signal is not a wake-up", "[ch08][futex][linux]") {
  interrupting_signal installed;
  futex::word_type word{0};
  one_waiter waiter;
  wb::test::thread_group group("a thread in futex::wait(word, 0), interrupted by signals");
  group.spawn([&] { waiter.run(word, 0); });
  waiter.wait_until_started();
  // Three signals, each sent while the waiter sleeps in the kernel: each
  // makes the futex call fail with EINTR.
  int sent = 0;
  const auto give_up =
      std::chrono::steady_clock::now() + wb::test::scaled(wb::test::default_deadline);
  while (sent < 3 && !waiter.returned.load(std::memory_order_acquire)) {
    if (waiter.asleep()) {
      pthread_kill(waiter.handle, SIGUSR1);
      ++sent;
    }
    std::this_thread::sleep_for(2ms);
    if (std::chrono::steady_clock::now() > give_up) {
      wb::test::fail_deadline("the waiter to sleep in futex::wait",
                              wb::test::scaled(wb::test::default_deadline));
    }
  }
  std::this_thread::sleep_for(20ms);  // time to return, if a signal ended the wait
  const bool returned_on_a_signal = waiter.returned.load(std::memory_order_acquire);
  word.store(1, std::memory_order_release);
  futex::wake_all(word);
  group.join_within();
  INFO(sent << " signals interrupted the wait; it returned " << name_of(waiter.result)
            << (returned_on_a_signal ? " before the word changed and anybody woke it" : ""));
  CHECK_FALSE(returned_on_a_signal);
  CHECK(waiter.result != wait_result::timed_out);
}

TEST_CASE("futex: signals do not postpone a timeout", "[ch08][futex][linux]") {
  interrupting_signal installed;
  futex::word_type word{0};
  one_waiter waiter;
  wb::test::thread_group group("a thread in futex::wait(word, 0, 50 ms), interrupted by signals");
  group.spawn([&] { waiter.run(word, 0, 50ms); });
  waiter.wait_until_started();
  // A signal every millisecond, for as long as the wait lasts: a wait that
  // restarts its whole timeout after each one never ends.
  const auto deadline = wb::test::scaled(wb::test::default_deadline);
  const auto give_up = std::chrono::steady_clock::now() + deadline;
  while (!waiter.returned.load(std::memory_order_acquire)) {
    if (waiter.asleep()) pthread_kill(waiter.handle, SIGUSR1);
    std::this_thread::sleep_for(1ms);
    if (std::chrono::steady_clock::now() > give_up) {
      wb::test::fail_deadline("a 50 ms futex::wait interrupted by a signal every millisecond",
                              deadline);
    }
  }
  group.join_within();
  INFO("it returned " << name_of(waiter.result));
  CHECK(waiter.result == wait_result::timed_out);
}

#endif  // __linux__
