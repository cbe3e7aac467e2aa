// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "formats/parquet/column_reader.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/predicate.h"
#include "formats/parquet/schema.h"
#include "formats/parquet/thrift_io.h"
#include "types/data_type.h"

// The public Parquet reader: opens a file, checks its footer, maps its schema to sluice
// types (see schema.h for the mapping) and reads row groups into batches.
//
//   SLUICE_ASSIGN_OR_RETURN(auto reader, parquet::ParquetReader::Open(path, {.columns = {"id"}}));
//   SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, reader->ReadAll());
//
// Errors name the file, and the row group and column where there is one:
//   kNotFound / kIoError   the file cannot be opened or read;
//   kCorruption            not a Parquet file, a broken footer, schema, page or level
//                          stream, row groups that disagree with the schema;
//   kNotImplemented        a feature sluice does not read: encryption, decimals over 38
//                          digits, INTERVAL, shredded variants, groups without leaves,
//                          column chunks stored in other files;
//   kInvalidArgument       a requested column the file does not have (or ambiguous);
//   kResourceExhausted     a page, dictionary or column chunk over
//                          ParquetReadOptions::limits, or more list elements or string
//                          bytes in one row group than int32 offsets hold.
//
// With a filter (ParquetReadOptions::filter), row groups are skipped by their statistics
// and, within the others, data pages by the page index; ReadAll(&metrics) reports how
// many data pages were decoded and how many skipped without decompressing them.

