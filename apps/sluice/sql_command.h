// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

/// What `sluice sql` runs and how it prints.
struct SqlRequest {
  /// `--warehouse`: where the catalog and managed tables live.
  std::string warehouse = "sluice-warehouse";
  /// `--conf key=value` settings, in order.
  std::vector<std::pair<std::string, std::string>> settings;
  /// `-e`: statements to run ("" for none).
  std::string execute;
  /// `-f`: a file of statements to run ("" for none).
  std::string file;
  /// `--output`: table (Spark's show format), csv or json.
  std::string output = "table";
};

/// Runs `sluice sql`: the statements of -e or -f, else an interactive shell on a
/// terminal (libedit line editing, history in ~/.sluice_history, statements ended by
/// `;`, meta commands .help .tables .databases .timer .mode .quit), else the statements
/// read from standard input. Errors go to stderr. Returns the exit status: 0, or 1 when
/// a statement of a non-interactive run failed (the run stops there) or the session
/// could not open.
int RunSql(const SqlRequest& request);

}  // namespace sluice::cli
