// Tests for exercise 3.5, litmus_quiz (exercises/03-memory-ordering/litmus_quiz.hpp).
//
// One test case per litmus test checks its three answers (relaxed,
// acquire/release, seq_cst). The answers are booleans, so a failure that
// named the wrong one, or said what C++ allows, would hand out the answer:
// flip it and pass, having learned nothing. A wrong answer therefore fails
// with the shape of the litmus test, a question for each ordering that
// points at the rule deciding it (happens-before, coherence, the total order
// S) without stating the verdict, and the section of the chapter to re-read;
// it does not say which of the three is wrong. The verdict and its one-line
// reason are shown once all three are right (run the test binary with `-s`
// to read them), so the explanation arrives when it can confirm the
// learner's reasoning rather than replace it. No threads run here: the
// questions are about what the standard allows, which no run on one machine
// can prove (see the chapter's litmus lab for what your machine shows).
#include <catch2/catch.hpp>

#include "litmus_quiz.hpp"

#include <sstream>
#include <string>

namespace {

struct expected_answer {
  ordering order;
  bool allowed;
  const char* question;  // points at the deciding rule; never states the verdict
  const char* why;       // the verdict's one-line reason, shown only once answered right
};

const char* name(ordering order) {
  switch (order) {
    case ordering::relaxed:
      return "relaxed";
    case ordering::acquire_release:
      return "acquire/release";
    case ordering::seq_cst:
      return "seq_cst";
  }
  return "?";
}

// Checks the three answers for one litmus test; `shape` is the program and
// its weak outcome, `section` where the chapter
// (chapters/03-memory-ordering/README.md) explains it.
void check_answers(litmus test, const char* test_name, const char* shape, const char* section,
                   std::initializer_list<expected_answer> answers) {
  bool all_right = true;
  for (const expected_answer& a : answers) {
    if (may_observe_weak_outcome(test, a.order) != a.allowed) all_right = false;
  }
  if (all_right) {
    std::ostringstream reasons;
    for (const expected_answer& a : answers) {
      reasons << "\n  " << name(a.order) << ": " << (a.allowed ? "allowed" : "forbidden") << " - "
              << a.why;
    }
    INFO(test_name << ": all three answers right." << reasons.str());
    SUCCEED();
    return;
  }
  std::ostringstream questions;
  for (const expected_answer& a : answers)
    questions << "\n  - " << name(a.order) << ": " << a.question;
  FAIL_CHECK(test_name << " (" << shape
                       << "): at least one of your three answers is wrong. The test "
                       << "does not say which: a yes/no answer that is named is an answer given "
                       << "away. Ask yourself, for each ordering, whether some execution the "
                       << "standard allows ends in the weak outcome:" << questions.str()
                       << "\n  Re-read \"" << section
                       << "\" in chapters/03-memory-ordering/README.md ([intro.races], "
                       << "[atomics.order]); once all three are right, `-s` shows why.");
}

}  // namespace

TEST_CASE("litmus_quiz: store buffering", "[ch03][litmus_quiz]") {
  check_answers(
      litmus::store_buffering, "SB (store buffering)",
      "T1: x = 1; r1 = y  ||  T2: y = 1; r2 = x, weak: r1 == 0 && r2 == 0", "Store buffering",
      {{ordering::relaxed, true,
        "does anything order a thread's store before its later load of a different variable?",
        "nothing orders a store before a later load of another variable"},
       {ordering::acquire_release, true,
        "for a synchronizes-with edge, which store must an acquire load read, and do the loads in "
        "the weak outcome read such a store?",
        "each load reads the initial value, so no release is acquired: no synchronizes-with edge"},
       {ordering::seq_cst, false,
        "put the four operations in one total order S: what must the last load in S read?",
        "one total order S holds all four operations, and the later load in S must see the other "
        "store"}});
}

TEST_CASE("litmus_quiz: message passing", "[ch03][litmus_quiz]") {
  check_answers(
      litmus::message_passing, "MP (message passing)",
      "T1: data = 1; flag = 1  ||  T2: r1 = flag; r2 = data, weak: r1 == 1 && r2 == 0",
      "Message passing",
      {{ordering::relaxed, true,
        "does a relaxed store of flag carry the earlier store of data with it?",
        "a relaxed flag carries no other write with it"},
       {ordering::acquire_release, false,
        "when the acquire load of flag reads the release store, what happens-before the load of "
        "data?",
        "the acquire load reads the release store: data = 1 happens-before the read of data"},
       {ordering::seq_cst, false,
        "is seq_cst weaker or stronger than acquire/release for these loads and stores?",
        "seq_cst is at least acquire/release"}});
}

TEST_CASE("litmus_quiz: load buffering", "[ch03][litmus_quiz]") {
  check_answers(litmus::load_buffering, "LB (load buffering)",
                "T1: r1 = x; y = 1  ||  T2: r2 = y; x = 1, weak: r1 == 1 && r2 == 1",
                "Load buffering",
                {{ordering::relaxed, true,
                  "may a load read a store that comes later in the other thread's program, if no "
                  "value comes out "
                  "of thin air? Think of the standard, not of your machine.",
                  "the standard allows it (the stored values are constants, not out of thin air), "
                  "even though few "
                  "machines show it"},
                 {ordering::acquire_release, false,
                  "if T1's acquire load reads T2's release store, what happens-before what, and "
                  "may T2's load then "
                  "read a store that T2's load happens-before?",
                  "reading the other's release store makes your own load happen before the store "
                  "it would have to "
                  "read"},
                 {ordering::seq_cst, false,
                  "is seq_cst weaker or stronger than acquire/release for these loads and stores?",
                  "seq_cst is at least acquire/release"}});
}

