#!/usr/bin/env bash
# Feedback speed: from saving an exercise file to the tests-layer verdict and
# to the full verdict (with ThreadSanitizer), median of N saves, warm trees.
#
#   tools/workbook/e2e/feedback-speed.sh [exercise] [runs]     (run at the repository root)
#
# Each save appends a comment (new content, so no cached verdict applies),
# then `workbook-runner check` runs; the time of each layer's line is taken
# as it is printed. Watch mode adds its 200 ms debounce to these numbers.
# The exercise file is restored at the end.
set -euo pipefail
name="${1:-joining_thread}"
runs="${2:-10}"
RUNNER=build/dev/tools/workbook/workbook-runner
file="$(grep -o "\"exercises/[^\"]*/$name.hpp\"" build/dev/workbook-manifest.json | head -n 1 | tr -d '"')"
cp "$file" "$file.speed-backup"
trap 'mv "$file.speed-backup" "$file"' EXIT
export NO_COLOR=1
"$RUNNER" check "$name" >/dev/null || true  # warm: both trees built once
tests=() full=()
for i in $(seq "$runs"); do
  printf '// feedback-speed edit %s\n' "$i" >>"$file"
  start=$(date +%s.%N)
  t_tests="" t_full=""
  while IFS= read -r line; do
    now=$(date +%s.%N)
    case "$line" in
      *"tests pass"*) t_tests=$(awk -v a="$now" -v b="$start" 'BEGIN { printf "%.2f", a - b }') ;;
    esac
  done < <("$RUNNER" check "$name" 2>&1 || true)
  t_full=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.2f", a - b }')
  tests+=("$t_tests")
  full+=("$t_full")
  echo "save $i: tests-layer verdict ${t_tests} s, full verdict ${t_full} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "median of $runs: tests-layer verdict $(median "${tests[@]}") s, full verdict $(median "${full[@]}") s"
echo "(load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
