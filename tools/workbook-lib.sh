# shellcheck shell=bash
# The launcher's functions (sourced by ./workbook): dependencies, builds,
# benchmarks, the full suite and the maintainer check. Everything a learner
# does day to day (verdicts, hints, demos, the book) is the C++ runner in
# tools/workbook/.

# ---- output ------------------------------------------------------------------
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_YELLOW=$'\e[33m' C_BOLD=$'\e[1m' C_DIM=$'\e[2m' C_OFF=$'\e[0m'
else
  C_RED='' C_GREEN='' C_YELLOW='' C_BOLD='' C_DIM='' C_OFF=''
fi
OK="${C_GREEN}✓${C_OFF}" KO="${C_RED}✗${C_OFF}" SKIP="${C_YELLOW}–${C_OFF}"

die() { printf '%sworkbook: %s%s\n' "$C_RED" "$*" "$C_OFF" >&2; exit 2; }
say() { printf '%s\n' "$*"; }
heading() { printf '\n%s== %s ==%s\n' "$C_BOLD" "$*" "$C_OFF"; }

# Runs a command quietly; on failure shows the last lines of its output.
quietly() {
  local log
  log="$(mktemp)"
  "$@" >"$log" 2>&1 && { rm -f "$log"; return 0; }
  local rc=$?
  tail -n 60 "$log" >&2
  rm -f "$log"
  return "$rc"
}

# ---- dependencies -------------------------------------------------------------
# Debian package -> what the workbook uses it for.
WB_PACKAGES=(cmake g++ ninja-build catch2 libfmt-dev nlohmann-json3-dev libcli11-dev doxygen graphviz doxygen-awesome-css gdb)

package_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

ensure_dependencies() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian: we cannot install, only check the essentials by name.
    local m=()
    for tool in cmake g++ ninja doxygen dot gdb; do command -v "$tool" >/dev/null || m+=("$tool"); done
    [ -f /usr/include/catch2/catch.hpp ] || m+=("Catch2 2.x (catch2/catch.hpp)")
    [ ${#m[@]} -eq 0 ] || die "missing: ${m[*]}. This is not a Debian system: install them with your package manager (the workbook is tested on Debian 12)."
    return 0
  fi
  ensure_packages "${WB_PACKAGES[@]}"
  local version
  version="$(g++ -dumpversion 2>/dev/null || echo 0)"
  [ "${version%%.*}" -ge 12 ] || die "g++ ${version} is too old: the workbook needs g++ 12 or newer (apt-get install g++-12)"
}

# ensure_packages <package>...: names the missing Debian packages and installs
# them (asking first unless --yes or CI).
ensure_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=()
  for p in "$@"; do package_installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo "
    say "The workbook needs these Debian packages, which are not installed: ${C_BOLD}${missing[*]}${C_OFF}"
    say "  install them with: ${sudo}apt-get install ${missing[*]}"
    if [ -z "${WB_ASSUME_YES:-}" ] && [ -z "${CI:-}" ]; then
      if [ ! -t 0 ]; then
        die "not installing without asking: run the command above, or ./workbook --yes"
      fi
      local answer
      read -r -p "Install them now? [Y/n] " answer
      case "$answer" in "" | y | Y | yes) ;; *) die "not installed; the workbook cannot build without them" ;; esac
    fi
    if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
      die "sudo is not available: as root, run apt-get install ${missing[*]}"
    fi
    ${sudo}apt-get update -qq || die "apt-get update failed (network?)"
    DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq "${missing[@]}" >/dev/null ||
      die "apt-get install ${missing[*]} failed"
    say "$OK installed ${missing[*]}"
  fi
}

# ---- configure and build ------------------------------------------------------
configure() {
  local preset="$1"
  [ -f "build/$preset/build.ninja" ] && return 0
  say "${C_DIM}configuring build/$preset ...${C_OFF}" >&2  # stdout may be a report (check --format)
  quietly cmake --preset "$preset" || die "cmake --preset $preset failed (output above)"
}

build() {
  local preset="$1"
  shift
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  say "${C_DIM}building build/$preset ${*:-} ...${C_OFF}"
  quietly cmake --build --preset "$preset" "${targets[@]+"${targets[@]}"}"
}

