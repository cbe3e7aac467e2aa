// SPDX-License-Identifier: Apache-2.0
// Streaming queries: Session::StartStream (the DataFrame API's writeStream().start()),
// CREATE [OR REFRESH] STREAMING TABLE, and pipelines of streaming tables.
#include <fmt/format.h>

#include "common/ascii.h"
#include "delta/transaction.h"
#include "engine/session_internal.h"
#include "kafka/client.h"
#include "sql/parser.h"
#include "sql/read_files.h"
#include "sql/read_kafka.h"
#include "sql/stream_refs.h"
#include "stream/kafka_source.h"
#include "stream/memory_sink.h"

namespace sluice::engine {

namespace {

constexpr std::string_view kCheckpointLocationKey = "spark.sql.streaming.checkpointLocation";

/// What the unsupported-operation check found in a streaming plan.
struct StreamPlanShape {
  bool aggregation = false;
  bool sort = false;
  bool sort_above_aggregation = false;
  bool limit = false;
  bool stream_stream_join = false;
  bool window_function = false;
};

/// A stream leaf of a plan bound over empty stream relations: a ValuesNode without
/// batches (a VALUES list or a FROM-less SELECT always has a row).
bool IsStreamLeaf(const sql::LogicalPlan& plan) {
  return plan.kind() == sql::PlanKind::kValues &&
         static_cast<const sql::ValuesNode&>(plan).batches.empty();
}

/// Walks `plan`; returns whether it reads a stream, recording the shape of the parts
/// that do (Spark's UnsupportedOperationChecker looks only at streaming subtrees).
bool InspectStreamPlan(const sql::LogicalPlan& plan, StreamPlanShape& shape) {
  if (IsStreamLeaf(plan)) {
    return true;
  }
  std::vector<bool> streaming;
  bool any = false;
  bool aggregate_below = shape.aggregation;
  for (const sql::PlanPtr& child : plan.children()) {
    streaming.push_back(InspectStreamPlan(*child, shape));
    any = any || streaming.back();
  }
  if (!any) {
    return false;
  }
  switch (plan.kind()) {
    case sql::PlanKind::kAggregate:
      shape.aggregation = true;
      break;
    case sql::PlanKind::kSetOp: {
      const auto& set_op = static_cast<const sql::SetOpNode&>(plan);
      if (set_op.op != sql::SetOperation::kUnion || !set_op.all) {
        shape.aggregation = true;  // a distinct union, INTERSECT and EXCEPT keep state
      }
      break;
    }
    case sql::PlanKind::kSort:
      shape.sort = true;
      shape.sort_above_aggregation = aggregate_below || shape.aggregation;
      break;
    case sql::PlanKind::kLimit:
      shape.limit = true;
      break;
    case sql::PlanKind::kJoin:
      if (streaming.size() == 2 && streaming[0] && streaming[1]) {
        shape.stream_stream_join = true;
      }
      break;
    case sql::PlanKind::kWindow:
      shape.window_function = true;
      break;
    default:
      break;
  }
  return true;
}

/// Spark's UnsupportedOperationChecker for what sluice runs without a state store.
Status CheckOutputMode(const StreamPlanShape& shape, stream::OutputMode mode) {
  using stream::OutputMode;
  if (shape.window_function) {
    return Status::BindError(
        "[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported on "
        "streaming DataFrames/Datasets (non-time-based windows)");
  }
  if (shape.stream_stream_join) {
    return Status::NotImplemented(
        "Joins between two streaming sources need the state store, which sluice does not have "
        "yet; join a stream with a static table instead");
  }
  if (shape.sort && !(mode == OutputMode::kComplete && shape.sort_above_aggregation)) {
    return Status::BindError(
        "Sorting is not supported on streaming DataFrames/Datasets, unless it is on aggregated "
        "DataFrame/Dataset in Complete output mode");
  }
  switch (mode) {
    case OutputMode::kAppend:
      if (shape.aggregation) {
        return Status::BindError(
            "Append output mode not supported when there are streaming aggregations on "
            "streaming DataFrames/DataSets without watermark");
      }
      if (shape.limit) {
        return Status::NotImplemented(
            "A limit on a streaming query in Append output mode needs the state store, which "
            "sluice does not have yet; use Complete output mode over an aggregation");
      }
      break;
    case OutputMode::kComplete:
      if (!shape.aggregation) {
        return Status::BindError(
            "Complete output mode not supported when there are no streaming aggregations on "
            "streaming DataFrames/Datasets");
      }
      break;
    case OutputMode::kUpdate:
      if (shape.limit) {
        return Status::BindError(
            "Limits are not supported on streaming DataFrames/Datasets in Update output mode");
      }
      if (shape.aggregation) {
        return Status::NotImplemented(
            "Update output mode with streaming aggregations needs the state store, which sluice "
            "does not have yet; use Complete output mode");
      }
      break;
  }
  return Status::Ok();
}

/// What one streaming query's plan runner owns: a private session (a query runs on its
/// own thread, and sessions are single-threaded), the query, and its sources' names.
struct StreamPlanContext {
  std::unique_ptr<Session> session;
  std::shared_ptr<const sql::QueryNode> query;
  std::vector<std::string> source_names;
  std::vector<SchemaPtr> source_schemas;
  /// Console output shows timestamps in the session time zone, as Spark does.
  bool to_session_time_zone = false;
};

/// The streaming source a STREAM(...) / read_files(...) reference reads.
Result<stream::SourceSpec> SourceForStreamRef(const sql::TableRef& ref, catalog::Catalog& catalog,
                                              const std::string& current_database,
                                              sql::Binder& binder) {
  stream::SourceSpec spec;
  switch (ref.kind) {
    case sql::TableRefKind::kNamed: {
      const std::string database =
          ref.name.size() >= 2 ? ref.name[ref.name.size() - 2] : current_database;
      SLUICE_ASSIGN_OR_RETURN(catalog::TableEntry entry,
                              catalog.LookupTable(database, ref.name.back()));
      spec.format = "delta";
      spec.path = entry.location;
      return spec;
    }
    case sql::TableRefKind::kPath:
      spec.format = ToLowerAscii(ref.format);
      spec.path = ref.path;
      return spec;
    case sql::TableRefKind::kFunction: {
      if (sql::IsReadKafkaCall(ref)) {
        // Databricks' argument names as the Kafka source's options; the source checks
        // the values when it is made.
        spec.format = "kafka";
        SLUICE_ASSIGN_OR_RETURN(spec.options,
                                sql::ResolveReadKafka(ref, binder, /*streaming=*/true));
        return spec;
      }
      if (!sql::IsReadFilesCall(ref)) {
        break;
      }
      // The batch read_files' resolution: arguments, format (or the files' extension),
      // schema (or inferred from the files present now), reader and source options.
      SLUICE_ASSIGN_OR_RETURN(sql::ReadFilesSpec files,
                              sql::ResolveReadFiles(ref, binder, LocalFileSystem::Default()));
      spec.format = files.format;
      spec.path = files.path;
      spec.schema = files.schema;
      spec.options = files.options;
      return spec;
    }
    default:
      break;
  }
  return Status::BindError(
      "STREAM applies to a table name, delta.`/path`, read_files(...) or read_kafka(...) in a "
      "streaming table's query");
}

/// A Kafka source option error as read_kafka's: kBindError naming the function (the
/// message names the option, which is the argument's name but for bootstrapServers).
Status ReadKafkaError(const Status& status) {
  if (status.code() != StatusCode::kInvalidArgument) {
    return status;
  }
  return Status::BindError(
      fmt::format("[INVALID_PARAMETER_VALUE] The function `read_kafka`: {}", status.message()));
}

}  // namespace

Result<std::shared_ptr<const sql::InMemoryRelation>> CatalogResolver::ReadTableFunction(
    std::string_view function, const OptionList& options) {
  if (function != "read_kafka") {
    return sql::TableResolver::ReadTableFunction(function, options);
  }
  Result<stream::KafkaSourceOptions> parsed =
      stream::KafkaSourceOptions::FromOptions(options, /*streaming=*/false);
  if (!parsed.ok()) {
    return ReadKafkaError(parsed.status());
  }
  Result<std::vector<BatchPtr>> records = stream::ReadKafka(options);
  if (!records.ok()) {
    return ReadKafkaError(records.status());
  }
  auto relation = std::make_shared<sql::InMemoryRelation>();
  relation->schema = kafka::RecordSchema(parsed->include_headers);
  relation->batches = std::move(records).value();
  return std::shared_ptr<const sql::InMemoryRelation>(std::move(relation));
}

void Session::RegisterTempRelation(const std::string& name,
                                   std::shared_ptr<const sql::InMemoryRelation> data) {
  impl_->temp_relations[ToLowerAscii(name)] = [data] { return data; };
}

void Session::DropTempRelation(const std::string& name) {
  impl_->temp_relations.erase(ToLowerAscii(name));
}

void Session::AddStreamingListener(std::shared_ptr<stream::StreamingQueryListener> listener) {
  impl_->listeners.push_back(std::move(listener));
}

std::vector<std::shared_ptr<stream::StreamingQuery>> Session::ActiveStreams() const {
  std::vector<std::shared_ptr<stream::StreamingQuery>> active;
  for (const auto& query : impl_->queries) {
    if (query->IsActive()) {
      active.push_back(query);
    }
  }
  return active;
}

Result<std::shared_ptr<stream::StreamingQuery>> Session::StartStream(
    std::string_view query_sql, std::vector<std::pair<std::string, stream::SourceSpec>> sources,
    StreamWriteSpec write) {
  SLUICE_ASSIGN_OR_RETURN(sql::StatementPtr statement, sql::ParseStatement(query_sql));
  if (statement->kind != sql::StatementKind::kQuery) {
    return Status::InvalidArgument("a streaming query must be a SELECT query");
  }
  return impl_->StartStreamingQuery(
      std::shared_ptr<const sql::QueryNode>(std::move(statement->query)), std::move(sources),
      std::move(write));
}

Result<std::shared_ptr<stream::StreamingQuery>> Session::Impl::StartStreamingQuery(
    std::shared_ptr<const sql::QueryNode> query,
    std::vector<std::pair<std::string, stream::SourceSpec>> source_specs, StreamWriteSpec write) {
  // Sources.
  stream::StreamingQueryOptions query_options;
  auto context = std::make_shared<StreamPlanContext>();
  context->query = query;
  for (auto& [name, spec] : source_specs) {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<stream::StreamSource> source, stream::MakeSource(spec));
    context->source_names.push_back(name);
    context->source_schemas.push_back(source->schema());
    query_options.sources.push_back(std::move(source));
  }
  SLUICE_ASSIGN_OR_RETURN(query_options.output_mode, stream::ParseOutputMode(write.output_mode));

