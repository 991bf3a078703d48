// Tests for exercise 1.5, cancellable_worker (exercises/01-threads/cancellable_worker.hpp).
//
// Jobs record what they saw in plain variables that only the worker thread
// writes; the test reads them after a latch the last job counts down, or
// after the destructor joined the worker. Both are happens-before edges in a
// correct solution; in a wrong one (jobs on two threads at once, a job still
// running when the destructor returns) ThreadSanitizer reports a data race.
//
// Every call that can hang in a wrong solution (waiting for a job, destroying
// the worker) goes through a helper with a deadline: a lost wake-up or a
// stop request nobody notices ends the run as "did not finish within".
#include <catch2/catch.hpp>

#include "cancellable_worker.hpp"

#include <wb/testing.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <latch>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

void wait_within_deadline(std::latch& done, std::string what) {
  wb::test::finishes_within(wb::test::default_deadline, std::move(what), [&done] { done.wait(); });
}

// The destructor joins the worker: it hangs if the worker never notices the
// stop request, so it runs on a helper thread with a deadline.
void destroy_within_deadline(std::optional<cancellable_worker>& worker, std::string what) {
  wb::test::finishes_within(wb::test::default_deadline, std::move(what),
                            [&worker] { worker.reset(); });
}

// A long job that ends only through its stop_token.
void run_until_stopped(const std::stop_token& stop) {
  while (!stop.stop_requested()) std::this_thread::sleep_for(1ms);
}

}  // namespace

TEST_CASE("cancellable_worker: runs every job in order on the worker thread",
          "[ch01][cancellable_worker]") {
  constexpr int n = 20;
  std::vector<int> order;                  // written by jobs only
  std::vector<std::thread::id> ran_on(n);  // each job writes its own slot
  std::latch all_ran(1);
  std::optional<cancellable_worker> worker(std::in_place);
  int accepted = 0;
  for (int i = 0; i < n; ++i) {
    accepted += worker->submit([&, i](std::stop_token) {
      order.push_back(i);
      ran_on[i] = std::this_thread::get_id();
      if (i == n - 1) all_ran.count_down();
    });
  }
  CHECK(accepted == n);
  wait_within_deadline(all_ran, "the worker running 20 jobs");
  REQUIRE(order.size() == ran_on.size());
  for (int i = 0; i < n; ++i) {
    CHECK(order[i] == i);
    CHECK(ran_on[i] == worker->worker_id());
  }
  CHECK(worker->worker_id() != std::this_thread::get_id());
  destroy_within_deadline(worker, "~cancellable_worker() after all jobs ran");
}

TEST_CASE("cancellable_worker: an idle worker is destroyed promptly",
          "[ch01][cancellable_worker]") {
  SECTION("right after construction") {
    // The worker may not even have reached its wait yet: either way it must
    // see the stop request and exit.
    std::optional<cancellable_worker> worker(std::in_place);
    destroy_within_deadline(worker, "~cancellable_worker() of a new worker");
  }
  SECTION("asleep after a job") {
    std::optional<cancellable_worker> worker(std::in_place);
    std::latch ran(1);
    CHECK(worker->submit([&ran](std::stop_token) { ran.count_down(); }));
    wait_within_deadline(ran, "the worker running one job");
    std::this_thread::sleep_for(10ms);  // lets the worker fall asleep in its wait
    destroy_within_deadline(worker, "~cancellable_worker() of an idle worker");
  }
}

TEST_CASE("cancellable_worker: a sleeping worker wakes for each new job",
          "[ch01][cancellable_worker]") {
  // Each job is submitted while the worker is (almost surely) asleep with an
  // empty queue: the case in which a missing notify leaves it asleep for good.
  std::optional<cancellable_worker> worker(std::in_place);
  for (int round = 0; round < 5; ++round) {
    std::this_thread::sleep_for(10ms);
    std::latch ran(1);
    CHECK(worker->submit([&ran](std::stop_token) { ran.count_down(); }));
    wait_within_deadline(ran, "an idle worker running a new job");
  }
  destroy_within_deadline(worker, "~cancellable_worker() after the jobs ran");
}

