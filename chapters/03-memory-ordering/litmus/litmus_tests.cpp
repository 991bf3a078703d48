// Chapter 3, litmus lab: the six classic litmus tests, each in three orderings.
//
// Every test is a template on the ordering, so each variant compiles to its own tight loop with
// the real instructions for that ordering (on x86-64 with g++: plain MOVs for relaxed and
// acquire/release, MOV+MFENCE for a seq_cst store). Each thread walks the whole batch, starting
// iteration i on the metronome's beat (batch::wait_for_turn); iteration i touches only x[i], y[i]
// and that thread's own registers r[k][i].
//
// Why each weak outcome is or is not allowed ([intro.races], [atomics.order]):
//   relaxed   imposes no order between different locations: every weak outcome is allowed.
//   acq/rel   orders only through a release store that an acquire load *reads from*. MP and LB
//             have such a read in the weak outcome, and the happens-before it creates makes the
//             outcome break coherence, so it is forbidden. SB, R and 2+2W read no value from the
//             other thread in the weak outcome, so nothing synchronizes; IRIW's readers do
//             synchronize with the writers, but nothing orders the two writers, and C++ does not
//             promise that all threads see independent stores in one order.
//   seq_cst   all seq_cst operations sit in one total order S consistent with program order and
//             with each location's modification order; every weak outcome here needs a cycle
//             in S, so all are forbidden.
#include "litmus_lab.hpp"

namespace litmus {
namespace {

// The raw arrays of one batch, so the loops below index pointers, not vectors.
struct lanes {
  explicit lanes(batch& b)
      : x{b.location[0].data()},
        y{b.location[1].data()},
        r{b.reg[0].data(), b.reg[1].data(), b.reg[2].data(), b.reg[3].data()},
        n{b.size},
        clock{b} {}
  void wait_for_turn(std::size_t i) const { clock.wait_for_turn(i); }
  cell* x;
  cell* y;
  std::array<int*, max_observed> r;
  std::size_t n;
  const batch& clock;
};

// SB, store buffering.   T0: x=1; r0=y     T1: y=1; r1=x      weak: r0=0 r1=0
template <ordering O>
struct sb {
  static constexpr auto st = store_order(O), ld = load_order(O);
  static void t0(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.x[i].value.store(1, st);
      v.r[0][i] = v.y[i].value.load(ld);
    }
  }
  static void t1(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.y[i].value.store(1, st);
      v.r[1][i] = v.x[i].value.load(ld);
    }
  }
  static constexpr std::array<thread_body, max_threads> threads{t0, t1, nullptr, nullptr};
};

// MP, message passing.   T0: x=1; y=1     T1: r0=y; r1=x      weak: r0=1 r1=0
template <ordering O>
struct mp {
  static constexpr auto st = store_order(O), ld = load_order(O);
  static void t0(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.x[i].value.store(1, st);  // the data
      v.y[i].value.store(1, st);  // the flag
    }
  }
  static void t1(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.r[0][i] = v.y[i].value.load(ld);
      v.r[1][i] = v.x[i].value.load(ld);
    }
  }
  static constexpr std::array<thread_body, max_threads> threads{t0, t1, nullptr, nullptr};
};

// LB, load buffering.    T0: r0=x; y=1     T1: r1=y; x=1      weak: r0=1 r1=1
template <ordering O>
struct lb {
  static constexpr auto st = store_order(O), ld = load_order(O);
  static void t0(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.r[0][i] = v.x[i].value.load(ld);
      v.y[i].value.store(1, st);
    }
  }
  static void t1(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.r[1][i] = v.y[i].value.load(ld);
      v.x[i].value.store(1, st);
    }
  }
  static constexpr std::array<thread_body, max_threads> threads{t0, t1, nullptr, nullptr};
};

