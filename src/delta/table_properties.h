// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "delta/actions.h"
#include "types/data_type.h"

/// Delta table properties (`metaData.configuration`, "delta.*" keys) as a writer reads
/// them, with Delta's defaults; the protocol a new table needs; and whether sluice can
/// write a table at all (PROTOCOL.md "Table Features", "Writer Version Requirements").
namespace sluice::delta {

/// The isolation level a table's writes commit under (`delta.isolationLevel`).
/// Serializable (Delta OSS's default) fails a transaction that read part of the table
/// when a concurrent blind append added files there; WriteSerializable (Databricks'
/// default) lets it commit. SnapshotIsolation is not a property value: a commit whose
/// actions are all files with dataChange=false (compaction) uses it, and then files
/// added concurrently never conflict.
enum class IsolationLevel { kSerializable, kWriteSerializable, kSnapshotIsolation };

/// Returns "Serializable", "WriteSerializable" or "SnapshotIsolation" (as
/// commitInfo.isolationLevel says).
std::string_view IsolationLevelName(IsolationLevel level);

/// Parses a Delta interval property ("interval 30 days", "interval 1 week", "7 days",
/// "interval 2 hours", "1 day 12 hours"; units week, day, hour, minute, second,
/// millisecond, microsecond, singular or plural, any case) into milliseconds.
/// kInvalidArgument naming `key` for anything else, months and years included (Delta
/// refuses them: their length varies) and for negative totals.
Result<int64_t> ParseIntervalMillis(std::string_view key, std::string_view text);

/// Parses a byte size ("134217728", "128mb", "1g", "512 KiB"); kInvalidArgument naming
/// `key` otherwise.
Result<int64_t> ParseByteSize(std::string_view key, std::string_view text);

/// The properties a writer consults, with Delta's defaults when unset.
struct TableProperties {
  /// `delta.appendOnly` (false): removes with dataChange=true are refused.
  bool append_only = false;
  /// `delta.checkpointInterval` (10): a checkpoint after every N-th commit.
  int64_t checkpoint_interval = 10;
  /// `delta.logRetentionDuration` ("interval 30 days").
  int64_t log_retention_millis = 30LL * 24 * 3600 * 1000;
  /// `delta.enableExpiredLogCleanup` (true).
  bool enable_expired_log_cleanup = true;
  /// `delta.deletedFileRetentionDuration` ("interval 1 week"): tombstones older than this
  /// may be dropped from checkpoints and their files vacuumed.
  int64_t deleted_file_retention_millis = 7LL * 24 * 3600 * 1000;
  /// `delta.setTransactionRetentionDuration` (unset: txn ids never expire).
  std::optional<int64_t> set_transaction_retention_millis;
  /// `delta.dataSkippingNumIndexedCols` (32; -1 = every column).
  int data_skipping_num_indexed_cols = 32;
  /// `delta.targetFileSize` (sluice's default 128 MiB): data files roll over at this size.
  int64_t target_file_size = 128LL << 20;
  /// `delta.isolationLevel` (Serializable, as Delta OSS).
  IsolationLevel isolation_level = IsolationLevel::kSerializable;
  /// `delta.enableChangeDataFeed` (false).
  bool enable_change_data_feed = false;
  /// `delta.enableDeletionVectors` (false).
  bool enable_deletion_vectors = false;
  /// `delta.enableInCommitTimestamps` (false).
  bool enable_in_commit_timestamps = false;
  /// `delta.parquet.compression.codec` ("snappy" in sluice, as Spark writes; the spec
  /// suggests zstd when absent). Lower case.
  std::string parquet_compression_codec = "snappy";
  /// `delta.checkpoint.writeStatsAsJson` (true) and `delta.checkpoint.writeStatsAsStruct`
  /// (true, as Delta Spark).
  bool checkpoint_write_stats_as_json = true;
  bool checkpoint_write_stats_as_struct = true;
  /// `delta.columnMapping.mode` ("none"), lower case.
  std::string column_mapping_mode = "none";

  /// Reads the properties of `configuration`. kInvalidArgument naming the key for a value
  /// of the wrong form (Delta checks the same when properties are set).
  static Result<TableProperties> FromConfiguration(const StringMap& configuration);
};

/// Checks and normalizes the configuration of a new table, or one being changed (CREATE
/// TABLE ... TBLPROPERTIES, ALTER TABLE SET TBLPROPERTIES), as Delta does: keys that start
/// with "delta." (any case) must be properties Delta defines and are rewritten in Delta's
/// spelling ("delta.appendonly" -> "delta.appendOnly"); their values must parse.
/// `delta.minReaderVersion`, `delta.minWriterVersion` and `delta.feature.<name>` stay in
/// the result for ProtocolForNewTable to consume. Other keys pass through unchanged.
/// kInvalidArgument: "Unknown configuration was specified: <key>", or the key's value
/// error.
Result<StringMap> NormalizeConfiguration(const StringMap& configuration);

/// The protocol a new table with `schema` and `configuration` needs, as Delta chooses it:
/// reader 1 / writer 2 by default; delta.enableChangeDataFeed=true -> writer 4; column
/// mapping -> reader 2 / writer 5; check constraints -> writer 3; generated columns ->
/// writer 4; identity columns -> writer 6; timestamp_ntz columns, deletion vectors, in-commit
/// timestamps or `delta.feature.<name>=supported|enabled` -> table features (reader 3 /
/// writer 7, or reader 1 / writer 7 for writer-only features) listing what is needed plus
/// "appendOnly" and "invariants" (the defaults' features, as Spark lists them). Explicit
/// `delta.minReaderVersion` / `delta.minWriterVersion` raise the versions. Returns the
/// protocol and writes the configuration without the protocol keys to `*stripped`.
Result<Protocol> ProtocolForNewTable(const Schema& schema, const StringMap& configuration,
                                     StringMap* stripped);

/// The least protocol `schema` and `configuration` need (no default writer-2 baseline):
/// what an existing table must be upgraded to when its metadata changes.
Protocol RequiredProtocol(const Schema& schema, const StringMap& configuration);

/// The writer features a protocol asks writers to respect: its writerFeatures (writer 7)
/// or those its legacy writer version implies (2: appendOnly, invariants; 3: +
/// checkConstraints; 4: + changeDataFeed, generatedColumns; 5: + columnMapping; 6: +
/// identityColumns).
std::vector<std::string> EffectiveWriterFeatures(const Protocol& protocol);

/// The smallest protocol that supports everything `a` and `b` support: the larger
/// versions when both are legacy (reader < 3, writer < 7), else table features with the
/// union of both sides' (effective) features.
Protocol MergeProtocols(const Protocol& a, const Protocol& b);

/// OK when sluice can commit to a table with `protocol` and `metadata` (whose parsed
/// schema is `schema`). kNotImplemented, naming the table and the feature, when the writer
/// version is above 7, a writer feature is unknown to sluice, or a feature is active that
/// sluice cannot enforce on written rows: column invariants (`delta.invariants`), CHECK
/// constraints (`delta.constraints.*`), generated columns, identity columns, column
/// defaults, Iceberg compatibility, catalog-managed commits.
Status CheckWritable(const Protocol& protocol, const Metadata& metadata, const Schema& schema,
                     std::string_view table_root);

}  // namespace sluice::delta
