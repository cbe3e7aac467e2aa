// SPDX-License-Identifier: Apache-2.0
// spark.readStream, df.writeStream, StreamingQuery and spark.streams over the engine
// session's StartStream / ActiveStreams.
#include "sluice/streaming.h"

#include <fmt/format.h>

#include <thread>

#include "api/api_internal.h"
#include "common/ascii.h"
#include "sluice/session.h"
#include "stream/streaming_query.h"
#include "stream/trigger.h"
#include "types/ddl.h"

namespace sluice {

using api_internal::DataFrameState;
using api_internal::SessionState;

// Trigger.

Trigger Trigger::ProcessingTime(std::string_view interval) {
  Trigger trigger;
  trigger.interval_text_ = std::string(interval);
  return trigger;
}
Trigger Trigger::ProcessingTime(int64_t interval_ms) {
  Trigger trigger;
  trigger.interval_ms_ = interval_ms;
  return trigger;
}
Trigger Trigger::Once() {
  Trigger trigger;
  trigger.kind_ = Kind::kOnce;
  return trigger;
}
Trigger Trigger::AvailableNow() {
  Trigger trigger;
  trigger.kind_ = Kind::kAvailableNow;
  return trigger;
}

namespace {

Result<stream::Trigger> ToEngineTrigger(const Trigger& trigger) {
  switch (trigger.kind()) {
    case Trigger::Kind::kOnce:
      return stream::Trigger::Once();
    case Trigger::Kind::kAvailableNow:
      return stream::Trigger::AvailableNow();
    case Trigger::Kind::kProcessingTime:
      break;
  }
  if (!trigger.interval_text().empty()) {
    return stream::Trigger::ProcessingTime(std::string_view(trigger.interval_text()));
  }
  if (trigger.interval_ms() < 0) {
    return Status::InvalidArgument("Interval cannot be negative.");
  }
  return stream::Trigger::ProcessingTime(trigger.interval_ms());
}

/// The schema a streaming source's rows have, when it can be known before the query
/// starts (for the DataFrame's schema() and the transformations that need it).
Result<SchemaPtr> SourceSchema(SessionState& session, const stream::SourceSpec& spec) {
  if (spec.schema != nullptr) {
    return spec.schema;
  }
  if (spec.format == "text") {
    return MakeSchema({MakeField("value", StringType(), true)});
  }
  if (spec.format == "rate") {
    return MakeSchema(
        {MakeField("timestamp", TimestampType(), true), MakeField("value", LongType(), true)});
  }
  if (spec.format == "delta") {
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult result,
        session.Execute(fmt::format("SELECT * FROM delta.{} LIMIT 0", QuoteIdentifier(spec.path))));
    return result.schema;
  }
  return SchemaPtr();
}

}  // namespace

// DataStreamReader.

DataStreamReader& DataStreamReader::format(std::string_view format) {
  format_ = ToLowerAscii(format);
  return *this;
}

DataStreamReader& DataStreamReader::option(std::string_view key, std::string_view value) {
  options_.emplace_back(std::string(key), std::string(value));
  return *this;
}

DataStreamReader& DataStreamReader::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) {
    option(key, value);
  }
  return *this;
}

DataStreamReader& DataStreamReader::schema(std::string_view ddl) {
  schema_ = std::string(ddl);
  return *this;
}

DataFrame DataStreamReader::load(std::string_view path) {
  stream::SourceSpec spec;
  spec.format = format_.empty() ? "delta" : format_;
  spec.options = options_;
  spec.path = std::string(path);
  if (spec.path.empty()) {
    for (const auto& [key, value] : options_) {
      if (EqualsIgnoreCase(key, "path")) {
        spec.path = value;
      }
    }
  }
  if (!schema_.empty()) {
    Result<SchemaPtr> schema = ParseDdlSchema(schema_);
    if (!schema.ok()) {
      return api_internal::ErrorFrame(session_, schema.status());
    }
    spec.schema = AsNullable(*schema);
  }
  // Spark checks the options when load() is called.
  Result<std::unique_ptr<stream::StreamSource>> source = stream::MakeSource(spec);
  if (!source.ok()) {
    return api_internal::ErrorFrame(session_, source.status());
  }
  auto state = std::make_shared<DataFrameState>();
  state->session = session_;
  const std::string name = session_->NewName("__stream_");
  state->sql = fmt::format("SELECT * FROM {}", QuoteIdentifier(name));
  // The source's name stands for no rows outside the query, so that schema() and the
  // transformations that need it work before start().
  Result<SchemaPtr> schema = SourceSchema(*session_, spec);
  if (!schema.ok()) {
    return api_internal::ErrorFrame(session_, schema.status());
  }
  if (*schema != nullptr) {
    Result<std::shared_ptr<const api_internal::TempRelation>> relation =
        session_->RegisterRows(session_, name, *schema, {Batch::MakeEmpty(*schema)});
    if (relation.ok()) {
      state->holds.push_back(std::move(relation).value());
    }
  }
  state->sources.push_back({name, std::move(spec), *schema});
  return DataFrame(std::move(state));
}