// IRIW, independent reads of independent writes.
//   T0: x=1   T1: y=1   T2: r0=x; r1=y   T3: r2=y; r3=x        weak: r0=1 r1=0 r2=1 r3=0
// (T2 saw x first, T3 saw y first: the readers disagree on the order of the two stores.)
template <ordering O>
struct iriw {
  static constexpr auto st = store_order(O), ld = load_order(O);
  static void t0(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.x[i].value.store(1, st);
    }
  }
  static void t1(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.y[i].value.store(1, st);
    }
  }
  static void t2(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.r[0][i] = v.x[i].value.load(ld);
      v.r[1][i] = v.y[i].value.load(ld);
    }
  }
  static void t3(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.r[2][i] = v.y[i].value.load(ld);
      v.r[3][i] = v.x[i].value.load(ld);
    }
  }
  static constexpr std::array<thread_body, max_threads> threads{t0, t1, t2, t3};
};

// 2+2W, two plus two writes.   T0: x=1; y=2     T1: y=1; x=2
// weak: final x=1 and y=1 -- each thread's *first* store came last, a cycle in program order
// plus the two modification orders. With acq/rel this is release stores (there are no loads).
template <ordering O>
struct two_plus_two_w {
  static constexpr auto st = store_order(O);
  static void t0(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.x[i].value.store(1, st);
      v.y[i].value.store(2, st);
    }
  }
  static void t1(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.y[i].value.store(1, st);
      v.x[i].value.store(2, st);
    }
  }
  static constexpr std::array<thread_body, max_threads> threads{t0, t1, nullptr, nullptr};
};

// R.   T0: x=1; y=1     T1: y=2; r0=x      weak: final y=2 and r0=0
// T1's store to y came after T0's, yet T1's later load missed T0's earlier store to x: SB's
// store->load reordering, detected through y's modification order instead of a second load.
template <ordering O>
struct r_test {
  static constexpr auto st = store_order(O), ld = load_order(O);
  static void t0(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.x[i].value.store(1, st);
      v.y[i].value.store(1, st);
    }
  }
  static void t1(batch& b) {
    lanes v{b};
    for (std::size_t i = 0; i < v.n; ++i) {
      v.wait_for_turn(i);
      v.y[i].value.store(2, st);
      v.r[0][i] = v.x[i].value.load(ld);
    }
  }
  static constexpr std::array<thread_body, max_threads> threads{t0, t1, nullptr, nullptr};
};

template <template <ordering> class Test>
constexpr std::array<std::array<thread_body, max_threads>, 3> bodies_of() {
  return {Test<ordering::relaxed>::threads, Test<ordering::acq_rel>::threads,
          Test<ordering::seq_cst>::threads};
}

constexpr std::string_view release_acquire = "release stores, acquire loads";
constexpr source reg0{source::reg, 0}, reg1{source::reg, 1}, reg2{source::reg, 2},
    reg3{source::reg, 3}, final_x{source::final_value, 0}, final_y{source::final_value, 1};

