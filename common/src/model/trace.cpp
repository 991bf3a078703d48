// The trace (one line per operation) and the replay key.
//
//   step thread operation                                                 @ source line
//       7 t1  load a1 -> 0 relaxed (reads #0 by t0; stale: mo-latest is #1)  @ tests/x.cpp:12
//
// A replay key ends with the execution's choice sequence: one character per
// choice (0-9a-zA-Z), runs of one character written as <char>:<count>. and
// indices above 61 as _<n>. — short enough to paste into a shell. (explore.cpp
// puts the check's identity and the preemption bound before it.)
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <wb/not_implemented.hpp>

#include <cinttypes>
#include <cstdio>
#include <string>

namespace wb::model::detail {

namespace {

constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::uint32_t alphabet_size = sizeof(alphabet) - 1;

std::string value_text(const object& o, std::uint64_t bits) {
  char buf[40];
  switch (o.vk) {
    case value_kind::boolean:
      return bits ? "true" : "false";
    case value_kind::pointer:
      if (bits == 0) return "nullptr";
      std::snprintf(buf, sizeof buf, "0x%" PRIx64, bits);
      return buf;
    case value_kind::signed_int: {
      const int shift = 64 - 8 * (o.size > 0 ? o.size : 8);
      const auto v = static_cast<std::int64_t>(bits << shift) >> shift;  // sign-extend
      std::snprintf(buf, sizeof buf, "%" PRId64, v);
      return buf;
    }
    case value_kind::unsigned_int:
      std::snprintf(buf, sizeof buf, "%" PRIu64, bits);
      return buf;
  }
  return "?";
}

std::string thread_name(std::uint64_t t) { return "t" + std::to_string(t); }

}  // namespace

std::string describe(const runtime& r, const event& e) {
  const object* o = e.obj == UINT32_MAX ? nullptr : &r.objects[e.obj];
  const std::string obj = o ? label(*o) : "";
  const std::string order = e.order >= 0 ? std::string(" ") + order_name(e.order) : "";
  const auto read_from = [&] {
    std::string s = " (reads #" + std::to_string(e.rf) + " by " + thread_name(e.writer);
    if (e.rf != e.latest) s += "; stale: mo-latest is #" + std::to_string(e.latest);
    return s + ")";
  };
  switch (e.what) {
    case ev::create:
      return "create " + obj +
             (o->kind == object_kind::atomic ? " = " + value_text(*o, e.value) : "");
    case ev::destroy:
      return "destroy " + obj;
    case ev::load:
      return "load " + obj + " -> " + value_text(*o, e.value) + order + read_from();
    case ev::store:
      return "store " + obj + " := " + value_text(*o, e.value) + order + " (#" +
             std::to_string(e.rf) + ")";
    case ev::rmw:
      return std::string(e.name) + " " + obj + " " + value_text(*o, e.value) + " -> " +
             value_text(*o, e.value2) + order + read_from();
    case ev::cas_ok:
      return std::string(e.name) + " " + obj + " " + value_text(*o, e.value) + " -> " +
             value_text(*o, e.value2) + " succeeds" + order + read_from();
    case ev::cas_fail:
      return std::string(e.name) + " " + obj + " fails: sees " + value_text(*o, e.value) + order +
             read_from();
    case ev::cas_spurious:
      return std::string(e.name) + " " + obj + " fails SPURIOUSLY (value " +
             value_text(*o, e.value) + " was the expected one)" + order;
    case ev::fence:
      return "atomic_thread_fence" + order;
    case ev::spin:
      return "spin_loop_hint (yield)";
    case ev::spawn:
      return "spawn " + thread_name(e.other);
    case ev::join:
      return "join " + thread_name(e.other);
    case ev::finish:
      return "finishes";
    case ev::lock:
      return "lock " + obj;
    case ev::lock_blocks:
      return "lock " + obj + " blocks (held by " + thread_name(e.other) + ")";
    case ev::unlock:
      return "unlock " + obj;
    case ev::try_lock_fail:
      return "try_lock " + obj + " fails (held by " + thread_name(e.other) + ")";
    case ev::cv_wait:
      return "wait on " + obj + " (unlocks " + label(r.objects[e.other]) + ")";
    case ev::cv_spurious:
      return "wait on " + obj + " wakes SPURIOUSLY";
    case ev::cv_woke:
      return "wait on " + obj + " returns (relocked " + label(r.objects[e.other]) + ")";
    case ev::notify:
    case ev::wake:
      return std::string(e.name) + " " + obj +
             (e.other == 0   ? " (nobody waits)"
              : e.other == 1 ? " (wakes " + thread_name(e.value - 1) + ")"
                             : " (wakes " + std::to_string(e.other) + " threads)");
    case ev::addr_wait_blocks:
      return "wb::wait on " + obj + " blocks (value is " + value_text(*o, e.value) + ")";
    case ev::addr_wait_done:
      return "wb::wait on " + obj + " woken";
    case ev::cell_read:
      return "read " + obj;
    case ev::cell_write:
      return "write " + obj;
    case ev::misuse:
      return "wb::thread " + thread_name(e.other) + " misused";
  }
  return "?";
}

const char* order_name(int order) {
  switch (order) {
    case static_cast<int>(std::memory_order_relaxed):
      return "relaxed";
    case static_cast<int>(std::memory_order_consume):
      return "consume";
    case static_cast<int>(std::memory_order_acquire):
      return "acquire";
    case static_cast<int>(std::memory_order_release):
      return "release";
    case static_cast<int>(std::memory_order_acq_rel):
      return "acq_rel";
    case static_cast<int>(std::memory_order_seq_cst):
      return "seq_cst";
    default:
      return "";
  }
}

std::string label(const object& o) {
  static constexpr const char* prefix[] = {"a", "m", "cv", "c"};
  return prefix[static_cast<int>(o.kind)] + std::to_string(o.label);
}

std::string where(const std::source_location& loc) {
  if (loc.line() == 0) return "?";
  return std::string(wb::detail::repo_relative(loc.file_name())) + ":" + std::to_string(loc.line());
}

std::string format_trace(const runtime& r, const std::vector<std::string>& lines) {
  constexpr std::size_t shown = 300;  // a livelock trace is long; its end is what matters
  std::string out;
  std::size_t first = 0;
  if (r.trace.size() > shown) {
    first = r.trace.size() - shown;
    out += "   ... " + std::to_string(first) + " earlier operations not shown\n";
  }
  char head[32];
  for (std::size_t i = first; i < r.trace.size(); ++i) {
    const event& e = r.trace[i];
    std::snprintf(head, sizeof head, "%5u t%-2u ", static_cast<unsigned>(e.step),
                  static_cast<unsigned>(e.thread));
    out += head + describe(r, e);
    if (i < lines.size() && !lines[i].empty()) out += "  @ " + lines[i];
    else if (e.loc.line() != 0) out += "  @ " + where(e.loc);
    out += "\n";
  }
  return out;
}

std::string encode_key(const std::vector<choice>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size();) {
    const std::uint32_t v = choices[i].index;
    std::size_t run = 1;
    while (i + run < choices.size() && choices[i + run].index == v) ++run;
    const std::string token =
        v < alphabet_size ? std::string(1, alphabet[v]) : "_" + std::to_string(v) + ".";
    if (run >= 4) {
      out += token + ":" + std::to_string(run) + ".";
    } else {
      for (std::size_t k = 0; k < run; ++k) out += token;
    }
    i += run;
  }
  return out;
}

bool decode_key(const std::string& key, std::vector<choice>& out) {
  out.clear();
  std::size_t i = 0;
  const auto number = [&](std::uint32_t& n) {
    n = 0;
    const std::size_t start = i;
    while (i < key.size() && key[i] >= '0' && key[i] <= '9') n = n * 10 + (key[i++] - '0');
    if (i == start || i >= key.size() || key[i] != '.') return false;
    ++i;
    return true;
  };
  while (i < key.size()) {
    std::uint32_t v = 0;
    if (key[i] == '_') {
      ++i;
      if (!number(v)) return false;
    } else {
      const char* p = std::char_traits<char>::find(alphabet, alphabet_size, key[i]);
      if (!p) return false;
      v = static_cast<std::uint32_t>(p - alphabet);
      ++i;
    }
    std::uint32_t run = 1;
    if (i < key.size() && key[i] == ':') {
      ++i;
      if (!number(run)) return false;
    }
    for (std::uint32_t k = 0; k < run; ++k) out.push_back({choice_kind::schedule, v, 0});
  }
  return true;
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