  // Analysis: bind over empty stream relations for the output schema and the checks
  // (in a copy of the temporary relations: the stream names may shadow the session's).
  TempRelations analysis_relations = temp_relations;
  for (size_t i = 0; i < context->source_names.size(); ++i) {
    auto empty = std::make_shared<sql::InMemoryRelation>();
    empty->schema = context->source_schemas[i];
    analysis_relations[ToLowerAscii(context->source_names[i])] = [empty] { return empty; };
  }
  SchemaPtr output_schema;
  {
    CatalogResolver resolver(*catalog, current_database, &analysis_relations);
    sql::Binder binder(resolver, MakeBinderOptions());
    Result<sql::BoundQuery> bound = binder.BindQuery(*query);
    SLUICE_RETURN_IF_ERROR(bound.status());
    StreamPlanShape shape;
    InspectStreamPlan(*bound->plan, shape);
    SLUICE_RETURN_IF_ERROR(CheckOutputMode(shape, query_options.output_mode));
    output_schema = bound->plan->schema();
  }

  // The sink; toTable(name) writes to a catalog table, created now when missing.
  stream::SinkSpec& sink_spec = write.sink;
  if (!write.table.empty()) {
    SLUICE_ASSIGN_OR_RETURN(sink_spec.path,
                            EnsureStreamingTable(write.table, output_schema, sink_spec.partition_by,
                                                 write.table_properties, write.table_comment));
  }
  if (sink_spec.format.empty()) {
    sink_spec.format = "delta";  // spark.sql.sources.default is parquet; sluice writes Delta
  }
  const bool is_memory = EqualsIgnoreCase(sink_spec.format, "memory");
  const bool is_console = EqualsIgnoreCase(sink_spec.format, "console");
  if (is_memory && sink_spec.query_name.empty()) {
    return Status::InvalidArgument("queryName must be specified for memory sink");
  }
  SLUICE_ASSIGN_OR_RETURN(query_options.sink, stream::MakeSink(sink_spec));
  context->to_session_time_zone = is_console;

