#include "manifest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace wb::runner {

using nlohmann::json;

bool exercise::has_layer(std::string_view layer) const {
  return std::find(layers.begin(), layers.end(), layer) != layers.end();
}

const exercise* manifest::find_exercise(std::string_view name) const {
  for (const auto& e : exercises) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const layer* manifest::find_layer(std::string_view name) const {
  for (const auto& l : layers) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

const layer* manifest::testing_layer_of_tree(std::string_view tree) const {
  for (const auto& l : layers) {
    if (l.tree == tree && !l.no_tests) return &l;
  }
  return nullptr;
}

const demo* manifest::find_demo(std::string_view name) const {
  for (const auto& c : chapters) {
    for (const auto& d : c.demos) {
      if (d.name == name) return &d;
    }
  }
  return nullptr;
}

std::vector<std::string> manifest::exercise_names() const {
  std::vector<std::string> names;
  for (const auto& e : exercises) names.push_back(e.name);
  return names;
}

std::vector<std::string> manifest::demo_names() const {
  std::vector<std::string> names;
  for (const auto& c : chapters) {
    for (const auto& d : c.demos) names.push_back(d.name);
  }
  return names;
}

namespace {

std::vector<layer> last_layers;

std::vector<mutant> parse_mutants(const json& array) {
  std::vector<mutant> mutants;
  for (const auto& m : array) {
    mutants.push_back(mutant{m.at("id").get<std::string>(), m.at("file").get<std::string>(),
                             m.value("mistake", ""), m.value("caught_by", ""),
                             m.value("target", ""), m.value("binary", "")});
  }
  return mutants;
}

}  // namespace

const std::vector<layer>& loaded_layers() { return last_layers; }

std::filesystem::path tree_dir(const std::filesystem::path& root, std::string_view tree) {
  return root / "build" / tree;
}

manifest parse_manifest(const std::string& json_text) {
  try {
    const json doc = json::parse(json_text);
    if (doc.value("version", 0) != 1) {
      throw std::runtime_error("the manifest's version is not 1 (rebuild: cmake --preset dev)");
    }
    manifest m;
    m.source_dir = doc.at("source_dir").get<std::string>();
    m.build_dir = doc.at("build_dir").get<std::string>();
    for (const auto& l : doc.at("layers")) {
      m.layers.push_back(layer{
          l.at("name").get<std::string>(), l.at("title").get<std::string>(),
          l.at("tree").get<std::string>(), l.value("test_args", std::vector<std::string>{}),
          l.value("deadline_scale", 1.0), l.value("stall_seconds", 0), l.value("verdict", false),
          l.value("suite", false), l.value("load", false), l.value("no_tests", false),
          l.value("requires", std::vector<std::string>{}), l.value("packages", "")});
    }
    for (const auto& c : doc.at("chapters")) {
      chapter ch{c.at("number").get<int>(),
                 c.at("slug").get<std::string>(),
                 c.at("title").get<std::string>(),
                 {}};
      for (const auto& d : c.value("demos", json::array())) {
        ch.demos.push_back(
            demo{d.at("name").get<std::string>(), d.at("chapter").get<std::string>(),
                 d.at("source").get<std::string>(), d.at("target").get<std::string>(),
                 d.at("binary").get<std::string>(), d.value("expects_tsan_race", false)});
      }
      m.chapters.push_back(std::move(ch));
    }
    for (const auto& e : doc.at("exercises")) {
      exercise ex;
      ex.order = e.at("order").get<int>();
      ex.name = e.at("name").get<std::string>();
      ex.chapter = e.at("chapter").get<std::string>();
      ex.files = e.at("files").get<std::vector<std::string>>();
      ex.solution_files = e.value("solution_files", std::vector<std::string>{});
      ex.test_source = e.at("test_source").get<std::string>();
      ex.hints = e.at("hints").get<std::string>();
      ex.target = e.at("target").get<std::string>();
      ex.binary = e.at("binary").get<std::string>();
      ex.solution_target = e.value("solution_target", ex.target + ".solution");
      ex.solution_binary = e.value("solution_binary", ex.binary + ".solution");
      ex.layers = e.at("layers").get<std::vector<std::string>>();
      ex.mutants = parse_mutants(e.value("mutants", json::array()));
      ex.waiting_mutants = parse_mutants(e.value("waiting_mutants", json::array()));
      m.exercises.push_back(std::move(ex));
    }
    std::stable_sort(m.exercises.begin(), m.exercises.end(),
                     [](const exercise& a, const exercise& b) { return a.order < b.order; });
    last_layers = m.layers;
    return m;
  } catch (const json::exception& error) {
    throw std::runtime_error(std::string("the manifest is not what the runner expects: ") +
                             error.what());
  }
}

tree_runtime runtime_of_tree(const std::filesystem::path& root, const std::string& tree) {
  static std::mutex mutex;
  static std::map<std::string, tree_runtime> known;
  std::lock_guard lock(mutex);
  if (auto found = known.find(tree); found != known.end()) return found->second;
  std::ifstream in(tree_dir(root, tree) / "workbook-manifest.json");
  if (!in) return {};  // not configured yet: asked again next time
  tree_runtime runtime;
  try {
    const json doc = json::parse(in);
    runtime.emulator = doc.value("emulator", std::vector<std::string>{});
    runtime.executable_suffix = doc.value("executable_suffix", "");
  } catch (const json::exception&) { return {}; }
  known[tree] = runtime;
  return runtime;
}

std::string layer_unavailable(const layer& l) {
  const char* path = std::getenv("PATH");
  for (const auto& program : l.requires_programs) {
    bool found = false;
    std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
    while (!found && !dirs.empty()) {
      const auto colon = dirs.find(':');
      const std::filesystem::path dir(std::string(dirs.substr(0, colon)));
      dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
      found = ::access((dir / program).c_str(), X_OK) == 0;
    }
    if (!found) {
      return program + " is not installed" +
             (l.packages.empty() ? std::string()
                                 : " (./workbook deps " + l.packages + " installs it)");
    }
  }
  return {};
}

bool preset_exists(const std::filesystem::path& root, const std::string& name) {
  std::ifstream in(root / "CMakePresets.json");
  try {
    const json doc = json::parse(in);
    for (const auto& p : doc.value("configurePresets", json::array())) {
      if (p.value("name", "") == name) return true;
    }
  } catch (const json::exception&) {}
  return false;
}

manifest load_manifest(const std::filesystem::path& root) {
  const auto path = tree_dir(root, primary_tree) / "workbook-manifest.json";
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("no manifest at " + path.string() +
                             " (configure first: cmake --preset dev, or run ./workbook)");
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_manifest(text.str());
}

}  // namespace wb::runner