namespace sluice::parquet {

/// How a ParquetReader reads.
struct ParquetReadOptions {
  /// The top-level columns to read, in the order wanted (a name may repeat); empty reads
  /// all columns in file order. Names match as Spark resolves them: an exact match
  /// first, otherwise the one column whose name equals ignoring ASCII case; an unknown
  /// or ambiguous name is kInvalidArgument naming it and listing the file's columns.
  std::vector<std::string> columns;
  /// When set, ReadAll and ReadRowGroup decode column chunks (of all row groups, for
  /// ReadAll) on this pool's threads as well as the calling thread. The pool is not
  /// owned; it must outlive the reads. Calling from one of the pool's own tasks is safe
  /// (the caller does the work when the workers are busy).
  ThreadPool* pool = nullptr;
  /// Bounds on page and dictionary sizes (hostile files).
  ReadLimits limits;
  /// When set, a hint for skipping data, never an exact filter: row groups whose
  /// column statistics rule the predicate out are not read, and of the others only the
  /// rows of the pages the page index (ColumnIndex/OffsetIndex) of the filter's columns
  /// cannot rule out (SelectRowRanges) are read and returned, the same rows for every
  /// column. Data pages of any column whose OffsetIndex places them outside those rows
  /// are not decompressed (see ReadColumnChunk). Rows that do not satisfy the predicate
  /// may still come back (the caller filters exactly); rows that do are never dropped.
  /// See predicate.h.
  PredicatePtr filter;
};

/// Reads one Parquet file. Open() reads and checks the footer; the Read methods decode
/// row groups on demand. Immutable after Open(): the Read methods may be called
/// concurrently from several threads.
class ParquetReader {
 public:
  /// Opens the local file at `path`.
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path,
                                                     ParquetReadOptions options = {});
  /// Opens `file` (a local file, bytes in memory, ...), which the reader then owns.
  ///
  /// Checks: at least 12 bytes, "PAR1" at both ends ("PARE", an encrypted footer, is
  /// kNotImplemented "encrypted Parquet is not supported"), the footer length within the
  /// file, the footer's Thrift, the schema (FileSchema::Make), the projection, and every
  /// row group: no negative row count, as many column chunks as the schema has leaves,
  /// each with metadata of the leaf's physical type. A plaintext footer with encryption
  /// metadata is read as long as no projected column is encrypted (an encrypted one is
  /// kNotImplemented): the format lets readers without keys read the plaintext columns.
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<RandomAccessFile> file,
                                                     ParquetReadOptions options = {});

  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  /// The file's name as the RandomAccessFile gives it.
  const std::string& file_name() const;
  /// The decoded footer.
  const format::FileMetaData& metadata() const { return metadata_; }
  /// The Parquet schema tree, its leaves and their mapping.
  const FileSchema& file_schema() const { return file_schema_; }
  /// The whole file as sluice types (one field per top-level Parquet field).
  const SchemaPtr& schema() const { return file_schema_.schema(); }
  /// The schema of the batches returned: the projected columns, in the requested order.
  const SchemaPtr& output_schema() const { return output_schema_; }
  /// For each output column, its index in schema().
  const std::vector<int>& column_indices() const { return column_indices_; }

  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  /// The rows of the file: the sum of the row groups' num_rows. (The footer's own
  /// num_rows is not checked against it: some writers leave it 0.)
  int64_t num_rows() const { return total_rows_; }

  /// The row groups ReadAll reads, in file order: all of them without a filter, else
  /// those whose statistics do not rule the filter out (statistics that cannot be read
  /// never drop a row group).
  std::vector<int> RowGroupsToRead() const;

  /// Reads row group `index` (0 <= index < num_row_groups(), else kInvalidArgument) as
  /// one batch of output_schema(): the row group's num_rows rows, or with a filter the
  /// rows its page index selects (possibly none; the row group's statistics are not
  /// consulted here). When `metrics` is given, the pages read and skipped are added to
  /// it.
  Result<BatchPtr> ReadRowGroup(int index, ReadMetrics* metrics = nullptr) const;
  /// Reads every row group of RowGroupsToRead() in order, one batch each, of the rows
  /// ReadRowGroup would return (a row group of 0 rows, or of which the filter selects
  /// none, gives an empty batch, and then no page of it is read). With a pool, chunks of
  /// all row groups are decoded in parallel; the first error in file order is returned.
  /// When `metrics` is given, the pages read and skipped are added to it.
  Result<std::vector<BatchPtr>> ReadAll(ReadMetrics* metrics = nullptr) const;

 private:
  ParquetReader(std::unique_ptr<RandomAccessFile> file, ParquetReadOptions options);
  Status Init();
  Status CheckRowGroups();
  Status Project();
  /// The rows of a row group a read returns.
  struct RowSelection {
    /// Sorted, disjoint, non-adjacent ranges within the row group, none empty; nullopt
    /// when every row is read.
    std::optional<std::vector<RowRange>> ranges;
    /// The number of rows selected.
    int64_t num_rows = 0;
  };
  /// The rows of row group `row_group` to read: all of them without a filter (or when
  /// its page index cannot be used), else those SelectRowRanges leaves.
  RowSelection SelectRows(int row_group) const;
  /// One column to read: output column `output` of row group `row_group`, of the rows
  /// of `selection`.
  struct ColumnTask {
    int row_group = 0;
    int output = 0;
    const RowSelection* selection = nullptr;
  };
  /// Decodes and assembles the column of `task`, adding the pages it read and skipped
  /// to `*metrics`.
  Result<VectorPtr> ReadColumn(const ColumnTask& task, ReadMetrics* metrics) const;
  /// Runs ReadColumn for every task, in parallel when there is a pool; (*columns)[k] is
  /// for tasks[k]. Returns the error of the first failed task in the list's order. Adds
  /// the tasks' pages to `*metrics` when it is not null.
  Status ReadColumns(const std::vector<ColumnTask>& tasks, std::vector<VectorPtr>* columns,
                     ReadMetrics* metrics) const;
  /// Makes the batch of a row group from its decoded columns of `num_rows` rows.
  Result<BatchPtr> MakeBatch(int row_group, std::vector<VectorPtr> columns, int64_t num_rows) const;

  std::unique_ptr<RandomAccessFile> file_;
  ParquetReadOptions options_;
  format::FileMetaData metadata_;
  /// Where the footer starts: column data must end before it.
  int64_t footer_offset_ = 0;
  FileSchema file_schema_;
  SchemaPtr output_schema_;
  std::vector<int> column_indices_;
  int64_t total_rows_ = 0;
};

}  // namespace sluice::parquet
