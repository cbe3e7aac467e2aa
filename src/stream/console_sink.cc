// SPDX-License-Identifier: Apache-2.0
#include "stream/console_sink.h"

#include <fmt/format.h>

#include <iostream>

#include "columnar/printer.h"

namespace sluice::stream {

Result<ConsoleSinkOptions> ConsoleSinkOptions::Parse(const OptionList& options) {
  OptionMap map(options, "Console");
  ConsoleSinkOptions parsed;
  SLUICE_RETURN_IF_ERROR(map.GetInt("numRows", &parsed.num_rows));
  SLUICE_RETURN_IF_ERROR(map.GetBool("truncate", &parsed.truncate));
  return parsed;
}

ConsoleSink::ConsoleSink(std::ostream& out, ConsoleSinkOptions options)
    : out_(out), options_(options) {}

Result<std::unique_ptr<ConsoleSink>> ConsoleSink::Make(const SinkSpec& spec) {
  SLUICE_ASSIGN_OR_RETURN(ConsoleSinkOptions options, ConsoleSinkOptions::Parse(spec.options));
  return std::make_unique<ConsoleSink>(std::cout, options);
}

std::string ConsoleSink::Description() const {
  return "org.apache.spark.sql.execution.streaming.ConsoleTable$";
}

Status ConsoleSink::AddBatch(int64_t batch_id, const SchemaPtr& schema,
                             const std::vector<BatchPtr>& data) {
  if (schema == nullptr) {
    return Status::InvalidArgument("ConsoleSink::AddBatch needs the batch's schema");
  }
  ShowOptions show;
  show.num_rows = options_.num_rows;
  show.truncate = options_.truncate ? 20 : 0;
  // Spark: three println calls, then Dataset.show(), which println()s showString.
  out_ << fmt::format(
      "-------------------------------------------\nBatch: {}\n"
      "-------------------------------------------\n{}\n",
      batch_id, ShowAll(data, schema, show));
  out_.flush();
  if (!out_) {
    return Status::IoError(fmt::format("The console sink could not print batch {}", batch_id));
  }
  return Status::Ok();
}

}  // namespace sluice::stream