DataFrame DataStreamReader::table(std::string_view name) {
  Result<engine::QueryResult> detail =
      session_->Execute(fmt::format("DESCRIBE DETAIL {}", api_internal::QuoteName(name)));
  if (!detail.ok()) {
    return api_internal::ErrorFrame(session_, detail.status());
  }
  const int location = detail->schema->FieldIndex("location");
  if (location < 0 || detail->num_rows() == 0) {
    return api_internal::ErrorFrame(session_,
                                    Status::Internal("DESCRIBE DETAIL returned no location"));
  }
  const std::string path = Row(detail->batches.front(), 0).getString(location);
  return format("delta").load(path);
}

DataStreamReader Session::readStream() const {
  return DataStreamReader(state_);
}

StreamingQueryManager Session::streams() const {
  return StreamingQueryManager(state_);
}

// StreamingQuery.

std::string StreamingQuery::id() const {
  return query_->id();
}
std::string StreamingQuery::runId() const {
  return query_->run_id();
}
std::string StreamingQuery::name() const {
  return query_->name();
}
bool StreamingQuery::isActive() const {
  return query_->IsActive();
}
StreamingQueryStatus StreamingQuery::status() const {
  return query_->status();
}
std::optional<StreamingQueryProgress> StreamingQuery::lastProgress() const {
  return query_->last_progress();
}
std::vector<StreamingQueryProgress> StreamingQuery::recentProgress() const {
  return query_->recent_progress();
}
void StreamingQuery::stop() {
  query_->Stop();
}
Result<bool> StreamingQuery::awaitTermination(std::optional<int64_t> timeout_ms) {
  return query_->AwaitTermination(timeout_ms);
}
Status StreamingQuery::processAllAvailable() {
  return query_->ProcessAllAvailable();
}
Status StreamingQuery::exception() const {
  return query_->exception();
}

// DataStreamWriter.

DataStreamWriter DataFrame::writeStream() const {
  return DataStreamWriter(*this);
}

DataStreamWriter& DataStreamWriter::format(std::string_view format) {
  format_ = ToLowerAscii(format);
  return *this;
}
DataStreamWriter& DataStreamWriter::outputMode(std::string_view mode) {
  output_mode_ = ToLowerAscii(mode);
  return *this;
}
DataStreamWriter& DataStreamWriter::option(std::string_view key, std::string_view value) {
  options_.emplace_back(std::string(key), std::string(value));
  return *this;
}
DataStreamWriter& DataStreamWriter::options(const std::map<std::string, std::string>& options) {
  for (const auto& [key, value] : options) {
    option(key, value);
  }
  return *this;
}
DataStreamWriter& DataStreamWriter::partitionBy(const std::vector<std::string>& columns) {
  partition_by_ = columns;
  return *this;
}
DataStreamWriter& DataStreamWriter::queryName(std::string_view name) {
  query_name_ = std::string(name);
  return *this;
}
DataStreamWriter& DataStreamWriter::trigger(const Trigger& trigger) {
  trigger_ = trigger;
  return *this;
}
DataStreamWriter& DataStreamWriter::trigger(std::string_view processing_time) {
  trigger_ = Trigger::ProcessingTime(processing_time);
  return *this;
}
DataStreamWriter& DataStreamWriter::foreachBatch(ForeachBatchFunction function) {
  foreach_batch_ = std::move(function);
  format_ = "foreachbatch";
  return *this;
}

