// SPDX-License-Identifier: Apache-2.0
#include "delta/log_maintenance.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "delta/checkpoint.h"
#include "delta/log_files.h"
#include "delta/table_properties.h"

namespace sluice::delta {

Status WriteSnapshotCheckpoint(const Snapshot& snapshot, FileSystem& fs, int64_t now_millis) {
  SLUICE_ASSIGN_OR_RETURN(TableProperties props,
                          TableProperties::FromConfiguration(snapshot.metadata().configuration));
  std::vector<Action> actions;
  actions.reserve(3 + snapshot.transactions().size() + snapshot.domain_metadata().size() +
                  snapshot.files().size() + snapshot.tombstones().size());
  actions.emplace_back(snapshot.protocol());
  actions.emplace_back(snapshot.metadata());
  for (const SetTransaction& txn : snapshot.transactions()) {
    // delta.setTransactionRetentionDuration expires app ids not updated since.
    const bool expired = props.set_transaction_retention_millis.has_value() &&
                         txn.last_updated.has_value() &&
                         *txn.last_updated < now_millis - *props.set_transaction_retention_millis;
    if (!expired)
      actions.emplace_back(txn);
  }
  for (const DomainMetadata& domain : snapshot.domain_metadata())
    actions.emplace_back(domain);
  for (const AddFile& add : snapshot.files())
    actions.emplace_back(add);
  // Tombstones stay until delta.deletedFileRetentionDuration has passed (VACUUM needs them).
  const int64_t tombstone_cutoff = now_millis - props.deleted_file_retention_millis;
  for (const RemoveFile& remove : snapshot.tombstones()) {
    if (remove.deletion_timestamp.value_or(0) > tombstone_cutoff)
      actions.emplace_back(remove);
  }
  CheckpointWriteOptions options;
  options.write_stats_as_json = props.checkpoint_write_stats_as_json;
  options.write_stats_as_struct = props.checkpoint_write_stats_as_struct;
  return WriteClassicCheckpoint(snapshot.log_dir(), snapshot.version(), actions, *snapshot.schema(),
                                snapshot.partition_columns(), fs, options)
      .status();
}

// ---------------------------------------------------------------------------------------
// Expired log cleanup

Result<int64_t> CleanUpExpiredLogs(const std::string& table_root, FileSystem& fs,
                                   int64_t retention_millis, int64_t now_millis) {
  constexpr int64_t kDayMillis = 24LL * 3600 * 1000;
  const std::string log_dir = LogDirectory(table_root);
  SLUICE_ASSIGN_OR_RETURN(LogListing listing, ListLog(log_dir, fs));
  int64_t cutoff = now_millis - retention_millis;
  cutoff -= ((cutoff % kDayMillis) + kDayMillis) % kDayMillis;  // midnight UTC
  // The newest commit not newer than the cutoff, with times made increasing by version.
  int64_t cutoff_commit = -1;
  int64_t previous = INT64_MIN;
  for (const LogFile& commit : listing.commits) {
    int64_t millis = commit.modification_micros / 1000;
    if (previous != INT64_MIN && millis <= previous)
      millis = previous + 1;
    previous = millis;
    if (millis <= cutoff)
      cutoff_commit = commit.version;
  }
  if (cutoff_commit < 0)
    return 0;
  int64_t keep_from = -1;
  for (const CheckpointInstance& checkpoint : listing.checkpoints) {
    if (checkpoint.version <= cutoff_commit)
      keep_from = checkpoint.version;
  }
  if (keep_from < 0)
    return 0;
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> entries, fs.ListDirectory(log_dir));
  std::set<std::string> names;
  for (const FileInfo& entry : entries)
    names.insert(entry.name);
  int64_t deleted = 0;
  for (const FileInfo& entry : entries) {
    std::optional<LogFile> file = ParseLogFileName(entry.name);
    if (!file.has_value() || entry.is_directory)
      continue;
    const bool expired = file->kind == LogFileKind::kCompaction ? file->version <= keep_from
                                                                : file->version < keep_from;
    if (!expired)
      continue;
    Status status = fs.DeleteFile(entry.path);
    if (!status.ok() && status.code() != StatusCode::kNotFound)
      return status;
    ++deleted;
    // Hadoop's checksum side file (".<name>.crc"), when a Spark writer left one.
    const std::string side = "." + entry.name + ".crc";
    if (names.count(side) != 0) {
      Status side_status = fs.DeleteFile(JoinPath(log_dir, side));
      if (!side_status.ok() && side_status.code() != StatusCode::kNotFound)
        return side_status;
    }
  }
  return deleted;
}

}  // namespace sluice::delta
