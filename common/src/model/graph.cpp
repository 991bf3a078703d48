// The failing execution as a picture (Graphviz): one column per thread, its
// operations top to bottom in program order, each on its own row in the order
// they ran, and the relations the memory model reasons with drawn as edges:
//
//   po  program order          grey, between a thread's consecutive operations
//   rf  reads-from             green, from a store to each load that read it
//   mo  modification order     orange dashed, from each store of an atomic to the next
//   sw  synchronizes-with      blue bold: release -> acquire (through release
//                              sequences and fences), unlock -> next lock,
//                              spawn -> the thread's start, its end -> join
//
// The operations the report is about (the racing pair, the failing thread's
// last operation, the blocked threads of a deadlock) are red. The edges are
// worked out from the trace when the graph is written, following C++20's
// definitions ([intro.races], [atomics.order], [atomics.fences],
// [thread.mutex.requirements.mutex], [thread.thread.constr]); they are a
// picture of the execution, not an input to the checker's verdict.
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <wb/not_implemented.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char** environ;

namespace wb::model::detail {

void mark_culprit(runtime& r, int t) {
  for (auto e = r.trace.rbegin(); e != r.trace.rend(); ++e)
    if (e->thread == t && e->what != ev::finish) {
      e->culprit = true;
      return;
    }
}

void mark_blocked(runtime& r, int t) {
  for (auto e = r.trace.rbegin(); e != r.trace.rend(); ++e) {
    if (e->thread != t) continue;
    // A join that blocks records nothing: its thread's last operation is not where it waits.
    e->culprit = e->what == ev::lock_blocks || e->what == ev::addr_wait_blocks ||
                 e->what == ev::cv_wait || e->what == ev::cv_spurious;
    return;
  }
}

namespace {

constexpr std::size_t max_shown = 80;  // a livelock's trace is long; its end is what matters

bool is_acquire(int o) {
  return o == static_cast<int>(std::memory_order_acquire) ||
         o == static_cast<int>(std::memory_order_consume) ||
         o == static_cast<int>(std::memory_order_acq_rel) ||
         o == static_cast<int>(std::memory_order_seq_cst);
}

bool is_release(int o) {
  return o == static_cast<int>(std::memory_order_release) ||
         o == static_cast<int>(std::memory_order_acq_rel) ||
         o == static_cast<int>(std::memory_order_seq_cst);
}

bool reads(ev w) { return w == ev::load || w == ev::rmw || w == ev::cas_ok || w == ev::cas_fail; }

bool is_rmw(ev w) { return w == ev::rmw || w == ev::cas_ok; }

/// The mo index an event wrote, or -1. A read-modify-write writes right
/// after the store it read ([atomics.order] p10).
int written_mo(const runtime& r, const event& e) {
  switch (e.what) {
    case ev::create:
      return r.objects[e.obj].kind == object_kind::atomic ? 0 : -1;
    case ev::store:
      return e.rf;
    case ev::rmw:
    case ev::cas_ok:
      return e.rf + 1;
    default:
      return -1;
  }
}

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

/// "file.cpp:12" from "dir/file.cpp:12": the column is narrow.
std::string short_line(const std::string& where) {
  const auto slash = where.rfind('/');
  return slash == std::string::npos ? where : where.substr(slash + 1);
}

class dot_writer {
 public:
  dot_writer(const runtime& r, const std::vector<std::string>& lines) : r_(r), lines_(lines) {
    first_ = r.trace.size() > max_shown ? r.trace.size() - max_shown : 0;
    for (std::size_t i = first_; i < r.trace.size(); ++i) {
      const event& e = r.trace[i];
      if (const int mo = written_mo(r, e); mo >= 0) store_at_[{e.obj, mo}] = i;
    }
  }

  std::string text() {
    out_ = "digraph execution {\n";
    out_ +=
        "  graph [fontname=\"Helvetica\", fontsize=11, labelloc=t, labeljust=l, nodesep=0.5, "
        "ranksep=0.22, newrank=true, label=\"" +
        escaped(r_.headline.empty() ? "replayed execution" : r_.headline) +
        "\\l\", fontcolor=\"#b00000\"];\n";
    out_ +=
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#555555\", "
        "fontname=\"Helvetica\", fontsize=10, margin=\"0.1,0.04\"];\n";
    out_ += "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6];\n";
    columns();
    order_rows();
    program_order();
    reads_from_and_mo();
    synchronizes_with();
    legend();
    out_ += "}\n";
    return out_;
  }

 private:
  static std::string node(std::size_t i) { return "e" + std::to_string(i); }

