// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "delta/actions.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "stream/factory.h"
#include "stream/source.h"

namespace re2 {
class RE2;
}  // namespace re2

/// A Delta table as a streaming source (Delta Spark's DeltaSource): the table's snapshot
/// when the query first starts, then the files every later commit adds.
namespace sluice::stream {

/// The source options (Delta's DeltaOptions for reads; names matched ignoring case).
struct DeltaSourceOptions {
  /// `maxFilesPerTrigger` (default 1000) and `maxBytesPerTrigger` (a soft limit: a batch
  /// takes at least one file). Both ignored under ReadLimit::kAllAvailable.
  std::optional<int64_t> max_files_per_trigger;
  std::optional<int64_t> max_bytes_per_trigger;
  /// `ignoreDeletes`: commits that only remove files are skipped instead of failing.
  bool ignore_deletes = false;
  /// `ignoreChanges` (legacy): commits that rewrite files re-emit their added files.
  bool ignore_changes = false;
  /// `skipChangeCommits`: commits that remove files are skipped whole.
  bool skip_change_commits = false;
  /// `ignoreFileDeletion` (deprecated): as ignoreChanges.
  bool ignore_file_deletion = false;
  /// `failOnDataLoss` (default true): a commit missing from the log is an error.
  bool fail_on_data_loss = true;
  /// `readChangeFeed` (`readChangeData`): emit the change data feed.
  bool read_change_feed = false;
  /// `startingVersion`: a version, or -1 for "latest".
  std::optional<int64_t> starting_version;
  /// `startingTimestamp`, in milliseconds since the epoch.
  std::optional<int64_t> starting_timestamp_millis;
  /// `excludeRegex`: added files whose path this pattern (RE2 syntax) finds are not read.
  std::optional<std::string> exclude_regex;

  /// Parses the options; kInvalidArgument naming the option (Delta's texts).
  static Result<DeltaSourceOptions> Parse(const OptionList& options);
};

/// Where a Delta source is: Delta's DeltaSourceOffset, serialized as
/// {"sourceVersion":1,"reservoirId":..,"reservoirVersion":V,"index":I,
///  "isStartingVersion":B}. `index` -1 is before the first file of version V;
/// `is_initial_snapshot` (serialized as isStartingVersion) says the position is inside
/// the snapshot of V (files in modification-time, then path, order), not inside the
/// changes committed at V.
struct DeltaSourcePosition {
  int64_t version = 0;
  int64_t index = -1;
  bool is_initial_snapshot = false;

  bool operator==(const DeltaSourcePosition& other) const = default;
};

/// The Delta streaming source. Make() loads the table's latest snapshot: its schema is
/// the source's schema for the life of the query (a later schema change stops the query
/// with Delta's DELTA_SCHEMA_CHANGED_WITH_VERSION / _WITH_STARTING_OPTIONS error;
/// restarting picks up the new schema).
class DeltaSource : public StreamSource {
 public:
  /// kNotFound ([DELTA_TABLE_NOT_FOUND]) when `spec.path` holds no Delta table;
  /// kInvalidArgument for a bad option.
  static Result<std::unique_ptr<DeltaSource>> Make(const SourceSpec& spec);

  std::string Description() const override;
  std::string Identity() const override;
  SchemaPtr schema() const override { return schema_; }

  Status Open(const SourceContext& context) override;
  Result<std::optional<Offset>> LatestOffset(const std::optional<Offset>& start,
                                             ReadLimit limit) override;
  Result<std::vector<BatchPtr>> GetBatch(const std::optional<Offset>& start,
                                         const Offset& end) override;
  Status PrepareForTriggerAvailableNow() override;
  /// numFilesOutstanding and numBytesOutstanding: what is committed after `consumed`.
  std::map<std::string, std::string> Metrics(const std::optional<Offset>& consumed) override;

  /// Serializes a position as Delta's offset JSON for this table.
  Offset SerializeOffset(const DeltaSourcePosition& position) const;
  /// Parses an offset; kInvalidArgument for another table's offset or a bad one.
  Result<DeltaSourcePosition> ParseOffset(const Offset& offset) const;

  /// One entry of a scan of the table's changes (Delta's IndexedFile): a file of the
  /// initial snapshot or of a commit, or (no file) the start of a commit.
  struct IndexedFile {
    int64_t version = 0;
    int64_t index = -1;
    bool is_last = false;
    /// A file of the initial snapshot (else of the commit at `version`).
    bool in_snapshot = false;
    /// A data file (else the start of a commit); `add` is unset for the change files
    /// of a commit read as change data.
    bool is_file = false;
    std::optional<delta::AddFile> add;
    int64_t size = 0;
  };

 private:
  DeltaSource() = default;

  struct Limits {
    int64_t files;
    int64_t bytes;
    bool commit_taken = false;
  };
  struct CommitChanges;

  Result<DeltaSourcePosition> StartingPosition();
  Result<DeltaSourcePosition> BatchStart(const std::optional<Offset>& start,
                                         const DeltaSourcePosition& end);
  Status CollectChanges(const DeltaSourcePosition& from,
                        const std::optional<DeltaSourcePosition>& bound,
                        std::optional<Limits> limits, std::vector<IndexedFile>* out);
  Result<delta::SnapshotPtr> SnapshotAt(int64_t version);
  Result<CommitChanges> ReadCommit(int64_t version);
  Status CheckSchema(const delta::Metadata& metadata, int64_t version) const;
  Result<std::vector<BatchPtr>> ReadFiles(const std::vector<IndexedFile>& files);
  DeltaSourcePosition NextPosition(const IndexedFile& last, const DeltaSourcePosition& from) const;

  std::string table_root_;
  /// SourceContext::metadata_dir: where the resolved starting version is kept.
  std::string metadata_dir_;
  FileSystem* fs_ = nullptr;
  DeltaSourceOptions options_;
  std::shared_ptr<const re2::RE2> exclude_;
  delta::SnapshotPtr snapshot_at_init_;
  std::unique_ptr<delta::Scan> scan_;
  SchemaPtr schema_;
  std::string table_id_;
  /// startingVersion / startingTimestamp resolved at first use.
  std::optional<std::optional<int64_t>> starting_version_;
  /// Trigger.AvailableNow: no version after this one.
  std::optional<int64_t> available_now_cap_;
  /// The initial snapshot most recently read.
  delta::SnapshotPtr initial_snapshot_;
  std::vector<IndexedFile> initial_files_;
};

}  // namespace sluice::stream
