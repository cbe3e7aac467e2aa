// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"
#include "delta/actions.h"
#include "delta/snapshot.h"
#include "delta/table_properties.h"

/// Optimistic transactions on a Delta table (PROTOCOL.md "Delta Log Entries", "Transaction
/// Identifiers", "Commit Provenance Information"; Delta Spark's OptimisticTransaction and
/// ConflictChecker): read a snapshot, collect actions, write `_delta_log/<v>.json` with
/// put-if-absent, and on a lost race check the winning commits for logical conflicts
/// before retrying at the next version.
///
/// Conflicts are kConflict with the Delta exception's name first in the message, e.g.
/// "ConcurrentAppendException: Files were added to partition [date=2024-05-01] by a
/// concurrent update. Please try the operation again.":
///   ProtocolChangedException       a winner changed the protocol (sluice is stricter than
///                                  Delta here: any protocol change fails the loser);
///   MetadataChangedException       a winner changed the metadata;
///   ConcurrentTransactionException a winner committed a txn of an app id this
///                                  transaction read or sets, or the same metadata domain;
///   ConcurrentAppendException      a winner added files in what this transaction read
///                                  (blind appends excepted under WriteSerializable
///                                  unless this transaction changes the metadata);
///   ConcurrentDeleteReadException  a winner removed a file this transaction read (or
///                                  any file, when it read the whole table);
///   ConcurrentDeleteDeleteException both removed the same file.
/// Anything else (blind appends racing each other) is retried at the next version.
namespace sluice::delta {

/// The engineInfo sluice writes into commitInfo.
inline constexpr std::string_view kEngineInfo = "sluice/0.1.0";

/// Returns a random version 4 UUID ("8-4-4-4-12" lower-case hex).
std::string RandomUuid();

/// The operation a commit records in its commitInfo (DESCRIBE HISTORY shows it).
struct Operation {
  /// `operation`: "WRITE", "CREATE TABLE", "STREAMING UPDATE", "DELETE", "OPTIMIZE", ...
  std::string name;
  /// `operationParameters`: string values, as Spark writes them (lists and maps as JSON
  /// text: {"mode":"Append","partitionBy":"[\"date\"]"}).
  StringMap parameters;
  /// `operationMetrics` (string values). When empty, the commit fills numFiles,
  /// numOutputRows (when every add has numRecords stats) and numOutputBytes for adds, and
  /// numRemovedFiles / numRemovedBytes for removes.
  StringMap metrics;
  /// `userMetadata`.
  std::optional<std::string> user_metadata;
};

/// A predicate over a file's partition values: what part of the table a transaction
/// read, for conflict detection.
struct PartitionFilter {
  std::function<bool(const PartitionValues&)> matches;
  /// For messages, e.g. "date = '2024-05-01'".
  std::string description;
};

/// Accepts files whose values for every column of `spec` equal the spec's (null matches
/// null); columns outside the spec are not compared.
PartitionFilter PartitionEquals(PartitionValues spec);

/// How a transaction commits.
struct TransactionOptions {
  /// Attempts at writing the commit file before giving up with kUnavailable. Each
  /// attempt after the first follows a lost race that the conflict rules allowed;
  /// sluice's bound (Delta Spark effectively retries blind appends forever).
  int max_commit_attempts = 100;
  /// Backoff between attempts: a random wait in [0, min(max, initial * 2^(n-1))] ms
  /// ("full jitter") before attempt n+1.
  int64_t initial_backoff_millis = 1;
  int64_t max_backoff_millis = 100;
  /// The isolation level; the table's `delta.isolationLevel` when unset.
  std::optional<IsolationLevel> isolation_level;
  /// Runs the post-commit work: every `delta.checkpointInterval`-th version gets a
  /// classic checkpoint (WriteSnapshotCheckpoint), after which expired log files are
  /// cleaned up (when `delta.enableExpiredLogCleanup`).
  bool post_commit = true;
  /// Time source for commit timestamps and log retention; the system clock when null.
  const Clock* clock = nullptr;
};

/// What Commit did.
struct CommitResult {
  /// The version written; for a skipped commit, the version that was read.
  int64_t version = -1;
  /// True when every txn (app id, version) of the transaction was already recorded at
  /// that version or later: nothing was written (idempotent writes).
  bool skipped = false;
  /// Attempts at writing the commit file (1 without a race).
  int attempts = 0;
  /// Whether the post-commit work wrote a checkpoint of `version`.
  bool checkpoint_written = false;
  /// Log files (commits, checkpoints, checksums) deleted by expired-log cleanup.
  int64_t log_files_deleted = 0;
  /// A failure of the post-commit work; the commit itself stands.
  Status post_commit_status;
};

/// One optimistic transaction. Collect changes and reads, then Commit once.
/// Not thread-safe.
class Transaction {
 public:
  /// Starts from the latest snapshot of `table_root`, or from an absent table (CREATE)
  /// when the path has no Delta log yet.
  static Result<std::unique_ptr<Transaction>> Start(const std::string& table_root, FileSystem& fs,
                                                    TransactionOptions options = {});
  /// Starts from `snapshot`.
  static std::unique_ptr<Transaction> FromSnapshot(SnapshotPtr snapshot, FileSystem& fs,
                                                   TransactionOptions options = {});
  /// Starts a transaction that creates the table at `table_root` (version 0). It needs
  /// UpdateMetadata; the protocol defaults to ProtocolForNewTable.
  static std::unique_ptr<Transaction> ForNewTable(std::string table_root, FileSystem& fs,
                                                  TransactionOptions options = {});

