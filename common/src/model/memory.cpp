// Atomics under the modelled C++ memory model: store histories, vector
// clocks, which stores a load may read, RMWs, fences, and address waits.
//
// Every atomic keeps its modification order (mo) as the sequence of its
// stores (the last `history` of them). A store is always appended at the end
// of mo, and a load reads only stores that already happened in this
// interleaving: the model has no load buffering (MODEL.md). Which of those
// stores a load may read follows [intro.races] coherence (C++20 p15-p18):
//   * write-read: not a store s when a store mo-after s happens-before the load;
//   * read-read:  not older (in mo) than a store that a read happening before
//     the load read, by any thread (not only the loading thread's own reads);
// and C++20's single total order S of seq_cst operations and fences
// ([atomics.order] p3-p4), with S taken to be the execution order (see sc_floor).
// A store carries a "sync" clock: what an acquire that reads it learns.
// Release (or stronger) store: the thread's clock. Relaxed store: the clock of
// the thread's last release fence (fence-to-atomic synchronisation). An RMW
// adds the sync clock of the store it read: C++20 release sequences.
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <link.h>
#include <cstring>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace wb::model::detail {

namespace {

bool is_acquire(std::memory_order o) {
  return o == std::memory_order_acquire || o == std::memory_order_consume ||
         o == std::memory_order_acq_rel || o == std::memory_order_seq_cst;
}

bool is_release(std::memory_order o) {
  return o == std::memory_order_release || o == std::memory_order_acq_rel ||
         o == std::memory_order_seq_cst;
}

const store_rec& store_at(const object& o, std::uint32_t mo) { return o.stores[mo % history]; }
const store_rec& latest(const object& o) { return store_at(o, o.next_mo - 1); }
std::uint32_t first_kept(const object& o) { return o.next_mo > history ? o.next_mo - history : 0; }

bool happens_before(const store_rec& s, const thread_state& t) {
  return s.epoch <= t.clock.at[s.thread];
}

/// Records that thread `me`, at its current epoch, read or wrote mo index `mo`.
/// Coherence ([intro.races] p15-p18) makes what a thread has seen of one
/// object grow monotonically, so each thread's list is sorted by epoch and by mo.
void note_seen(object& o, int me, const thread_state& t, std::uint32_t mo) {
  if (mo <= o.seen_mo[me]) return;
  o.seen_mo[me] = mo;
  o.seen_at[me].emplace_back(t.clock.at[me], mo);
}

/// The newest mo index of `o` read or written by an operation that happens
/// before a point whose happens-before knowledge is `c`. A load at that point
/// may read no older store:
///   [intro.races] p18 (write-read coherence): a store X happening before the
///   load B: B reads X or a store mo-after X;
///   [intro.races] p16 (read-read coherence): a read A of X happening before
///   the read B: B reads X or a store mo-after X.
/// Happens-before is the vector clock, so this holds across spawn, join,
/// mutex hand-overs and release/acquire chains, not only within a thread.
std::uint32_t hb_floor(const object& o, const vclock& c) {
  std::uint32_t floor = 0;
  const int n = static_cast<int>(rt->threads.size());
  for (int u = 0; u < n; ++u) {
    const auto& seen = o.seen_at[u];
    if (seen.empty() || seen.front().first > c.at[u]) continue;
    std::size_t lo = 0;  // the last entry with epoch <= c.at[u]
    std::size_t hi = seen.size();
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      if (seen[mid].first <= c.at[u]) lo = mid;
      else hi = mid;
    }
    if (seen[lo].second > floor) floor = seen[lo].second;
  }
  return floor;
}

