// The exercise manifest the build writes (build/dev/workbook-manifest.json,
// cmake/Workbook.cmake: wb_write_manifest). The runner never hard-codes the
// exercise list: everything it knows about exercises and demos comes from here.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wb::runner {

struct demo {
  std::string name;     ///< 01-01-hello-threads
  std::string chapter;  ///< 01-threads
  std::string source;   ///< relative to the repository
  std::string target;   ///< demo.01-01-hello-threads
  std::string binary;   ///< relative to a build tree
  bool expects_tsan_race = false;
};

struct chapter {
  int number = 0;
  std::string slug;   ///< 01-threads
  std::string title;  ///< Threads
  std::vector<demo> demos;
};

struct exercise {
  int order = 0;
  std::string name;
  std::string chapter;
  std::vector<std::string> files;           ///< what the learner edits (repository paths)
  std::vector<std::string> solution_files;
  std::string test_source;
  std::string hints;
  std::string target;
  std::string binary;  ///< relative to a build tree; the same in every tree
  std::vector<std::string> layers;  ///< build, test, tsan, model

  bool has_layer(std::string_view layer) const;
};

struct manifest {
  std::filesystem::path source_dir;
  std::filesystem::path build_dir;
  std::vector<chapter> chapters;
  std::vector<exercise> exercises;

  const exercise* find_exercise(std::string_view name) const;
  const demo* find_demo(std::string_view name) const;
  std::vector<std::string> exercise_names() const;
  std::vector<std::string> demo_names() const;
};

/// Parses a manifest's JSON text. Throws std::runtime_error naming what is
/// missing when the text is not a manifest this runner understands.
manifest parse_manifest(const std::string& json_text);

/// Reads build/dev/workbook-manifest.json under `root`.
manifest load_manifest(const std::filesystem::path& root);

}  // namespace wb::runner
