// Exercise 3.5 — litmus_quiz: which weak outcomes does C++ allow?
//
// A litmus test is a tiny concurrent program plus one outcome that would be
// impossible if threads simply took turns (sequential consistency): the
// "weak" outcome. Whether C++ allows it depends on the memory orders. Answer
// in code: for each litmus test and each ordering, may the weak outcome
// happen in some execution the C++ standard allows? Not "did you see it on
// your laptop": x86 never shows some of them, ARM and POWER do, and the
// standard allows some that no current machine shows.
//
// Every variable starts at 0; every access is an atomic load or store.
// T1 || T2 means the threads run concurrently; "finally" is after all joined.
//
//   store_buffering (SB)      T1: x = 1; r1 = y       T2: y = 1; r2 = x
//                             weak: r1 == 0 && r2 == 0
//   message_passing (MP)      T1: data = 1; flag = 1  T2: r1 = flag; r2 = data
//                             weak: r1 == 1 && r2 == 0
//   load_buffering (LB)       T1: r1 = x; y = 1       T2: r2 = y; x = 1
//                             weak: r1 == 1 && r2 == 1
//   iriw                      T1: x = 1    T2: y = 1
//                             T3: r1 = x; r2 = y      T4: r3 = y; r4 = x
//                             weak: r1 == 1 && r2 == 0 && r3 == 1 && r4 == 0
//                             (the readers disagree on which write came first)
//   two_plus_two_w (2+2W)     T1: x = 1; y = 2        T2: y = 1; x = 2
//                             weak: finally x == 1 && y == 1
//   r (R)                     T1: x = 1; y = 1        T2: y = 2; r1 = x
//                             weak: finally y == 2, and r1 == 0
//   corr (coherence, read-read)   T1: x = 1           T2: r1 = x; r2 = x
//                             weak: r1 == 1 && r2 == 0
//   cowr (coherence, write-read)  T1: x = 1; r1 = x   T2: x = 2
//                             weak: r1 == 2 && finally x == 1
//
// The orderings apply to every operation of the program:
//   ordering::relaxed          every load and store is memory_order_relaxed
//   ordering::acquire_release  every store is release, every load acquire
//   ordering::seq_cst          every load and store is memory_order_seq_cst
//
// Contract: may_observe_weak_outcome(test, order) returns true when the C++
// memory model allows the weak outcome of `test` when every operation has
// `order`, false when it forbids it. Justify each answer to yourself with
// [intro.races] (happens-before, coherence) and [atomics.order] (the single
// total order of seq_cst operations).
//
// Memory ordering: not applicable; this exercise is about the rules
// themselves.
//
// Run the tests: ./workbook check litmus_quiz      Hints: ./workbook hint litmus_quiz
#pragma once

#include <wb/not_implemented.hpp>

enum class litmus {
  store_buffering,
  message_passing,
  load_buffering,
  iriw,
  two_plus_two_w,
  r,
  corr,
  cowr
};
enum class ordering { relaxed, acquire_release, seq_cst };

inline bool may_observe_weak_outcome(litmus test, ordering order) {
  (void)order;
  switch (test) {
    case litmus::store_buffering:
      // TODO(exercise): return whether r1 == 0 && r2 == 0 is allowed under
      // `order`, e.g. `return order != ordering::seq_cst;` if you think only
      // seq_cst forbids it. Does acquire/release order a store before a
      // later load of another variable?
      WB_NOT_IMPLEMENTED("litmus_quiz: answer store_buffering (SB) for each ordering");
    case litmus::message_passing:
      // TODO(exercise): what does the acquire load of flag gain when it reads
      // the release store of flag?
      WB_NOT_IMPLEMENTED("litmus_quiz: answer message_passing (MP) for each ordering");
    case litmus::load_buffering:
      // TODO(exercise): may a load read a store that comes later in the other
      // thread's program? Think about what the standard allows, not what
      // your machine does.
      WB_NOT_IMPLEMENTED("litmus_quiz: answer load_buffering (LB) for each ordering");
    case litmus::iriw:
      // TODO(exercise): must two readers agree on the order of two writes
      // made by two different threads?
      WB_NOT_IMPLEMENTED("litmus_quiz: answer iriw for each ordering");
    case litmus::two_plus_two_w:
      // TODO(exercise): there are no loads at all. What could synchronize?
      WB_NOT_IMPLEMENTED("litmus_quiz: answer two_plus_two_w (2+2W) for each ordering");
    case litmus::r:
      // TODO(exercise): T2 never reads what T1 wrote. Does y's modification
      // order tell T2 anything about x?
      WB_NOT_IMPLEMENTED("litmus_quiz: answer r (R) for each ordering");
    case litmus::corr:
      // TODO(exercise): one variable only. Is relaxed "anything goes"?
      WB_NOT_IMPLEMENTED("litmus_quiz: answer corr (read-read coherence) for each ordering");
    case litmus::cowr:
      // TODO(exercise): one variable only, and T1 wrote it itself first.
      WB_NOT_IMPLEMENTED("litmus_quiz: answer cowr (write-read coherence) for each ordering");
  }
  WB_NOT_IMPLEMENTED("litmus_quiz: not a litmus test");
}