/// The oldest mo index a load of `o` by `t` may read because of the single
/// total order S ([atomics.order] p4, C++20 after P0668). The model takes S to
/// be the execution order of seq_cst operations and fences (a restriction:
/// C++ allows some other S; MODEL.md). A load A that reads X is
/// coherence-ordered before every store mo-after X and every read of such a
/// store ([atomics.order] p3). p4 then demands, for each such operation B:
///   4.1: A and B seq_cst                    -> A before B in S;
///   4.2: A seq_cst, B hb a seq_cst fence Y  -> A before Y in S;
///   4.3: a seq_cst fence X hb A, B seq_cst  -> X before B in S;
///   4.4: a seq_cst fence X hb A, B hb a seq_cst fence Y -> X before Y in S.
/// With S = execution order, and B already executed (the only way for A to be
/// coherence-ordered before it while running later), the constraint fails
/// exactly when B's S-point (B itself if seq_cst, else the first seq_cst fence
/// after it in hb) is already in S before A's S-point (A itself if seq_cst,
/// else the last seq_cst fence that happens before A). So A may not read older
/// than any such B saw: the seq_cst operations on `o` before A's S-point, and
/// everything that happens before a seq_cst fence before A's S-point.
std::uint32_t sc_floor(const runtime& r, const object& o, const thread_state& t, bool seq_cst) {
  std::uint64_t point = r.sc_next;  // A's own position when A is seq_cst
  const vclock* before = r.sc_fences.empty() ? nullptr : &r.sc_fences.back().before;
  if (!seq_cst) {  // the last seq_cst fence that happens before A, if any
    before = nullptr;
    for (auto f = r.sc_fences.rbegin(); f != r.sc_fences.rend(); ++f)
      if (f->epoch <= t.clock.at[f->thread]) {
        point = f->pos;
        before = &f->before;
        break;
      }
    if (before == nullptr) return 0;
  }
  std::uint32_t floor = before != nullptr ? hb_floor(o, *before) : 0;
  // sc_seen is sorted by position and carries the running maximum of mo.
  std::size_t lo = 0;
  std::size_t hi = o.sc_seen.size();
  while (lo < hi) {  // the first entry at or after `point`
    const std::size_t mid = (lo + hi) / 2;
    if (o.sc_seen[mid].first < point) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && o.sc_seen[lo - 1].second > floor) floor = o.sc_seen[lo - 1].second;
  return floor;
}

/// A seq_cst operation on `o` that read or wrote mo index `mo` takes the next
/// position in S ([atomics.order] p4: S is the execution order here).
void note_sc(runtime& r, object& o, std::uint32_t mo) {
  if (!o.sc_seen.empty() && o.sc_seen.back().second > mo) mo = o.sc_seen.back().second;
  o.sc_seen.emplace_back(r.sc_next++, mo);
}

void append(object& o, int me, const thread_state& t, std::uint64_t value, const vclock& sync) {
  store_rec& s = o.stores[o.next_mo % history];
  s.value = value;
  s.mo = o.next_mo;
  s.thread = me;
  s.epoch = t.clock.at[me];
  s.sync = sync;
  note_seen(o, me, t, o.next_mo);
  ++o.next_mo;
}

/// What a thread learns from the store it read: at once for an acquire,
/// at its next acquire fence for a relaxed read.
void take_sync(thread_state& t, const store_rec& s, std::memory_order order) {
  if (is_acquire(order)) t.clock.join(s.sync);
  else t.pending_acquire.join(s.sync);
}

