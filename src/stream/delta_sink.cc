// SPDX-License-Identifier: Apache-2.0
#include "stream/delta_sink.h"

#include <fmt/format.h>

#include <utility>

#include "columnar/concat.h"
#include "delta/writer.h"

namespace sluice::stream {

namespace {

// Runs of input batches are merged into batches of at least this many rows (larger
// input batches pass as they are).
constexpr int64_t kCoalesceRows = 16 * 1024;

bool HasNullType(const DataType& type) {
  switch (type.id()) {
    case TypeId::kNull:
      return true;
    case TypeId::kArray:
      return HasNullType(*type.element_type());
    case TypeId::kMap:
      return HasNullType(*type.key_type()) || HasNullType(*type.value_type());
    case TypeId::kStruct:
      for (const Field& field : type.fields()) {
        if (HasNullType(*field.type)) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

// Returns `batches` without empty ones and with runs of small batches concatenated, so
// the data file writer sees few large batches (Delta's optimized write, within a batch).
Result<std::vector<BatchPtr>> Coalesce(const std::vector<BatchPtr>& batches) {
  std::vector<BatchPtr> out;
  std::vector<BatchPtr> run;
  int64_t run_rows = 0;
  auto flush = [&]() -> Status {
    if (run.size() == 1) {
      out.push_back(std::move(run.front()));
    } else if (run.size() > 1) {
      SLUICE_ASSIGN_OR_RETURN(BatchPtr merged, ConcatenateBatches(run));
      out.push_back(std::move(merged));
    }
    run.clear();
    run_rows = 0;
    return Status::Ok();
  };
  for (const BatchPtr& batch : batches) {
    if (batch->num_rows() == 0) {
      continue;
    }
    run.push_back(batch);
    run_rows += batch->num_rows();
    if (run_rows >= kCoalesceRows) {
      SLUICE_RETURN_IF_ERROR(flush());
    }
  }
  SLUICE_RETURN_IF_ERROR(flush());
  return out;
}

}  // namespace

Result<DeltaSinkOptions> DeltaSinkOptions::Parse(const OptionList& options) {
  OptionMap map(options, "Delta");
  DeltaSinkOptions parsed;
  SLUICE_RETURN_IF_ERROR(map.GetBool("mergeSchema", &parsed.merge_schema));
  SLUICE_RETURN_IF_ERROR(map.GetBool("overwriteSchema", &parsed.overwrite_schema));
  map.GetString("userMetadata", &parsed.user_metadata);
  return parsed;
}

DeltaSink::DeltaSink(std::string table_root, std::vector<std::string> partition_by,
                     DeltaSinkOptions options, FileSystem* fs)
    : table_root_(std::move(table_root)),
      partition_by_(std::move(partition_by)),
      options_(std::move(options)),
      fs_(fs) {}

Result<std::unique_ptr<DeltaSink>> DeltaSink::Make(const SinkSpec& spec) {
  if (spec.path.empty()) {
    return Status::InvalidArgument(
        "'path' is not specified: writeStream.format(\"delta\") needs start(<table path>)");
  }
  SLUICE_ASSIGN_OR_RETURN(DeltaSinkOptions options, DeltaSinkOptions::Parse(spec.options));
  return std::make_unique<DeltaSink>(spec.path, spec.partition_by, std::move(options), spec.fs);
}

std::string DeltaSink::Description() const {
  return fmt::format("DeltaSink[{}]", table_root_);
}

Status DeltaSink::Open(const SinkContext& context) {
  if (context.output_mode == OutputMode::kUpdate) {
    return Status::InvalidArgument(
        fmt::format("[DELTA_UNSUPPORTED_OUTPUT_MODE] Data source delta does not support {} "
                    "output mode",
                    OutputModeName(context.output_mode)));
  }
  if (context.query_id.empty()) {
    return Status::InvalidArgument("The Delta sink needs the query id (its txn appId)");
  }
  query_id_ = context.query_id;
  pool_ = context.pool;
  output_mode_ = context.output_mode;
  if (fs_ == nullptr) {
    fs_ = context.fs != nullptr ? context.fs : &LocalFileSystem::Default();
  }
  opened_ = true;
  return Status::Ok();
}

Status DeltaSink::AddBatch(int64_t batch_id, const SchemaPtr& schema,
                           const std::vector<BatchPtr>& data) {
  if (!opened_) {
    return Status::Internal("DeltaSink::AddBatch before Open");
  }
  if (schema == nullptr) {
    return Status::InvalidArgument("DeltaSink::AddBatch needs the batch's schema");
  }
  for (const Field& field : schema->fields()) {
    if (HasNullType(*field.type)) {
      return Status::InvalidArgument(
          "[DELTA_NULL_SCHEMA_IN_STREAMING_WRITE] Delta doesn't accept NullTypes in the schema "
          "for streaming writes.");
    }
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, Coalesce(data));
  if (!root_created_) {
    // The data files of the first write may precede the table's _delta_log.
    SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(table_root_));
    root_created_ = true;
  }

  const bool complete = output_mode_ == OutputMode::kComplete;
  delta::WriteOptions write;
  write.merge_schema = options_.merge_schema;
  write.overwrite_schema = complete && options_.overwrite_schema;
  write.partition_columns = partition_by_;
  write.txn_app_id = query_id_;
  write.txn_version = batch_id;
  write.user_metadata = options_.user_metadata;
  write.files.pool = pool_;
  write.schema = schema;
  delta::Operation operation;
  operation.name = "STREAMING UPDATE";
  operation.parameters = {{"outputMode", std::string(OutputModeName(output_mode_))},
                          {"queryId", query_id_},
                          {"epochId", std::to_string(batch_id)}};
  write.operation = std::move(operation);
  Result<delta::WriteResult> result = complete ? delta::Overwrite(table_root_, batches, write, *fs_)
                                               : delta::Append(table_root_, batches, write, *fs_);
  return result.status();
}

}  // namespace sluice::stream