  // The checkpoint.
  std::string checkpoint = write.checkpoint_location;
  if (checkpoint.empty()) {
    const OptionMap sink_options(sink_spec.options, sink_spec.format);
    sink_options.GetString("checkpointLocation", &checkpoint);
  }
  if (checkpoint.empty() && write.managed_checkpoint && !write.table.empty()) {
    checkpoint = sink_spec.path + "/_checkpoint";  // VACUUM skips `_` directories
  }
  if (checkpoint.empty()) {
    std::string root = Setting(kCheckpointLocationKey);
    if (!root.empty()) {
      checkpoint = fmt::format(
          "{}/{}", root, sink_spec.query_name.empty() ? delta::RandomUuid() : sink_spec.query_name);
    } else if (is_memory || is_console) {
      checkpoint = fmt::format("/tmp/sluice-temporary-{}", delta::RandomUuid());
    }
  }
  query_options.checkpoint_location = checkpoint;
  query_options.name = sink_spec.query_name;
  query_options.trigger = write.trigger;
  query_options.listeners = listeners;
  query_options.conf[std::string(kShufflePartitionsKey)] = Setting(kShufflePartitionsKey);

  // The plan runner: the query over one micro-batch, in a private session.
  SessionOptions private_options = this->options;
  private_options.settings = settings;
  SLUICE_ASSIGN_OR_RETURN(context->session, Session::Open(std::move(private_options)));
  context->session->impl_->current_database = current_database;
  // Static relations the query joins with: the session's temporary relations as of now
  // (rows in memory, other memory sinks' live tables).
  context->session->impl_->temp_relations = temp_relations;
  // Sources read on the same workers as the plan (one runs after the other).
  query_options.pool = context->session->impl_->pool.get();
  query_options.plan =
      [context](const stream::MicroBatchInput& input) -> Result<stream::MicroBatchOutput> {
    Session::Impl& impl = *context->session->impl_;
    for (size_t i = 0; i < context->source_names.size(); ++i) {
      auto relation = std::make_shared<sql::InMemoryRelation>();
      relation->schema = context->source_schemas[i];
      relation->batches = input.sources[i];
      impl.temp_relations[ToLowerAscii(context->source_names[i])] = [relation] { return relation; };
    }
    impl.fixed_now_micros = input.batch_timestamp_ms * 1000;
    Result<QueryResult> result = impl.RunQuery(*context->query);
    impl.fixed_now_micros.reset();
    for (const std::string& name : context->source_names) {
      impl.temp_relations.erase(ToLowerAscii(name));
    }
    SLUICE_RETURN_IF_ERROR(result.status());
    if (context->to_session_time_zone) {
      SLUICE_ASSIGN_OR_RETURN(result, context->session->InSessionTimeZone(std::move(*result)));
    }
    return stream::MicroBatchOutput{result->schema, std::move(result->batches)};
  };