#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
// The entry points of the reads (atomic_load, atomic_rmw, atomic_cas) are
// thunks in assembly: each stores the caller's callee-saved registers (rbx,
// rbp, r12-r15) and stack pointer in wb_model_entry, marks it fresh
// ([7] = 1), and jumps to the C++ definition, whose arguments are untouched.
// So the checker knows the calling thread's state exactly as its code left
// it: every value that code keeps across the call is in those registers or
// on its stack above that pointer (state_hash).
extern "C" std::uint64_t wb_model_entry[8];
std::uint64_t wb_model_entry[8];
asm(R"(
  .macro wb_model_thunk name, target
  .text
  .globl \name
  .type \name, @function
\name:
  .cfi_startproc
  movq %rbx, wb_model_entry+0(%rip)
  movq %rbp, wb_model_entry+8(%rip)
  movq %r12, wb_model_entry+16(%rip)
  movq %r13, wb_model_entry+24(%rip)
  movq %r14, wb_model_entry+32(%rip)
  movq %r15, wb_model_entry+40(%rip)
  leaq 8(%rsp), %rax
  movq %rax, wb_model_entry+48(%rip)
  movq $1, wb_model_entry+56(%rip)
  jmp \target
  .cfi_endproc
  .size \name, .-\name
  .endm
  wb_model_thunk _ZN2wb5model6detail11atomic_loadEjSt12memory_orderSt15source_location, wb_model_atomic_load
  wb_model_thunk _ZN2wb5model6detail10atomic_rmwEjPKcmPFmPKvmES5_St12memory_orderSt15source_location, wb_model_atomic_rmw
  wb_model_thunk _ZN2wb5model6detail10atomic_casEjRmmbSt12memory_orderS3_St15source_location, wb_model_atomic_cas
)");
#define WB_MODEL_LINKAGE extern "C" __attribute__((used))
#define WB_MODEL_ENTRY(name) wb_model_##name
#else
#define WB_MODEL_LINKAGE
#define WB_MODEL_ENTRY(name) name
#endif

namespace {
/// A hash of the words in [p, end), folded into h: FNV-1a over 64-bit
/// words in four independent lanes, so the multiplications overlap (the
/// static storage is tens of KiB, hashed at each repeated read of a spin).
std::uint64_t fnv(std::uint64_t h, const char* p, const char* end) {
  constexpr std::uint64_t prime = 1099511628211ull;
  std::uint64_t lane[4] = {h, h ^ 1, h ^ 2, h ^ 3};
  std::uint64_t w[4];
  for (; p + 32 <= end; p += 32) {
    std::memcpy(w, p, 32);
    for (int i = 0; i < 4; ++i) lane[i] = (lane[i] ^ w[i]) * prime;
  }
  for (; p + 8 <= end; p += 8) {
    std::memcpy(w, p, 8);
    lane[0] = (lane[0] ^ w[0]) * prime;
  }
  return ((((lane[0] * prime) ^ lane[1]) * prime ^ lane[2]) * prime ^ lane[3]) * prime;
}

/// The program's own static storage (.data and .bss of the executable: the
/// globals and static members of the learner's and the tests' code), as
/// [begin, end) ranges, found once; the part that is read-only after
/// relocation is left out.
const std::vector<std::pair<const char*, const char*>>& static_ranges() {
  using range_list = std::vector<std::pair<const char*, const char*>>;
  static const range_list ranges = [] {
    range_list out;
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* data) {
          auto& v = *static_cast<range_list*>(data);
          std::uintptr_t relro_end = 0;
          for (int i = 0; i < info->dlpi_phnum; ++i)
            if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO)
              relro_end = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr + info->dlpi_phdr[i].p_memsz;
          for (int i = 0; i < info->dlpi_phnum; ++i) {
            const ElfW(Phdr)& ph = info->dlpi_phdr[i];
            if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W)) continue;
            std::uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
            const std::uintptr_t hi = lo + ph.p_memsz;
            if (relro_end > lo && relro_end < hi) lo = relro_end;
            lo = (lo + 7) & ~std::uintptr_t{7};
            v.emplace_back(reinterpret_cast<const char*>(lo), reinterpret_cast<const char*>(hi));
          }
          return 1;  // the first object is the executable itself
        },
        &out);
    return out;
  }();
  return ranges;
}

/// Called first thing by each read entry point, before any scheduling point
/// (which may run other threads, and their entries): keeps the registers
/// and the stack pointer the thunk saved with the calling thread.
void capture_entry() {
  runtime& r = *rt;
  if (r.current < 0) return;
  thread_state& t = r.threads[r.current];
  t.entry_valid = false;
#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
  if (wb_model_entry[7] == 0) return;
  wb_model_entry[7] = 0;
  std::memcpy(t.entry.data(), wb_model_entry, sizeof t.entry);
  t.entry_valid = true;
#endif
}

