// SPDX-License-Identifier: Apache-2.0
#include "delta/snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <unordered_map>

#include "delta/checkpoint.h"
#include "delta/partition_values.h"
#include "delta/protocol.h"
#include "types/datetime.h"
#include "types/schema_json.h"

namespace sluice::delta {

namespace {

int64_t MicrosToMillis(int64_t micros) {
  return micros / 1000;
}

// The key of a logical file: canonical path plus the deletion vector's unique id.
std::string FileKey(const std::string& table_root, const std::string& path,
                    const std::optional<DeletionVectorDescriptor>& dv) {
  std::string key = CanonicalizePath(table_root, path);
  if (dv.has_value()) {
    key.push_back('\x1f');
    key += dv->UniqueId();
  }
  return key;
}

Result<std::vector<Action>> ReadCommitFile(const LogFile& file, FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(file.path));
  return ParseActions(text, file.path);
}

}  // namespace

/// Replays actions in log order into the state of one version.
class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(std::string table_root) : table_root_(std::move(table_root)) {}

  void Apply(Action&& action) {
    std::visit([this](auto&& a) { ApplyOne(std::move(a)); }, std::move(action));
  }

  Result<SnapshotPtr> Finish(LogSegment segment, std::optional<CommitInfo> commit_info,
                             FileSystem& fs) {
    const int64_t version = segment.version;
    if (!protocol_.has_value()) {
      return Status::Corruption(fmt::format(
          "Delta table '{}' version {}: the log has no protocol action", table_root_, version));
    }
    SLUICE_RETURN_IF_ERROR(CheckReadable(*protocol_, table_root_));
    if (!metadata_.has_value()) {
      return Status::Corruption(fmt::format(
          "Delta table '{}' version {}: the log has no metaData action", table_root_, version));
    }
    std::shared_ptr<Snapshot> snapshot(new Snapshot());
    snapshot->table_root_ = table_root_;
    snapshot->log_dir_ = LogDirectory(table_root_);
    snapshot->version_ = version;
    snapshot->protocol_ = std::move(*protocol_);
    snapshot->metadata_ = std::move(*metadata_);
    Result<SchemaPtr> schema = snapshot->metadata_.schema_string.empty()
                                   ? Result<SchemaPtr>(MakeSchema({}))
                                   : SchemaFromJson(snapshot->metadata_.schema_string);
    if (!schema.ok()) {
      return Status::Corruption(fmt::format("Delta table '{}' version {}: bad schemaString: {}",
                                            table_root_, version, schema.status().message()));
    }
    snapshot->schema_ = std::move(*schema);
    snapshot->files_.reserve(files_.size());
    for (auto& [key, add] : files_)
      snapshot->files_.push_back(std::move(add));
    std::sort(snapshot->files_.begin(), snapshot->files_.end(),
              [](const AddFile& a, const AddFile& b) { return a.path < b.path; });
    for (auto& [key, remove] : tombstones_)
      snapshot->tombstones_.push_back(std::move(remove));
    std::sort(snapshot->tombstones_.begin(), snapshot->tombstones_.end(),
              [](const RemoveFile& a, const RemoveFile& b) { return a.path < b.path; });
    for (auto& [app, txn] : transactions_)
      snapshot->transactions_.push_back(std::move(txn));
    for (auto& [name, domain] : domains_) {
      if (!domain.removed)
        snapshot->domain_metadata_.push_back(std::move(domain));
    }
    snapshot->commit_info_ = std::move(commit_info);
    const std::string* ict = snapshot->Property("delta.enableInCommitTimestamps");
    if (ict != nullptr && *ict == "true" && snapshot->commit_info_.has_value() &&
        snapshot->commit_info_->in_commit_timestamp().has_value()) {
      snapshot->timestamp_millis_ = *snapshot->commit_info_->in_commit_timestamp();
    } else if (segment.last_commit.has_value()) {
      snapshot->timestamp_millis_ = MicrosToMillis(segment.last_commit->modification_micros);
    } else if (segment.checkpoint.has_value()) {
      snapshot->timestamp_millis_ =
          MicrosToMillis(segment.checkpoint->files.front().modification_micros);
    }
    (void)fs;
    snapshot->segment_ = std::move(segment);
    return SnapshotPtr(std::move(snapshot));
  }

 private:
  void ApplyOne(Protocol&& protocol) { protocol_ = std::move(protocol); }
  void ApplyOne(Metadata&& metadata) { metadata_ = std::move(metadata); }
  void ApplyOne(AddFile&& add) {
    std::string key = FileKey(table_root_, add.path, add.deletion_vector);
    tombstones_.erase(key);
    files_.insert_or_assign(std::move(key), std::move(add));
  }
  void ApplyOne(RemoveFile&& remove) {
    std::string key = FileKey(table_root_, remove.path, remove.deletion_vector);
    files_.erase(key);
    tombstones_.insert_or_assign(std::move(key), std::move(remove));
  }
  void ApplyOne(AddCdcFile&&) {}
  void ApplyOne(SetTransaction&& txn) {
    std::string app = txn.app_id;
    transactions_.insert_or_assign(std::move(app), std::move(txn));
  }
  void ApplyOne(CommitInfo&&) {}
  void ApplyOne(DomainMetadata&& domain) {
    std::string name = domain.domain;
    domains_.insert_or_assign(std::move(name), std::move(domain));
  }
  void ApplyOne(CheckpointMetadata&&) {}
  void ApplyOne(Sidecar&&) {}

  std::string table_root_;
  std::optional<Protocol> protocol_;
  std::optional<Metadata> metadata_;
  std::unordered_map<std::string, AddFile> files_;
  std::unordered_map<std::string, RemoveFile> tombstones_;
  std::map<std::string, SetTransaction> transactions_;
  std::map<std::string, DomainMetadata> domains_;
};