TEST_CASE("cancellable_worker: destruction stops a long job through its stop_token",
          "[ch01][cancellable_worker]") {
  bool job_returned = false;  // written by the job, read after the join
  std::latch started(1);
  std::optional<cancellable_worker> worker(std::in_place);
  CHECK(worker->submit([&](std::stop_token stop) {
    started.count_down();
    run_until_stopped(stop);
    job_returned = true;
  }));
  wait_within_deadline(started, "the worker starting a long job");
  destroy_within_deadline(worker, "~cancellable_worker() during a job waiting for its token");
  CHECK(job_returned);  // the destructor waited for the job, it did not abandon it
}

TEST_CASE("cancellable_worker: a job may submit another job", "[ch01][cancellable_worker]") {
  std::vector<char> order;      // written by jobs only
  bool inner_accepted = false;  // written by the outer job
  std::latch inner_ran(1);
  std::optional<cancellable_worker> worker(std::in_place);
  CHECK(worker->submit([&](std::stop_token) {
    order.push_back('a');
    inner_accepted = worker->submit([&](std::stop_token) {
      order.push_back('b');
      inner_ran.count_down();
    });
    order.push_back('A');  // the outer job finishes before the inner one starts
  }));
  wait_within_deadline(inner_ran, "a job submitted by a job");
  CHECK(inner_accepted);
  CHECK(order == std::vector<char>{'a', 'A', 'b'});
  destroy_within_deadline(worker, "~cancellable_worker() after nested jobs");
}

TEST_CASE("cancellable_worker: a job may stop its own worker", "[ch01][cancellable_worker]") {
  // Written by the job, read after the latch.
  bool token_saw_request = false;
  bool later_accepted = true;
  std::latch stopped(1);
  std::optional<cancellable_worker> worker(std::in_place);
  CHECK(worker->submit([&](std::stop_token stop) {
    worker->request_stop();  // on the worker thread itself
    token_saw_request = stop.stop_requested();
    later_accepted = worker->submit([](std::stop_token) {});
    stopped.count_down();
  }));
  wait_within_deadline(stopped, "a job calling request_stop() on its own worker");
  CHECK(token_saw_request);
  CHECK_FALSE(later_accepted);
  destroy_within_deadline(worker, "~cancellable_worker() of a worker stopped by its job");
}

TEST_CASE("cancellable_worker: after request_stop submit returns false and the job never runs",
          "[ch01][cancellable_worker]") {
  bool ran = false;  // would be written by the worker, read after the join
  std::optional<cancellable_worker> worker(std::in_place);
  worker->request_stop();
  CHECK_FALSE(worker->submit([&ran](std::stop_token) { ran = true; }));
  worker->request_stop();  // a second request changes nothing
  CHECK_FALSE(worker->submit([&ran](std::stop_token) { ran = true; }));
  destroy_within_deadline(worker, "~cancellable_worker() after request_stop()");
  CHECK_FALSE(ran);
}

TEST_CASE("cancellable_worker: request_stop ends the running job and drops the queued ones",
          "[ch01][cancellable_worker]") {
  // The first job runs until its token is requested, so the two behind it are
  // certainly still queued, not started, when stop is requested: the
  // contract drops them. (The wait's return value alone would run them.)
  bool first_returned = false;       // written by the worker, read after the join
  std::array<bool, 2> queued_ran{};  // likewise
  std::latch started(1);
  std::optional<cancellable_worker> worker(std::in_place);
  CHECK(worker->submit([&](std::stop_token stop) {
    started.count_down();
    run_until_stopped(stop);
    first_returned = true;
  }));
  wait_within_deadline(started, "the worker starting a long job");
  CHECK(worker->submit([&](std::stop_token) { queued_ran[0] = true; }));
  CHECK(worker->submit([&](std::stop_token) { queued_ran[1] = true; }));
  worker->request_stop();
  CHECK_FALSE(worker->submit([&](std::stop_token) { queued_ran[0] = true; }));
  destroy_within_deadline(worker, "~cancellable_worker() after request_stop() during a job");
  CHECK(first_returned);
  CHECK_FALSE(queued_ran[0]);
  CHECK_FALSE(queued_ran[1]);
}

