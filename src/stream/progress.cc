// SPDX-License-Identifier: Apache-2.0
#include "stream/progress.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

#include "common/json.h"

namespace sluice::stream {

namespace {

/// A double as Java's Double.toString writes the common cases ("0.0", "12.5"); NaN and
/// infinities are left out by the caller, as Spark's progress JSON does.
JsonValue DoubleValue(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) {
    text += ".0";
  }
  return JsonValue::NumberText(std::move(text));
}

void AddDouble(std::vector<JsonValue::Member>& members, const char* key, double value) {
  if (std::isfinite(value)) {
    members.emplace_back(key, DoubleValue(value));
  }
}

/// Offsets are JSON text: embedded as JSON (as Spark does), or as a string when not JSON.
JsonValue OffsetValue(const std::optional<std::string>& offset) {
  if (!offset.has_value()) {
    return JsonValue::Null();
  }
  Result<JsonValue> parsed = JsonValue::Parse(*offset);
  return parsed.ok() ? std::move(*parsed) : JsonValue::String(*offset);
}

JsonValue StringMapValue(const std::map<std::string, std::string>& map) {
  std::vector<JsonValue::Member> members;
  for (const auto& [key, value] : map) {
    members.emplace_back(key, JsonValue::String(value));
  }
  return JsonValue::Object(std::move(members));
}

JsonValue StateOperatorValue(const StateOperatorProgress& op) {
  std::vector<JsonValue::Member> custom;
  for (const auto& [key, value] : op.custom_metrics) {
    custom.emplace_back(key, JsonValue::Int(value));
  }
  return JsonValue::Object({
      {"operatorName", JsonValue::String(op.operator_name)},
      {"numRowsTotal", JsonValue::Int(op.num_rows_total)},
      {"numRowsUpdated", JsonValue::Int(op.num_rows_updated)},
      {"allUpdatesTimeMs", JsonValue::Int(op.all_updates_time_ms)},
      {"numRowsRemoved", JsonValue::Int(op.num_rows_removed)},
      {"allRemovalsTimeMs", JsonValue::Int(op.all_removals_time_ms)},
      {"commitTimeMs", JsonValue::Int(op.commit_time_ms)},
      {"memoryUsedBytes", JsonValue::Int(op.memory_used_bytes)},
      {"numRowsDroppedByWatermark", JsonValue::Int(op.num_rows_dropped_by_watermark)},
      {"numShufflePartitions", JsonValue::Int(op.num_shuffle_partitions)},
      {"numStateStoreInstances", JsonValue::Int(op.num_state_store_instances)},
      {"customMetrics", JsonValue::Object(std::move(custom))},
  });
}

JsonValue SourceValue(const SourceProgress& source) {
  std::vector<JsonValue::Member> members = {
      {"description", JsonValue::String(source.description)},
      {"startOffset", OffsetValue(source.start_offset)},
      {"endOffset", OffsetValue(source.end_offset)},
      {"latestOffset", OffsetValue(source.latest_offset)},
      {"numInputRows", JsonValue::Int(source.num_input_rows)},
  };
  AddDouble(members, "inputRowsPerSecond", source.input_rows_per_second);
  AddDouble(members, "processedRowsPerSecond", source.processed_rows_per_second);
  if (!source.metrics.empty()) {
    members.emplace_back("metrics", StringMapValue(source.metrics));
  }
  return JsonValue::Object(std::move(members));
}

JsonValue ProgressValue(const StreamingQueryProgress& p) {
  std::vector<JsonValue::Member> members = {
      {"id", JsonValue::String(p.id)},
      {"runId", JsonValue::String(p.run_id)},
      {"name", p.name.empty() ? JsonValue::Null() : JsonValue::String(p.name)},
      {"timestamp", JsonValue::String(p.timestamp)},
      {"batchId", JsonValue::Int(p.batch_id)},
      {"batchDuration", JsonValue::Int(p.batch_duration_ms)},
      {"numInputRows", JsonValue::Int(p.num_input_rows)},
  };
  AddDouble(members, "inputRowsPerSecond", p.input_rows_per_second);
  AddDouble(members, "processedRowsPerSecond", p.processed_rows_per_second);
  std::vector<JsonValue::Member> durations;
  for (const auto& [key, value] : p.duration_ms) {
    durations.emplace_back(key, JsonValue::Int(value));
  }
  members.emplace_back("durationMs", JsonValue::Object(std::move(durations)));
  if (!p.event_time.empty()) {
    members.emplace_back("eventTime", StringMapValue(p.event_time));
  }
  std::vector<JsonValue> operators;
  for (const StateOperatorProgress& op : p.state_operators) {
    operators.push_back(StateOperatorValue(op));
  }
  members.emplace_back("stateOperators", JsonValue::Array(std::move(operators)));
  std::vector<JsonValue> sources;
  for (const SourceProgress& source : p.sources) {
    sources.push_back(SourceValue(source));
  }
  members.emplace_back("sources", JsonValue::Array(std::move(sources)));
  std::vector<JsonValue::Member> sink = {
      {"description", JsonValue::String(p.sink.description)},
      {"numOutputRows", JsonValue::Int(p.sink.num_output_rows)},
  };
  if (!p.sink.metrics.empty()) {
    sink.emplace_back("metrics", StringMapValue(p.sink.metrics));
  }
  members.emplace_back("sink", JsonValue::Object(std::move(sink)));
  return JsonValue::Object(std::move(members));
}

/// json4s' pretty layout, as Spark's prettyJson prints: `"key" : value`, two-space
/// indentation, `[ ]` for an empty array and `[ {` ... `}, {` ... `} ]` for objects.
void Pretty(const JsonValue& value, int indent, std::string* out) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (value.is_object()) {
    if (value.members().empty()) {
      *out += "{ }";
      return;
    }
    *out += "{\n";
    for (size_t i = 0; i < value.members().size(); ++i) {
      const auto& [key, member] = value.members()[i];
      *out += pad + "  ";
      AppendJsonString(key, out);
      *out += " : ";
      Pretty(member, indent + 2, out);
      *out += i + 1 < value.members().size() ? ",\n" : "\n";
    }
    *out += pad + "}";
    return;
  }
  if (value.is_array()) {
    if (value.items().empty()) {
      *out += "[ ]";
      return;
    }
    *out += "[ ";
    for (size_t i = 0; i < value.items().size(); ++i) {
      Pretty(value.items()[i], indent, out);
      if (i + 1 < value.items().size()) {
        *out += ", ";
      }
    }
    *out += " ]";
    return;
  }
  value.SerializeTo(out);
}

}  // namespace

std::string StreamingQueryProgress::ToJson() const {
  return ProgressValue(*this).Serialize();
}

std::string StreamingQueryProgress::ToPrettyJson() const {
  std::string out;
  Pretty(ProgressValue(*this), 0, &out);
  return out;
}

std::string StreamingQueryStatus::ToJson() const {
  return JsonValue::Object({{"message", JsonValue::String(message)},
                            {"isDataAvailable", JsonValue::Bool(is_data_available)},
                            {"isTriggerActive", JsonValue::Bool(is_trigger_active)}})
      .Serialize();
}

std::string FormatProgressTimestamp(int64_t epoch_ms) {
  std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  int64_t millis = epoch_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

}  // namespace sluice::stream
