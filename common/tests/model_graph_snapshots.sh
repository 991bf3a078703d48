#!/usr/bin/env bash
# Checks that the failing-execution graphs shown in book/checking.md are the
# ones the current model checker draws: builds each mutant in the model tree,
# runs the [model] test the snapshot comes from, from the top of the
# repository as the book says, and compares its .dot with book/diagrams/.
# Exit 1 on any difference (then copy the new .dot over the snapshot and
# render it with the book-sources target). Usage, from the repository's top:
#   common/tests/model_graph_snapshots.sh
# In CTest (the model tree's test common.model_graph_snapshots) WB_MODEL_TREE
# names the tree, which has built both mutants already: nothing is built here.
set -euo pipefail
cd "$(dirname "$0")/../.."
tree=${WB_MODEL_TREE:-build/model}
status=0
check() {  # <chapter dir> <mutant target> <test case> <graph stem> <snapshot>
  local dir=$1 target=$2 test=$3 stem=$4 snapshot=$5
  if [[ -z ${WB_MODEL_TREE:-} ]]; then
    cmake --build --preset model --target "$target" -- -j2 > /dev/null
  fi
  local dot="$tree/chapters/$dir/$target.model/$stem.check1.dot"
  rm -f "$dot"
  "$tree/chapters/$dir/$target" "$test" > /dev/null 2>&1 || true
  if [[ ! -f $dot ]]; then
    echo "$target: \"$test\" drew no graph (does the mutant still fail there?)"
    status=1
  elif ! diff -q "$dot" "book/diagrams/$snapshot" > /dev/null; then
    echo "$target: book/diagrams/$snapshot is not what the checker draws now:"
    diff "book/diagrams/$snapshot" "$dot" | head -20
    status=1
  else
    echo "$target: book/diagrams/$snapshot is current"
  fi
}
check 03-memory-ordering ready_slots.mutant.no-release-fence \
  "ready_slots: model try_collect sees every published value" \
  ready_slots-model-try_collect-sees-every-published-value model-ready-slots-no-release-fence.dot
check 04-spin-lock spin_lock.mutant.lock-load-then-store \
  "spin_lock: model two threads never share the critical section" \
  spin_lock-model-two-threads-never-share-the-critical-section model-spin-lock-load-then-store.dot
exit $status
