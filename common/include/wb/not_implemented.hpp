// The `not implemented yet` mechanism that every exercise stub uses.
//
// A stub must compile, must never pass and must never hang. Calling
// WB_NOT_IMPLEMENTED("what to do") from any thread prints
//
//     not implemented yet: <what to do> (exercises/01-threads/x.hpp:23)
//       while running test "x: two threads never overlap"
//
// on stderr and ends the whole process at once with exit code
// wb::exit_code::not_implemented. Ending the process (rather than throwing)
// is deliberate: a stub is often called on a worker thread, where an
// exception would reach std::terminate with a less helpful message, and other
// threads may be blocked waiting for the stub's result, so nothing short of
// ending the process is guaranteed not to hang.
#pragma once

#include "wb/exit_codes.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace wb {

namespace detail {

/// Set by the workbook's test main so that messages name the running test.
/// A plain function pointer in an atomic: it is read from any thread, and a
/// stub may run before, during or after Catch2's bookkeeping.
inline std::atomic<const char* (*)()> current_test_name_hook{nullptr};

/// Where in its test case the running code is, for wb::model::check's replay
/// keys: the Catch2 sections it is in (" / "-joined, "" outside any) and a
/// number that changes each time a test case starts running (a test case with
/// sections runs once per leaf section). Set by the workbook's test main;
/// read only on the test's own thread.
struct test_position {
  const char* sections;
  unsigned long run;
};
inline std::atomic<test_position (*)()> current_test_position_hook{nullptr};

/// `file` relative to the repository root when the build told us the root
/// (WB_SOURCE_ROOT), so messages read `exercises/01-threads/x.hpp`.
inline const char* repo_relative(const char* file) noexcept {
#ifdef WB_SOURCE_ROOT
  constexpr const char* root = WB_SOURCE_ROOT;
  const std::size_t n = std::strlen(root);
  if (std::strncmp(file, root, n) == 0) return file + n;
#endif
  return file;
}

/// Prints "  while running test "<name>"" when a test is running.
inline void print_current_test(std::FILE* out) noexcept {
  if (auto hook = current_test_name_hook.load(std::memory_order_acquire)) {
    if (const char* name = hook()) std::fprintf(out, "  while running test \"%s\"\n", name);
  }
}

}  // namespace detail

/// Reports that an exercise part is not written yet and ends the process.
/// Safe to call from any thread; never returns. When several threads reach a
/// stub at once, only the first prints: the others wait for the exit, so the
/// learner sees one clean message. (File and line come from the macro rather
/// than std::source_location, which clang 14 lacks with libstdc++ 12.)
[[noreturn]] inline void not_implemented(const char* what, const char* file,
                                         unsigned line) noexcept {
  static std::atomic<bool> reported{false};
  if (reported.exchange(true)) {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));  // the first caller exits
  }
  std::fflush(stdout);  // keep Catch2's output ahead of ours
  std::fprintf(stderr, "\nnot implemented yet: %s (%s:%u)\n", what, detail::repo_relative(file),
               line);
  detail::print_current_test(stderr);
  std::fflush(stderr);
  std::_Exit(exit_code::not_implemented);
}

}  // namespace wb

/// Marks an unwritten part of an exercise; see wb::not_implemented.
#define WB_NOT_IMPLEMENTED(what) ::wb::not_implemented(what, __FILE__, __LINE__)