# The manifest, as lines of tab-separated fields (comments dropped).
manifest() { grep -v '^#' "build/dev/workbook-$1.tsv" || true; }

# ---- the manifest's layers --------------------------------------------------------
# The layers an exercise declares, comma-separated (build,test,tsan,model).
exercise_layers() {
  manifest exercises | awk -F'\t' -v n="$1" '$3 == n {print $6}'
}

# ---- benchmarks -----------------------------------------------------------------
# The bench tree (-O2) builds only the chapters' Google Benchmark programs; its
# extra packages are installed only when a learner first asks for a benchmark.
run_bench() {
  local name="${1:-}"
  ensure_packages libbenchmark-dev libboost-dev
  configure bench
  if [ -z "$name" ]; then
    heading "Benchmarks (./workbook bench <name> [benchmark options])"
    grep -v '^#' build/bench/workbook-benches.tsv | while IFS=$'\t' read -r bench slug _; do
      say "  $slug  $bench"
    done
    return 0
  fi
  shift
  local line
  line="$(grep -v '^#' build/bench/workbook-benches.tsv | awk -F'\t' -v n="$name" '$1 == n')"
  [ -n "$line" ] || die "no benchmark named '$name' (./workbook bench lists them)"
  build bench "bench.$name" || die "the benchmark does not build"
  # Without options of yours: 9 repetitions of each benchmark in a random
  # order, reported as mean, median and spread. Shared or virtual CPUs drift
  # by 10-30% from one second to the next; one run of each, one after the
  # other, would compare the drift, not the code.
  [ $# -gt 0 ] || set -- --benchmark_repetitions=9 --benchmark_enable_random_interleaving=true \
    --benchmark_report_aggregates_only=true
  say "${C_DIM}\$ build/bench/$(cut -f3 <<<"$line") $*${C_OFF}"
  "build/bench/$(cut -f3 <<<"$line")" "$@"
}

# ---- the maintainer check: stubs fail, mutants are caught ----------------------
CHECKS_PASSED=0
CHECKS_FAILED=0
pass() { CHECKS_PASSED=$((CHECKS_PASSED + 1)); say "  $OK $*"; }
fail() { CHECKS_FAILED=$((CHECKS_FAILED + 1)); say "  $KO $*"; }

# Every stub compiles and fails with "not implemented yet". An exercise you
# have edited is skipped: the check is about the shipped stubs.
check_stubs() {
  heading "Every stub fails with 'not implemented yet'"
  # All stubs at once, on every core; a stub that does not compile is
  # reported by the single-target build below.
  cmake --build --preset dev --target exercises -- -k 0 >/dev/null 2>&1 || true
  while IFS=$'\t' read -r _ _ name binary files _layers; do
    if command -v git >/dev/null && [ -d .git ] && ! git diff --quiet HEAD -- ${files//,/ } 2>/dev/null; then
      say "  $SKIP $name: skipped, you have edited it"
      continue
    fi
    if ! cmake --build --preset dev --target "$name" >/dev/null 2>&1; then
      fail "$name: the stub does not compile"
      continue
    fi
    local out
    out="$(timeout 120 "build/dev/$binary" 2>&1)" && { fail "$name: the stub PASSES its tests"; continue; }
    if grep -q "not implemented yet" <<<"$out"; then
      pass "$name: $(grep -m1 'not implemented yet' <<<"$out")"
    else
      fail "$name: the stub fails, but without 'not implemented yet'"
    fi
  done < <(manifest exercises)
}

# Every mutant is caught by at least one layer: first the plain tests (dev),
# then ThreadSanitizer for those the plain tests miss.
check_mutants() {
  heading "Every mutant is caught"
  cmake --build --preset dev --target mutants -- -k 0 >/dev/null 2>&1 || true
  local survivors=() id name binary mistake
  SURVIVORS=()
  local -A mistake_of=()
  while IFS=$'\t' read -r name id binary mistake; do
    mistake_of["$name.mutant.$id"]="$mistake"
    if [ ! -x "build/dev/$binary" ]; then
      fail "$name/$id: does not build (cmake --build --preset dev --target $name.mutant.$id)"
      continue
    fi
    survivors+=("$name.mutant.$id")
  done < <(manifest mutants)
  [ ${#survivors[@]} -gt 0 ] || return 0
  run_and_keep_passing dev "${survivors[@]}"
  # Later layers see only the survivors of earlier ones, and only for the
  # exercises that declare them (a tree does not build the others).
  local layer
  for layer in tsan model; do
    [ ${#SURVIVORS[@]} -gt 0 ] || break
    local in_layer=() kept=()
    for target in "${SURVIVORS[@]}"; do
      if [[ ",$(exercise_layers "${target%%.mutant.*}")," == *",$layer,"* ]]; then in_layer+=("$target")
      else kept+=("$target"); fi
    done
    [ ${#in_layer[@]} -gt 0 ] || continue
    configure "$layer"
    cmake --build --preset "$layer" --target "${in_layer[@]}" -- -k 0 >/dev/null 2>&1 || true
    run_and_keep_passing "$layer" "${in_layer[@]}"
    SURVIVORS+=("${kept[@]+"${kept[@]}"}")
  done
  for target in "${SURVIVORS[@]+"${SURVIVORS[@]}"}"; do
    fail "${target/.mutant./\/}: NOT CAUGHT by any layer — ${mistake_of[$target]}"
  done
  local waiting
  waiting="$(grep -v '^#' build/dev/workbook-waiting-mutants.tsv 2>/dev/null || true)"
  if [ -n "$waiting" ]; then
    say "  ${C_DIM}Waiting for a layer that can catch them (not counted):${C_OFF}"
    while IFS=$'\t' read -r name id mistake; do
      say "  $SKIP $name/$id — $mistake"
    done <<<"$waiting"
  fi
}

# run_and_keep_passing <preset> <test>...: runs the tests through CTest (its
# timeouts and sanitizer settings), reports the caught ones (those that
# fail) and leaves those that pass in SURVIVORS.
run_and_keep_passing() {
  local preset="$1"
  shift
  local regex
  regex="^($(printf '%s|' "$@" | sed 's/|$//; s/\./\\./g'))\$"
  SURVIVORS=()
  ctest --test-dir "build/$preset" -R "$regex" -j "$(nproc)" >/dev/null 2>&1 || true
  local failed_list="build/$preset/Testing/Temporary/LastTestsFailed.log"
  local output="build/$preset/Testing/Temporary/LastTest.log"
  local layer="tests"
  [ "$preset" = tsan ] && layer="the ThreadSanitizer build"
  [ "$preset" = model ] && layer="the model checker"
  for target in "$@"; do
    if [ -f "$failed_list" ] && grep -q ":${target}\$" "$failed_list"; then
      pass "${target/.mutant./\/}: caught by $layer ($(why_caught "$output" "$target"))"
    else
      SURVIVORS+=("$target")
    fi
  done
}

# One phrase for how a test failed, from CTest's LastTest.log <log> for test
# <name>: the kind of failure and, for a failed check, the test case and check.
why_caught() {
  local section
  section="$(awk -v t="$2" '$0 ~ "^[0-9]+/[0-9]+ Testing: " t "$" {on=1; next} on && /^"/ && / end time: /{on=0} on' "$1")"
  if grep -q "did not finish within" <<<"$section"; then
    echo "deadline: $(grep -m1 'while running test' <<<"$section" | sed 's/^ *while running //')"
  elif grep -q "wb::model: " <<<"$section"; then echo "$(grep -m1 -o 'wb::model: .*' <<<"$section" | sed 's/^wb::model: //')"
  elif grep -q "ThreadSanitizer: data race" <<<"$section"; then echo "data race report"
  elif grep -q "ThreadSanitizer:" <<<"$section"; then echo "$(grep -m1 -o 'ThreadSanitizer: [a-z -]*' <<<"$section")"
  elif grep -q "AddressSanitizer:\|runtime error:" <<<"$section"; then echo "sanitizer report"
  elif grep -q "SIGABRT\|Assertion\|terminate called" <<<"$section"; then echo "crash: abort, in $(first_failed_case "$section")"
  elif grep -q "SIGSEGV" <<<"$section"; then echo "crash: invalid memory access, in $(first_failed_case "$section")"
  elif grep -q "SIGFPE" <<<"$section"; then echo "crash: arithmetic error, in $(first_failed_case "$section")"
  elif grep -q "FAILED:" <<<"$section"; then
    echo "$(first_failed_case "$section"): $(grep -m1 -A1 'FAILED:' <<<"$section" | tail -n 1 | sed 's/^ *//')"
  else echo "failed"; fi
}

# The name of the first failing Catch2 test case in a test's output.
first_failed_case() {
  awk '/^-+$/ && length($0) > 70 {if (!name && getline line > 0) {name=line}} END {print "\"" name "\""}' <<<"$1"
}

dev_check() {
  check_stubs
  check_mutants
  summary
}

summary() {
  say ""
  if [ "$CHECKS_FAILED" -eq 0 ]; then
    say "${C_GREEN}All checks passed.${C_OFF}"
  else
    say "${C_RED}$CHECKS_FAILED check(s) failed.${C_OFF}"
  fi
  say "workbook: $CHECKS_PASSED passed, $CHECKS_FAILED failed"
  [ "$CHECKS_FAILED" -eq 0 ]
}

# ---- the load check: every solution test on a busy machine ----------------------
# `./workbook dev load [N]`: runs every solution test N times (20 by default)
# in the dev, tsan and asan-ubsan trees, first beside 2 and then beside 4
# busy loops (CPU-bound processes, like a parallel build), one test at a time.
# A correct solution must pass every run: a deadline is never a verdict on
# speed (common/include/wb/testing.hpp). Self-contained, so that it can move
# into the runner as it is.
LOAD_PRESETS=(dev tsan asan-ubsan)
LOAD_BUSY=(2 4)
BUSY_PIDS=()

# start_busy_loops <n>: n processes that only burn CPU, until stop_busy_loops.
start_busy_loops() {
  local i
  for ((i = 0; i < $1; i++)); do
    bash -c 'while :; do :; done' &
    BUSY_PIDS+=($!)
  done
}

stop_busy_loops() {
  [ ${#BUSY_PIDS[@]} -gt 0 ] || return 0
  kill "${BUSY_PIDS[@]}" 2>/dev/null || true
  wait "${BUSY_PIDS[@]}" 2>/dev/null || true
  BUSY_PIDS=()
}

run_load() {
  local rounds="${1:-20}"
  [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "dev load takes a number of rounds (default 20), not '$rounds'"
  # The busy loops never outlive the check, however it ends (Ctrl-C too).
  trap stop_busy_loops EXIT
  trap 'stop_busy_loops; exit 130' INT TERM
  local preset busy round
  for preset in "${LOAD_PRESETS[@]}"; do
    configure "$preset"
    build "$preset" solutions || die "build/$preset: the solutions do not build (output above)"
  done
  local started=$SECONDS
  local -A slowest=()  # "<preset> <test>" -> the longest run, in seconds
  for busy in "${LOAD_BUSY[@]}"; do
    start_busy_loops "$busy"
    for preset in "${LOAD_PRESETS[@]}"; do
      heading "$preset: every solution test $rounds times beside $busy busy loops"
      local step_started=$SECONDS before_failed=$CHECKS_FAILED before_passed=$CHECKS_PASSED
      for ((round = 1; round <= rounds; round++)); do
        load_round "$preset" "$busy" "$round"
      done
      say "  $((CHECKS_PASSED - before_passed)) passed, $((CHECKS_FAILED - before_failed)) failed ${C_DIM}($((SECONDS - step_started)) s)${C_OFF}"
    done
    stop_busy_loops
  done
  heading "Slowest runs under load"
  local key
  for key in "${!slowest[@]}"; do printf '%s\t%s\n' "${slowest[$key]}" "$key"; done |
    sort -rn | head -n 8 | while IFS=$'\t' read -r secs key; do say "  ${secs} s  ${key}"; done
  say ""
  say "${C_DIM}took $((SECONDS - started)) s in all${C_OFF}"
  summary
}

# load_round <preset> <busy> <round>: one run of every solution test of the
# tree, one at a time; counts each run, names each failure and why, and keeps
# each test's longest time in `slowest` (the caller's).
load_round() {
  local preset="$1" busy="$2" round="$3" log line name secs
  log="$(mktemp)"
  ctest --test-dir "build/$preset" -L '^solution$' >"$log" 2>&1 || true
  local tests_run=0
  while read -r line; do
    # "  3/28 Test  #3: synchronized.solution ......   Passed    0.31 sec"
    name="$(sed -E 's/^.*Test +#[0-9]+: ([^ ]+) .*$/\1/' <<<"$line")"
    secs="$(sed -E 's/^.* ([0-9.]+) sec$/\1/' <<<"$line")"
    tests_run=$((tests_run + 1))
    if awk -v a="$secs" -v b="${slowest["$preset $name"]:-0}" 'BEGIN {exit !(a > b)}'; then
      slowest["$preset $name"]="$secs"
    fi
    if grep -q ' Passed ' <<<"$line"; then
      CHECKS_PASSED=$((CHECKS_PASSED + 1))
    else
      fail "$preset, $busy busy loops, round $round: $name ($(why_caught "build/$preset/Testing/Temporary/LastTest.log" "$name"), ${secs} s)"
    fi
  done < <(grep -E '^ *[0-9]+/[0-9]+ Test +#[0-9]+: ' "$log")
  if [ "$tests_run" -eq 0 ]; then
    tail -n 20 "$log"
    fail "$preset, round $round: ctest ran no solution test"
  fi
  rm -f "$log"
}

# ---- the full suite -------------------------------------------------------------
# ctest_counts <preset>: runs the tree's test preset and adds its results.
run_tree() {
  local preset="$1"
  heading "$preset: build and run the solutions, demos and common tests"
  configure "$preset"
  if ! build "$preset"; then
    fail "$preset: the build failed (output above)"
    return
  fi
  local log
  log="$(mktemp)"
  ctest --preset "$preset" >"$log" 2>&1 || true
  local line total failed
  line="$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)"
  if [ -z "$line" ]; then
    tail -n 40 "$log"
    fail "$preset: ctest did not run"
    rm -f "$log"
    return
  fi
  total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")"
  failed="$(sed -E 's/.*, ([0-9]+) tests? failed.*/\1/' <<<"$line")"
  CHECKS_PASSED=$((CHECKS_PASSED + total - failed))
  CHECKS_FAILED=$((CHECKS_FAILED + failed))
  if [ "$failed" -eq 0 ]; then
    say "  $OK $preset: $total tests passed"
  else
    say "  $KO $preset: $failed of $total tests failed:"
    sed -n '/The following tests FAILED/,$p' "$log"
    sed -n '/Output from these tests/,$p' "$log" | head -n 80
    grep -B2 -A30 -E '\*\*\*Failed|\*\*\*Timeout|\*\*\*Exception' "$log" | head -n 120
  fi
  rm -f "$log"
}

run_full_suite() {
  local started=$SECONDS step_started
  timed() {
    step_started=$SECONDS
    "$@"
    say "  ${C_DIM}($((SECONDS - step_started)) s)${C_OFF}"
  }
  for preset in dev tsan asan-ubsan model; do timed run_tree "$preset"; done
  configure dev
  timed check_stubs
  timed check_mutants
  timed check_book
  say ""
  say "${C_DIM}took $((SECONDS - started)) s in all${C_OFF}"
  summary
}

check_book() {
  heading "The book"
  if build dev book; then pass "the book builds without Doxygen warnings (build/dev/book/html/index.html)"
  else fail "the book does not build (Doxygen warnings are errors; output above)"; return; fi
  # The book in a headless browser and the READMEs as GitHub renders them.
  ensure_packages chromium cmark-gfm
  if quietly tools/book/check-book.sh build/dev/book; then
    pass "every page shows its code and diagrams in Chromium, no broken link; the READMEs render on GitHub (cmark-gfm)"
  else fail "the book's browser or markdown check failed (output above)"; fi
}
