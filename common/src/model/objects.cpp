// The object registry: every modelled object (atomic, mutex, condition
// variable, cell) gets an id at its creation or first use; its handle is
// checked at each use, and its destruction is checked like a write
// (use after destruction, destruction racing with an access).
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <cstdlib>
#include <exception>
#include <string>

namespace wb::model::detail {

/// A dead object whose handle was at `where`, if any (the newest).
static const object* dead_object_at(const void* address) {
  const runtime& r = *rt;
  for (auto it = r.objects.rbegin(); it != r.objects.rend(); ++it)
    if (it->where == address) return it->alive ? nullptr : &*it;
  return nullptr;
}

std::uint32_t checked_id(std::uint32_t id, const void* address, loc_t loc) {
  runtime& r = *rt;
  if (id < r.objects.size() && r.objects[id].where == address) return id;
  if (const object* dead = dead_object_at(address)) use_after_destruction(*dead, loc);
  fail("a modelled object used at " + where(loc) + " has a damaged handle",
       "  its memory was overwritten: a use after free, or an object copied with memcpy\n");
  std::abort();
}

std::uint32_t register_object(object_kind kind, std::uint64_t init_bits, value_kind vk, int size,
                              bool created_now, const void* address, loc_t loc) {
  runtime& r = *rt;
  // An object made before check() is registered at its first use. If an
  // object with this address died in this execution, its memory was freed
  // and the handle overwritten (so it did not look registered): a use after
  // destruction.
  if (!created_now) {
    if (const object* dead = dead_object_at(address)) use_after_destruction(*dead, loc);
  }
  const auto id = static_cast<std::uint32_t>(r.objects.size());
  object& o = r.objects.emplace_back();
  o.kind = kind;
  o.label = ++r.labels[static_cast<int>(kind)];
  o.vk = vk;
  o.size = size;
  o.where = address;
  o.made_in_body = created_now;
  o.created = loc;
  const int me = r.current < 0 ? 0 : r.current;
  // The initial value is a store by the creating thread; an object made
  // before check() counts as made by thread 0 at epoch 0 (before everything).
  const std::uint32_t epoch = created_now ? r.threads[me].clock.at[me] : 0;
  if (kind == object_kind::atomic) {
    o.stores[0] = store_rec{init_bits, 0, created_now ? me : 0, epoch, {}};
    o.next_mo = 1;
  }
  if (kind == object_kind::cell && created_now) {
    o.writer = me;
    o.write_epoch = epoch;
    o.write_at = loc;
  }
  if (created_now && !r.aborting) record(ev::create, id, loc).value = init_bits;
  return id;
}

void destroy_object(std::uint32_t id, loc_t loc) {
  runtime& r = *rt;
  object& o = r.objects[id];
  o.alive = false;
  // While an exception unwinds the thread, that exception is what to report.
  if (r.aborting || std::uncaught_exceptions() > 0) return;
  if (o.kind == object_kind::mutex && o.owner >= 0) {
    fail(label(o) + " destroyed while t" + std::to_string(o.owner) + " holds it",
         "  created at " + where(o.created) + "\n", false);
    return;
  }
  // Destruction is a write: every access by another thread must happen
  // before it, or the memory may be freed under that access (ThreadSanitizer
  // reports the same as a race with free). A wake is not an access here.
  const int me = r.current < 0 ? 0 : r.current;
  const thread_state& t = r.threads[me];
  if (o.kind == object_kind::cell) {  // the cell's last write and reads are its accesses
    if (o.writer >= 0) {
      o.accessed[o.writer] = true;
      o.access_epoch[o.writer] = o.write_epoch;
      o.access_at[o.writer] = o.write_at;
    }
    for (int u = 0; u < max_threads; ++u) {
      if (o.read_epoch[u] == 0) continue;
      o.accessed[u] = true;
      o.access_epoch[u] = o.read_epoch[u];
      o.access_at[u] = o.read_at[u];
    }
  }
  for (int u = 0; u < max_threads; ++u) {
    if (u == me || !o.accessed[u] || o.access_epoch[u] <= t.clock.at[u]) continue;
    // The racing pair, red in the graph as a data race's: the other thread's
    // last operation on the object and the destruction, recorded here (a
    // destruction that races with nothing is not a trace line).
    for (auto e = r.trace.rbegin(); e != r.trace.rend(); ++e)
      if (e->obj == id && e->thread == u) {
        e->culprit = true;
        break;
      }
    if (r.current >= 0) record(ev::destroy, id, loc);
    fail("data race on " + label(o) + ": its destruction by t" + std::to_string(me) +
             " is not ordered after an access by t" + std::to_string(u) + " (happens-before)",
         "  access by t" + std::to_string(u) + " at " + where(o.access_at[u]) +
             "\n  destroyed by t" + std::to_string(me) + " at " + where(loc) + "\n  (" + label(o) +
             " was created at " + where(o.created) + ")\n",
         false);
    return;
  }
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
