// SPDX-License-Identifier: Apache-2.0
#include "stream/rate_source.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "columnar/builder.h"
#include "common/json.h"
#include "stream/file_source.h"

namespace sluice::stream {

namespace {

constexpr std::string_view kStartTimeVersion = "v1";

Status GetPositive(const OptionMap& map, std::string_view key, int64_t* out) {
  const std::string* text = map.Find(key);
  if (text == nullptr) {
    return Status::Ok();
  }
  int64_t value = *out;
  Status parsed = map.GetInt(key, &value);
  if (!parsed.ok() || value <= 0) {
    return Status::InvalidArgument(
        fmt::format("Invalid value '{}'. The option '{}' must be positive", *text, key));
  }
  *out = value;
  return Status::Ok();
}

}  // namespace

Result<RateSourceOptions> RateSourceOptions::FromOptions(const OptionList& options) {
  const OptionMap map(options, "Rate source");
  RateSourceOptions result;
  if (const std::string* rows = map.Find("rowsPerSecond")) {
    int64_t value = 0;
    const char* end = rows->data() + rows->size();
    auto [ptr, ec] = std::from_chars(rows->data(), end, value);
    if (ec != std::errc() || ptr != end || value <= 0) {
      return Status::InvalidArgument(
          fmt::format("Invalid value '{}'. The option 'rowsPerSecond' must be positive", *rows));
    }
    result.rows_per_second = value;
  }
  if (const std::string* ramp_up = map.Find("rampUpTime")) {
    Result<int64_t> ms = ParseTimeStringMs(*ramp_up, "rampUpTime", 1000);
    if (!ms.ok()) {
      return Status::InvalidArgument(fmt::format(
          "Invalid value '{}'. The option 'rampUpTime' must be a non-negative time such as "
          "5s or 1m",
          *ramp_up));
    }
    result.ramp_up_time_seconds = *ms / 1000;
  }
  SLUICE_RETURN_IF_ERROR(GetPositive(map, "numPartitions", &result.num_partitions));
  const int64_t max_seconds = INT64_MAX / result.rows_per_second;
  if (result.ramp_up_time_seconds > max_seconds) {
    return Status::InvalidArgument(
        fmt::format("Integer overflow. Max offset with {} rowsPerSecond is {}, but "
                    "'rampUpTimeSeconds' is {}.",
                    result.rows_per_second, max_seconds, result.ramp_up_time_seconds));
  }
  return result;
}

int64_t RateValueAtSecond(int64_t seconds, int64_t rows_per_second, int64_t ramp_up_seconds) {
  const int64_t speed_delta = rows_per_second / (ramp_up_seconds + 1);
  if (seconds <= ramp_up_seconds) {
    // (0 + speed_delta * seconds) * (seconds + 1) / 2, ordered to avoid overflow.
    if (seconds % 2 == 1) {
      return (seconds + 1) / 2 * speed_delta * seconds;
    }
    return seconds / 2 * speed_delta * (seconds + 1);
  }
  const int64_t ramp_up_part = RateValueAtSecond(ramp_up_seconds, rows_per_second, ramp_up_seconds);
  return ramp_up_part + (seconds - ramp_up_seconds) * rows_per_second;
}

Result<int64_t> ParseRateOffset(const Offset& offset) {
  Result<JsonValue> parsed = JsonValue::Parse(offset);
  if (parsed.ok()) {
    const JsonValue* number = &*parsed;
    if (parsed->is_object()) {
      number = parsed->Find("seconds");
    }
    if (number != nullptr && number->is_number()) {
      Result<int64_t> value = number->AsInt64();
      if (value.ok() && *value >= 0) {
        return *value;
      }
    }
  }
  return Status::InvalidArgument(
      fmt::format("rate source offset must be a number of seconds, got '{}'", offset));
}

RateStreamSource::RateStreamSource(RateSourceOptions options, Clock& clock)
    : options_(options),
      clock_(clock),
      schema_(MakeSchema(
          {Field{"timestamp", TimestampType(), true, {}}, Field{"value", LongType(), true, {}}})) {}

Result<std::unique_ptr<RateStreamSource>> RateStreamSource::Make(const OptionList& options,
                                                                 const SchemaPtr& schema,
                                                                 Clock& clock) {
  if (schema != nullptr) {
    return Status::InvalidArgument(
        "RateStreamSource source does not support user-specified schema.");
  }
  SLUICE_ASSIGN_OR_RETURN(RateSourceOptions parsed, RateSourceOptions::FromOptions(options));
  return std::make_unique<RateStreamSource>(parsed, clock);
}

std::string RateStreamSource::Description() const {
  return fmt::format("RateStreamV2[rowsPerSecond={}, rampUpTimeSeconds={}, numPartitions={}]",
                     options_.rows_per_second, options_.ramp_up_time_seconds,
                     options_.num_partitions);
}

Status RateStreamSource::Open(const SourceContext& context) {
  if (context.metadata_dir.empty()) {
    return Status::InvalidArgument("rate source: the source context has no metadata_dir");
  }
  FileSystem* fs = context.fs != nullptr ? context.fs : &LocalFileSystem::Default();
  SLUICE_RETURN_IF_ERROR(fs->CreateDirectories(context.metadata_dir));
  const std::string path = JoinPath(context.metadata_dir, "0");
  const std::string now = std::to_string(clock_.NowMicros() / 1000);
  Status written = fs->PutIfAbsent(path, fmt::format("{}\n{}", kStartTimeVersion, now));
  if (!written.ok() && written.code() != StatusCode::kAlreadyExists) {
    return written;
  }
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs->ReadFile(path));
  const size_t newline = text.find('\n');
  Result<JsonValue> value =
      JsonValue::Parse(newline == std::string::npos ? std::string_view()
                                                    : std::string_view(text).substr(newline + 1));
  if (text.substr(0, newline) != kStartTimeVersion || !value.ok() || !value->AsInt64().ok()) {
    return Status::Corruption(fmt::format(
        "rate source start time {}: expected \"v1\" and a number, found '{}'", path, text));
  }
  start_time_ms_ = *value->AsInt64();
  last_time_ms_ = start_time_ms_;
  opened_ = true;
  return Status::Ok();
}