namespace {

Result<LogListing> ListTableLog(const std::string& table_root, FileSystem& fs) {
  Result<LogListing> listing = ListLog(LogDirectory(table_root), fs);
  if (!listing.ok() && listing.status().code() == StatusCode::kNotFound) {
    return Status::NotFound(
        fmt::format("'{}' is not a Delta table: it has no _delta_log directory", table_root));
  }
  return listing;
}

Result<SnapshotPtr> LoadSegment(const std::string& table_root, LogSegment segment, FileSystem& fs) {
  SnapshotBuilder builder(table_root);
  if (segment.checkpoint.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions,
                            ReadCheckpoint(*segment.checkpoint, LogDirectory(table_root), fs));
    for (Action& action : actions)
      builder.Apply(std::move(action));
  }
  std::optional<CommitInfo> commit_info;
  for (const LogFile& file : segment.commits) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommitFile(file, fs));
    if (file.kind == LogFileKind::kCompaction) {
      // A compaction is meant to hold reconciled actions (at most one per file), whose
      // order does not matter; some writers (delta-kernel-rs) concatenate the commits
      // newest first instead. Applied last to first, both replay correctly.
      std::reverse(actions.begin(), actions.end());
    }
    const bool last = file.kind == LogFileKind::kCommit && file.version == segment.version;
    for (Action& action : actions) {
      if (last && std::holds_alternative<CommitInfo>(action)) {
        commit_info = std::get<CommitInfo>(action);
      }
      builder.Apply(std::move(action));
    }
  }
  if (!commit_info.has_value() && segment.last_commit.has_value() &&
      (segment.commits.empty() || segment.commits.back().kind != LogFileKind::kCommit)) {
    // The last version came from a compaction or checkpoint: read its commit for commitInfo.
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommitFile(*segment.last_commit, fs));
    for (Action& action : actions) {
      if (std::holds_alternative<CommitInfo>(action))
        commit_info = std::get<CommitInfo>(action);
    }
  }
  return builder.Finish(std::move(segment), std::move(commit_info), fs);
}

// Commit timestamps of versions [first, last] of `listing`, made strictly increasing.
// In-commit timestamps are read from the commit files when `use_ict`.
Result<std::vector<std::pair<int64_t, int64_t>>> CommitTimestamps(const LogListing& listing,
                                                                  int64_t first, int64_t last,
                                                                  bool use_ict, FileSystem& fs) {
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t previous = INT64_MIN;
  for (const LogFile& commit : listing.commits) {
    if (commit.version < first || commit.version > last)
      continue;
    int64_t millis = MicrosToMillis(commit.modification_micros);
    if (use_ict) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommitFile(commit, fs));
      for (const Action& action : actions) {
        if (const auto* info = std::get_if<CommitInfo>(&action)) {
          if (info->in_commit_timestamp().has_value())
            millis = *info->in_commit_timestamp();
        }
      }
    }
    if (previous != INT64_MIN && millis <= previous)
      millis = previous + 1;
    previous = millis;
    out.emplace_back(commit.version, millis);
  }
  return out;
}

std::string FormatMillis(int64_t millis) {
  return FormatTimestamp(millis * 1000);
}

}  // namespace

std::optional<int64_t> Snapshot::TransactionVersion(std::string_view app_id) const {
  auto it = std::lower_bound(
      transactions_.begin(), transactions_.end(), app_id,
      [](const SetTransaction& txn, std::string_view id) { return txn.app_id < id; });
  if (it == transactions_.end() || it->app_id != app_id)
    return std::nullopt;
  return it->version;
}

