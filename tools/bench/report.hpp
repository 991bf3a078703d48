// The benchmark lab's reading of Google Benchmark's JSON: rows of repetitions per benchmark,
// medians, each scenario's baseline. Pure functions, so that workbook-bench.tests can check them
// without running a benchmark (tools/bench/tests/report_test.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace wb::lab {

using nlohmann::json;

// ---- one benchmark's results --------------------------------------------------------------------
struct row {
  std::string scenario, subject, variant;
  std::vector<double> ns;        // ns per operation, one per repetition
  std::vector<double> cpu_ns;    // CPU ns per operation, when the benchmark ran a team
  std::vector<double> fairness;  // when the benchmark ran a team
};

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// How much the repetitions disagreed: half their range, as a percentage of their median.
inline double spread_percent(const std::vector<double>& v) {
  const double m = median(v);
  if (v.empty() || m <= 0) return 0;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return 100.0 * (*hi - *lo) / 2 / m;
}

// Whether one set of repetitions (a) is faster or slower than another (b) by more than their
// noise: the Mann-Whitney rank-sum test, which assumes nothing about how the times are
// distributed (a shared machine's are not normal: a few repetitions land on a busy moment).
// U counts the pairs (a_i, b_j) in which a_i is the smaller (a tie counts a half); if both sets
// came from one distribution, every split of the n + m values into n and m would be equally
// likely, and p is the exact two-sided probability of a U at least as far from n*m/2 as this one.
// The repetitions ran interleaved in a random order (lab.cpp), so drift lands on both sets.
struct comparison {
  double p = 1;       // two-sided
  double faster = 0;  // U / (n*m): how often a repetition of a beat one of b (0.5: even)
};

inline comparison rank_sum(const std::vector<double>& a, const std::vector<double>& b) {
  comparison c;
  const std::size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return c;
  double u = 0;
  for (double x : a) {
    for (double y : b) u += x < y ? 1.0 : x == y ? 0.5 : 0.0;
  }
  c.faster = u / static_cast<double>(n * m);
  // ways[j][k]: the number of arrangements of i values of a and j values of b in which k pairs
  // have a's value first; built one value of a at a time (the Gaussian binomial's recurrence).
  const std::size_t top = n * m;
  std::vector<std::vector<double>> ways(m + 1, std::vector<double>(top + 1, 0.0));
  for (std::size_t j = 0; j <= m; ++j) ways[j][0] = 1;  // i = 0: no pair at all
  for (std::size_t i = 1; i <= n; ++i) {
    std::vector<std::vector<double>> next(m + 1, std::vector<double>(top + 1, 0.0));
    for (std::size_t j = 0; j <= m; ++j) {
      for (std::size_t k = 0; k <= top; ++k) {
        // The largest of the i + j values is a's (it comes after all j of b: no pair with a's
        // value first) or b's (it comes after all i of a: i such pairs).
        double w = ways[j][k];
        if (j > 0 && k >= i) w += next[j - 1][k - i];
        next[j][k] = w;
      }
    }
    ways = std::move(next);
  }
  double total = 0, low = 0, high = 0;
  for (std::size_t k = 0; k <= top; ++k) {
    const double w = ways[m][k];
    total += w;
    if (static_cast<double>(k) <= u) low += w;
    if (static_cast<double>(k) >= u) high += w;
  }
  c.p = std::min(1.0, 2 * std::min(low, high) / total);
  return c;
}

// The verdict on a ratio against the baseline, in a few characters: "faster", "slower", or
// "noise" when the test cannot tell them apart at the 5 % level (p >= 0.05), with p.
inline std::string verdict(const std::vector<double>& a, const std::vector<double>& base) {
  const comparison c = rank_sum(a, base);
  std::ostringstream out;
  out.precision(c.p < 0.01 ? 1 : 2);  // p=0.4, p=0.03, p=0.002
  out << (c.p >= 0.05 ? "noise" : c.faster > 0.5 ? "faster" : "slower") << " p=" << c.p;
  return out.str();
}

inline double to_ns(double t, const std::string& unit) {
  if (unit == "us") return t * 1e3;
  if (unit == "ms") return t * 1e6;
  if (unit == "s") return t * 1e9;
  return t;
}