  void columns() {
    std::map<int, std::vector<std::size_t>> by_thread;
    for (std::size_t i = first_; i < r_.trace.size(); ++i)
      by_thread[r_.trace[i].thread].push_back(i);
    // Each column starts with a heading on one top row, so the columns stand
    // side by side even when one thread ran entirely after another.
    std::string headings = "  { rank=same;";
    for (const auto& [t, events] : by_thread) {
      const std::string h = "t" + std::to_string(t);
      out_ += "  subgraph cluster_" + h + " {\n    label=\"\"; style=rounded; color=\"#bbbbbb\";\n";
      out_ += "    " + h + " [shape=plaintext, style=\"\", fontsize=11, label=\"" + h +
              (t == 0 ? " (the body)" : "") + "\"];\n";
      out_ += "    " + h + " -> " + node(events.front()) + " [style=invis, weight=10];\n";
      headings += " " + h + ";";
      for (const std::size_t i : events) {
        const event& e = r_.trace[i];
        std::string label = describe(r_, e);
        if (const auto paren = label.find(" ("); paren != std::string::npos)
          label.replace(paren, 1, "\n");  // "(reads #1 by t1)" on a line of its own
        const std::string at = i < lines_.size() && !lines_[i].empty() ? lines_[i]
                               : e.loc.line() != 0                     ? where(e.loc)
                                                                       : "";
        if (!at.empty()) label += "\n" + short_line(at);
        out_ += "    " + node(i) + " [label=\"" + escaped(label) + "\"";
        if (e.culprit) out_ += ", fillcolor=\"#f9d0d0\", color=\"#c00000\", penwidth=2";
        out_ += "];\n";
      }
      out_ += "  }\n";
    }
    out_ += headings + " }\n";
    for (auto it = by_thread.begin(); it != by_thread.end() && std::next(it) != by_thread.end();
         ++it)
      out_ += "  t" + std::to_string(it->first) + " -> t" + std::to_string(std::next(it)->first) +
              " [style=invis];\n";
  }

  /// Each operation one row below the one that ran before it: time goes down.
  void order_rows() {
    for (std::size_t i = first_ + 1; i < r_.trace.size(); ++i)
      out_ += "  " + node(i - 1) + " -> " + node(i) + " [style=invis, weight=0];\n";
  }

  void program_order() {
    std::map<int, std::size_t> last;
    for (std::size_t i = first_; i < r_.trace.size(); ++i) {
      const int t = r_.trace[i].thread;
      if (const auto it = last.find(t); it != last.end())
        out_ += "  " + node(it->second) + " -> " + node(i) + " [color=\"#999999\", weight=10];\n";
      last[t] = i;
    }
  }

  /// The trace index of the store with mo index `mo` of object `obj`, if shown.
  const std::size_t* store(std::uint32_t obj, int mo) const {
    const auto it = store_at_.find({obj, mo});
    return it == store_at_.end() ? nullptr : &it->second;
  }

  /// Reading an atomic's initial value is drawn only when the read is stale
  /// (newer stores existed): otherwise those edges only crowd the picture.
  void reads_from_and_mo() {
    std::set<std::uint32_t> initial_read_stale;
    for (std::size_t i = first_; i < r_.trace.size(); ++i) {
      const event& e = r_.trace[i];
      if (reads(e.what) && e.rf == 0 && e.latest > 0) initial_read_stale.insert(e.obj);
    }
    for (std::size_t i = first_; i < r_.trace.size(); ++i) {
      const event& e = r_.trace[i];
      if (reads(e.what) && (e.rf > 0 || e.latest > 0))
        if (const std::size_t* w = store(e.obj, e.rf))
          out_ += "  " + node(*w) + " -> " + node(i) +
                  " [color=\"#2a9d3a\", fontcolor=\"#2a9d3a\", label=\"rf\", constraint=false];\n";
      if (const int mo = written_mo(r_, e); mo > 1 || (mo == 1 && initial_read_stale.count(e.obj)))
        if (const std::size_t* before = store(e.obj, mo - 1))
          out_ += "  " + node(*before) + " -> " + node(i) +
                  " [color=\"#e07b00\", fontcolor=\"#e07b00\", style=dashed, label=\"mo\", "
                  "constraint=false];\n";
    }
  }

  void sw_edge(std::size_t from, std::size_t to) {
    if (r_.trace[from].thread == r_.trace[to].thread) return;
    out_ += "  " + node(from) + " -> " + node(to) +
            " [color=\"#1f5fbf\", fontcolor=\"#1f5fbf\", penwidth=1.6, label=\"sw\", "
            "constraint=false];\n";
  }

  /// [atomics.order] p2 and [atomics.fences]: the release side of what a
  /// read of the store at trace index w synchronises with, or none. Walks back
  /// through the release sequence ([intro.races] p5: a release write followed
  /// by read-modify-writes); a relaxed write with a release fence before it
  /// in its thread synchronises from that fence.
  std::optional<std::size_t> release_head(std::size_t w) const {
    const event& s = r_.trace[w];
    if (s.what == ev::create) return std::nullopt;
    if (is_release(s.order)) return w;
    if (is_rmw(s.what))  // a relaxed RMW: the sequence may have begun before it
      if (const std::size_t* before = store(s.obj, s.rf))
        if (std::optional<std::size_t> head = release_head(*before)) return head;
    for (std::size_t k = w; k-- > first_;) {  // a release fence before it in its thread
      const event& f = r_.trace[k];
      if (f.thread == s.thread && f.what == ev::fence && is_release(f.order)) return k;
    }
    return std::nullopt;
  }