/// The state of the running thread as far as its code can tell, as a hash:
/// its registers and used stack as its code left them at the read's entry
/// (the thunk above), the used stacks of the suspended threads (a lambda's
/// captures by reference live there, often in thread 0's frame), and the
/// program's static storage (a global or static counter). Two reads from
/// the same state that return the same value leave the thread in the same
/// state: what it does next can differ only through what it reads next.
/// Heap memory is not in it: MODEL.md, "Spin parking", states that limit. A
/// difference that does not matter (a dead slot of an earlier call, another
/// thread's frame) only makes a stutter go unseen. Without the thunks
/// (another architecture, ucontext fibers) no two states compare equal, and
/// no thread ever parks.
std::uint64_t state_hash(runtime& r, thread_state& t) {
  if (!t.entry_valid) return ++r.point_counter | (1ull << 63);
  std::uint64_t h = fnv(1469598103934665603ull, reinterpret_cast<const char*>(t.entry.data()),
                        reinterpret_cast<const char*>(t.entry.data() + 6));
  h = fnv(h, reinterpret_cast<const char*>(t.entry[6]), fiber_stack(r, r.current).second);
  for (int i = 0; i < static_cast<int>(r.threads.size()); ++i) {
    const thread_state& other = r.threads[i];
    if (i == r.current || !other.started || other.state == status::finished) continue;
    h = fnv(h ^ static_cast<std::uint64_t>(i), static_cast<const char*>(other.context.sp),
            fiber_stack(r, i).second);
  }
#if defined(__x86_64__) && !defined(WB_MODEL_UCONTEXT)
  // wb_model_entry holds whichever thread entered last: not this thread's state.
  const char* skip_lo = reinterpret_cast<const char*>(wb_model_entry);
  const char* skip_hi = skip_lo + sizeof wb_model_entry;
#else
  const char* skip_lo = nullptr;
  const char* skip_hi = nullptr;
#endif
  for (const auto& [lo, hi] : static_ranges()) {
    if (skip_lo >= lo && skip_hi <= hi) {
      h = fnv(fnv(h, lo, skip_lo), skip_hi, hi);
    } else {
      h = fnv(h, lo, hi);
    }
  }
  return h & ~(1ull << 63);
}
}  // namespace

/// Coherence bookkeeping after reading `s`, and the spin rules: a read that
/// returns what this thread's previous read of the object returned saw
/// nothing new, so the thread yields, and its next load of this object (a
/// polled one) reads a newer store if there is one; when that previous read
/// was made in the same thread state (capture_entry) with no effect of the
/// thread in between, the read is a stutter and the thread parks (MODEL.md,
/// "Spin parking").
void note_read(std::uint32_t id, object& o, int me, thread_state& t, const store_rec& s,
               bool writes_new) {
  const bool same = o.has_read[me] && o.last_value[me] == s.value && !writes_new;
  // Only a read that saw nothing new can be a stutter: the state is hashed
  // for those alone (a spin loop's second and later rounds).
  runtime& r = *rt;
  const std::uint64_t point = same ? state_hash(r, t) : ++r.point_counter | (1ull << 63);
  t.entry_valid = false;
  const bool stutter = same && o.read_point[me] == point && o.read_effects[me] == t.effects;
  note_seen(o, me, t, s.mo);
  o.last_read_mo[me] = s.mo;
  o.last_value[me] = s.value;
  o.has_read[me] = !writes_new;
  o.spins_seen[me] = t.spins;
  o.polled[me] = same;
  o.read_point[me] = point;
  o.read_effects[me] = t.effects;
  bool listed = false;
  for (const std::uint32_t w : t.watched) listed = listed || w == id;
  if (!listed) t.watched.push_back(id);
  if (same) t.yielding = true;
  if (stutter && rt->opts.park_spinners) t.stutter = true;
}

