#!/usr/bin/env bash
# End-to-end test of the runner, as a learner uses it, on a temporary copy of
# the repository (the real one is never touched):
#   1. a stub fails with "not implemented yet";
#   2. a syntax error shows a readable compile error in the learner's file;
#   3. reset, after the learner committed their work, leaves a backup identical
#      to the learner's file in .workbook/ and the stub as shipped back;
#   4. copying a solution over its exercise turns it done (build, tests, TSan),
#      and editing a header the test includes invalidates that cached verdict;
#   5. a deliberately hanging exercise ends at the test's own deadline with
#      its explanation and a stack dump that names the blocked function;
#   4b. a crash names the line in the learner's file (the test main's backtrace);
#   4c. a run killed from outside (SIGKILL, as the out-of-memory killer does)
#      is shown but not cached: the next check runs again;
#   6. state older runners kept in build/dev moves to .workbook/, and
#      `rm -rf build` keeps backups, hint levels and position.
#
#   tools/workbook/e2e/run.sh [path/to/workbook-runner]
#
# Only the targets these steps need are built (the runner itself is the one
# already built in the calling tree), so it stays within a few minutes on two
# cores. Exit status 0 when every step passed.
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
RUNNER="$(realpath "${1:-$SOURCE/build/dev/tools/workbook/workbook-runner}")"
[ -x "$RUNNER" ] || { echo "e2e: no runner at $RUNNER (cmake --build --preset dev --target workbook-runner)"; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export NO_COLOR=1

failures=0
step() { printf '\n== %s ==\n' "$*"; }
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
# expect <description> <pattern> <file>: the runner's output contains the pattern.
expect() {
  if grep -qF -- "$2" "$3"; then pass "$1"; else fail "$1 (no '$2' in the output below)"; cat "$3"; fi
}
runner() { (cd "$WORK" && "$RUNNER" "$@"); }

# The copy: everything but build trees and learner state, with the exercises
# as shipped (HEAD), so that the steps start from the stubs whatever the caller
# has edited. It gets a repository of its own (a clone): the learner commits
# in it, which must never reach the caller's branch (.git may be a worktree's
# pointer to the caller's repository).
tar -C "$SOURCE" --exclude=./build --exclude=./.workbook --exclude=./.git -cf - . | tar -C "$WORK" -xf -
git clone -q --no-checkout "$SOURCE" "$WORK/.clone" && mv "$WORK/.clone/.git" "$WORK/.git" && rmdir "$WORK/.clone"
git -C "$WORK" reset -q
git -C "$WORK" checkout -q HEAD -- exercises
git -C "$WORK" config user.email learner@example.org
git -C "$WORK" config user.name "A learner"
(cd "$WORK" && cmake --preset dev >/dev/null)
exercise=exercises/01-threads/joining_thread.hpp
git -C "$WORK" show "HEAD:$exercise" >"$WORK/shipped-stub"
# What an older runner left in build/dev (step 6 checks it moved).
printf 'joining_thread\n' >"$WORK/build/dev/workbook-current"
mkdir -p "$WORK/build/dev/hints" && printf '2\n' >"$WORK/build/dev/hints/parallel_sum"
started=$SECONDS

step "1. the stub fails with 'not implemented yet'"
runner check joining_thread >"$WORK/out" 2>&1 && fail "the stub passed" || pass "the stub fails"
expect "the stub's message" "not implemented yet: " "$WORK/out"
expect "the layer that failed" "✗ tests pass" "$WORK/out"

step "2. a syntax error shows a readable compile error"
printf '\nint broken = ;\n' >>"$WORK/$exercise"
runner check joining_thread >"$WORK/out" 2>&1 && fail "a syntax error passed" || pass "a syntax error fails"
expect "the headline" "✗ builds — does not compile" "$WORK/out"
expect "the error in the learner's file" "exercises/01-threads/joining_thread.hpp:" "$WORK/out"
expect "the compiler's message" "error: expected primary-expression" "$WORK/out"
if grep -q "^/usr/bin/c++\|^FAILED:" "$WORK/out"; then fail "build noise shown"; else pass "no build noise"; fi

step "3. reset, after the learner committed, keeps a backup and brings the shipped stub back"
cp "$WORK/$exercise" "$WORK/learner-version"
git -C "$WORK" commit -q -m "my work on joining_thread" -- "$exercise"
runner reset joining_thread --yes >"$WORK/out" 2>&1 || fail "reset failed"
backup="$(grep -o '\.workbook/backups/[^ ]*' "$WORK/out" | head -n 1)"
if [ -n "$backup" ] && cmp -s "$WORK/$backup" "$WORK/learner-version"; then pass "backup $backup is the learner's file"
else fail "no identical backup in .workbook/backups"; cat "$WORK/out"; fi
if cmp -s "$WORK/shipped-stub" "$WORK/$exercise"; then pass "the shipped stub is back, not the learner's commit"
else fail "the stub is not back"; fi
runner reset joining_thread </dev/null >"$WORK/out" 2>&1 && fail "reset without --yes and without a terminal did not ask" ||
  expect "reset asks first" "pass --yes" "$WORK/out"

step "4. copying the solution over the exercise turns it done"
# A header of the test's own, as chapter 6's arc_*_tests.hpp are: the cached
# verdict must depend on it although the manifest does not name it.
test_header=chapters/01-threads/tests/e2e_included.hpp
printf '// included by the e2e test\n' >"$WORK/$test_header"
sed -i '0,/^#include/s//#include "e2e_included.hpp"\n#include/' "$WORK/chapters/01-threads/tests/joining_thread_test.cpp"
cp "$WORK/solutions/01-threads/joining_thread.hpp" "$WORK/$exercise"
if runner check joining_thread >"$WORK/out" 2>&1; then pass "the solution is done"; else fail "the solution is not done"; cat "$WORK/out"; fi
expect "every layer shown" "✓ ThreadSanitizer" "$WORK/out"
grep -q '"done": true' "$WORK/build/dev/verdicts/joining_thread.json" && pass "the verdict is cached as done" ||
  fail "no cached verdict"
runner check joining_thread >"$WORK/out" 2>&1 && expect "the second check comes from the cache" "unchanged since the last check" "$WORK/out"
printf '#include <catch2/catch.hpp>\nTEST_CASE("e2e: a test added in an included header") { CHECK(1 == 2); }\n' >"$WORK/$test_header"
if runner check joining_thread >"$WORK/out" 2>&1; then fail "editing an included test header kept the cached 'done'"; cat "$WORK/out"
else expect "editing an included test header invalidates the cached verdict" "e2e: a test added in an included header" "$WORK/out"; fi

step "4b. a crash names the learner's line, not the standard library's or the test's"
printf '// included by the e2e test\n' >"$WORK/$test_header"
sed -i 's|void join() { thread_.join(); }|void join() {\n    volatile int* volatile nowhere = nullptr;\n    *nowhere = 1;  // the crash\n    thread_.join();\n  }|' "$WORK/$exercise"
grep -q "the crash" "$WORK/$exercise" || fail "could not plant the crash (the solution's join() changed?)"
runner check joining_thread >"$WORK/out" 2>&1 && fail "the crash passed" || pass "the crash fails"
expect "the signal" "invalid memory access (SIGSEGV) in" "$WORK/out"
crash_line="$(grep -n "the crash" "$WORK/$exercise" | cut -d: -f1)"
expect "the learner's line" "exercises/01-threads/joining_thread.hpp:$crash_line" "$WORK/out"
cp "$WORK/solutions/01-threads/joining_thread.hpp" "$WORK/$exercise"

step "4c. a run killed from outside is not cached"
sed -i 's|void join() { thread_.join(); }|void join() {\n    std::raise(SIGKILL);  // as the out-of-memory killer would\n    thread_.join();\n  }|' "$WORK/$exercise"
sed -i '0,/^#include/s//#include <csignal>\n#include/' "$WORK/$exercise"
grep -q "SIGKILL" "$WORK/$exercise" || fail "could not plant the kill (the solution's join() changed?)"
runner check joining_thread >"$WORK/out" 2>&1 && fail "the killed run passed" || pass "the killed run fails"
expect "the signal" "killed (SIGKILL)" "$WORK/out"
if grep -q "SIGKILL" "$WORK/build/dev/verdicts/joining_thread.json" 2>/dev/null; then fail "the killed run was cached"
else pass "the killed run was not cached"; fi
runner check joining_thread >"$WORK/out" 2>&1 || true
if grep -qF "unchanged since the last check" "$WORK/out"; then fail "the second check repeated the killed run from the cache"
else expect "the second check runs again" "killed (SIGKILL)" "$WORK/out"; fi
cp "$WORK/solutions/01-threads/joining_thread.hpp" "$WORK/$exercise"

step "5. a hanging exercise ends at its deadline with the test's explanation, naming the blocked function"
# The reference queue whose close() wakes nobody: consumers wait forever.
cmake -DMUTANT="$WORK/solutions/01-threads/mutants/blocking_queue/close-without-notify.mutant" \
  -DSOURCE="$WORK/solutions/01-threads/blocking_queue.hpp" -DOUTPUT="$WORK/exercises/01-threads/blocking_queue.hpp" \
  -P "$WORK/cmake/apply_mutant.cmake"
runner --deadline 5 check blocking_queue >"$WORK/out" 2>&1 && fail "the hang passed" || pass "the hang fails"
# The test's own deadline (half the runner's) comes first, so its explanation is shown.
expect "the test's deadline" "a test did not finish: likely deadlock or lost wake-up" "$WORK/out"
expect "the test's explanation" "waiting for: " "$WORK/out"
expect "the blocked function" 'blocked in `blocking_queue::pop` (exercises/01-threads/blocking_queue.hpp:' "$WORK/out"
# The test layer's time (run + stack dump) stays near the deadline.
test_seconds="$(grep -A3 '"layer": "test"' "$WORK/build/dev/verdicts/blocking_queue.json" | grep -o '"seconds": [0-9.]*' | grep -o '[0-9.]*$' || echo 999)"
# (gdb needs a few seconds on an idle machine; the bound allows a loaded one.)
if awk -v s="$test_seconds" 'BEGIN { exit !(s < 5 + 90) }'; then pass "ended after ${test_seconds} s (deadline 5 s, then the stack dump)"
else fail "took ${test_seconds} s"; fi
if pgrep -f "$WORK/build/dev/chapters/01-threads/blocking_queue" >/dev/null; then fail "the hung process survived"
else pass "no process left behind"; fi

step "6. learner state lives in .workbook/ and survives rm -rf build"
[ -f "$WORK/.workbook/hints/parallel_sum" ] && [ ! -e "$WORK/build/dev/hints" ] && pass "hint levels moved from build/dev" ||
  fail "build/dev/hints did not move to .workbook/hints"
runner hint joining_thread >/dev/null 2>&1 || fail "hint failed"
rm -rf "$WORK/build"
(cd "$WORK" && cmake --preset dev >/dev/null)
runner hint joining_thread >"$WORK/out" 2>&1 || fail "hint failed after rm -rf build"
expect "the hint level survives rm -rf build" "(hint 2 of" "$WORK/out"
[ -n "$backup" ] && [ -f "$WORK/$backup" ] && pass "the backup survives rm -rf build" || fail "the backup is gone"
[ -f "$WORK/.workbook/current" ] && pass "the position survives rm -rf build" || fail "no .workbook/current"

printf '\n%s in %d s\n' "$([ "$failures" -eq 0 ] && echo 'e2e: all steps passed' || echo "e2e: $failures check(s) failed")" \
  $((SECONDS - started))
[ "$failures" -eq 0 ]
