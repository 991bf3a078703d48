// Chapter 1, demo 01-03: std::jthread and stop tokens
// A jthread joins itself on destruction and carries a stop_source; its thread polls the
// stop_token, registers a stop_callback, or sleeps in a stop-aware condition variable wait.
// Run: ./workbook demo 01-03-jthread-stop-token
//      (binary: build/dev/chapters/01-threads/demo.01-03-jthread-stop-token)
#include <fmt/core.h>

#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

void poll_until_stopped() {
  // [jthread-stop]
  // A callable whose first parameter is a std::stop_token receives the jthread's token.
  std::jthread spinner{[](std::stop_token stop) {
    long rounds = 0;
    while (!stop.stop_requested()) {
      ++rounds;  // stands in for one small unit of real work
    }
    fmt::print("spinner: saw the stop request after {} rounds\n", rounds);
  }};
  spinner.request_stop();
  // [jthread-stop]
}  // ~jthread(): request_stop() (already done, harmless), then join()

void sleep_until_stopped() {
  // [stop-aware-wait]
  std::mutex m;
  std::condition_variable_any cv;
  bool work_ready = false;  // guarded by m; never set here, so only a stop can end the wait
  std::jthread waiter{[&](std::stop_token stop) {
    // Runs in whichever thread calls request_stop(), or right here if a stop was already
    // requested before the callback was registered.
    std::stop_callback on_stop{stop, [] { fmt::print("callback: stop requested\n"); }};
    std::unique_lock lock{m};
    // This overload wakes on notify, on a stop request, or spuriously, and returns the value
    // of the predicate. It registers its own stop callback, so nobody has to notify cv.
    const bool ready = cv.wait(lock, stop, [&] { return work_ready; });
    fmt::print("waiter: woke with ready = {}, stop_requested = {}\n", ready, stop.stop_requested());
  }};
  waiter.request_stop();
  // [stop-aware-wait]
}  // waiter is joined here, before the mutex, cv and flag it uses are destroyed

int main() {
  poll_until_stopped();
  sleep_until_stopped();
}