/// The orders [atomics.types.operations] allows for each kind of access: a
/// load or a wait neither release nor acq_rel; a store neither consume,
/// acquire nor acq_rel; a compare-exchange's failure order neither release
/// nor acq_rel. Any other is undefined behaviour that compilers at best warn
/// about (-Winvalid-memory-model, and only for constants): the model reports it.
static void check_order(const char* access, std::memory_order order, bool store_like, loc_t loc) {
  const bool bad = store_like
                       ? (order == std::memory_order_consume ||
                          order == std::memory_order_acquire || order == std::memory_order_acq_rel)
                       : (order == std::memory_order_release || order == std::memory_order_acq_rel);
  if (!bad) return;
  fail(std::string("invalid memory order: ") + access + " with memory_order_" +
           order_name(static_cast<int>(order)) + " at " + where(loc),
       store_like ? "  a store may be relaxed, release or seq_cst ([atomics.types.operations]);\n"
                    "  acquire only makes sense for an access that reads\n"
                  : "  a load (or a failed compare-exchange, or a wait) may be relaxed, consume,\n"
                    "  acquire or seq_cst ([atomics.types.operations]); release only makes sense\n"
                    "  for an access that writes\n",
       false);
}

std::uint64_t load_impl(std::uint32_t id, std::memory_order order, loc_t loc, bool read_latest) {
  runtime& r = *rt;
  r.next = {next_op::kind::access, false, order == std::memory_order_seq_cst, id};
  begin_op(loc);
  const int me = r.current;
  thread_state& t = r.threads[me];
  object& o = live_object(id, loc);
  note_access(o, loc);
  const std::uint32_t newest = o.next_mo - 1;
  const bool seq_cst = order == std::memory_order_seq_cst;
  std::uint32_t candidates[history];
  std::uint32_t n = 0;
  if (read_latest) {
    candidates[n++] = newest;
  } else {
    std::uint32_t oldest = first_kept(o);
    const std::uint32_t hb = hb_floor(o, t.clock);  // [intro.races] p16, p18
    if (hb > oldest) oldest = hb;
    const std::uint32_t sc = sc_floor(r, o, t, seq_cst);  // [atomics.order] p4
    if (sc > oldest) oldest = sc;
    for (std::uint32_t m = newest + 1; m-- > oldest;) {
      candidates[n++] = m;
      if (happens_before(store_at(o, m), t)) break;  // anything older is hidden by this store
    }
  }
  // The spin rule (MODEL.md, "Spin loops"): a polled object's next load by
  // this thread reads something newer than last time when there is one.
  // Every store it may pick is one C++ allows this load to read; the re-reads
  // of the stale value it skips are an under-approximation, documented there.
  // Each object of a loop polling several is polled on its own: one that
  // stays stale would otherwise keep the loop going without end.
  if (o.has_read[me] && (o.polled[me] || o.spins_seen[me] != t.spins)) {
    std::uint32_t newer = 0;
    while (newer < n && candidates[newer] > o.last_read_mo[me]) ++newer;
    if (newer > 0) n = newer;
  }
  const store_rec& s = store_at(o, candidates[choose(choice_kind::reads_from, n)]);
  take_sync(t, s, order);
  note_read(id, o, me, t, s, false);
  pure_op();
  if (seq_cst) note_sc(r, o, s.mo);
  event& e = record(ev::load, id, loc);
  e.order = static_cast<std::int16_t>(order);
  e.value = s.value;
  e.rf = static_cast<std::int32_t>(s.mo);
  e.latest = static_cast<std::int32_t>(newest);
  e.writer = static_cast<std::int16_t>(s.thread);
  end_op();
  return s.value;
}

}  // namespace

void note_access(object& o, loc_t loc) {
  const int me = rt->current;
  o.access_epoch[me] = rt->threads[me].clock.at[me];
  o.access_at[me] = loc;
  o.accessed[me] = true;
}

WB_MODEL_LINKAGE std::uint64_t WB_MODEL_ENTRY(atomic_load)(std::uint32_t id,
                                                           std::memory_order order, loc_t loc) {
  capture_entry();
  check_order("load", order, false, loc);
  return load_impl(id, order, loc, false);
}