  // A memory sink's table is queryable by its queryName in this session.
  std::shared_ptr<stream::MemoryTable> memory_table;
  if (is_memory) {
    memory_table = static_cast<stream::MemorySink&>(*query_options.sink).table();
  }
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<stream::StreamingQuery> started,
                          stream::StreamingQuery::Start(std::move(query_options)));
  if (memory_table != nullptr) {
    temp_relations[ToLowerAscii(sink_spec.query_name)] = [memory_table, output_schema] {
      std::shared_ptr<const sql::InMemoryRelation> rows = memory_table->Snapshot();
      if (rows->schema != nullptr) {
        return rows;
      }
      // Before the first batch the table is empty, with the query's schema.
      auto empty = std::make_shared<sql::InMemoryRelation>();
      empty->schema = output_schema;
      return std::shared_ptr<const sql::InMemoryRelation>(empty);
    };
  }
  queries.push_back(started);
  return started;
}

Result<StreamingTablePlan> Session::Impl::PlanStreamingTable(const sql::Statement& statement) {
  // A fresh copy of the AST to rewrite: STREAM refs become names bound per micro-batch.
  SLUICE_ASSIGN_OR_RETURN(sql::StatementPtr copy, sql::ParseStatement(statement.text));
  StreamingTablePlan plan;
  CatalogResolver resolver(*catalog, current_database, &temp_relations);
  sql::Binder binder(resolver, MakeBinderOptions());
  std::vector<sql::TableRef*> refs = sql::FindStreamRefs(*copy->query);
  if (refs.empty()) {
    return Status::BindError(fmt::format(
        "The query of streaming table {} reads no stream: read a source with STREAM(table), "
        "STREAM delta.`/path`, STREAM read_files(...) or STREAM read_kafka(...)",
        statement.text.substr(0, 80)));
  }
  for (size_t i = 0; i < refs.size(); ++i) {
    sql::TableRef& ref = *refs[i];
    SLUICE_ASSIGN_OR_RETURN(stream::SourceSpec spec,
                            SourceForStreamRef(ref, *catalog, current_database, binder));
    std::string name = fmt::format("__stream_{}", i);
    if (ref.alias.empty() && ref.kind == sql::TableRefKind::kNamed) {
      ref.alias = ref.name.back();  // columns stay qualifiable by the table's name
    }
    ref.kind = sql::TableRefKind::kNamed;
    ref.name = {name};
    ref.stream = false;
    ref.function_args.clear();
    ref.named_args.clear();
    plan.sources.emplace_back(std::move(name), std::move(spec));
  }
  const sql::TableRef& table = *statement.table;
  std::string display;
  for (const std::string& part : table.name) {
    plan.table += (plan.table.empty() ? "" : ".") + fmt::format("`{}`", part);
    display += (display.empty() ? "" : ".") + part;
  }
  plan.query = std::shared_ptr<const sql::QueryNode>(std::move(copy->query));
  plan.write.table = plan.table;
  plan.write.sink.format = "delta";
  plan.write.sink.partition_by = statement.partition_by;
  plan.write.sink.query_name = display;
  plan.write.table_properties = statement.properties;
  plan.write.table_comment = statement.comment;
  plan.write.managed_checkpoint = true;
  return plan;
}

