// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "delta/actions.h"
#include "delta/snapshot.h"
#include "delta/transaction.h"
#include "formats/parquet/compression.h"
#include "types/data_type.h"

/// Writing Delta tables: creating them, writing rows as Parquet data files (split by
/// partition values, rolled at a target size, with statistics), and the DataFrame-style
/// writes Spark offers (append, overwrite) with Delta's schema enforcement and
/// evolution. Commits go through Transaction (transaction.h).
///
/// Schema enforcement (Delta's rules for DataFrame writes, which never cast implicitly;
/// SQL INSERT casts, DataFrame writes do not):
///   - data columns match table columns by name ignoring ASCII case (Spark's default);
///     the table's spelling is kept;
///   - table columns the data lacks are written as nulls (a NOT NULL column then fails
///     with "NOT NULL constraint violated for column: <name>.");
///   - data columns the table lacks fail with Delta's "A schema mismatch detected when
///     writing to the Delta table" naming them, unless merge_schema: then they are
///     appended to the table schema (nested struct fields to their struct), nullable;
///   - a data column of another type than the table's fails with "Failed to merge fields
///     '<col>' and '<col>'. Failed to merge incompatible data types <table type> and
///     <data type>" (Spark's type names), except void (all-null) data columns, which fit
///     any type;
///   - overwrite_schema (with Overwrite only) replaces the schema and the partitioning.
namespace sluice::delta {

/// How data files are laid out.
struct DataFileOptions {
  /// A file is closed, and the next one started, once it holds this many bytes (checked
  /// as its row groups are flushed; row groups are at most this size too). The table's
  /// `delta.targetFileSize` (sluice default 128 MiB) when unset.
  std::optional<int64_t> target_file_size;
  /// At most this many rows per file (Spark's maxRecordsPerFile); 0 means no limit.
  int64_t max_records_per_file = 0;
  /// The adds' dataChange (false for rewrites that change no data, e.g. compaction).
  bool data_change = true;
  /// The Parquet codec; the table's `delta.parquet.compression.codec` when unset, else
  /// snappy (as Spark writes).
  std::optional<parquet::Codec> compression;
  /// Workers that encode files in parallel (not owned; nullptr: the calling thread
  /// only). The rows are then cut into up to num_threads + 1 row-contiguous parts of at
  /// least kMinRowsPerParallelPart rows, each written as its own files, as Spark's
  /// tasks each write their own files.
  ThreadPool* pool = nullptr;
};

/// The fewest rows a part of a parallel write gets (smaller writes stay in one part, so
/// small batches still make one file).
inline constexpr int64_t kMinRowsPerParallelPart = 256 * 1024;

/// The table a write goes into.
struct WriteTarget {
  std::string table_root;
  Protocol protocol;
  Metadata metadata;
  /// The logical schema (metadata.schema_string), partition columns included.
  SchemaPtr schema;

