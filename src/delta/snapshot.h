// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "delta/actions.h"
#include "delta/log_files.h"
#include "types/data_type.h"

/// Log replay: the state of a Delta table at one version.
namespace sluice::delta {

class Snapshot;
using SnapshotPtr = std::shared_ptr<const Snapshot>;

/// The state of a table at one version (PROTOCOL.md "Action Reconciliation"): the latest
/// protocol and metadata, the live files, the tombstones, the latest version per
/// transaction app id and the live domain metadata. Immutable; share it freely.
class Snapshot {
 public:
  /// Loads the latest version of the table at `table_root` (or `version`): lists the log,
  /// reads the newest usable checkpoint and the commits after it, replays them, and
  /// checks that sluice can read the protocol (CheckReadable). Errors name the table:
  /// kNotFound "not a Delta table" when there is no `_delta_log` or no commit;
  /// kInvalidArgument for a version out of range (Spark's DELTA_VERSION_NOT_FOUND
  /// text); kCorruption for missing commits, a log without protocol or metaData, or a
  /// broken action; kNotImplemented naming the reader features sluice lacks.
  static Result<SnapshotPtr> Load(const std::string& table_root, FileSystem& fs,
                                  std::optional<int64_t> version = std::nullopt);

  /// Loads the version a timestamp selects, as Spark's `timestampAsOf` does: the latest
  /// commit whose timestamp is at or before `timestamp_millis`. A timestamp before the
  /// first available commit or after the last is kInvalidArgument with Spark's text.
  static Result<SnapshotPtr> LoadAtTimestamp(const std::string& table_root, FileSystem& fs,
                                             int64_t timestamp_millis);

  const std::string& table_root() const { return table_root_; }
  const std::string& log_dir() const { return log_dir_; }
  int64_t version() const { return version_; }
  const Protocol& protocol() const { return protocol_; }
  const Metadata& metadata() const { return metadata_; }
  /// The logical table schema (metaData.schemaString), partition columns included.
  const SchemaPtr& schema() const { return schema_; }
  const std::vector<std::string>& partition_columns() const { return metadata_.partition_columns; }
  /// A table property (metaData.configuration), or null.
  const std::string* Property(std::string_view key) const {
    return FindValue(metadata_.configuration, key);
  }

  /// The live data files, sorted by path.
  const std::vector<AddFile>& files() const { return files_; }
  /// The removes still in the log (tombstones), sorted by path.
  const std::vector<RemoveFile>& tombstones() const { return tombstones_; }
  /// The latest `txn` per app id, sorted by app id.
  const std::vector<SetTransaction>& transactions() const { return transactions_; }
  /// The version an application last committed (idempotent writes), or nullopt.
  std::optional<int64_t> TransactionVersion(std::string_view app_id) const;
  /// The live (not removed) domain metadata, sorted by domain.
  const std::vector<DomainMetadata>& domain_metadata() const { return domain_metadata_; }
  /// The commitInfo of the commit at version(), when its commit file has one.
  const std::optional<CommitInfo>& commit_info() const { return commit_info_; }
  /// The commit's timestamp in milliseconds: its in-commit timestamp when the table
  /// has them enabled, otherwise the commit file's modification time.
  int64_t timestamp_millis() const { return timestamp_millis_; }
  /// Total bytes of the live files.
  int64_t size_in_bytes() const;
  /// The log files this snapshot was built from.
  const LogSegment& segment() const { return segment_; }

 private:
  friend class SnapshotBuilder;
  Snapshot() = default;

  std::string table_root_;
  std::string log_dir_;
  int64_t version_ = -1;
  Protocol protocol_;
  Metadata metadata_;
  SchemaPtr schema_;
  std::vector<AddFile> files_;
  std::vector<RemoveFile> tombstones_;
  std::vector<SetTransaction> transactions_;
  std::vector<DomainMetadata> domain_metadata_;
  std::optional<CommitInfo> commit_info_;
  int64_t timestamp_millis_ = 0;
  LogSegment segment_;
};

/// Whether `path` is the root of a Delta table (it has a `_delta_log` directory).
Result<bool> IsDeltaTable(const std::string& path, FileSystem& fs);

/// One entry of DESCRIBE HISTORY.
struct CommitRecord {
  int64_t version = 0;
  /// In-commit timestamp when enabled, else the commit file's modification time (ms),
  /// made strictly increasing across versions as Spark does.
  int64_t timestamp_millis = 0;
  CommitInfo info;
};

/// The commits of the table, newest first, at most `limit` of them (all when nullopt).
/// Versions whose commit file was cleaned up are not listed.
Result<std::vector<CommitRecord>> ReadHistory(const std::string& table_root, FileSystem& fs,
                                              std::optional<int64_t> limit = std::nullopt);

}  // namespace sluice::delta
