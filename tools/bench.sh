# shellcheck shell=bash
# `./workbook bench [name] [benchmark options]`, sourced by the launcher (which
# has installed the `bench` packages and defines say, die, configure), until
# the bench command is a program of its own. run_bench is as it was in the
# former tools/workbook-lib.sh; it reads build/bench/workbook-benches.tsv.

heading() { printf '\n== %s ==\n' "$*"; }

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

build() {
  local preset="$1"
  shift
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  say "${C_DIM}building build/$preset ${*:-} ...${C_OFF}"
  quietly cmake --build --preset "$preset" "${targets[@]+"${targets[@]}"}"
}

# ---- benchmarks -----------------------------------------------------------------
# The bench tree (-O2) builds only the chapters' Google Benchmark programs; its
# extra packages are installed only when a learner first asks for a benchmark.
run_bench() {
  local name="${1:-}"
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
