// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/json.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "delta/actions.h"
#include "delta/log_files.h"
#include "formats/parquet/writer.h"
#include "types/data_type.h"

/// Delta checkpoints (delta-io/delta PROTOCOL.md, "Checkpoints", "Checkpoint Specs",
/// "Checkpoint Schema", "Sidecar Files", "Last Checkpoint File Schema"): reading every
/// kind (classic, multi-part, UUID-named V2 in JSON or Parquet, with sidecars), writing
/// classic V1 checkpoints as Delta Spark lays them out, and the `_last_checkpoint` file.
namespace sluice::delta {

/// Which actions a checkpoint read returns. A Parquet checkpoint holds one nullable
/// struct column per action kind; a kind not wanted is a column not read, so a caller
/// that needs only the protocol and metadata skips decoding the file actions.
struct CheckpointReadOptions {
  bool protocol = true;
  bool metadata = true;
  /// `txn`.
  bool transactions = true;
  bool domain_metadata = true;
  bool add = true;
  bool remove = true;
  /// When set, Parquet column chunks are decoded on this pool too (not owned).
  ThreadPool* pool = nullptr;

  /// Options that read only `protocol` and `metaData`.
  static CheckpointReadOptions ProtocolAndMetadata() {
    return {.transactions = false, .domain_metadata = false, .add = false, .remove = false};
  }
};

/// Reads one checkpoint file at `path` (a full path) of the log at `log_dir`:
/// - a Parquet file (classic `n.checkpoint.parquet`, one part of a multi-part checkpoint,
///   or a UUID-named `n.checkpoint.<uuid>.parquet`): one action per row, from the
///   columns txn, add, remove, metaData, protocol, domainMetadata, checkpointMetadata and
///   sidecar (matched as Spark does, exact name first, then ignoring case). Other columns,
///   and rows without a known action, are ignored; a missing column means no action of
///   its kind;
/// - a `.json` file (UUID-named V2): newline-delimited actions, as a commit.
/// Actions come in file order; `checkpointMetadata` and `sidecar` actions are always
/// returned. When add or remove actions are wanted, each sidecar (`_delta_log/_sidecars/`
/// + its path, percent-decoded; or an absolute path or `file:` URI) is read as Parquet
/// and its add and remove actions are appended after the file's own, in sidecar order.
/// An add whose row has only `stats_parsed` gets that struct re-serialized as its
/// `stats` JSON ({"numRecords":..,"minValues":{..},"maxValues":{..},"nullCount":{..},
/// "tightBounds":..}; timestamps "yyyy-MM-ddTHH:mm:ss.SSSZ", timestamp_ntz without the
/// 'Z', dates "yyyy-MM-dd", numbers as JSON numbers, NaN and infinities as strings,
/// nulls left out); with a `stats` string it keeps that text.
/// Errors name the file: kNotFound / kIoError from the file system; kCorruption for a
/// broken Parquet or JSON file, a column of an unexpected type, a row missing a
/// required field (as ParseAction would for JSON) or a sidecar path with a bad percent
/// escape; kNotImplemented for a sidecar URI of another scheme (ResolveDataPath).
Result<std::vector<Action>> ReadCheckpointFile(const std::string& path, const std::string& log_dir,
                                               FileSystem& fs,
                                               const CheckpointReadOptions& options = {});

/// Reads every file of `checkpoint` (the parts of a multi-part checkpoint in part order)
/// with ReadCheckpointFile and concatenates their actions.
Result<std::vector<Action>> ReadCheckpoint(const CheckpointInstance& checkpoint,
                                           const std::string& log_dir, FileSystem& fs,
                                           const CheckpointReadOptions& options = {});

/// `v2Checkpoint` of `_last_checkpoint`: the UUID-named V2 checkpoint it points to,
/// optionally with the checkpoint's non-file actions and sidecars inlined.
struct LastCheckpointV2 {
  /// The checkpoint's file name, relative to `_delta_log`.
  std::string path;
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  /// `nonFileActions`: protocol, metaData, txn, domainMetadata, checkpointMetadata.
  std::optional<std::vector<Action>> non_file_actions;
  /// `sidecarFiles`.
  std::optional<std::vector<Sidecar>> sidecar_files;

  bool operator==(const LastCheckpointV2& other) const = default;
};

/// The `_delta_log/_last_checkpoint` file: a pointer to a recent checkpoint.
struct LastCheckpoint {
  int64_t version = 0;
  /// `size`: the number of actions (rows) in the checkpoint.
  int64_t size = 0;
  /// `parts`: the number of files of a multi-part checkpoint.
  std::optional<int64_t> parts;
  /// `sizeInBytes` (older delta-rs wrote `size_in_bytes`, also read).
  std::optional<int64_t> size_in_bytes;
  /// `numOfAddFiles`.
  std::optional<int64_t> num_of_add_files;
  /// `checkpointSchema`: the checkpoint's schema as Spark's schema JSON, kept as JSON.
  std::optional<JsonValue> checkpoint_schema;
  std::optional<LastCheckpointV2> v2_checkpoint;
  std::optional<StringMap> tags;
  /// `checksum`: an MD5 of the canonicalized JSON. Kept as read; not verified (the
  /// protocol only encourages it), and not written.
  std::optional<std::string> checksum;

