// What machine am I measuring? The CPUs this process may run on, read from Linux's /sys: their
// package (socket), core and SMT siblings, and whether a hypervisor hides the host's real
// topology. Chapter 7's first demo prints the full table with these functions; every benchmark
// of the workbook prints `summary()` once, because two vCPUs that are SMT siblings of one core
// (or host threads a hypervisor moves under you) change what a number means.
#pragma once

#include <fmt/format.h>

#include <fstream>
#include <sched.h>
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
  std::string text = fmt::format("{} CPU{} usable (hardware_concurrency {}): {} socket{}, {} core{}, {}",
                                 cpus.size(), cpus.size() == 1 ? "" : "s",
                                 std::thread::hardware_concurrency(), packages.size(),
                                 packages.size() == 1 ? "" : "s", cores.size(),
                                 cores.size() == 1 ? "" : "s",
                                 siblings ? "SMT siblings share a core" : "no SMT siblings");
  if (under_hypervisor()) text += "; a VM: its CPUs are host threads, the host's topology may differ";
  return text;
}

}  // namespace wb::topology
