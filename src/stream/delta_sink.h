// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "stream/factory.h"
#include "stream/sink.h"

/// The Delta streaming sink (Delta Spark's DeltaSink): each micro-batch is one Delta
/// commit that carries the data and `txn{appId = query id, version = batch id}`, so a
/// batch re-run after a crash finds its txn recorded and writes nothing (exactly-once).
namespace sluice::stream {

/// The options of writeStream.format("delta") the sink reads.
struct DeltaSinkOptions {
  /// `mergeSchema`: add the data's new columns to the table.
  bool merge_schema = false;
  /// `overwriteSchema`: in complete mode, replace the table's schema with the data's.
  bool overwrite_schema = false;
  /// `userMetadata` for each commit's commitInfo.
  std::optional<std::string> user_metadata;

  /// Reads the options above (names ignoring case); kInvalidArgument for a bad value.
  static Result<DeltaSinkOptions> Parse(const OptionList& options);
};

/// Writes micro-batches into the Delta table at a root (created by the first batch:
/// schema from the data, every column nullable, partitioned by `partition_by`).
///
/// - Append mode: each batch is appended. Complete mode: each batch removes every live
///   file and adds the new ones in one commit (truncate + add); an empty result leaves an
///   empty table. Update mode is refused at Open, as Delta does.
/// - Idempotent per batch id: when the table records txn version >= batch id for the
///   query id, AddBatch writes nothing. Empty batches still commit their txn (as Delta
///   does). A concurrent writer with the same query id (a zombie) loses the commit race
///   with ConcurrentTransactionException (kConflict).
/// - commitInfo: operation "STREAMING UPDATE" with {"outputMode":"Append"|"Complete",
///   "queryId":<query id>,"epochId":"<batch id>"}.
/// - Schema: Delta's enforcement for DataFrame writes (delta/writer.h): new columns need
///   mergeSchema; NullType columns are refused (Delta's streaming-write rule).
/// - Files: the batch's many small input batches are coalesced first, so a batch writes
///   about ceil(bytes / delta.targetFileSize) files per partition, not one per input
///   batch.
class DeltaSink final : public StreamSink {
 public:
  DeltaSink(std::string table_root, std::vector<std::string> partition_by, DeltaSinkOptions options,
            FileSystem* fs);

  /// From writeStream settings: spec.path is the table root (kInvalidArgument when empty).
  static Result<std::unique_ptr<DeltaSink>> Make(const SinkSpec& spec);

  /// "DeltaSink[<table root>]".
  std::string Description() const override;
  /// Keeps the query id; kInvalidArgument for update mode or an empty query id.
  Status Open(const SinkContext& context) override;
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override;

 private:
  std::string table_root_;
  std::vector<std::string> partition_by_;
  DeltaSinkOptions options_;
  /// The spec's file system; null means the context's (else the local one).
  FileSystem* fs_;
  std::string query_id_;
  OutputMode output_mode_ = OutputMode::kAppend;
  ThreadPool* pool_ = nullptr;  // from SinkContext; may be null
  bool opened_ = false;
  /// Whether the table root directory is known to exist.
  bool root_created_ = false;
};

}  // namespace sluice::stream
