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

/// A row of the layer table (cmake/WorkbookLayers.cmake): a verdict layer,
/// or a tree the full suite runs.
struct layer {
  std::string name;                    ///< build, test, tsan, asan-ubsan, model
  std::string title;                   ///< "tests pass"
  std::string tree;                    ///< the preset and build/<tree>
  std::vector<std::string> test_args;  ///< given to every test binary of the tree ("[model]")
  double deadline_scale = 1;           ///< how much slower the tree's tests run
  int stall_seconds = 0;  ///< how long a test may make no progress (the runner's deadline)
  bool verdict = false;   ///< an exercise may declare it
  bool suite = false;     ///< `./workbook test` runs the tree
  bool load = false;      ///< `./workbook dev load` runs its solution tests beside busy loops
  bool no_tests = false;  ///< only builds (`build`)
  std::vector<std::string> requires_programs;  ///< on PATH, or the layer is skipped
  std::string packages;                        ///< the launcher's package group that brings them
};

/// How a tree runs its test binaries, from its own manifest
/// (build/<tree>/workbook-manifest.json): an emulator for a cross-compiled
/// tree (Wine for windows) and the executables' suffix (".exe").
struct tree_runtime {
  std::vector<std::string> emulator;
  std::string executable_suffix;
};

/// A wrong solution the tests must catch (solutions/NN/mutants/<name>/<id>.mutant).
struct mutant {
  std::string id;
  std::string file;  ///< the .mutant (or .waiting) file, repository path
  std::string mistake;
  std::string caught_by;  ///< informational: the layer expected to catch it
  std::string target;     ///< <name>.mutant.<id>; empty for a waiting one
  std::string binary;     ///< relative to a build tree
};

struct exercise {
  int order = 0;
  std::string name;
  std::string chapter;
  std::vector<std::string> files;  ///< what the learner edits (repository paths)
  std::vector<std::string> solution_files;
  std::string test_source;
  std::string hints;
  std::string target;
  std::string binary;  ///< relative to a build tree; the same in every tree
  std::string solution_target;
  std::string solution_binary;
  std::vector<std::string> layers;  ///< verdict layers of the layer table, in its order
  std::vector<mutant> mutants;
  std::vector<mutant> waiting_mutants;  ///< only a layer not yet available could catch them

  bool has_layer(std::string_view layer) const;
};

struct manifest {
  std::filesystem::path source_dir;
  std::filesystem::path build_dir;
  std::vector<layer> layers;  ///< the layer table, in its order
  std::vector<chapter> chapters;
  std::vector<exercise> exercises;

  const exercise* find_exercise(std::string_view name) const;
  /// The row of the layer table called `name`, or nullptr.
  const layer* find_layer(std::string_view name) const;
  /// The layer that runs the tests of `tree` (test for dev), or nullptr.
  const layer* testing_layer_of_tree(std::string_view tree) const;
  const demo* find_demo(std::string_view name) const;
  std::vector<std::string> exercise_names() const;
  std::vector<std::string> demo_names() const;
};

/// Parses a manifest's JSON text. Throws std::runtime_error naming what is
/// missing when the text is not a manifest this runner understands.
manifest parse_manifest(const std::string& json_text);

/// Reads build/dev/workbook-manifest.json under `root`.
manifest load_manifest(const std::filesystem::path& root);

/// The tree a learner's loop starts in: the `build` and `test` layers', the
/// one that holds the manifest, the verdict cache and the runner itself.
inline constexpr std::string_view primary_tree = "dev";

/// build/<tree> under `root`: the one place a tree's directory is spelled.
std::filesystem::path tree_dir(const std::filesystem::path& root, std::string_view tree);

/// The runtime of build/<tree> under `root` (read once per tree); plain
/// (no emulator, no suffix) for a tree without a manifest yet.
tree_runtime runtime_of_tree(const std::filesystem::path& root, const std::string& tree);

/// Why a layer cannot run on this machine ("x86_64-w64-mingw32-g++-posix is not
/// installed (./workbook deps windows)"), or empty when it can: the layer
/// table's REQUIRES, looked up on PATH.
std::string layer_unavailable(const layer& l);

/// Whether CMakePresets.json under `root` has a configure preset `name`.
bool preset_exists(const std::filesystem::path& root, const std::string& name);

/// The layer table of the manifest loaded last (load_manifest or
/// parse_manifest), for the functions that print a layer's title.
const std::vector<layer>& loaded_layers();

}  // namespace wb::runner
