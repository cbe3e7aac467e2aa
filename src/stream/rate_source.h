// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "stream/source.h"
#include "types/data_type.h"

/// Spark's rate source (RateStreamProvider / RateStreamMicroBatchStream): `rowsPerSecond`
/// rows a second of `timestamp timestamp, value long`, for tests and demos.
///
/// The offset is the number of whole seconds since the source's start time, serialized
/// as Spark's LongOffset: the plain JSON number ("5"; {"seconds":5} is accepted too).
/// The start time is the clock's time at the first Open, persisted in
/// `<metadata_dir>/0` as Spark writes it ("v1\n<epoch ms>"), so a restart produces the
/// same rows for the same range. Rows of the seconds (start, end] are, as in Spark:
///   rangeStart = ValueAtSecond(start), rangeEnd = ValueAtSecond(end)
///   values rangeStart .. rangeEnd - 1, consecutive longs;
///   relativeMsPerValue = (end - start) * 1000.0 / (rangeEnd - rangeStart);
///   timestamp(v) = startTimeMs + start * 1000 + round((v - rangeStart) * relativeMsPerValue)
/// where ValueAtSecond(s) ramps the rate up linearly over rampUpTime seconds:
///   speedDelta = rowsPerSecond / (rampUpTime + 1) (integer division);
///   s <= rampUpTime: speedDelta * s * (s + 1) / 2;
///   otherwise ValueAtSecond(rampUpTime) + (s - rampUpTime) * rowsPerSecond.
/// The rows come as numPartitions batches (partition p holds rangeStart + p,
/// rangeStart + p + numPartitions, ..., as Spark's partition readers), each cut into
/// batches of at most kDefaultBatchRows rows.
namespace sluice::stream {

/// The rate source's options.
struct RateSourceOptions {
  /// rowsPerSecond (> 0, default 1).
  int64_t rows_per_second = 1;
  /// rampUpTime (a Java time string in seconds, default "0s"; >= 0).
  int64_t ramp_up_time_seconds = 0;
  /// numPartitions (> 0, default 1; Spark's default is the cluster's parallelism).
  int64_t num_partitions = 1;

  /// Reads the options; a bad value is kInvalidArgument naming the option.
  static Result<RateSourceOptions> FromOptions(const OptionList& options);
};

/// Spark's RateStreamProvider.valueAtSecond: the first value of second `seconds`.
int64_t RateValueAtSecond(int64_t seconds, int64_t rows_per_second, int64_t ramp_up_seconds);

/// The rate source.
class RateStreamSource final : public StreamSource {
 public:
  /// `clock` (not owned) gives the start time and the passing seconds; tests pass a
  /// ManualClock.
  RateStreamSource(RateSourceOptions options, Clock& clock);
  /// Parses `options` (kInvalidArgument on a bad value or when `schema` is given: the
  /// rate source has a fixed schema).
  static Result<std::unique_ptr<RateStreamSource>> Make(const OptionList& options,
                                                        const SchemaPtr& schema, Clock& clock);

  std::string Description() const override;
  std::string Identity() const override { return "{\"format\":\"rate\"}"; }
  SchemaPtr schema() const override { return schema_; }
  /// Reads the start time from `<metadata_dir>/0`, or writes it (put-if-absent) at the
  /// first start.
  Status Open(const SourceContext& context) override;
  /// The seconds passed since the start time (never less than `start`); the rate source
  /// has no admission control, as in Spark.
  Result<std::optional<Offset>> LatestOffset(const std::optional<Offset>& start,
                                             ReadLimit limit) override;
  Result<std::vector<BatchPtr>> GetBatch(const std::optional<Offset>& start,
                                         const Offset& end) override;

  /// The start time in milliseconds since the epoch (after Open).
  int64_t start_time_ms() const { return start_time_ms_; }

 private:
  Result<int64_t> CheckedValueAtSecond(int64_t seconds) const;

  RateSourceOptions options_;
  Clock& clock_;
  SchemaPtr schema_;
  /// Spark's creationTimeMs.
  int64_t start_time_ms_ = 0;
  /// Spark's lastTimeMs: the newest time handed out (never goes back).
  int64_t last_time_ms_ = 0;
  bool opened_ = false;
};

/// Parses a rate offset ("5" or {"seconds":5}); kInvalidArgument otherwise.
Result<int64_t> ParseRateOffset(const Offset& offset);

}  // namespace sluice::stream