TEST_CASE("cancellable_worker: many threads submit and every job runs once in order",
          "[ch01][cancellable_worker]") {
  constexpr int threads = 4;
  constexpr int jobs_per_thread = 200;
  wb::test::repeat(20, [](unsigned) {
    std::array<int, threads> accepted{};  // each submitter writes its own slot
    // Only jobs touch these; the test reads them after the last job counted
    // the latch down.
    long ran = 0;
    std::array<int, threads> next_expected{};  // per submitting thread
    int out_of_order = 0;
    std::latch drained(1);
    std::optional<cancellable_worker> worker(std::in_place);
    wb::test::run_concurrently(threads, [&](unsigned t) {
      for (int k = 0; k < jobs_per_thread; ++k) {
        accepted[t] += worker->submit([&, t, k](std::stop_token) {
          ++ran;
          if (next_expected[t] != k) ++out_of_order;
          next_expected[t] = k + 1;
        });
      }
    });
    // Queued after every other job, so it runs last.
    CHECK(worker->submit([&drained](std::stop_token) { drained.count_down(); }));
    wait_within_deadline(drained, "the worker draining 800 jobs from 4 threads");
    long total_accepted = 0;
    for (int a : accepted) total_accepted += a;
    CHECK(total_accepted == threads * jobs_per_thread);
    CHECK(ran == total_accepted);
    CHECK(out_of_order == 0);
    destroy_within_deadline(worker, "~cancellable_worker() after the stress round");
  });
}

TEST_CASE("cancellable_worker: stop racing with submits: only accepted jobs run and in order",
          "[ch01][cancellable_worker]") {
  // Three threads submit while a fourth requests stop. Which jobs run is up
  // to the interleaving, but the contract still fixes its shape, per
  // submitting thread: the accepted jobs are a prefix of those it submitted
  // (once stop is requested, it stays requested), and the jobs that ran are a
  // prefix of the accepted ones (the worker runs the queue in order and stops
  // at some point, never skipping one).
  // Each submit is followed by a yield (see below), which on a busy machine is
  // a trip through the scheduler: 10 rounds of 40 jobs per thread still put
  // the stop at 10 points of the stream, from before the first job to the end.
  constexpr int submitters = 3;
  constexpr int jobs_per_thread = 40;
  wb::test::repeat(10, [](unsigned round) {
    std::array<std::array<bool, jobs_per_thread>, submitters> accepted{};  // by the submitter
    std::array<std::array<int, jobs_per_thread>, submitters> runs{};       // by the worker
    // Only for choosing the moment of the stop request: after round * 12 jobs
    // ran, or once the submitters are done, whichever comes first.
    std::atomic<int> jobs_run{0};
    std::atomic<int> submitters_done{0};
    std::optional<cancellable_worker> worker(std::in_place);
    wb::test::run_concurrently(submitters + 1, [&](unsigned t) {
      if (t == submitters) {
        const int stop_after = static_cast<int>(round) * 12;
        while (jobs_run.load() < stop_after && submitters_done.load() < submitters) {
          std::this_thread::yield();
        }
        worker->request_stop();
        return;
      }
      for (int k = 0; k < jobs_per_thread; ++k) {
        accepted[t][k] = worker->submit([&runs, &jobs_run, t, k](std::stop_token) {
          ++runs[t][k];
          jobs_run.fetch_add(1);
        });
        std::this_thread::yield();  // lets the worker keep up, so the stop lands mid-stream
      }
      submitters_done.fetch_add(1);
    });
    destroy_within_deadline(worker, "~cancellable_worker() after a stop raced with submits");
    int not_prefix = 0;
    int ran_unaccepted = 0;
    int ran_twice = 0;
    for (int t = 0; t < submitters; ++t) {
      for (int k = 1; k < jobs_per_thread; ++k) {
        if (accepted[t][k] && !accepted[t][k - 1]) ++not_prefix;
        if (runs[t][k] > 0 && runs[t][k - 1] == 0) ++not_prefix;
      }
      for (int k = 0; k < jobs_per_thread; ++k) {
        if (runs[t][k] > 0 && !accepted[t][k]) ++ran_unaccepted;
        if (runs[t][k] > 1) ++ran_twice;
      }
    }
    CHECK(not_prefix == 0);
    CHECK(ran_unaccepted == 0);
    CHECK(ran_twice == 0);
  });
}