void atomic_store(std::uint32_t id, std::uint64_t bits, std::memory_order order, loc_t loc) {
  runtime& r = *rt;
  check_order("store", order, true, loc);
  r.next = {next_op::kind::access, true, order == std::memory_order_seq_cst, id};
  begin_op(loc);
  const int me = r.current;
  thread_state& t = r.threads[me];
  object& o = live_object(id, loc);
  note_access(o, loc);
  append(o, me, t, bits, is_release(order) ? t.clock : t.release_fence);
  if (order == std::memory_order_seq_cst) note_sc(r, o, o.next_mo - 1);
  o.has_read[me] = false;
  event& e = record(ev::store, id, loc);
  e.order = static_cast<std::int16_t>(order);
  e.value = bits;
  e.rf = static_cast<std::int32_t>(o.next_mo - 1);
  end_op();
}

WB_MODEL_LINKAGE std::uint64_t WB_MODEL_ENTRY(atomic_rmw)(std::uint32_t id, const char* op,
                                                          std::uint64_t, rmw_fn fn,
                                                          const void* operand,
                                                          std::memory_order order, loc_t loc) {
  capture_entry();
  runtime& r = *rt;
  r.next = {next_op::kind::access, true, order == std::memory_order_seq_cst, id};
  begin_op(loc);
  const int me = r.current;
  thread_state& t = r.threads[me];
  object& o = live_object(id, loc);
  note_access(o, loc);
  const store_rec read = latest(o);  // an RMW reads the mo-latest store ([atomics.order] p10)
  take_sync(t, read, order);
  const std::uint64_t written = fn(operand, read.value);
  vclock sync = is_release(order) ? t.clock : t.release_fence;
  sync.join(read.sync);  // the release sequence continues through this RMW
  note_read(id, o, me, t, read, written != read.value);
  if (written == read.value) pure_op();  // a value-preserving RMW: a spinner's exchange
  append(o, me, t, written, sync);
  if (order == std::memory_order_seq_cst) note_sc(r, o, o.next_mo - 1);
  event& e = record(ev::rmw, id, loc);
  e.name = op;
  e.order = static_cast<std::int16_t>(order);
  e.value = read.value;
  e.value2 = written;
  e.rf = static_cast<std::int32_t>(read.mo);
  e.latest = static_cast<std::int32_t>(read.mo);
  e.writer = static_cast<std::int16_t>(read.thread);
  end_op();
  return read.value;
}

WB_MODEL_LINKAGE bool WB_MODEL_ENTRY(atomic_cas)(std::uint32_t id, std::uint64_t& expected,
                                                 std::uint64_t desired, bool weak,
                                                 std::memory_order success,
                                                 std::memory_order failure, loc_t loc) {
  capture_entry();
  runtime& r = *rt;
  check_order("compare-exchange failure", failure, false, loc);
  r.next = {next_op::kind::access, true,
            success == std::memory_order_seq_cst || failure == std::memory_order_seq_cst, id};
  begin_op(loc);
  const int me = r.current;
  thread_state& t = r.threads[me];
  object& o = live_object(id, loc);
  note_access(o, loc);
  const store_rec read = latest(o);  // a failed CAS reads the latest store too (MODEL.md)
  bool spurious = false;
  if (read.value == expected && weak && r.spurious_used < r.opts.spurious_failures &&
      choose(choice_kind::spurious, 2) == 1) {
    spurious = true;
    ++r.spurious_used;
  }
  const bool ok = read.value == expected && !spurious;
  event& e = record(ok ? ev::cas_ok : spurious ? ev::cas_spurious : ev::cas_fail, id, loc);
  e.name = weak ? "compare_exchange_weak" : "compare_exchange_strong";
  e.order = static_cast<std::int16_t>(ok ? success : failure);
  e.value = read.value;
  e.value2 = ok ? desired : expected;
  e.rf = e.latest = static_cast<std::int32_t>(read.mo);
  e.writer = static_cast<std::int16_t>(read.thread);
  if (ok) {
    take_sync(t, read, success);
    vclock sync = is_release(success) ? t.clock : t.release_fence;
    sync.join(read.sync);
    note_read(id, o, me, t, read, desired != read.value);
    if (desired == read.value) pure_op();
    append(o, me, t, desired, sync);
    if (success == std::memory_order_seq_cst) note_sc(r, o, o.next_mo - 1);
  } else {
    take_sync(t, read, failure);
    note_read(id, o, me, t, read, false);
    pure_op();
    if (failure == std::memory_order_seq_cst) note_sc(r, o, read.mo);
    expected = read.value;
  }
  end_op();
  return ok;
}

