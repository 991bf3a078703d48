// The learner's own state (DESIGN.md §8), in one git-ignored folder at the top
// of the repository, never under build/: `rm -rf build`, the usual cure for a
// broken build, must never lose a learner's backups, hints or position.
//
//   .workbook/current                         the exercise you are on
//   .workbook/hints/<exercise>                how many of its hints you have seen
//   .workbook/backups/<exercise>-<stamp>/     your files, before each reset
//
// Verdicts stay in build/dev/verdicts: they are a cache, recomputed from the
// files whenever it is missing.
#pragma once

#include <filesystem>

namespace wb::runner {

/// <root>/.workbook
std::filesystem::path learner_state_dir(const std::filesystem::path& root);

/// Moves what older runners kept under build/dev (workbook-current, hints/,
/// backups/) into .workbook/, never overwriting what is there already.
void migrate_learner_state(const std::filesystem::path& root);

}  // namespace wb::runner