TEST_CASE("litmus_quiz: independent reads of independent writes", "[ch03][litmus_quiz]") {
  check_answers(
      litmus::iriw, "IRIW",
      "T1: x = 1 || T2: y = 1 || T3: r1 = x; r2 = y || T4: r3 = y; r4 = x, weak: the readers see "
      "the "
      "writes in opposite orders",
      "IRIW",
      {{ordering::relaxed, true,
        "must two readers agree on the order of two writes made by two different threads?",
        "readers need not agree on the order of independent writes"},
       {ordering::acquire_release, true,
        "an acquire orders what comes after it with what it read from: does it order two writes "
        "relative "
        "to each other?",
        "acquire/release orders only what a thread reads from, not writes it never reads relative "
        "to each "
        "other (POWER shows it)"},
       {ordering::seq_cst, false,
        "where are the two writes in the total order S, and must every reader follow S?",
        "S orders the two writes, and every seq_cst reader must see them in that order"}});
}

TEST_CASE("litmus_quiz: 2+2W", "[ch03][litmus_quiz]") {
  check_answers(
      litmus::two_plus_two_w, "2+2W",
      "T1: x = 1; y = 2  ||  T2: y = 1; x = 2, weak: finally x == 1 && y == 1", "2+2W and R",
      {{ordering::relaxed, true, "are the modification orders of x and y tied to each other?",
        "each variable's modification order is independent of the other's"},
       {ordering::acquire_release, true, "there are no loads: can any release store be acquired?",
        "there are no loads, so no release is ever acquired: nothing synchronizes"},
       {ordering::seq_cst, false,
        "can the four stores be put in one total order S, each thread's two in program order, that "
        "ends with x == 1 and y == 1?",
        "S would need the cycle x=1 < y=2 < y=1 < x=2 < x=1"}});
}

TEST_CASE("litmus_quiz: R", "[ch03][litmus_quiz]") {
  check_answers(
      litmus::r, "R", "T1: x = 1; y = 1  ||  T2: y = 2; r1 = x, weak: finally y == 2, and r1 == 0",
      "2+2W and R",
      {{ordering::relaxed, true, "what orders T1's store of x before T2's load of x?",
        "nothing orders T1's store to x before T2's load of x"},
       {ordering::acquire_release, true,
        "T2 never reads what T1 wrote: can y's modification order alone make a synchronizes-with "
        "edge?",
        "T2 never reads what T1 wrote, and y's modification order alone does not synchronize"},
       {ordering::seq_cst, false,
        "with y == 2 last for y, where in S must T2's load of x come, relative to x = 1?",
        "in S, x=1 < y=1 < y=2 < T2's load of x, so that load must read 1"}});
}

TEST_CASE("litmus_quiz: coherence of one variable", "[ch03][litmus_quiz]") {
  // The rules are the coherence requirements of [intro.races], which even
  // relaxed atomics obey; the chapter states them in its section on relaxed.
  const char* const section = "Relaxed: atomicity and a modification order, nothing more";
  const char* const any_order =
      "do the coherence rules of [intro.races] depend on the memory order?";
  check_answers(
      litmus::corr, "CoRR (read-read coherence)",
      "T1: x = 1  ||  T2: r1 = x; r2 = x, weak: r1 == 1 && r2 == 0", section,
      {{ordering::relaxed, false,
        "is relaxed 'anything goes' for one variable, or do two reads in one thread follow its "
        "modification order?",
        "two reads of one variable in one thread never go backwards in its modification order"},
       {ordering::acquire_release, false, any_order, "coherence holds for every ordering"},
       {ordering::seq_cst, false, any_order, "coherence holds for every ordering"}});
  check_answers(
      litmus::cowr, "CoWR (write-read coherence)",
      "T1: x = 1; r1 = x  ||  T2: x = 2, weak: r1 == 2 && finally x == 1", section,
      {{ordering::relaxed, false,
        "may a thread read a value older, in the modification order, than its own earlier write?",
        "a thread never reads a value older than its own earlier write to the same variable"},
       {ordering::acquire_release, false, any_order, "coherence holds for every ordering"},
       {ordering::seq_cst, false, any_order, "coherence holds for every ordering"}});
}

TEST_CASE("litmus_quiz: a stronger ordering never allows more", "[ch03][litmus_quiz]") {
  // relaxed <= acquire/release <= seq_cst: every execution allowed with the
  // stronger orders is allowed with the weaker ones.
  for (litmus test :
       {litmus::store_buffering, litmus::message_passing, litmus::load_buffering, litmus::iriw,
        litmus::two_plus_two_w, litmus::r, litmus::corr, litmus::cowr}) {
    const bool relaxed = may_observe_weak_outcome(test, ordering::relaxed);
    const bool acq_rel = may_observe_weak_outcome(test, ordering::acquire_release);
    const bool seq_cst = may_observe_weak_outcome(test, ordering::seq_cst);
    INFO(
        "litmus test number " << static_cast<int>(test)
                              << " (in the order of enum litmus): an outcome forbidden with weaker "
                                 "orders cannot become allowed with stronger ones");
    CHECK((relaxed || !acq_rel));
    CHECK((acq_rel || !seq_cst));
  }
}
