#!/bin/bash
# Chapter 7: what does each atomic operation compile to?
# Compiles ops.cpp (beside this script) with -O2 for x86-64 and for AArch64 and prints the
# instructions of each function side by side, one column per compiler and flags:
#   x86-64             g++ -O2
#   aarch64 default    aarch64-linux-gnu-g++ -O2             (GCC 12: read-modify-writes call
#                                                              outline helpers, bl __aarch64_*)
#   aarch64 LL/SC      aarch64-linux-gnu-g++ -O2 -mno-outline-atomics   (ldaxr/stlxr loops)
#   aarch64 LSE        aarch64-linux-gnu-g++ -O2 -march=armv8.1-a      (ldaddal, casal, ldset...)
# Usage: chapters/07-processor/asm/show-asm.sh [function-name-substring]
# The AArch64 columns need Debian's cross compiler: sudo apt-get install g++-aarch64-linux-gnu
# (only -S is used: no AArch64 machine, emulator or libraries are needed).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
filter=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "function<TAB>instruction" for every instruction of every extern "C" function.
instructions() {
  "$@" -std=c++20 -O2 -S -o - "$here/ops.cpp" |
    awk '/^[a-z_][a-z_0-9]*:/ { fn = substr($1, 1, length($1) - 1); next }
         /^\t[a-z]/ && fn != "" { sub(/^\t/, ""); gsub(/\t/, " "); print fn "\t" $0 }' |
    grep -vE $'\t(\\.|adrp|add +x[0-9]+, x[0-9]+, :lo12)' || true
}

columns=("x86-64 (g++ -O2)")
instructions g++ > "$work/0"
if command -v aarch64-linux-gnu-g++ > /dev/null; then
  columns+=("aarch64 default" "aarch64 -mno-outline-atomics" "aarch64 -march=armv8.1-a")
  instructions aarch64-linux-gnu-g++ > "$work/1"
  instructions aarch64-linux-gnu-g++ -mno-outline-atomics > "$work/2"
  instructions aarch64-linux-gnu-g++ -march=armv8.1-a > "$work/3"
else
  echo "(no aarch64-linux-gnu-g++: showing x86-64 only; sudo apt-get install g++-aarch64-linux-gnu)"
fi

for fn in $(grep -oE '^(int|bool|void) [a-z_0-9]+' "$here/ops.cpp" | awk '{print $2}'); do
  [[ -n "$filter" && "$fn" != *"$filter"* ]] && continue
  echo "== $fn: $(awk -v fn="$fn" '$0 ~ "^(int|bool|void) " fn "\\(" { line = $0; if ($0 !~ /}/) { getline; line = line " " $0 }
                                   sub(/^[^{]*\{ *(return )?/, "", line); sub(/; *}$/, "", line); sub(/;$/, "", line); gsub(/  +/, " ", line); print line }' "$here/ops.cpp")"
  args=()
  for ((c = 0; c < ${#columns[@]}; c++)); do
    awk -F'\t' -v fn="$fn" '$1 == fn { print $2 }' "$work/$c" > "$work/$fn.$c"
    args+=("$work/$fn.$c")
  done
  { printf '%s\n' "${columns[@]}" | paste -sd'\t'; paste "${args[@]}"; } |
    awk -F'\t' '{ for (i = 1; i <= NF; ++i) printf "  %-32s", $i; printf "\n" }'
done
