// SPDX-License-Identifier: Apache-2.0
#include "stream/factory.h"

#include <fmt/format.h>

#include "common/ascii.h"
#include "common/clock.h"
#include "stream/console_sink.h"
#include "stream/delta_sink.h"
#include "stream/delta_source.h"
#include "stream/file_source.h"
#include "stream/foreach_batch_sink.h"
#include "stream/kafka_sink.h"
#include "stream/kafka_source.h"
#include "stream/memory_sink.h"
#include "stream/rate_source.h"

namespace sluice::stream {

Result<std::unique_ptr<StreamSource>> MakeSource(const SourceSpec& spec) {
  const std::string format = ToLowerAscii(spec.format);
  // Each source adds its format here.
  if (format == "delta") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<DeltaSource> source, DeltaSource::Make(spec));
    return std::unique_ptr<StreamSource>(std::move(source));
  }
  if (format == "json" || format == "csv" || format == "parquet" || format == "text") {
    SLUICE_ASSIGN_OR_RETURN(
        std::unique_ptr<FileStreamSource> source,
        FileStreamSource::Make(format, spec.path, spec.schema, spec.options, spec.fs));
    return std::unique_ptr<StreamSource>(std::move(source));
  }
  if (format == "kafka") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<KafkaSource> source,
                            KafkaSource::Make(spec.options, spec.schema));
    return std::unique_ptr<StreamSource>(std::move(source));
  }
  if (format == "rate") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<RateStreamSource> source,
                            RateStreamSource::Make(spec.options, spec.schema, Clock::System()));
    return std::unique_ptr<StreamSource>(std::move(source));
  }
  return Status::InvalidArgument(fmt::format(
      "[STREAMING_SOURCE_NOT_FOUND] Failed to find the streaming data source: {}.", spec.format));
}

Result<std::unique_ptr<StreamSink>> MakeSink(const SinkSpec& spec) {
  const std::string format = ToLowerAscii(spec.format);
  // Each sink adds its format here.
  if (format == "delta") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<DeltaSink> sink, DeltaSink::Make(spec));
    return std::unique_ptr<StreamSink>(std::move(sink));
  }
  if (format == "console") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<ConsoleSink> sink, ConsoleSink::Make(spec));
    return std::unique_ptr<StreamSink>(std::move(sink));
  }
  if (format == "memory") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<MemorySink> sink, MemorySink::Make(spec));
    return std::unique_ptr<StreamSink>(std::move(sink));
  }
  if (format == "foreachbatch") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<ForeachBatchSink> sink, ForeachBatchSink::Make(spec));
    return std::unique_ptr<StreamSink>(std::move(sink));
  }
  if (format == "kafka") {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<KafkaSink> sink, KafkaSink::Make(spec));
    return std::unique_ptr<StreamSink>(std::move(sink));
  }
  return Status::InvalidArgument(fmt::format(
      "[STREAMING_SINK_NOT_FOUND] Failed to find the streaming data sink: {}.", spec.format));
}

}  // namespace sluice::stream