int64_t Snapshot::size_in_bytes() const {
  int64_t total = 0;
  for (const AddFile& file : files_)
    total += file.size;
  return total;
}

Result<SnapshotPtr> Snapshot::Load(const std::string& table_root, FileSystem& fs,
                                   std::optional<int64_t> version) {
  SLUICE_ASSIGN_OR_RETURN(LogListing listing, ListTableLog(table_root, fs));
  SLUICE_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(listing, version, table_root));
  return LoadSegment(table_root, std::move(segment), fs);
}

Result<SnapshotPtr> Snapshot::LoadAtTimestamp(const std::string& table_root, FileSystem& fs,
                                              int64_t timestamp_millis) {
  SLUICE_ASSIGN_OR_RETURN(LogListing listing, ListTableLog(table_root, fs));
  SLUICE_ASSIGN_OR_RETURN(LogSegment latest_segment,
                          BuildLogSegment(listing, std::nullopt, table_root));
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr latest,
                          LoadSegment(table_root, std::move(latest_segment), fs));
  const std::string* ict = latest->Property("delta.enableInCommitTimestamps");
  const bool use_ict = ict != nullptr && *ict == "true";
  const int64_t earliest = EarliestReconstructableVersion(listing);
  SLUICE_ASSIGN_OR_RETURN(auto timestamps,
                          CommitTimestamps(listing, earliest, latest->version(), use_ict, fs));
  if (timestamps.empty() || timestamp_millis < timestamps.front().second) {
    const int64_t first =
        timestamps.empty() ? latest->timestamp_millis() : timestamps.front().second;
    return Status::InvalidArgument(
        fmt::format("[DELTA_TIMESTAMP_EARLIER_THAN_COMMIT_RETENTION] The provided timestamp ({}) "
                    "is before the earliest version available to this table "
                    "({}). Please use a timestamp after {}.",
                    FormatMillis(timestamp_millis), table_root, FormatMillis(first)));
  }
  if (timestamp_millis > timestamps.back().second) {
    return Status::InvalidArgument(fmt::format(
        "[DELTA_TIMESTAMP_GREATER_THAN_COMMIT] The provided timestamp ({}) is after the latest "
        "version available to this table "
        "({}). Please use a timestamp before or at {}.",
        FormatMillis(timestamp_millis), table_root, FormatMillis(timestamps.back().second)));
  }
  auto it = std::upper_bound(
      timestamps.begin(), timestamps.end(), timestamp_millis,
      [](int64_t ts, const std::pair<int64_t, int64_t>& entry) { return ts < entry.second; });
  const int64_t version = std::prev(it)->first;
  if (version == latest->version())
    return latest;
  SLUICE_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(listing, version, table_root));
  return LoadSegment(table_root, std::move(segment), fs);
}

Result<bool> IsDeltaTable(const std::string& path, FileSystem& fs) {
  Result<FileInfo> info = fs.GetFileInfo(LogDirectory(path));
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound)
      return false;
    return info.status();
  }
  return info->is_directory;
}

Result<std::vector<CommitRecord>> ReadHistory(const std::string& table_root, FileSystem& fs,
                                              std::optional<int64_t> limit) {
  SLUICE_ASSIGN_OR_RETURN(LogListing listing, ListTableLog(table_root, fs));
  std::vector<CommitRecord> records;
  if (listing.commits.empty())
    return records;
  size_t begin = 0;
  if (limit.has_value() && *limit >= 0 && static_cast<size_t>(*limit) < listing.commits.size()) {
    begin = listing.commits.size() - static_cast<size_t>(*limit);
  }
  int64_t previous = INT64_MIN;
  for (size_t i = begin; i < listing.commits.size(); ++i) {
    const LogFile& commit = listing.commits[i];
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommitFile(commit, fs));
    CommitRecord record;
    record.version = commit.version;
    record.timestamp_millis = MicrosToMillis(commit.modification_micros);
    for (Action& action : actions) {
      if (auto* info = std::get_if<CommitInfo>(&action)) {
        record.info = std::move(*info);
        if (record.info.in_commit_timestamp().has_value()) {
          record.timestamp_millis = *record.info.in_commit_timestamp();
        }
        break;
      }
    }
    if (previous != INT64_MIN && record.timestamp_millis <= previous) {
      record.timestamp_millis = previous + 1;
    }
    previous = record.timestamp_millis;
    records.push_back(std::move(record));
  }
  std::reverse(records.begin(), records.end());
  return records;
}

}  // namespace sluice::delta