  const std::string& table_root() const { return table_root_; }
  /// The snapshot read, or null when the table does not exist yet.
  const SnapshotPtr& snapshot() const { return snapshot_; }
  /// The version read; -1 for a new table.
  int64_t read_version() const { return snapshot_ ? snapshot_->version() : -1; }
  /// The metadata the commit will leave: the update, else the snapshot's; null for a new
  /// table before UpdateMetadata.
  const Metadata* metadata() const;
  /// The protocol the commit will leave, or null when not known yet (new table).
  const Protocol* protocol() const;

  /// Replaces the table's metadata (schema, partitioning, properties). An empty id gets
  /// a random UUID; a new table without createdTime gets the commit time.
  void UpdateMetadata(Metadata metadata);
  /// Replaces the protocol (upgrades only).
  void UpdateProtocol(Protocol protocol);
  /// Adds a data file.
  void Add(AddFile add);
  /// Removes a data file (see MakeRemove).
  void Remove(RemoveFile remove);
  /// Adds a change data file.
  void AddCdc(AddCdcFile cdc);
  /// Records that application `app_id` has committed its `version` (idempotent writes).
  /// It counts as reading the app id.
  void SetAppTransaction(std::string app_id, int64_t version);
  /// Sets (or removes, removed=true) a user metadata domain. Domains starting with
  /// "delta." belong to Delta and are refused at commit; the table needs the
  /// domainMetadata writer feature.
  void SetDomainMetadata(DomainMetadata domain);

  /// The version application `app_id` last committed in the snapshot read, recording
  /// the read: a concurrent commit of the same app id then conflicts.
  std::optional<int64_t> ReadTransactionVersion(std::string_view app_id);
  /// Records that the transaction depends on the whole table.
  void ReadWholeTable();
  /// Returns the snapshot's live files `filter` accepts, recording the filter and the
  /// files as read (Delta's filterFiles): files added concurrently that it accepts, and
  /// concurrent removes of the files returned, then conflict.
  std::vector<AddFile> FilterFiles(const PartitionFilter& filter);
  /// Records files read by other means (conflict if a winner removes one).
  void ReadFiles(const std::vector<AddFile>& files);

  /// Whether the transaction, as it stands, is a blind append: it read nothing and its
  /// file actions are all adds.
  bool IsBlindAppend() const;

  /// Commits. Skips (CommitResult::skipped) when the snapshot read already records a
  /// version >= each SetAppTransaction version of its app id. Errors: kInvalidArgument
  /// for an invalid transaction (no metadata for a new table, a remove on an
  /// append-only table — Delta's message —, a file added or removed twice, partition
  /// values that do not match the partition columns, a protocol downgrade, a "delta."
  /// domain); kNotImplemented when sluice cannot write the table (CheckWritable);
  /// kConflict for a logical conflict (see above); kUnavailable after
  /// max_commit_attempts lost races; I/O errors as they come. A transaction commits at
  /// most once.
  Result<CommitResult> Commit(const Operation& operation);

 private:
  Transaction(std::string table_root, SnapshotPtr snapshot, FileSystem& fs,
              TransactionOptions options);

  struct Prepared;
  struct Winner;
  Status Prepare(const Operation& operation, int64_t now_millis, Prepared* prepared) const;
  Status CheckConflict(const Prepared& prepared, const Winner& winner) const;
  void RunPostCommit(const Prepared& prepared, int64_t version, CommitResult* result) const;

  std::string table_root_;
  SnapshotPtr snapshot_;
  FileSystem* fs_;
  TransactionOptions options_;

  std::optional<Metadata> new_metadata_;
  std::optional<Protocol> new_protocol_;
  std::vector<AddFile> adds_;
  std::vector<RemoveFile> removes_;
  std::vector<AddCdcFile> cdcs_;
  std::vector<SetTransaction> app_transactions_;
  std::vector<DomainMetadata> domains_;

  bool read_whole_table_ = false;
  std::vector<PartitionFilter> read_filters_;
  std::vector<AddFile> read_files_;
  std::vector<std::string> read_app_ids_;
  bool committed_ = false;
};

/// Returns the remove action for `add` as Delta writes it (extendedFileMetadata with the
/// partition values, size, stats, tags, deletion vector and row tracking fields), deleted
/// at `deletion_timestamp_millis`.
RemoveFile MakeRemove(const AddFile& add, int64_t deletion_timestamp_millis,
                      bool data_change = true);

}  // namespace sluice::delta