// clang-format off: one test per paragraph reads better than one field per line
const std::array<litmus_test, 6> tests{{
    {.name = "SB",
     .title = "store buffering",
     .program = "T0: x=1; r0=y    T1: y=1; r1=x",
     .weak_meaning = "both loads missed the other thread's earlier store",
     .x86_note = "seen: each store waits in its core's store buffer while the later load reads "
                 "the old value (seq_cst stores add MFENCE, which drains the buffer)",
     .weak_machine_note = "relaxed: seen. acq/rel: AArch64 never reorders a release store "
                          "(STLR) with a later acquire load (LDAR), so unlikely unless the "
                          "compiler uses LDAPR (-march=armv8.3-a); POWER may show it",
     .threads = 2,
     .locations = 2,
     .observed = 2,
     .observed_names = {"r0", "r1"},
     .observe = {reg0, reg1},
     .weak = {0, 0, 0, 0},
     .weak_allowed = {true, true, false},
     .variant = {"relaxed", release_acquire, "seq_cst"},
     .bodies = bodies_of<sb>()},
    {.name = "MP",
     .title = "message passing",
     .program = "T0: x=1; y=1    T1: r0=y; r1=x",
     .weak_meaning = "the reader saw the flag y but not the data x written before it",
     .x86_note = "never: TSO keeps stores in order and loads in order",
     .weak_machine_note = "relaxed may show it: stores or loads to different lines may reorder",
     .threads = 2,
     .locations = 2,
     .observed = 2,
     .observed_names = {"r0", "r1"},
     .observe = {reg0, reg1},
     .weak = {1, 0, 0, 0},
     .weak_allowed = {true, false, false},
     .variant = {"relaxed", release_acquire, "seq_cst"},
     .bodies = bodies_of<mp>()},
    {.name = "LB",
     .title = "load buffering",
     .program = "T0: r0=x; y=1    T1: r1=y; x=1",
     .weak_meaning = "each load saw the store the other thread made after its own load",
     .x86_note = "never: TSO does not let a store overtake an earlier load",
     .weak_machine_note = "relaxed is allowed to show it, but most cores rarely or never do",
     .threads = 2,
     .locations = 2,
     .observed = 2,
     .observed_names = {"r0", "r1"},
     .observe = {reg0, reg1},
     .weak = {1, 1, 0, 0},
     .weak_allowed = {true, false, false},
     .variant = {"relaxed", release_acquire, "seq_cst"},
     .bodies = bodies_of<lb>()},
    {.name = "IRIW",
     .title = "independent reads of independent writes",
     .program = "T0: x=1    T1: y=1    T2: r0=x; r1=y    T3: r2=y; r3=x",
     .weak_meaning = "the two readers saw the two independent stores in opposite orders",
     .x86_note = "never: TSO is multi-copy atomic, every core sees stores in one order",
     .weak_machine_note = "relaxed may show it (load-load reordering); acquire loads on "
                          "AArch64 do not (it is other-multi-copy atomic), POWER may",
     .threads = 4,
     .locations = 2,
     .observed = 4,
     .observed_names = {"r0", "r1", "r2", "r3"},
     .observe = {reg0, reg1, reg2, reg3},
     .weak = {1, 0, 1, 0},
     .weak_allowed = {true, true, false},
     .variant = {"relaxed", release_acquire, "seq_cst"},
     .bodies = bodies_of<iriw>()},
    {.name = "2+2W",
     .title = "two plus two writes",
     .program = "T0: x=1; y=2    T1: y=1; x=2    (final values of x, y)",
     .weak_meaning = "each thread's first store was the last in its location's order",
     .x86_note = "never: TSO commits each core's stores in program order",
     .weak_machine_note = "relaxed may show it (store-store reordering)",
     .threads = 2,
     .locations = 2,
     .observed = 2,
     .observed_names = {"x", "y"},
     .observe = {final_x, final_y},
     .weak = {1, 1, 0, 0},
     .weak_allowed = {true, true, false},
     .variant = {"relaxed", "release stores (there are no loads)", "seq_cst"},
     .bodies = bodies_of<two_plus_two_w>()},
    {.name = "R",
     .title = "store then load, seen via y's final value",
     .program = "T0: x=1; y=1    T1: y=2; r0=x    (final y)",
     .weak_meaning = "T1's store to y came last, yet its later load missed T0's earlier x=1",
     .x86_note = "seen: y=2 waits in T1's store buffer while the load of x reads 0 "
                 "(store->load reordering, as in SB)",
     .weak_machine_note = "as SB: relaxed seen; acq/rel only where the acquire load may "
                          "pass the release store (LDAPR, POWER)",
     .threads = 2,
     .locations = 2,
     .observed = 2,
     .observed_names = {"y", "r0"},
     .observe = {final_y, reg0},
     .weak = {2, 0, 0, 0},
     .weak_allowed = {true, true, false},
     .variant = {"relaxed", release_acquire, "seq_cst"},
     .bodies = bodies_of<r_test>()},
}};
// clang-format on

}  // namespace

std::span<const litmus_test> all_tests() { return tests; }

std::string_view ordering_name(ordering o) {
  switch (o) {
    case ordering::relaxed:
      return "relaxed";
    case ordering::acq_rel:
      return "acq/rel";
    case ordering::seq_cst:
      return "seq_cst";
  }
  return "?";
}

}  // namespace litmus
