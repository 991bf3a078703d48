// Exercise 3.5 — litmus_quiz: which weak outcomes does C++ allow?
// Reference solution. (Contract and the programs: see
// exercises/03-memory-ordering/litmus_quiz.hpp.)
//
// Why each answer is what it is ("allowed" = some execution consistent with
// [intro.races] and [atomics.order] produces the weak outcome):
//
//   SB    relaxed, acq/rel: allowed. Acquire/release orders a load only
//         after the release store it *reads*; here each thread's load reads
//         the initial value, so no synchronizes-with edge exists and nothing
//         orders a thread's store before its own later load of the other
//         location. seq_cst: forbidden. In the single total order S both
//         stores precede their thread's load; the load that comes later in S
//         must read the other store (a seq_cst load that read the older
//         value would be coherence-ordered before that store, so before it
//         in S: a cycle). [atomics.order] p4.
//   MP    relaxed: allowed (nothing orders the data store before the flag
//         store for the reader). rel/acq: forbidden: the acquire load of the
//         flag reads the release store, so data=1 happens-before the load of
//         data, which must then read 1 (write-read coherence,
//         [intro.races]). seq_cst: forbidden (at least as strong).
//   LB    relaxed: allowed. Each load may read the other thread's store; no
//         rule forbids it, and the values are not out of thin air (the
//         stores write constants). Rarely seen on hardware, but allowed:
//         the recommendation against "out-of-thin-air" values in
//         [atomics.order] p8 is about values that justify themselves, and its
//         own example of that shape (one constant store) may give
//         r1 == r2 == 42. rel/acq:
//         forbidden: if r2 reads T1's y=1 (a release, acquired), T1's load
//         of x happens-before T2's store x=1, and a load cannot read a store
//         it happens before ([intro.races]), so r1 = 0. seq_cst: forbidden.
//   IRIW  relaxed, acq/rel: allowed. C++ does not promise that two readers
//         see two independent writes in the same order unless every
//         operation is seq_cst (POWER shows it). seq_cst: forbidden: S
//         orders the two writes, and the reader that sees them in the other
//         order would contradict S.
//   2+2W  relaxed, release: allowed: there are no reads, so no
//         synchronisation, and each location's modification order is free.
//         seq_cst: forbidden: S would need x=1 < y=2 < y=1 < x=2 < x=1.
//   R     relaxed, rel/acq: allowed: T2 never reads what T1 wrote, so no
//         synchronisation; coherence of y alone does not order x. seq_cst:
//         forbidden: x=1 < y=1 < y=2 < load x in S, so the load reads 1.
//   CoRR, CoWR  forbidden under every ordering, relaxed included: these are
//         the coherence rules every atomic obeys ([intro.races], read-read and
//         write-read coherence). Relaxed is not "anything goes".
//
// Memory ordering: not applicable; this exercise is about the rules
// themselves.
#pragma once

#include <cstddef>

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

namespace litmus_quiz_detail {
// The answers, one row per litmus test, one column per ordering.
inline constexpr bool allowed[8][3] = {
    //                            relaxed  acq/rel  seq_cst
    /* store_buffering */ {true, true, false},
    /* message_passing */ {true, false, false},
    /* load_buffering */ {true, false, false},
    /* iriw */ {true, true, false},
    /* two_plus_two_w */ {true, true, false},
    /* r */ {true, true, false},
    /* corr */ {false, false, false},
    /* cowr */ {false, false, false},
};
}  // namespace litmus_quiz_detail

inline bool may_observe_weak_outcome(litmus test, ordering order) {
  return litmus_quiz_detail::allowed[static_cast<std::size_t>(test)]
                                    [static_cast<std::size_t>(order)];
}