Result<int64_t> RateStreamSource::CheckedValueAtSecond(int64_t seconds) const {
  const int64_t max_seconds = INT64_MAX / options_.rows_per_second;
  if (seconds > max_seconds) {
    return Status::InvalidArgument(
        fmt::format("Integer overflow. Max offset with {} rowsPerSecond is {}, but it's {} now.",
                    options_.rows_per_second, max_seconds, seconds));
  }
  return RateValueAtSecond(seconds, options_.rows_per_second, options_.ramp_up_time_seconds);
}

Result<std::optional<Offset>> RateStreamSource::LatestOffset(const std::optional<Offset>& start,
                                                             ReadLimit limit) {
  (void)limit;
  if (!opened_) {
    return Status::Internal("rate source: LatestOffset before Open");
  }
  last_time_ms_ = std::max(last_time_ms_, clock_.NowMicros() / 1000);
  int64_t seconds = (last_time_ms_ - start_time_ms_) / 1000;
  int64_t start_seconds = 0;
  if (start.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(start_seconds, ParseRateOffset(*start));
  }
  if (seconds <= start_seconds) {
    return start;
  }
  return std::optional<Offset>(std::to_string(seconds));
}

Result<std::vector<BatchPtr>> RateStreamSource::GetBatch(const std::optional<Offset>& start,
                                                         const Offset& end) {
  if (!opened_) {
    return Status::Internal("rate source: GetBatch before Open");
  }
  int64_t start_seconds = 0;
  if (start.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(start_seconds, ParseRateOffset(*start));
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t end_seconds, ParseRateOffset(end));
  if (start_seconds > end_seconds) {
    return Status::InvalidArgument(fmt::format(
        "rate source: start offset {} is after end offset {}", start_seconds, end_seconds));
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t range_end, CheckedValueAtSecond(end_seconds));
  const int64_t range_start =
      RateValueAtSecond(start_seconds, options_.rows_per_second, options_.ramp_up_time_seconds);
  // Spark's recovery fix: the time handed out never goes back before a replayed range.
  last_time_ms_ = std::max(last_time_ms_, start_time_ms_ + end_seconds * 1000);
  std::vector<BatchPtr> batches;
  if (range_start == range_end) {
    return batches;
  }
  const int64_t local_start_ms = start_time_ms_ + start_seconds * 1000;
  const double relative_ms_per_value = static_cast<double>((end_seconds - start_seconds) * 1000) /
                                       static_cast<double>(range_end - range_start);
  for (int64_t partition = 0; partition < options_.num_partitions; ++partition) {
    BatchBuilder builder(schema_);
    auto* timestamps = static_cast<Int64Builder*>(builder.column(0));
    auto* values = static_cast<Int64Builder*>(builder.column(1));
    for (int64_t value = range_start + partition; value < range_end;
         value += options_.num_partitions) {
      // Java's Math.round: floor(x + 0.5).
      const auto relative = static_cast<int64_t>(
          std::floor(static_cast<double>(value - range_start) * relative_ms_per_value + 0.5));
      timestamps->Append((relative + local_start_ms) * 1000);
      values->Append(value);
      if (builder.num_rows() >= kDefaultBatchRows) {
        batches.push_back(builder.Finish());
      }
    }
    if (builder.num_rows() > 0) {
      batches.push_back(builder.Finish());
    }
  }
  return batches;
}

}  // namespace sluice::stream
