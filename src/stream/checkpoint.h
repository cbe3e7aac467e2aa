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
#include "stream/source.h"

/// A streaming query's checkpoint directory, in Spark's layout:
///
///   <checkpoint>/metadata          {"id":"<query id>"}: the id survives restarts
///   <checkpoint>/offsets/<batchId> the write-ahead log: written before batch N runs
///   <checkpoint>/commits/<batchId> written after the sink committed batch N
///   <checkpoint>/sources/<n>/      source n's private logs, and `metadata`: the source's
///                                  identity (sluice's; compared at restart)
///   <checkpoint>/state/            reserved for stateful operators
///
/// Offset log entry (Spark's OffsetSeq text):
///   v1
///   {"batchWatermarkMs":0,"batchTimestampMs":1732500000000,"conf":{...}}
///   <offset JSON of source 0, or "-" when it has none>
///   ...
/// Commit log entry: `v1` then {"nextBatchWatermarkMs":0}.
///
/// Entries are written put-if-absent and synced, so two live instances of one query
/// cannot both log batch N; the directory is also locked (flock on `<checkpoint>/lock`)
/// for the lifetime of the Checkpoint object, and a second Open fails fast.
namespace sluice::stream {

/// Batch-wide metadata of an offset log entry (Spark's OffsetSeqMetadata).
struct OffsetSeqMetadata {
  int64_t batch_watermark_ms = 0;
  int64_t batch_timestamp_ms = 0;
  /// Settings that must stay fixed for the query's lifetime (recorded at batch 0).
  std::map<std::string, std::string> conf;
};

/// One offset log entry: where each source's batch ends.
struct OffsetLogEntry {
  OffsetSeqMetadata metadata;
  /// One per source, in source order; nullopt when the source has produced nothing yet.
  std::vector<std::optional<Offset>> offsets;

  std::string Serialize() const;
  /// kCorruption naming `where` for text that is not a v1 offset log entry.
  static Result<OffsetLogEntry> Parse(std::string_view text, std::string_view where);
};

/// One commit log entry.
struct CommitLogEntry {
  int64_t next_batch_watermark_ms = 0;

  std::string Serialize() const;
  static Result<CommitLogEntry> Parse(std::string_view text, std::string_view where);
};

class Checkpoint {
 public:
  /// Opens the checkpoint at `dir`, creating it (and a new query id) when it has no
  /// `metadata`. Takes the directory's lock: kConflict when another live query holds it.
  static Result<std::unique_ptr<Checkpoint>> Open(const std::string& dir, FileSystem& fs);
  ~Checkpoint();
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;

  const std::string& dir() const { return dir_; }
  /// The query id from `metadata`.
  const std::string& query_id() const { return query_id_; }
  /// True when the checkpoint was created by this Open.
  bool is_new() const { return is_new_; }

  /// Checks the sources against the identities saved at the first start (saving them
  /// when there are none). kInvalidArgument naming the difference when the number of
  /// sources or an identity differs: the checkpoint belongs to another query. Before
  /// any batch is logged, saved identities that are a prefix of `identities` are
  /// completed (a crash may have stopped the first start while saving them).
  Status CheckSources(const std::vector<std::string>& identities);
  /// `<dir>/sources/<index>` (created).
  Result<std::string> SourceDir(int index);

  /// The newest batch id in the offset log / the commit log.
  Result<std::optional<int64_t>> LatestOffsetBatch() const;
  Result<std::optional<int64_t>> LatestCommittedBatch() const;
  Result<OffsetLogEntry> GetOffsets(int64_t batch_id) const;
  Result<CommitLogEntry> GetCommit(int64_t batch_id) const;
  /// Writes offsets/<batch_id> durably; kConflict ("Concurrent update to the log.
  /// Multiple streaming jobs detected for <batch_id>") when it exists.
  Status AddOffsets(int64_t batch_id, const OffsetLogEntry& entry);
  /// Writes commits/<batch_id> durably; kConflict when it exists.
  Status AddCommit(int64_t batch_id, const CommitLogEntry& entry);
  /// Deletes offset and commit entries below `min_batch_id` (minBatchesToRetain).
  Status Purge(int64_t min_batch_id);
  /// Deletes the offset and commit entries of one batch, if present (the batch that
  /// just fell out of minBatchesToRetain; cheaper than Purge's listing).
  Status PurgeBatch(int64_t batch_id);

 private:
  Checkpoint(std::string dir, FileSystem& fs) : dir_(std::move(dir)), fs_(&fs) {}
  /// kInvalidArgument naming source `index` unless the two identities are equal JSON.
  Status CompareIdentity(size_t index, const std::string& saved, const std::string& identity) const;

  std::string dir_;
  FileSystem* fs_;
  std::string query_id_;
  bool is_new_ = false;
  int lock_fd_ = -1;
};

}  // namespace sluice::stream
