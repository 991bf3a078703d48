// `./workbook check --all --format json|junit`: every exercise's verdict, per
// layer, for a program to read (an autograder: GitHub Classroom, a CI job, a
// teacher's script), so that nobody parses the text meant for people.
//
// Both formats list, for each exercise, every layer it declares, in order,
// as passed, failed (with the one-line headline and the details the learner
// would see) or not run (an earlier layer failed: a later layer is never
// judged on a build that fails). JSON:
//
//   {"format": "workbook-results-1", "exercises": 28, "done": 3, "results": [
//     {"exercise": "joining_thread", "chapter": "01-threads", "done": true,
//      "files": ["exercises/01-threads/joining_thread.hpp"],
//      "layers": [{"layer": "build", "title": "builds", "status": "passed",
//                  "seconds": 1.2, "headline": "", "details": []}, ...]}, ...]}
//
// JUnit XML has no single official schema; this is the Ant/Jenkins layout
// most tools read: <testsuites> holds one <testsuite> per exercise, which
// holds one <testcase> per layer (classname "<chapter>.<exercise>", name the
// layer's title) with a <failure message="headline"> or a <skipped/>.
#pragma once

#include "manifest.hpp"
#include "verdict.hpp"

#include <string>
#include <vector>

namespace wb::runner {

/// The verdicts (in manifest order) as a JSON document.
std::string results_json(const manifest& m, const std::vector<verdict>& verdicts);

/// The verdicts as Ant/Jenkins-style JUnit XML.
std::string results_junit(const manifest& m, const std::vector<verdict>& verdicts);

}  // namespace wb::runner
