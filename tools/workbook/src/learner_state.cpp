#include "learner_state.hpp"

namespace wb::runner {
namespace fs = std::filesystem;

fs::path learner_state_dir(const fs::path& root) { return root / ".workbook"; }

void migrate_learner_state(const fs::path& root) {
  const fs::path old_dir = root / "build/dev";
  const fs::path dir = learner_state_dir(root);
  std::error_code error;
  auto move = [&](const fs::path& from, const fs::path& to) {
    if (!fs::exists(from, error)) return;
    fs::create_directories(to.parent_path(), error);
    if (!fs::exists(to, error)) {
      fs::rename(from, to, error);
      return;
    }
    if (!fs::is_directory(from, error)) return;  // a newer pointer or level wins
    for (const auto& entry : fs::directory_iterator(from, error)) {
      const fs::path target = to / entry.path().filename();
      if (!fs::exists(target, error)) fs::rename(entry.path(), target, error);
    }
  };
  move(old_dir / "workbook-current", dir / "current");
  move(old_dir / "hints", dir / "hints");
  move(old_dir / "backups", dir / "backups");
}

}  // namespace wb::runner