  bool operator==(const LastCheckpoint& other) const = default;
};

/// The name of the last checkpoint file inside `_delta_log`.
inline constexpr std::string_view kLastCheckpointFileName = "_last_checkpoint";

/// Parses the content of a `_last_checkpoint` file. kCorruption (naming `file_name`)
/// for text that is not a JSON object (an empty file included), or without an integer
/// `version` >= 0 and `size`, or with fields of the wrong type. Unknown fields are
/// ignored; a JSON null counts as absent (delta-rs writes "parts":null).
Result<LastCheckpoint> ParseLastCheckpoint(std::string_view text, std::string_view file_name);

/// Reads `<log_dir>/_last_checkpoint`. nullopt when the file does not exist. A file that
/// cannot be parsed (empty, truncated, not JSON, no version) is kCorruption: the caller
/// should then ignore it and find the newest checkpoint by listing the log, as Delta
/// readers do. kIoError when it cannot be read.
Result<std::optional<LastCheckpoint>> ReadLastCheckpoint(const std::string& log_dir,
                                                         FileSystem& fs);

/// Returns the `_last_checkpoint` JSON as Delta Spark writes it: {"version":..,
/// "size":..,"parts":..,"sizeInBytes":..,"numOfAddFiles":..,"checkpointSchema":..,
/// "v2Checkpoint":..,"tags":..}, unset fields left out, no checksum. One line, no
/// trailing newline.
std::string SerializeLastCheckpoint(const LastCheckpoint& last_checkpoint);

/// How WriteClassicCheckpoint writes.
struct CheckpointWriteOptions {
  /// `delta.checkpoint.writeStatsAsJson`: write add.stats (the JSON string).
  bool write_stats_as_json = true;
  /// `delta.checkpoint.writeStatsAsStruct`: write add.stats_parsed (the statistics as
  /// typed columns) and, for a partitioned table, add.partitionValues_parsed.
  bool write_stats_as_struct = true;
  /// The Parquet layout (codec, row groups, ...); Spark's defaults otherwise.
  parquet::ParquetWriteOptions parquet;
};

/// What WriteClassicCheckpoint wrote.
struct CheckpointWriteResult {
  /// The checkpoint file's full path.
  std::string path;
  /// What `_last_checkpoint` says of it (version, size, sizeInBytes, numOfAddFiles,
  /// checkpointSchema).
  LastCheckpoint last_checkpoint;
  /// Whether `_last_checkpoint` was written: false when it already named a newer
  /// checkpoint, which is left in place.
  bool last_checkpoint_written = false;
};

/// Writes the classic V1 checkpoint `<log_dir>/<version padded to 20>.checkpoint.parquet`
/// holding `actions`: the state of the table at `version` after log replay (one protocol,
/// one metaData, the txns, the live domain metadata, the live adds and the unexpired
/// removes), one row each, in the given order. Domain metadata with `removed` set are
/// left out; removes lose their stats and tags (the protocol keeps neither). The
/// Parquet schema is Delta Spark's: nullable struct columns txn, add, remove, metaData,
/// protocol, domainMetadata; add with path, partitionValues (map<string,string>), size,
/// modificationTime, dataChange, tags, deletionVector, baseRowId,
/// defaultRowCommitVersion, clusteringProvider, then per `options` stats (string),
/// partitionValues_parsed and stats_parsed.
///
/// The parsed columns are typed by `table_schema` (the logical schema, partition
/// columns included) and named as the log keys them: under column mapping (the mode the
/// protocol and metaData select) by physical names (PhysicalSchema), else by the
/// schema's names. partitionValues_parsed holds the values ParsePartitionValue gives.
/// stats_parsed has
/// numRecords, minValues, maxValues, nullCount and tightBounds, each column included
/// when some add's stats JSON has it (min/max of numbers, decimals, strings, booleans,
/// dates and timestamps; nullCount of every column, a long for arrays and maps). A
/// statistic that does not parse as its column's type is null there (statistics are
/// hints); a partition value that does not parse is kCorruption naming the add, as is a
/// column without its physical name under column mapping.
///
/// The file is written whole and atomically (FileSystem::WriteFileAtomic): readers never
/// see a partial checkpoint under its name. Then `_last_checkpoint` is replaced
/// atomically to point at it, unless it already names a newer version.
/// kInvalidArgument when `actions` do not hold exactly one protocol and one metaData, or
/// hold an action a checkpoint cannot (commitInfo, cdc, checkpointMetadata, sidecar),
/// or a partition column is not in `table_schema`; kNotImplemented for an unknown column
/// mapping mode; file system errors as they come.
Result<CheckpointWriteResult> WriteClassicCheckpoint(
    const std::string& log_dir, int64_t version, const std::vector<Action>& actions,
    const Schema& table_schema, const std::vector<std::string>& partition_columns, FileSystem& fs,
    const CheckpointWriteOptions& options = {});

}  // namespace sluice::delta
