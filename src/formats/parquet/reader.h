// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "common/thread_pool.h"
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
//                          stream, row groups that disagree with the schema, a page or
//                          dictionary over ParquetReadOptions::limits;
//   kNotImplemented        a feature sluice does not read: encryption, decimals over 38
//                          digits, INTERVAL, shredded variants, groups without leaves,
//                          column chunks stored in other files;
//   kInvalidArgument       a requested column the file does not have (or ambiguous);
//   kResourceExhausted     more list elements in one row group than int32 offsets hold.

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
  /// rows of pages the page index (ColumnIndex/OffsetIndex) cannot rule out are
  /// returned. Rows that do not satisfy the predicate may still come back (the caller
  /// filters exactly); rows that do are never dropped. See predicate.h.
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

  /// The row groups ReadAll reads, in file order. Today all of them; predicates will
  /// drop the row groups their statistics rule out (this is the hook for that).
  std::vector<int> RowGroupsToRead() const;

  /// Reads row group `index` (0 <= index < num_row_groups(), else kInvalidArgument) as
  /// one batch of output_schema() with the row group's num_rows rows.
  Result<BatchPtr> ReadRowGroup(int index) const;
  /// Reads every row group of RowGroupsToRead() in order, one batch each (a row group of
  /// 0 rows gives an empty batch). With a pool, chunks of all row groups are decoded in
  /// parallel; the first error in file order is returned.
  Result<std::vector<BatchPtr>> ReadAll() const;

 private:
  ParquetReader(std::unique_ptr<RandomAccessFile> file, ParquetReadOptions options);
  Status Init();
  Status CheckRowGroups();
  Status Project();
  /// Decodes and assembles output column `output` of row group `row_group`.
  Result<VectorPtr> ReadColumn(int row_group, int output) const;
  /// Runs ReadColumn for every (row group, output column) pair, in parallel when there
  /// is a pool; (*columns)[k] is for tasks[k]. Returns the error of the first failed
  /// task in the list's order.
  Status ReadColumns(const std::vector<std::pair<int, int>>& tasks,
                     std::vector<VectorPtr>* columns) const;
  /// Makes the batch of a row group from its decoded columns, keeping only the rows the
  /// filter's page index selects.
  Result<BatchPtr> MakeBatch(int row_group, std::vector<VectorPtr> columns) const;

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
