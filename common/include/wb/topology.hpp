// What machine am I measuring? The CPUs this process may run on, read from Linux's /sys: their
// package (socket), core and SMT siblings, and whether a hypervisor hides the host's real
// topology. Chapter 7's first demo prints the full table with these functions; every benchmark
// of the workbook prints `summary()` once, because two vCPUs that are SMT siblings of one core
// (or host threads a hypervisor moves under you) change what a number means.
#pragma once

#include <fmt/format.h>

#include <sched.h>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace wb::topology {

// The first line of a file, or "?" when it cannot be read (not Linux, no such CPU, no such cache).
inline std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  return std::getline(in, line) ? line : "?";
}

// /sys/devices/system/cpu/cpu<cpu>/<rest>, e.g. cpu_file(0, "topology/core_id").
inline std::string cpu_file(int cpu, const std::string& rest) {
  return read_line(fmt::format("/sys/devices/system/cpu/cpu{}/{}", cpu, rest));
}

// The CPUs this process may run on (its affinity mask), in order.
inline std::vector<int> allowed_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  }
  return cpus;
}

// True when /proc/cpuinfo carries the hypervisor flag: the CPUs are threads of a host.
inline bool under_hypervisor() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.find(" hypervisor") != std::string::npos) return true;
  }
  return false;
}

// One line: "2 CPUs: 1 socket, 2 cores, no SMT siblings; a VM (the host's topology may differ)".
inline std::string summary() {
  const std::vector<int> cpus = allowed_cpus();
  std::set<std::string> packages;
  std::set<std::pair<std::string, std::string>> cores;  // (package, core)
  bool siblings = false;
  for (int cpu : cpus) {
    const std::string package = cpu_file(cpu, "topology/physical_package_id");
    packages.insert(package);
    cores.emplace(package, cpu_file(cpu, "topology/core_id"));
    const std::string list = cpu_file(cpu, "topology/thread_siblings_list");
    siblings = siblings || list.find_first_of(",-") != std::string::npos;
  }
  std::string text = fmt::format(
      "{} CPU{} usable (hardware_concurrency {}): {} socket{}, {} core{}, {}", cpus.size(),
      cpus.size() == 1 ? "" : "s", std::thread::hardware_concurrency(), packages.size(),
      packages.size() == 1 ? "" : "s", cores.size(), cores.size() == 1 ? "" : "s",
      siblings ? "SMT siblings share a core" : "no SMT siblings");
  if (under_hypervisor())
    text += "; a VM: its CPUs are host threads, the host's topology may differ";
  return text;
}

// Where a benchmark team of `threads` threads runs: one CPU each, from the CPUs this process may
// use, a core of its own for each before a second SMT sibling of any core. Empty when there are
// fewer usable CPUs than threads: then the team is left to the scheduler (unpinned), since two
// threads pinned to one CPU would measure the time slice, not the code. Why pin at all: left
// alone, Linux may run both threads of a two-thread benchmark on one CPU for a while (they take
// turns, and a hand-off costs a few ns) or on two (a hand-off moves cache lines between cores,
// ~50-100 ns), and one repetition lands in one mode, the next in the other.
inline std::vector<int> pin_plan(int threads) {
  const std::vector<int> cpus = allowed_cpus();
  if (threads < 1 || cpus.size() < static_cast<std::size_t>(threads)) return {};
  std::vector<int> first, later;  // the first CPU seen of each core; the other SMT siblings
  std::set<std::pair<std::string, std::string>> cores;
  for (int cpu : cpus) {
    const bool fresh = cores
                           .emplace(cpu_file(cpu, "topology/physical_package_id"),
                                    cpu_file(cpu, "topology/core_id"))
                           .second;
    (fresh ? first : later).push_back(cpu);
  }
  first.insert(first.end(), later.begin(), later.end());
  first.resize(static_cast<std::size_t>(threads));
  return first;
}

// Pins the calling thread to `cpu`; false when the system refuses (then it stays unpinned).
inline bool pin_this_thread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;  // 0: the calling thread
}

// One line saying what pin_plan() does for teams of 1..max_threads threads, e.g.
// "teams of 1-2 threads pinned, one CPU each (CPUs 0,1); larger teams unpinned".
inline std::string pinning_summary(int max_threads) {
  int pinned = 0;
  while (pinned < max_threads && !pin_plan(pinned + 1).empty()) ++pinned;
  if (pinned == 0) return "teams unpinned (no CPU affinity available)";
  std::string cpus;
  for (int cpu : pin_plan(pinned)) cpus += (cpus.empty() ? "" : ",") + std::to_string(cpu);
  std::string text =
      fmt::format("teams of 1-{} threads pinned, one CPU each (CPUs {})", pinned, cpus);
  if (pinned < max_threads) text += "; larger teams unpinned (more threads than CPUs)";
  return text;
}

}  // namespace wb::topology