  /// The target of an existing table's snapshot.
  static WriteTarget FromSnapshot(const Snapshot& snapshot);
};

/// Writes `batches`, whose columns are the target schema's (in order, with its types;
/// see ConformToTable), as Parquet data files under the table root and returns their add
/// actions. Rows are split by their partition values into Hive-style directories
/// (`date=2024-05-01/`, escaped as Hive does, `__HIVE_DEFAULT_PARTITION__` for null);
/// partition columns are not stored in the files. Under column mapping (name, id) the
/// files use physical names and field ids, partition values and statistics are keyed by
/// physical names, and files go into random two-character prefix directories instead.
/// Files are named `part-<n>-<uuid>-c000.<codec>.parquet`, synced before this returns,
/// and described by add actions with the URI-encoded relative path, partition values,
/// size, modification time, dataChange and stats (numRecords, minValues, maxValues,
/// nullCount for the first `delta.dataSkippingNumIndexedCols` columns). On error the
/// files written so far are deleted. kInvalidArgument for batches of another shape.
Result<std::vector<AddFile>> WriteDataFiles(const WriteTarget& target,
                                            const std::vector<BatchPtr>& batches,
                                            const DataFileOptions& options, FileSystem& fs);

/// The schema a write leaves on the table (see the rules above): `table` with, under
/// `merge_schema`, the data's new columns and struct fields appended. kInvalidArgument
/// (Delta's messages) for new columns without merge_schema or incompatible types.
/// `table_id` is the table's metaData.id, for the message.
Result<SchemaPtr> MergeWriteSchema(const Schema& table, const Schema& data, bool merge_schema,
                                   std::string_view table_id);

/// Returns `batch` as rows of `table_schema`: columns matched by name ignoring case,
/// missing columns and struct fields null, void columns typed. Run MergeWriteSchema
/// first; kInvalidArgument for a non-nullable column holding nulls (Delta's "NOT NULL
/// constraint violated for column: <name>.").
Result<BatchPtr> ConformToTable(const Batch& batch, const SchemaPtr& table_schema);

/// Creates an empty table (version 0, operation "CREATE TABLE"): metaData with a random
/// id, the schema, partition columns (top-level columns of primitive types) and the
/// configuration (NormalizeConfiguration), and the protocol ProtocolForNewTable picks.
/// kAlreadyExists when `table_root` already holds a Delta table.
Result<CommitResult> CreateTable(const std::string& table_root, const SchemaPtr& schema,
                                 const std::vector<std::string>& partition_columns,
                                 const StringMap& configuration, FileSystem& fs,
                                 TransactionOptions options = {});

/// Options of Append and Overwrite (Spark's DataFrameWriter options for Delta).
struct WriteOptions {
  /// `mergeSchema`: add the data's new columns to the table.
  bool merge_schema = false;
  /// `overwriteSchema` (Overwrite only): replace the schema and partitioning.
  bool overwrite_schema = false;
  /// `partitionBy`: the partitioning of a table this write creates (or replaces, with
  /// overwrite_schema); for an existing table it must match its partitioning when given.
  std::vector<std::string> partition_columns;
  /// Table properties of a table this write creates.
  StringMap configuration;
  /// `txnAppId` / `txnVersion` (both or neither): skip the write when the table already
  /// records this version (or a later one) for the app id; record it otherwise.
  std::optional<std::string> txn_app_id;
  std::optional<int64_t> txn_version;
  /// `userMetadata` for commitInfo.
  std::optional<std::string> user_metadata;
  /// The operation commitInfo records instead of "WRITE" {"mode":...} (the Delta
  /// streaming sink's "STREAMING UPDATE"); user_metadata above still applies when set.
  std::optional<Operation> operation;
  /// Overwrite only: remove just the files this filter accepts instead of every file
  /// (Delta's replaceWhere over partition columns; INSERT OVERWRITE t PARTITION (k = v)).
  std::optional<PartitionFilter> replace_partitions;
  /// Overwrite only: Spark's partitionOverwriteMode = dynamic: remove just the files of
  /// the partitions the new data writes to (nothing when it writes no rows).
  bool dynamic_partition_overwrite = false;
  /// The data's schema, needed only when there are no batches.
  SchemaPtr schema;
  DataFileOptions files;
  TransactionOptions transaction;
};

/// What a write did.
struct WriteResult {
  CommitResult commit;
  /// The files added (empty for a skipped write).
  std::vector<AddFile> added;
  int64_t num_removed_files = 0;
  int64_t num_output_rows = 0;
};

/// Appends `batches` (Spark's mode "append"): creates the table when `table_root` has
/// none (schema from the data, all columns nullable, as Spark does), otherwise enforces
/// or merges the schema. A blind append: retried past concurrent appends. Operation
/// "WRITE" with {"mode":"Append","partitionBy":...}. Files of a failed write are deleted.
Result<WriteResult> Append(const std::string& table_root, const std::vector<BatchPtr>& batches,
                           const WriteOptions& options, FileSystem& fs);

/// Replaces the table's rows with `batches` (Spark's mode "overwrite"): every live file
/// is removed (deletionTimestamp = commit time) and the new ones added in one commit
/// that read the whole table; with overwrite_schema the schema and partitioning become
/// the data's. Operation "WRITE" with {"mode":"Overwrite",...}. Creates a missing table.
Result<WriteResult> Overwrite(const std::string& table_root, const std::vector<BatchPtr>& batches,
                              const WriteOptions& options, FileSystem& fs);

/// Options of CommitActions.
struct CommitActionsOptions {
  /// The version the caller planned against (DML read it): conflicts are checked from
  /// there. The latest version when unset.
  std::optional<int64_t> read_version;
  /// The caller read the whole table (else: it read the files it removes).
  bool read_whole_table = false;
  TransactionOptions transaction;
};

/// Commits prepared file actions (DML rewrites, compaction with dataChange=false):
/// the removed files count as read. kNotFound when the table does not exist.
Result<CommitResult> CommitActions(const std::string& table_root, std::vector<AddFile> adds,
                                   std::vector<RemoveFile> removes, const Operation& operation,
                                   FileSystem& fs, const CommitActionsOptions& options = {});

/// Whether the table at `table_root` already records `version` (or a later one) for
/// `app_id` (idempotent writes); false when the table does not exist.
Result<bool> AlreadyCommitted(const std::string& table_root, std::string_view app_id,
                              int64_t version, FileSystem& fs);

}  // namespace sluice::delta
