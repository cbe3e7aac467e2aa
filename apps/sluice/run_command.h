// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sluice::cli {

/// What `sluice run` runs.
struct RunRequest {
  /// The pipeline file: SQL statements, CREATE [OR REFRESH] STREAMING TABLE among them.
  std::string file;
  /// `--warehouse`: where the catalog and the tables live.
  std::string warehouse = "sluice-warehouse";
  /// `--conf key=value` settings, in order.
  std::vector<std::pair<std::string, std::string>> settings;
  /// `--available-now`: process everything available, then exit.
  bool available_now = false;
  /// `--trigger-interval`: processingTime between micro-batches ("" = as fast as data comes).
  std::string trigger_interval;
};

/// Runs `sluice run pipeline.sql`: every statement of the file in order; each streaming
/// table is created when missing and its query started (checkpoint kept under the
/// table), until SIGINT or SIGTERM stops them cleanly (the running batch finishes), or
/// with --available-now until the input is drained. Prints one line per micro-batch.
/// Returns 0, or 1 when a statement or a query failed.
int RunPipeline(const RunRequest& request);

}  // namespace sluice::cli