void fence(std::memory_order order, loc_t loc) {
  runtime& r = *rt;
  // An acquire or release fence changes only this thread's clocks; a
  // seq_cst fence takes a place in S, which every later load may consult.
  if (order != std::memory_order_seq_cst) r.next = {next_op::kind::local, false, false, UINT32_MAX};
  begin_op(loc);
  const int me = r.current;
  thread_state& t = r.threads[me];
  if (is_acquire(order)) t.clock.join(t.pending_acquire);
  if (order == std::memory_order_seq_cst) {
    // A seq_cst fence takes its place in S ([atomics.order] p4). It creates
    // no happens-before by itself (only [atomics.fences] p2-p4 do, through a
    // store and a load): what it constrains is which stores later loads may
    // read, through sc_floor.
    r.sc_clock.join(t.clock);
    r.sc_fences.push_back({me, t.clock.at[me], r.sc_next++, r.sc_clock});
  }
  if (is_release(order)) t.release_fence = t.clock;
  if (order != std::memory_order_seq_cst) pure_op();  // a seq_cst fence takes a place in S
  record(ev::fence, UINT32_MAX, loc).order = static_cast<std::int16_t>(order);
  end_op();
}

void spin_hint(loc_t loc) {
  runtime& r = *rt;
  begin_op(loc);
  thread_state& t = r.threads[r.current];
  t.yielding = true;
  ++t.spins;  // each object this thread loads next is a polled one
  pure_op();
  record(ev::spin, UINT32_MAX, loc);
  end_op();
}

void atomic_wait(std::uint32_t id, std::uint64_t old, std::memory_order order, loc_t loc) {
  runtime& r = *rt;
  check_order("wait", order, false, loc);
  for (;;) {
    if (load_impl(id, order, loc, false) != old) return;
    object& o = r.objects[id];
    if (latest(o).value != old) {  // the futex would see the new value: do not sleep
      load_impl(id, order, loc, true);
      return;
    }
    const int me = r.current;
    r.threads[me].woken = false;
    o.waiters.push_back(me);
    record(ev::addr_wait_blocks, id, loc).value = old;
    block(waits_for::address, id, loc);
    r.threads[me].woken = false;
  }
}

void atomic_wake(std::uint32_t id, bool all, loc_t loc) {
  runtime& r = *rt;
  begin_op(loc);
  object& o = live_object(id, loc);
  event& e = record(ev::wake, id, loc);
  e.name = all ? "wake_all" : "wake_one";
  e.value = o.waiters.empty() ? 0 : static_cast<std::uint64_t>(o.waiters.front()) + 1;
  if (all || o.waiters.size() <= 1) {
    for (int w : o.waiters) r.threads[w].woken = true;
    e.other = static_cast<std::uint32_t>(o.waiters.size());
    o.waiters.clear();
  } else {  // which waiter notify_one wakes is a choice
    const auto i = choose(choice_kind::wake, static_cast<std::uint32_t>(o.waiters.size()));
    r.threads[o.waiters[i]].woken = true;
    e.value = static_cast<std::uint64_t>(o.waiters[i]) + 1;
    o.waiters.erase(o.waiters.begin() + i);
    e.other = 1;
  }
  end_op();
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