Result<StreamingQuery> DataStreamWriter::start(std::string_view path) {
  return Start(std::string(path), "");
}

Result<StreamingQuery> DataStreamWriter::toTable(std::string_view name) {
  return Start("", std::string(name));
}

namespace {

/// The engine's foreachBatch callback: the batch's rows become a DataFrame (registered
/// in the session until the DataFrame goes) handed to `function`.
stream::ForeachBatchFunction WrapForeachBatch(std::weak_ptr<SessionState> weak_session,
                                              ForeachBatchFunction function) {
  return [weak_session, function](const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                                  int64_t batch_id) -> Status {
    std::shared_ptr<SessionState> session = weak_session.lock();
    if (session == nullptr) {
      return Status::Cancelled("the session of the streaming query is gone");
    }
    const std::string name = session->NewName("__batch_");
    SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<const api_internal::TempRelation> relation,
                            session->RegisterRows(session, name, schema, batches));
    auto state = std::make_shared<DataFrameState>();
    state->session = session;
    state->from = QuoteIdentifier(name);
    state->sql = "SELECT * FROM " + state->from;
    state->holds.push_back(std::move(relation));
    // If the caller let go of the session while the batch ran, it closes here, on the
    // query's thread: the engine then stops this query without joining its own thread.
    return function(DataFrame(std::move(state)), batch_id);
  };
}

}  // namespace

Result<StreamingQuery> DataStreamWriter::Start(std::string path, std::string table) {
  const auto& state = input_.state();
  if (state == nullptr) {
    return Status::InvalidArgument("the DataFrame is not initialized");
  }
  SLUICE_RETURN_IF_ERROR(state->status);
  if (state->sources.empty()) {
    return Status::BindError(
        "[WRITE_STREAM_NOT_ALLOWED] `writeStream` can be called only on streaming "
        "Dataset/DataFrame.");
  }
  engine::StreamWriteSpec write;
  write.sink.format = format_.empty() ? "delta" : format_;
  write.sink.options = options_;
  write.sink.partition_by = partition_by_;
  write.sink.path = std::move(path);
  if (write.sink.path.empty()) {
    for (const auto& [key, value] : options_) {
      if (EqualsIgnoreCase(key, "path")) {
        write.sink.path = value;
      }
    }
  }
  write.sink.query_name = query_name_;
  if (foreach_batch_) {
    write.sink.format = "foreachBatch";
    write.sink.foreach_batch = WrapForeachBatch(state->session, foreach_batch_);
  }
  write.output_mode = output_mode_;
  SLUICE_ASSIGN_OR_RETURN(write.trigger, ToEngineTrigger(trigger_));
  write.table = std::move(table);
  std::vector<std::pair<std::string, stream::SourceSpec>> sources;
  for (const api_internal::StreamSource& source : state->sources) {
    sources.emplace_back(source.name, source.spec);
  }
  std::shared_ptr<stream::StreamingQuery> query;
  {
    std::lock_guard<std::recursive_mutex> lock(state->session->engine_mu);
    SLUICE_ASSIGN_OR_RETURN(query, state->session->engine->StartStream(
                                       state->sql, std::move(sources), std::move(write)));
  }
  return StreamingQuery(std::move(query));
}

// StreamingQueryManager.

std::vector<StreamingQuery> StreamingQueryManager::active() const {
  std::vector<std::shared_ptr<stream::StreamingQuery>> queries;
  {
    std::lock_guard<std::recursive_mutex> lock(session_->engine_mu);
    queries = session_->engine->ActiveStreams();
  }
  std::vector<StreamingQuery> out;
  for (std::shared_ptr<stream::StreamingQuery>& query : queries) {
    out.emplace_back(std::move(query));
  }
  return out;
}

void StreamingQueryManager::addListener(std::shared_ptr<StreamingQueryListener> listener) {
  std::lock_guard<std::recursive_mutex> lock(session_->engine_mu);
  session_->engine->AddStreamingListener(std::move(listener));
}

std::optional<StreamingQuery> StreamingQueryManager::get(std::string_view id) const {
  for (StreamingQuery& query : active()) {
    if (query.id() == id) {
      return query;
    }
  }
  return std::nullopt;
}

}  // namespace sluice
