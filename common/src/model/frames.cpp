// The learner's line for each trace event.
//
// An operation names its source line through a defaulted std::source_location
// argument, which is the line of the call to the facade. When that call sits
// in a library — std::lock_guard calling wb::mutex::lock() from <mutex>
// (std_mutex.h:229), an atomic operator in wb/model/atomic.hpp, a spawn,
// which cannot take a location at all — the line the learner wants is further
// up the call stack: the first frame in their exercise, their solution, or
// the test.
//
// Cost: the checker runs ~100k executions a second, so an event whose line is
// already the learner's captures nothing, and the others capture only their
// return addresses by walking the frame-pointer chain (the model tree is
// compiled with -fno-omit-frame-pointer; a few loads per frame, no unwinder).
// The addresses are turned into file:line (with the inlined frames, since
// lock_guard is usually inlined into the test) by addr2line — binutils ships
// with every g++ — once, and only when a report is printed.
#if defined(WB_MODEL) && WB_MODEL

#include "state.hpp"

#include <wb/not_implemented.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <unistd.h>

namespace wb::model::detail {

bool is_learner_file(const char* path) noexcept {
  const char* rel = wb::detail::repo_relative(path);
  if (rel == path) return false;  // not under the repository: a system header
  return std::strncmp(rel, "common/include/", 15) != 0 && std::strncmp(rel, "common/src/", 11) != 0;
}

namespace {

/// is_learner_file, cached by the file-name pointer (a source_location's
/// file name is a string literal: one pointer per file and translation unit).
bool learner_location(const std::source_location& loc) noexcept {
  if (loc.line() == 0) return false;
  struct entry {
    const char* file;
    bool learner;
  };
  static entry cache[64];
  static std::size_t used = 0;
  const char* file = loc.file_name();
  for (std::size_t i = 0; i < used; ++i)
    if (cache[i].file == file) return cache[i].learner;
  const bool learner = is_learner_file(file);
  if (used < std::size(cache)) cache[used++] = {file, learner};
  return learner;
}

}  // namespace

void capture_callers(runtime& r, event& e) {
  if (e.what == ev::finish || learner_location(e.loc) || r.current < 0) return;
#if defined(__GNUC__)
  const auto [lo, hi] = fiber_stack(r, r.current);
  call_stack& s = r.call_stacks.emplace_back();
  // Each frame: [fp] = the caller's frame pointer, [fp + 8] = return address.
  // The chain ends at fiber_main, whose saved frame pointer is 0 (fiber.cpp);
  // every step is checked against the fiber's stack before it is read.
  auto* fp = static_cast<void* const*>(__builtin_frame_address(0));
  std::size_t n = 0;
  while (n < s.size() && reinterpret_cast<const char*>(fp) >= lo &&
         reinterpret_cast<const char*>(fp + 2) <= hi &&
         reinterpret_cast<std::uintptr_t>(fp) % alignof(void*) == 0) {
    s[n++] = fp[1];
    auto* next = static_cast<void* const*>(fp[0]);
    if (next <= fp) break;
    fp = next;
  }
  e.callers = static_cast<std::uint32_t>(r.call_stacks.size() - 1);
#endif
}

namespace {

struct frame_line {
  std::string file;  // absolute, as the debug information has it
  unsigned line = 0;
};

/// addr2line for the return addresses `pcs` of one loaded module: for each,
/// its source lines, innermost inlined frame first. Empty on any failure.
std::map<const void*, std::vector<frame_line>> symbolise(const char* module, std::uintptr_t bias,
                                                         const std::vector<const void*>& pcs) {
  std::map<const void*, std::vector<frame_line>> out;
  std::string cmd = "addr2line -a -i -e '" + std::string(module) + "'";
  char buf[64];
  for (const void* pc : pcs) {  // a return address minus one is inside the call
    std::snprintf(buf, sizeof buf, " 0x%lx",
                  static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(pc) - 1 - bias));
    cmd += buf;
  }
  cmd += " 2>/dev/null";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  std::size_t index = 0;
  std::vector<frame_line>* current = nullptr;
  char line[4096];
  while (std::fgets(line, sizeof line, p)) {
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.rfind("0x", 0) == 0) {  // -a: each address starts its block
      current = index < pcs.size() ? &out[pcs[index++]] : nullptr;
      continue;
    }
    if (!current) continue;
    if (const auto d = text.find(" (discriminator"); d != std::string::npos) text.resize(d);
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) continue;
    frame_line f{text.substr(0, colon),
                 static_cast<unsigned>(std::strtoul(text.c_str() + colon + 1, nullptr, 10))};
    if (f.line != 0 && f.file != "??") current->push_back(std::move(f));
  }
  ::pclose(p);
  return out;
}

}  // namespace

/// This program's file: "/proc/self/exe" would name addr2line in its own process.
std::string executable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

std::vector<std::string> learner_lines(const runtime& r) {
  std::vector<std::string> lines(r.trace.size());
  // Group the addresses by the module they are in (the test binary, in practice).
  struct module_pcs {
    std::string path;
    std::uintptr_t bias = 0;
    std::vector<const void*> pcs;
  };
  std::map<const void*, module_pcs> modules;  // by load base
  for (const event& e : r.trace) {
    if (e.callers == UINT32_MAX) continue;
    for (const void* pc : r.call_stacks[e.callers]) {
      if (!pc) break;
      Dl_info info{};
      if (::dladdr(pc, &info) == 0 || !info.dli_fname || !info.dli_fbase) continue;
      module_pcs& m = modules[info.dli_fbase];
      if (m.path.empty()) {
        // A position-independent module's debug addresses are offsets from its base.
        const auto* header = static_cast<const ElfW(Ehdr)*>(info.dli_fbase);
        m.bias = header->e_type == ET_DYN ? reinterpret_cast<std::uintptr_t>(info.dli_fbase) : 0;
        Dl_info self{};  // this library is linked into the test binary
        const bool main_program = ::dladdr(reinterpret_cast<void*>(&learner_lines), &self) != 0 &&
                                  self.dli_fbase == info.dli_fbase;
        m.path = main_program ? executable() : info.dli_fname;
      }
      if (std::find(m.pcs.begin(), m.pcs.end(), pc) == m.pcs.end()) m.pcs.push_back(pc);
    }
  }
  std::map<const void*, std::vector<frame_line>> where_pc;
  for (auto& [base, m] : modules) where_pc.merge(symbolise(m.path.c_str(), m.bias, m.pcs));
  for (std::size_t i = 0; i < r.trace.size(); ++i) {
    const event& e = r.trace[i];
    if (e.callers == UINT32_MAX) continue;
    for (const void* pc : r.call_stacks[e.callers]) {
      if (!pc || !lines[i].empty()) break;
      const auto found = where_pc.find(pc);
      if (found == where_pc.end()) continue;
      for (const frame_line& f : found->second) {
        if (!is_learner_file(f.file.c_str())) continue;
        lines[i] =
            std::string(wb::detail::repo_relative(f.file.c_str())) + ":" + std::to_string(f.line);
        break;
      }
    }
  }
  return lines;
}

}  // namespace wb::model::detail

#endif  // WB_MODEL