  void synchronizes_with() {
    std::map<std::uint32_t, std::size_t> last_unlock;  // mutex -> unlocking event
    std::map<int, std::size_t> first_of, finish_of;
    for (std::size_t i = first_; i < r_.trace.size(); ++i) {
      const event& e = r_.trace[i];
      first_of.emplace(e.thread, i);
      if (e.what == ev::finish) finish_of[e.thread] = i;
    }
    for (std::size_t i = first_; i < r_.trace.size(); ++i) {
      const event& e = r_.trace[i];
      switch (e.what) {
        case ev::spawn:
          if (const auto it = first_of.find(static_cast<int>(e.other)); it != first_of.end())
            sw_edge(i, it->second);
          break;
        case ev::join:
          if (const auto it = finish_of.find(static_cast<int>(e.other)); it != finish_of.end())
            sw_edge(it->second, i);
          break;
        case ev::unlock:
          last_unlock[e.obj] = i;
          break;
        case ev::cv_wait:
          last_unlock[e.other] = i;
          break;  // the wait unlocks its mutex
        case ev::lock:
          if (const auto it = last_unlock.find(e.obj); it != last_unlock.end())
            sw_edge(it->second, i);
          break;
        case ev::cv_woke:
          if (const auto it = last_unlock.find(e.other); it != last_unlock.end())
            sw_edge(it->second, i);
          break;
        default:
          break;
      }
      if (!reads(e.what)) continue;
      const std::size_t* w = store(e.obj, e.rf);
      if (!w) continue;
      const std::optional<std::size_t> head = release_head(*w);
      if (!head) continue;
      if (is_acquire(e.order)) {
        sw_edge(*head, i);
        continue;
      }
      for (std::size_t k = i + 1; k < r_.trace.size(); ++k) {  // an acquire fence after it
        const event& f = r_.trace[k];
        if (f.thread == e.thread && f.what == ev::fence && is_acquire(f.order)) {
          sw_edge(*head, k);
          break;
        }
      }
    }
  }

  void legend() {
    out_ +=
        "  legend [shape=plaintext, style=\"\", fontsize=9, label=<"
        "<font color=\"#999999\">po: program order</font>&nbsp;&nbsp;"
        "<font color=\"#2a9d3a\">rf: reads-from</font>&nbsp;&nbsp;"
        "<font color=\"#e07b00\">mo: modification order</font>&nbsp;&nbsp;"
        "<font color=\"#1f5fbf\">sw: synchronizes-with</font>&nbsp;&nbsp;"
        "<font color=\"#c00000\">red: what the report is about</font>>];\n";
    if (r_.trace.size() > first_)
      out_ += "  " + node(r_.trace.size() - 1) + " -> legend [style=invis];\n";
  }

  const runtime& r_;
  const std::vector<std::string>& lines_;
  std::size_t first_ = 0;
  std::map<std::pair<std::uint32_t, int>, std::size_t> store_at_;
  std::string out_;
};

/// Graphviz renders in the background (a report must not wait for it); the
/// process waits for its renderings before it exits, so a test run leaves
/// finished SVGs behind.
std::vector<pid_t> renderings;

void wait_for_renderings() {
  for (const pid_t p : renderings) {
    int status = 0;
    while (::waitpid(p, &status, 0) < 0 && errno == EINTR) {}
  }
  renderings.clear();
}

bool render_svg(const std::string& dot_path, const std::string& svg_path) {
  static std::once_flag at_exit;
  std::call_once(at_exit, [] { std::atexit(wait_for_renderings); });
  std::string dot = "dot", format = "-Tsvg", o = "-o";
  std::string out = svg_path, in = dot_path;
  char* argv[] = {dot.data(), format.data(), o.data(), out.data(), in.data(), nullptr};
  // Graphviz's own messages would land in the middle of the test's output.
  posix_spawn_file_actions_t quiet;
  ::posix_spawn_file_actions_init(&quiet);
  ::posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const bool started = ::posix_spawnp(&pid, "dot", &quiet, nullptr, argv, environ) == 0;
  ::posix_spawn_file_actions_destroy(&quiet);
  if (started) renderings.push_back(pid);
  return started;
}

void make_directories(const std::string& path) {
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1))
    ::mkdir(path.substr(0, slash).c_str(), 0777);
}

}  // namespace

std::string write_graph(const runtime& r, const std::vector<std::string>& lines,
                        const std::string& path) {
  if (path.empty()) return {};
  make_directories(path);
  const std::string text = dot_writer(r, lines).text();
  const std::string temporary = path + ".tmp";
  std::FILE* f = std::fopen(temporary.c_str(), "w");
  if (!f) return {};
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return {};
  }
  const std::string svg = path.substr(0, path.size() - 4) + ".svg";
  std::remove(svg.c_str());  // never leave the picture of an older execution beside this one
  return render_svg(path, svg) ? svg : path;
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
