// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "columnar/builder.h"
#include "columnar/vector.h"
#include "common/result.h"
#include "types/data_type.h"

namespace sluice {

/// The default number of rows a reader puts in one batch.
inline constexpr int64_t kDefaultBatchRows = 4096;

class Batch;
/// Published batches are immutable and shared.
using BatchPtr = std::shared_ptr<const Batch>;

/// Rows of one schema held as columns of equal length. Immutable.
class Batch {
 public:
  /// Checks that there is one column per field, of the field's type, all as long as
  /// `num_rows`; kInvalidArgument otherwise.
  static Result<BatchPtr> Make(SchemaPtr schema, std::vector<VectorPtr> columns, int64_t num_rows);
  /// Returns a batch with no rows.
  static BatchPtr MakeEmpty(SchemaPtr schema);

  Batch(SchemaPtr schema, std::vector<VectorPtr> columns, int64_t num_rows);

  const SchemaPtr& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const VectorPtr& column(int index) const { return columns_[index]; }
  const std::vector<VectorPtr>& columns() const { return columns_; }

  /// Returns rows [offset, offset + length), sharing buffers.
  BatchPtr Slice(int64_t offset, int64_t length) const;

 private:
  SchemaPtr schema_;
  std::vector<VectorPtr> columns_;
  int64_t num_rows_;
};

/// Builds a batch column by column: append one value to every column builder per row.
class BatchBuilder {
 public:
  explicit BatchBuilder(SchemaPtr schema);

  const SchemaPtr& schema() const { return schema_; }
  int num_columns() const { return static_cast<int>(builders_.size()); }
  VectorBuilder* column(int index) { return builders_[index].get(); }
  /// Rows appended so far (the length of column 0; a schema without columns counts
  /// rows through AppendEmptyRow).
  int64_t num_rows() const;
  /// Counts a row for a schema without columns.
  void AppendEmptyRow() { ++empty_rows_; }
  /// Drops every row from `num_rows` on, in all columns.
  void Truncate(int64_t num_rows);
  /// Returns the batch built so far and resets to empty; checks that all columns agree.
  BatchPtr Finish();

 private:
  SchemaPtr schema_;
  std::vector<std::unique_ptr<VectorBuilder>> builders_;
  int64_t empty_rows_ = 0;
};

}  // namespace sluice
