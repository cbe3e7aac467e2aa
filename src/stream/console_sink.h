// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "stream/factory.h"
#include "stream/sink.h"
#include "types/data_type.h"

/// The console sink (Spark's ConsoleSink, writeStream.format("console")): prints each
/// micro-batch as Dataset.show() does, under a "Batch: <id>" banner. For debugging: not
/// idempotent (a re-run batch prints again), every output mode allowed.
namespace sluice::stream {

/// The options of writeStream.format("console").
struct ConsoleSinkOptions {
  /// `numRows`: rows shown per batch (default 20).
  int64_t num_rows = 20;
  /// `truncate`: cut cells longer than 20 characters (default true).
  bool truncate = true;

  /// Reads the options above (names ignoring case); kInvalidArgument for a bad value.
  static Result<ConsoleSinkOptions> Parse(const OptionList& options);
};

/// Prints every batch to a stream, as Spark prints it:
///
///     -------------------------------------------
///     Batch: 0
///     -------------------------------------------
///     +---+-----+
///     | id| name|
///     +---+-----+
///     |  1|    a|
///     +---+-----+
///     <empty line>
///
/// Values are rendered as given (the engine has already converted timestamps to the
/// session time zone).
class ConsoleSink final : public StreamSink {
 public:
  /// `out` must outlive the sink.
  ConsoleSink(std::ostream& out, ConsoleSinkOptions options);

  /// From writeStream settings, printing to std::cout.
  static Result<std::unique_ptr<ConsoleSink>> Make(const SinkSpec& spec);

  /// "org.apache.spark.sql.execution.streaming.ConsoleTable$", as Spark reports it.
  std::string Description() const override;
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override;

 private:
  std::ostream& out_;
  ConsoleSinkOptions options_;
};

}  // namespace sluice::stream
