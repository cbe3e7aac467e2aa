// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

/// Progress reports in the shape of Spark's StreamingQueryProgress (progress.scala), so
/// dashboards and tools written for Spark's JSON read ours.
namespace sluice::stream {

struct SourceProgress {
  std::string description;
  std::optional<std::string> start_offset;   // JSON text; null when none
  std::optional<std::string> end_offset;     // JSON text
  std::optional<std::string> latest_offset;  // JSON text
  int64_t num_input_rows = 0;
  double input_rows_per_second = 0;
  double processed_rows_per_second = 0;
  std::map<std::string, std::string> metrics;
};

struct SinkProgress {
  std::string description;
  int64_t num_output_rows = -1;  // -1: unknown (Spark's default)
  std::map<std::string, std::string> metrics;
};

struct StateOperatorProgress {
  std::string operator_name;
  int64_t num_rows_total = 0;
  int64_t num_rows_updated = 0;
  int64_t all_updates_time_ms = 0;
  int64_t num_rows_removed = 0;
  int64_t all_removals_time_ms = 0;
  int64_t commit_time_ms = 0;
  int64_t memory_used_bytes = 0;
  int64_t num_rows_dropped_by_watermark = 0;
  int64_t num_shuffle_partitions = 1;
  int64_t num_state_store_instances = 1;
  std::map<std::string, int64_t> custom_metrics;
};

struct StreamingQueryProgress {
  std::string id;
  std::string run_id;
  std::string name;  // empty: null
  /// ISO-8601 UTC with millis: "2026-11-25T10:00:00.000Z" (the trigger's start).
  std::string timestamp;
  int64_t batch_id = 0;
  int64_t batch_duration_ms = 0;
  int64_t num_input_rows = 0;
  double input_rows_per_second = 0;
  double processed_rows_per_second = 0;
  /// addBatch, getBatch, latestOffset, queryPlanning, triggerExecution, walCommit,
  /// commitOffsets (Spark's keys, milliseconds).
  std::map<std::string, int64_t> duration_ms;
  /// avg, max, min, watermark (ISO-8601 strings), when the query has event time.
  std::map<std::string, std::string> event_time;
  std::vector<StateOperatorProgress> state_operators;
  std::vector<SourceProgress> sources;
  SinkProgress sink;

  /// Spark's `json` (compact) and `prettyJson` (two-space indent) renderings.
  std::string ToJson() const;
  std::string ToPrettyJson() const;
};

/// `query.status`.
struct StreamingQueryStatus {
  std::string message = "Initializing sources";
  bool is_data_available = false;
  bool is_trigger_active = false;
  std::string ToJson() const;
};

/// Formats epoch milliseconds as Spark's progress timestamps: "2026-11-25T10:00:00.000Z".
std::string FormatProgressTimestamp(int64_t epoch_ms);

}  // namespace sluice::stream
