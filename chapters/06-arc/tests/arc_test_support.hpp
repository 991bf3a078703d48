// Shared by the tests of chapter 6: a payload that counts its destruction,
// and a way to check that a call ends the process with std::abort.
//
// tracked: the value every test puts in an arc. Its destructor counts itself
// in a drop_log (exactly one destruction per value, never while an arc
// lives) and then overwrites the value with `dead`, through a volatile
// write the compiler cannot drop. So a thread that reads a value after it
// was destroyed sees `dead` in a plain build, and ThreadSanitizer reports a
// data race when a read of the value is not ordered before its destruction.
// A moved-from tracked owns nothing and is not counted.
//
// aborts(f): runs f in a child process (fork) and reports whether the child
// died of SIGABRT, with what it wrote on stderr. The child never returns to
// Catch2: it ends with _Exit(0) if f returns. fork copies only the calling
// thread; the child only runs f, which must not start threads. The child
// restores the default SIGABRT action, which Catch2 replaces with its own.
//
// traced: the payload of the model-checked cases (`[model]`). Its value lives
// in a wb::cell the test owns, so the model checker sees every access to it:
// reading the value reads the cell, writing it through get_mut writes the
// cell, and the destructor writes it (`dead`) and counts itself in a second
// cell. A read not ordered before the destruction, a write through get_mut
// not ordered after another owner's read, or two destructions, are data
// races the model reports with both source lines. Outside the model tree a
// cell is plain data, and the same body runs as an ordinary stress test.
#pragma once

#include <wb/sync.hpp>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>
#include <utility>

#include <sys/wait.h>
#include <unistd.h>

namespace arc_test {

inline constexpr int dead = -1;  // what a destroyed tracked holds

struct drop_log {
  std::atomic<int> drops{0};  // tracked values destroyed
};

struct tracked {
  tracked(int v, drop_log& log) : value(v), log_(&log) {}
  tracked(tracked&& other) noexcept
      : value(other.value), log_(std::exchange(other.log_, nullptr)) {}
  tracked(const tracked&) = delete;
  tracked& operator=(const tracked&) = delete;
  tracked& operator=(tracked&&) = delete;
  ~tracked() {
    if (log_ == nullptr) return;  // moved from
    log_->drops.fetch_add(1, std::memory_order_relaxed);
    *static_cast<volatile int*>(&value) = dead;  // a write ThreadSanitizer sees
  }

  int value;

 private:
  drop_log* log_;
};

struct traced_cells {
  wb::cell<int> memory;    // the payload's value
  wb::cell<int> drops{0};  // payloads destroyed
};

class traced {
 public:
  traced(int v, traced_cells& cells) : cells_(&cells) { cells_->memory.set(v); }
  traced(traced&& other) noexcept : cells_(std::exchange(other.cells_, nullptr)) {}
  traced(const traced&) = delete;
  traced& operator=(const traced&) = delete;
  traced& operator=(traced&&) = delete;
  ~traced() {
    if (cells_ == nullptr) return;  // moved from
    cells_->memory.set(dead);
    cells_->drops.with_mut([](int& n) { ++n; });
  }

  int value() const { return cells_->memory.get(); }
  void set(int v) { cells_->memory.set(v); }

 private:
  traced_cells* cells_;
};

struct child_result {
  bool aborted = false;  // died of SIGABRT
  std::string stderr_text;
};

template <class F>
child_result aborts(F&& f) {
  int fds[2];
  if (::pipe(fds) != 0) std::abort();
  const pid_t pid = ::fork();
  if (pid < 0) std::abort();
  if (pid == 0) {                   // child: stderr into the pipe, run f, never return to Catch2
    std::signal(SIGABRT, SIG_DFL);  // Catch2's handler would report the abort as a failure
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    ::close(fds[1]);
    std::forward<F>(f)();
    std::_Exit(0);
  }
  ::close(fds[1]);
  child_result result;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
    result.stderr_text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  return result;
}

}  // namespace arc_test
