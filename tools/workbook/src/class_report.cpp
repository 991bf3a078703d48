#include "class_report.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <wb/xml.hpp>

#include <regex>

namespace wb::runner {
namespace {

struct layer_row {
  std::string layer;
  std::string status;  // passed, failed, not run
  const layer_result* result = nullptr;
};

// Every layer the exercise declares, with its result when it ran.
std::vector<layer_row> rows_of(const exercise& e, const verdict& v) {
  std::vector<layer_row> rows;
  for (const auto& layer : e.layers) {
    layer_row row{layer, "not run", nullptr};
    for (const auto& r : v.layers) {
      if (r.layer == layer) {
        row.result = &r;
        row.status = r.skipped ? "skipped" : r.passed ? "passed" : "failed";
      }
    }
    rows.push_back(row);
  }
  return rows;
}

std::string plain(const std::string& text) {
  static const std::regex escape("\x1b\\[[0-9;]*m");
  return std::regex_replace(text, escape, "");
}

std::string xml_escaped(const std::string& text) { return wb::xml_escape(plain(text)); }

}  // namespace

std::string results_json(const manifest& m, const std::vector<verdict>& verdicts) {
  nlohmann::json results = nlohmann::json::array();
  std::size_t done = 0;
  for (std::size_t i = 0; i < m.exercises.size() && i < verdicts.size(); ++i) {
    const auto& e = m.exercises[i];
    const auto& v = verdicts[i];
    if (v.done) ++done;
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& row : rows_of(e, v)) {
      std::vector<std::string> details;
      if (row.result != nullptr) {
        for (const auto& d : row.result->details) details.push_back(plain(d));
      }
      layers.push_back({{"layer", row.layer},
                        {"title", layer_title(row.layer)},
                        {"status", row.status},
                        {"seconds", row.result != nullptr ? row.result->seconds : 0.0},
                        {"headline", row.result != nullptr ? plain(row.result->headline) : ""},
                        {"details", details}});
    }
    results.push_back({{"exercise", e.name},
                       {"chapter", e.chapter},
                       {"files", e.files},
                       {"done", v.done},
                       {"layers", layers}});
  }
  const nlohmann::json doc = {{"format", "workbook-results-1"},
                              {"exercises", m.exercises.size()},
                              {"done", done},
                              {"results", results}};
  return doc.dump(2) + "\n";
}

std::string results_junit(const manifest& m, const std::vector<verdict>& verdicts) {
  std::string suites;
  std::size_t tests = 0, failures = 0, skipped = 0;
  double seconds = 0;
  for (std::size_t i = 0; i < m.exercises.size() && i < verdicts.size(); ++i) {
    const auto& e = m.exercises[i];
    std::string cases;
    std::size_t suite_failures = 0, suite_skipped = 0;
    double suite_seconds = 0;
    const auto rows = rows_of(e, verdicts[i]);
    for (const auto& row : rows) {
      const double s = row.result != nullptr ? row.result->seconds : 0.0;
      suite_seconds += s;
      cases += fmt::format("    <testcase classname=\"{}.{}\" name=\"{}\" time=\"{:.3f}\"",
                           xml_escaped(e.chapter), xml_escaped(e.name),
                           xml_escaped(layer_title(row.layer)), s);
      if (row.status == "passed") {
        cases += "/>\n";
      } else if (row.status == "failed") {
        ++suite_failures;
        std::string body;
        for (const auto& d : row.result->details) body += d + "\n";
        cases += fmt::format(
            ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
            xml_escaped(row.result->headline), xml_escaped(row.layer), xml_escaped(body));
      } else {
        ++suite_skipped;
        cases +=
            fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                        row.status == "skipped" ? xml_escaped(row.result->headline)
                                                : std::string("not run: an earlier layer failed"));
      }
    }
    tests += rows.size();
    failures += suite_failures;
    skipped += suite_skipped;
    seconds += suite_seconds;
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
        "time=\"{:.3f}\">\n{}  </testsuite>\n",
        xml_escaped(e.name), rows.size(), suite_failures, suite_skipped, suite_seconds, cases);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"C++ Concurrency Workbook\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "skipped=\"{}\" time=\"{:.3f}\">\n{}</testsuites>\n",
      tests, failures, skipped, seconds, suites);
}

}  // namespace wb::runner
