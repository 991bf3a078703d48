// Tests for exercise 3.5, litmus_quiz (exercises/03-memory-ordering/litmus_quiz.hpp).
//
// One test case per litmus test checks its three answers. A wrong answer
// fails with the litmus test, the ordering, what C++ says, a one-line reason
// and the section of the chapter to re-read. No threads run here: the
// questions are about what the standard allows, which no run on one machine
// can prove (see the chapter's litmus lab for what your machine shows).
#include <catch2/catch.hpp>

#include "litmus_quiz.hpp"

#include <string>

namespace {

struct expected_answer {
  ordering order;
  bool allowed;
  const char* why;  // one line: the rule that decides
};

const char* name(ordering order) {
  switch (order) {
    case ordering::relaxed: return "relaxed";
    case ordering::acquire_release: return "acquire/release";
    case ordering::seq_cst: return "seq_cst";
  }
  return "?";
}

// Checks the three answers for one litmus test; `section` is where the
// chapter (chapters/03-memory-ordering/README.md) explains it.
void check_answers(litmus test, const char* test_name, const char* section,
                   std::initializer_list<expected_answer> answers) {
  for (const expected_answer& a : answers) {
    const bool answered = may_observe_weak_outcome(test, a.order);
    INFO(test_name << " with every operation " << name(a.order) << ": C++ "
                   << (a.allowed ? "ALLOWS" : "FORBIDS") << " the weak outcome, you answered "
                   << (answered ? "allowed" : "forbidden") << ".\n  Why: " << a.why
                   << "\n  Re-read \"" << section << "\" in chapters/03-memory-ordering/README.md");
    CHECK(answered == a.allowed);
  }
}

}  // namespace

TEST_CASE("litmus_quiz: store buffering", "[ch03][litmus_quiz]") {
  check_answers(litmus::store_buffering, "SB (store buffering)", "Store buffering",
                {{ordering::relaxed, true, "nothing orders a store before a later load of another variable"},
                 {ordering::acquire_release, true,
                  "each load reads the initial value, so no release is acquired: no synchronizes-with edge"},
                 {ordering::seq_cst, false,
                  "one total order S holds all four operations, and the later load in S must see the other store"}});
}

TEST_CASE("litmus_quiz: message passing", "[ch03][litmus_quiz]") {
  check_answers(litmus::message_passing, "MP (message passing)", "Message passing",
                {{ordering::relaxed, true, "a relaxed flag carries no other write with it"},
                 {ordering::acquire_release, false,
                  "the acquire load reads the release store: data = 1 happens-before the read of data"},
                 {ordering::seq_cst, false, "seq_cst is at least acquire/release"}});
}

TEST_CASE("litmus_quiz: load buffering", "[ch03][litmus_quiz]") {
  check_answers(litmus::load_buffering, "LB (load buffering)", "Load buffering",
                {{ordering::relaxed, true,
                  "the standard allows it (the stored values are constants, not out of thin air), "
                  "even though few machines show it"},
                 {ordering::acquire_release, false,
                  "reading the other's release store makes your own load happen before the store "
                  "it would have to read"},
                 {ordering::seq_cst, false, "seq_cst is at least acquire/release"}});
}

TEST_CASE("litmus_quiz: independent reads of independent writes", "[ch03][litmus_quiz]") {
  check_answers(litmus::iriw, "IRIW", "IRIW",
                {{ordering::relaxed, true, "readers need not agree on the order of independent writes"},
                 {ordering::acquire_release, true,
                  "acquire/release orders only what a thread reads from, not writes it never reads "
                  "relative to each other (POWER shows it)"},
                 {ordering::seq_cst, false,
                  "S orders the two writes, and every seq_cst reader must see them in that order"}});
}

TEST_CASE("litmus_quiz: 2+2W", "[ch03][litmus_quiz]") {
  check_answers(litmus::two_plus_two_w, "2+2W", "2+2W and R",
                {{ordering::relaxed, true, "each variable's modification order is independent of the other's"},
                 {ordering::acquire_release, true,
                  "there are no loads, so no release is ever acquired: nothing synchronizes"},
                 {ordering::seq_cst, false, "S would need the cycle x=1 < y=2 < y=1 < x=2 < x=1"}});
}

TEST_CASE("litmus_quiz: R", "[ch03][litmus_quiz]") {
  check_answers(litmus::r, "R", "2+2W and R",
                {{ordering::relaxed, true, "nothing orders T1's store to x before T2's load of x"},
                 {ordering::acquire_release, true,
                  "T2 never reads what T1 wrote, and y's modification order alone does not synchronize"},
                 {ordering::seq_cst, false, "in S, x=1 < y=1 < y=2 < T2's load of x, so that load must read 1"}});
}

TEST_CASE("litmus_quiz: coherence of one variable", "[ch03][litmus_quiz]") {
  // The rules are the coherence requirements of [intro.races], which even
  // relaxed atomics obey; the chapter states them in its section on relaxed.
  const char* const section = "Relaxed: atomicity and a modification order, nothing more";
  check_answers(litmus::corr, "CoRR (read-read coherence)", section,
                {{ordering::relaxed, false,
                  "two reads of one variable in one thread never go backwards in its modification order"},
                 {ordering::acquire_release, false, "coherence holds for every ordering"},
                 {ordering::seq_cst, false, "coherence holds for every ordering"}});
  check_answers(litmus::cowr, "CoWR (write-read coherence)", section,
                {{ordering::relaxed, false,
                  "a thread never reads a value older than its own earlier write to the same variable"},
                 {ordering::acquire_release, false, "coherence holds for every ordering"},
                 {ordering::seq_cst, false, "coherence holds for every ordering"}});
}

TEST_CASE("litmus_quiz: a stronger ordering never allows more", "[ch03][litmus_quiz]") {
  // relaxed <= acquire/release <= seq_cst: every execution allowed with the
  // stronger orders is allowed with the weaker ones.
  for (litmus test : {litmus::store_buffering, litmus::message_passing, litmus::load_buffering,
                      litmus::iriw, litmus::two_plus_two_w, litmus::r, litmus::corr, litmus::cowr}) {
    const bool relaxed = may_observe_weak_outcome(test, ordering::relaxed);
    const bool acq_rel = may_observe_weak_outcome(test, ordering::acquire_release);
    const bool seq_cst = may_observe_weak_outcome(test, ordering::seq_cst);
    INFO("litmus test number " << static_cast<int>(test)
                               << " (in the order of enum litmus): an outcome forbidden with weaker "
                                  "orders cannot become allowed with stronger ones");
    CHECK((relaxed || !acq_rel));
    CHECK((acq_rel || !seq_cst));
  }
}