// "scenario/subject/threads:2/manual_time" -> scenario, subject, "threads:2"
inline void split_name(const std::string& name, row& r) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(name);
  while (std::getline(in, part, '/')) {
    if (part == "manual_time" || part == "real_time" || part.starts_with("iterations:") ||
        part.starts_with("repeats:") || part.starts_with("min_time:")) {
      continue;
    }
    parts.push_back(part);
  }
  // An argument such as "threads:2" is a variant, never a subject ("std::mutex" is a subject):
  // a benchmark not named scenario/subject (plain BENCHMARK(f)->Threads(2)) has no subject.
  auto is_argument = [](const std::string& p) {
    const auto colon = p.find(':');
    return colon != std::string::npos && p.find("::") == std::string::npos;
  };
  r.scenario = parts.empty() ? name : parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (i == 1 && !is_argument(parts[i])) {
      r.subject = parts[i];
    } else {
      r.variant += (r.variant.empty() ? "" : "/") + parts[i];
    }
  }
}

struct report {
  std::vector<row> rows;                         // in the program's registration order
  std::map<std::string, std::string> baselines;  // scenario -> subject
  std::string topology;
  std::string pinning;              // where the teams' threads ran (wb::topology::pinning_summary)
  std::vector<std::string> errors;  // "name: message" of each repetition that reported an error
};

inline report parse(const json& doc, const std::vector<std::string>& registration_order) {
  report rep;
  for (const auto& [key, value] : doc.at("context").items()) {
    if (key.starts_with("baseline/") && value.is_string()) rep.baselines[key.substr(9)] = value;
    if (key == "topology" && value.is_string()) rep.topology = value;
    if (key == "pinning" && value.is_string()) rep.pinning = value;
  }
  std::map<std::string, std::size_t> index;
  for (const auto& b : doc.at("benchmarks")) {
    if (b.value("run_type", "") != "iteration") continue;
    if (b.value("error_occurred", false)) {  // left out of the medians, but never silently
      rep.errors.push_back(b.value("name", "?") + ": " + b.value("error_message", "?"));
      continue;
    }
    const std::string name = b.value("run_name", b.value("name", ""));
    auto [it, fresh] = index.emplace(name, rep.rows.size());
    if (fresh) {
      rep.rows.emplace_back();
      split_name(name, rep.rows.back());
    }
    row& r = rep.rows[it->second];
    r.ns.push_back(b.contains("ns_per_op")
                       ? b["ns_per_op"].get<double>()
                       : to_ns(b.value("real_time", 0.0), b.value("time_unit", "ns")));
    if (b.contains("fairness")) r.fairness.push_back(b["fairness"].get<double>());
    if (b.contains("cpu_ns_per_op")) r.cpu_ns.push_back(b["cpu_ns_per_op"].get<double>());
  }
  // Rows of one scenario and variant together (scenarios in the order they were registered,
  // thread counts in increasing order), subjects in registration order within: the repetitions
  // ran in a random order, the table does not.
  std::map<std::string, std::size_t> registered, first_seen;
  for (const std::string& n : registration_order) registered.emplace(n, registered.size());
  std::vector<std::pair<std::size_t, row>> keyed;
  for (auto& [name, i] : index)
    keyed.emplace_back(registered.contains(name) ? registered[name] : 1000000 + i, rep.rows[i]);
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  rep.rows.clear();
  for (auto& k : keyed) rep.rows.push_back(std::move(k.second));
  for (const row& r : rep.rows) first_seen.emplace(r.scenario, first_seen.size());
  std::stable_sort(rep.rows.begin(), rep.rows.end(), [&](const row& a, const row& b) {
    if (a.scenario != b.scenario) return first_seen[a.scenario] < first_seen[b.scenario];
    if (a.variant.size() != b.variant.size()) return a.variant.size() < b.variant.size();
    return a.variant < b.variant;
  });
  return rep;
}

inline const row* find_baseline(const report& rep, const row& r) {
  const auto it = rep.baselines.find(r.scenario);
  if (it == rep.baselines.end()) return nullptr;
  for (const row& other : rep.rows) {
    if (other.scenario == r.scenario && other.variant == r.variant && other.subject == it->second) {
      return &other;
    }
  }
  return nullptr;
}

}  // namespace wb::lab
