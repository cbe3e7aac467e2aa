// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "delta/snapshot.h"
#include "formats/parquet/predicate.h"

/// Reading the rows of a snapshot: choose the files (partition pruning and min/max data
/// skipping), read them through the Parquet reader, apply deletion vectors, add the
/// partition columns, and present every file in the table's logical schema.
namespace sluice::delta {

/// What to read.
struct ScanOptions {
  /// Table columns to return, by logical name (matched case-insensitively, as Spark
  /// resolves them), in this order; empty returns every column in schema order.
  std::vector<std::string> columns;
  /// A filter hint over logical column names (nested fields dotted): files whose
  /// partition values or statistics rule it out are not read, nor are row groups and
  /// pages the Parquet statistics rule out. Never exact: rows that fail the predicate
  /// may still be returned (the caller filters); rows that pass are never dropped.
  parquet::PredicatePtr filter;
  /// When set, column chunks are decoded on this pool too (not owned).
  ThreadPool* pool = nullptr;
};

/// Counts of what a scan chose and read.
struct ScanMetrics {
  int64_t files_in_snapshot = 0;
  int64_t files_pruned_by_partition = 0;  // ruled out by partition values
  int64_t files_skipped_by_stats = 0;     // ruled out by min/max/null-count stats
  int64_t files_selected = 0;
  int64_t rows_deleted_by_dv = 0;  // rows removed by deletion vectors while reading
};

/// A scan of one snapshot. Make() plans it (which files, which columns); the Read
/// methods read. Immutable after Make(): files may be read concurrently.
class Scan {
 public:
  /// Plans the scan. kInvalidArgument naming an unknown or ambiguous column.
  static Result<std::unique_ptr<Scan>> Make(SnapshotPtr snapshot, ScanOptions options,
                                            FileSystem& fs = LocalFileSystem::Default());

  /// The schema of the batches returned: the chosen columns with the table's types.
  const SchemaPtr& schema() const { return schema_; }
  /// The files to read, in path order.
  const std::vector<const AddFile*>& files() const { return files_; }
  const SnapshotPtr& snapshot() const { return snapshot_; }
  /// Planning counts (files); rows_deleted_by_dv counts what ReadAll/ReadFile removed.
  ScanMetrics metrics() const;

  /// Reads file `index` of files(), calling `consumer` with each batch (one or more per
  /// row group, in file order). Errors name the file.
  Status ReadFile(size_t index, const std::function<Status(BatchPtr)>& consumer) const;
  /// Reads `add`, a data file of this table that need not be live in the snapshot (the
  /// change data feed reads files a commit added or removed, and `cdc` files), with the
  /// scan's columns and without the filter, as ReadFile does.
  Status ReadAnyFile(const AddFile& add, const std::function<Status(BatchPtr)>& consumer) const;
  /// Reads every file, in files() order.
  Result<std::vector<BatchPtr>> ReadAll() const;

 private:
  Scan() = default;
  Status ReadAddFile(const AddFile& add, const parquet::PredicatePtr& filter,
                     const std::function<Status(BatchPtr)>& consumer) const;

  SnapshotPtr snapshot_;
  ScanOptions options_;
  FileSystem* fs_ = nullptr;
  SchemaPtr schema_;
  std::vector<const AddFile*> files_;
  ScanMetrics metrics_;
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace sluice::delta