Result<QueryResult> Session::Impl::RunCreateStreamingTable(const sql::Statement& statement) {
  // In a session, CREATE STREAMING TABLE creates the table and refreshes it once: every
  // row available now is processed (Databricks SQL's refresh); `sluice run` keeps it
  // running.
  SLUICE_ASSIGN_OR_RETURN(StreamingTablePlan plan, PlanStreamingTable(statement));
  plan.write.trigger = stream::Trigger::AvailableNow();
  SLUICE_ASSIGN_OR_RETURN(
      std::shared_ptr<stream::StreamingQuery> query,
      StartStreamingQuery(plan.query, std::move(plan.sources), std::move(plan.write)));
  SLUICE_RETURN_IF_ERROR(query->AwaitTermination().status());
  return NoRows("create streaming table");
}

Result<std::vector<std::shared_ptr<stream::StreamingQuery>>> Session::StartPipeline(
    std::string_view script, stream::Trigger trigger) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<sql::StatementPtr> statements,
                          sql::ParseStatements(impl_->Substitute(script)));
  std::vector<std::shared_ptr<stream::StreamingQuery>> started;
  for (const sql::StatementPtr& statement : statements) {
    if (statement->kind != sql::StatementKind::kCreateStreamingTable) {
      SLUICE_RETURN_IF_ERROR(impl_->Run(*statement).status());
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(StreamingTablePlan plan, impl_->PlanStreamingTable(*statement));
    plan.write.trigger = trigger;
    SLUICE_ASSIGN_OR_RETURN(
        std::shared_ptr<stream::StreamingQuery> query,
        impl_->StartStreamingQuery(plan.query, std::move(plan.sources), std::move(plan.write)));
    if (trigger.terminates()) {
      // Drained in order, so a downstream table sees everything its upstream wrote.
      SLUICE_RETURN_IF_ERROR(query->AwaitTermination().status());
    }
    started.push_back(std::move(query));
  }
  return started;
}

Result<std::string> Session::Impl::EnsureStreamingTable(
    const std::string& name, const SchemaPtr& schema, const std::vector<std::string>& partition_by,
    const std::vector<std::pair<std::string, std::string>>& properties,
    const std::string& comment) {
  SLUICE_ASSIGN_OR_RETURN(sql::StatementPtr parsed,
                          sql::ParseStatement(fmt::format("DESCRIBE TABLE {}", name)));
  const sql::QualifiedName& parts = parsed->table->name;
  std::string database = parts.size() >= 2 ? parts[parts.size() - 2] : current_database;
  Result<catalog::TableEntry> entry = catalog->LookupTable(database, parts.back());
  if (entry.ok()) {
    return entry->location;
  }
  if (entry.status().code() != StatusCode::kNotFound) {
    return entry.status();
  }
  catalog::TableDefinition definition;
  definition.database = database;
  definition.name = parts.back();
  definition.schema = AsNullable(schema);
  definition.partition_columns = partition_by;
  definition.properties = properties;
  definition.comment = comment;
  SLUICE_ASSIGN_OR_RETURN(catalog::TableEntry created, catalog->CreateTable(definition, true));
  return created.location;
}

}  // namespace sluice::engine
