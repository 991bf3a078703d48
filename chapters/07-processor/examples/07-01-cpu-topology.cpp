// Chapter 7, demo 07-01: what machine am I measuring?
// Prints, lscpu-style, the CPUs this process may run on, their package (socket), core and SMT
// siblings, the cache line size and the caches each CPU shares, read from Linux's /sys. Run it
// before the other demos of this chapter: two CPUs that are SMT siblings share a core (and its
// L1 and L2), and a VM's "CPUs" are threads of the host that may move under you.
// Run: ./workbook demo 07-01-cpu-topology
//      (binary: build/dev/chapters/07-processor/demo.07-01-cpu-topology)
#include <fmt/core.h>

#include <sched.h>
#include <string>
#include <thread>

#include <wb/topology.hpp>  // read_line, cpu_file: shared with every benchmark's topology line

using wb::topology::cpu_file;

int main() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  sched_getaffinity(0, sizeof allowed, &allowed);
  fmt::print("hardware_concurrency: {}   CPUs this process may use: {}\n",
             std::thread::hardware_concurrency(), CPU_COUNT(&allowed));
  fmt::print("cache line (coherency_line_size of cpu0's L1): {} bytes\n",
             cpu_file(0, "cache/index0/coherency_line_size"));
  // [topology]
  fmt::print("{:>4} {:>7} {:>5} {:>13}   {}\n", "cpu", "package", "core", "SMT siblings",
             "caches (level type size: shared with)");
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed)) continue;
    fmt::print("{:>4} {:>7} {:>5} {:>13}  ", cpu, cpu_file(cpu, "topology/physical_package_id"),
               cpu_file(cpu, "topology/core_id"), cpu_file(cpu, "topology/thread_siblings_list"));
    for (int index = 0; index < 8; ++index) {
      const std::string dir = fmt::format("cache/index{}/", index);
      if (cpu_file(cpu, dir + "level") == "?") break;
      fmt::print(" L{}{} {}: {}", cpu_file(cpu, dir + "level"),
                 cpu_file(cpu, dir + "type").substr(0, 1), cpu_file(cpu, dir + "size"),
                 cpu_file(cpu, dir + "shared_cpu_list"));
    }
    fmt::print("\n");
  }
  // [topology]
  const bool vm = wb::topology::under_hypervisor();
  fmt::print("{}\n",
             vm ? "running under a hypervisor (a VM): its CPUs are host threads, and the host's"
                  " topology may differ from what /sys says"
                : "no hypervisor flag: these are the machine's own CPUs");
}
