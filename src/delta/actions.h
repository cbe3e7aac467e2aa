// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/json.h"
#include "common/result.h"

/// Delta Lake log actions (delta-io/delta PROTOCOL.md, "Actions"): the typed form of
/// one line of a commit file or one row of a checkpoint. Field names in comments are
/// the protocol's JSON names.
namespace sluice::delta {

/// An ordered list of string pairs (partition values, configuration, tags, format
/// options): kept in the order the log wrote them.
using StringMap = std::vector<std::pair<std::string, std::string>>;

/// Partition values of a file: column name (logical, or physical under column mapping)
/// to its serialized value; nullopt is a null partition value.
using PartitionValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

/// Returns the value of `key` in `map`, or null.
const std::string* FindValue(const StringMap& map, std::string_view key);
/// Returns the entry of `key` in `values`, or null when the column is absent.
const std::optional<std::string>* FindValue(const PartitionValues& values, std::string_view key);

/// `deletionVector`: where the deleted rows of a data file are recorded.
struct DeletionVectorDescriptor {
  /// `storageType`: "u" (a file next to the table, named by a Z85-encoded UUID with an
  /// optional random prefix), "i" (inline, Z85-encoded bitmap) or "p" (absolute path).
  std::string storage_type;
  /// `pathOrInlineDv`.
  std::string path_or_inline_dv;
  /// `offset`: where the DV starts in its file (absent for inline DVs).
  std::optional<int32_t> offset;
  /// `sizeInBytes`: size of the serialized DV (without the length prefix and checksum).
  int32_t size_in_bytes = 0;
  /// `cardinality`: number of deleted rows.
  int64_t cardinality = 0;
  /// `maxRowIndex` (optional).
  std::optional<int64_t> max_row_index;

  /// The protocol's unique id: storage_type + path_or_inline_dv, then "@" + offset when
  /// there is one. Two adds of one path with different DVs are different logical files.
  std::string UniqueId() const;
  bool operator==(const DeletionVectorDescriptor& other) const = default;
};

/// `protocol`.
struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  /// `readerFeatures` (reader version 3) and `writerFeatures` (writer version 7).
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;

  /// Whether the reader (writer) features list `feature`.
  bool HasReaderFeature(std::string_view feature) const;
  bool HasWriterFeature(std::string_view feature) const;
  bool operator==(const Protocol& other) const = default;
};

/// `metaData`.
struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  /// `format.provider` (always "parquet") and `format.options`.
  std::string format_provider = "parquet";
  StringMap format_options;
  /// `schemaString`: the table schema as Spark's schema JSON. Absent or null reads as ""
  /// (an empty schema, as Delta Spark treats it; Databricks DLT writes such logs).
  std::string schema_string;
  std::vector<std::string> partition_columns;
  /// `createdTime` (milliseconds since the epoch).
  std::optional<int64_t> created_time;
  /// `configuration`: table properties (delta.appendOnly, delta.columnMapping.mode, ...).
  StringMap configuration;

  bool operator==(const Metadata& other) const = default;
};

/// `add`.
struct AddFile {
  /// A relative path (URI-encoded, relative to the table root) or an absolute URI.
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  /// `modificationTime` (milliseconds since the epoch).
  int64_t modification_time = 0;
  bool data_change = true;
  /// `stats`: JSON text ({"numRecords":..,"minValues":{..},"maxValues":{..},
  /// "nullCount":{..},"tightBounds":..}); a checkpoint that has only `stats_parsed` has
  /// it re-serialized here, so readers see one form.
  std::optional<std::string> stats;
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;

  bool operator==(const AddFile& other) const = default;
};

/// `remove`.
struct RemoveFile {
  std::string path;
  /// `deletionTimestamp` (milliseconds since the epoch).
  std::optional<int64_t> deletion_timestamp;
  bool data_change = true;
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<std::string> stats;
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;

  bool operator==(const RemoveFile& other) const = default;
};

/// `cdc`: a Change Data Feed file under `_change_data/`.
struct AddCdcFile {
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  bool data_change = false;
  std::optional<StringMap> tags;

  bool operator==(const AddCdcFile& other) const = default;
};

/// `txn`: the last version an application committed (idempotent writes).
struct SetTransaction {
  std::string app_id;
  int64_t version = 0;
  /// `lastUpdated` (milliseconds since the epoch).
  std::optional<int64_t> last_updated;

  bool operator==(const SetTransaction& other) const = default;
};

/// `commitInfo`: free-form provenance, kept whole as the JSON object it was.
struct CommitInfo {
  JsonValue value = JsonValue::Object();

  /// `timestamp` (milliseconds), when present and an integer.
  std::optional<int64_t> timestamp() const;
  /// `inCommitTimestamp` (milliseconds), when present and an integer.
  std::optional<int64_t> in_commit_timestamp() const;
  /// `operation`, or "" when absent.
  std::string operation() const;

  bool operator==(const CommitInfo& other) const = default;
};

/// `domainMetadata`.
struct DomainMetadata {
  std::string domain;
  /// `configuration`: a string (usually JSON) owned by the domain.
  std::string configuration;
  bool removed = false;

  bool operator==(const DomainMetadata& other) const = default;
};

/// `checkpointMetadata` (only in V2 checkpoints).
struct CheckpointMetadata {
  int64_t version = 0;
  std::optional<StringMap> tags;

  bool operator==(const CheckpointMetadata& other) const = default;
};

/// `sidecar` (only in V2 checkpoints): a Parquet file under `_delta_log/_sidecars/`
/// holding add and remove actions.
struct Sidecar {
  /// A file name relative to `_delta_log/_sidecars/`, or an absolute URI.
  std::string path;
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  std::optional<StringMap> tags;

  bool operator==(const Sidecar& other) const = default;
};

/// One action. Actions the protocol does not define are not represented (readers
/// ignore them).
using Action = std::variant<Protocol, Metadata, AddFile, RemoveFile, AddCdcFile, SetTransaction,
                            CommitInfo, DomainMetadata, CheckpointMetadata, Sidecar>;

/// Parses one action object (one line of a commit: {"add":{...}}). Returns nullopt for
/// an object whose key is not an action sluice knows (the protocol says to ignore it);
/// unknown fields inside a known action are ignored too. kCorruption naming the action
/// and field for a missing required field or a field of the wrong JSON type.
Result<std::optional<Action>> ParseAction(const JsonValue& object);

/// Parses a commit file (newline-delimited actions; blank lines skipped). Errors name
/// `file_name` and the 1-based line.
Result<std::vector<Action>> ParseActions(std::string_view text, std::string_view file_name);

/// Returns the action as its one-key JSON object, fields in the protocol's names and
/// order, optional fields omitted when unset.
JsonValue ActionToJson(const Action& action);

/// Returns the actions as commit file content: one JSON object per line, each line
/// ending in '\n'.
std::string SerializeActions(const std::vector<Action>& actions);

}  // namespace sluice::delta
