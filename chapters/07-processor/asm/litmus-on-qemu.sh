#!/bin/bash
# Chapter 7: the litmus lab of chapter 3, built for AArch64 and run under qemu-aarch64.
# It shows what an emulator on an x86 machine can and cannot tell about ARM's memory model:
# the instructions are ARM's, the memory underneath is the host's.
# Usage: chapters/07-processor/asm/litmus-on-qemu.sh [litmus-lab options, e.g. --iterations 50000]
# Needs Debian's cross compiler and user-mode emulator:
#   sudo apt-get install g++-aarch64-linux-gnu qemu-user
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lab="$here/../../03-memory-ordering/litmus"
missing=()
command -v aarch64-linux-gnu-g++ > /dev/null || missing+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64 > /dev/null || missing+=(qemu-user)
if [ ${#missing[@]} -gt 0 ]; then
  echo "litmus-on-qemu needs: sudo apt-get install ${missing[*]}" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# fmt is header-only here (FMT_HEADER_ONLY): the host's fmt headers are plain C++, but the rest of
# /usr/include belongs to the host's C library, so only fmt's folder is put on the include path.
mkdir "$work/include" && ln -s /usr/include/fmt "$work/include/fmt"
echo "building the litmus lab for AArch64 (aarch64-linux-gnu-g++ -O2; about a minute) ..."
aarch64-linux-gnu-g++ -std=c++20 -O2 -pthread -DFMT_HEADER_ONLY -I"$work/include" -I"$here/../../../common/include" \
  "$lab/main.cpp" "$lab/litmus_tests.cpp" "$lab/batch_runner.cpp" "$lab/svg_chart.cpp" \
  -o "$work/litmus-lab"
echo "running it under $(qemu-aarch64 --version | head -n 1) on $(uname -m):"
# -L: where qemu finds the AArch64 dynamic loader and C library (Debian's cross packages).
qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/litmus-lab" --no-svg "$@" || status=$?
cat <<'TEXT'

What this run can tell you. The emulator translates each ARM instruction into host
instructions, and the memory is the host's: on x86 it reorders only what x86 reorders, so the
weak outcomes that need ARM hardware (MP, IRIW, 2+2W with relaxed) do not appear. Worse, an
emulator need not even keep ARM's own promises: Debian 12's qemu-aarch64 7.2 showed SB with
seq_cst (STLR then LDAR), which C++ forbids and an ARM core never shows, because it lets the
host's store buffer reorder them. An emulator is for running ARM code, never for testing its
memory ordering: for that, real ARM hardware, or the workbook's model checker.
TEXT
exit "${status:-0}"
