// SPDX-License-Identifier: Apache-2.0
// Sorted runs on disk: written with the Parquet writer, merged back k ways.
#include <queue>
#include <utility>

#include "columnar/concat.h"
#include "exec/sort.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"

namespace sluice::exec {

Result<std::string> WriteRun(ExecContext& ctx, const Batch& keyed,
                             const std::vector<int64_t>& order) {
  SLUICE_ASSIGN_OR_RETURN(std::string path, ctx.NewSpillPath());
  // Positional names: the query's own may repeat or be empty.
  std::vector<Field> fields;
  for (int c = 0; c < keyed.num_columns(); ++c) {
    fields.push_back(MakeField("c" + std::to_string(c), keyed.schema()->field(c).type));
  }
  SchemaPtr schema = MakeSchema(std::move(fields));
  parquet::ParquetWriteOptions options;
  options.compression = parquet::format::CompressionCodec::UNCOMPRESSED;
  options.row_group_row_limit = kDefaultBatchRows;  // merged back one row group at a time
  options.write_page_index = false;
  SLUICE_ASSIGN_OR_RETURN(auto writer, parquet::ParquetWriter::Open(path, schema, options));
  for (size_t start = 0; start < order.size(); start += kDefaultBatchRows) {
    std::vector<int64_t> rows(order.begin() + start,
                              order.begin() + std::min(order.size(), start + kDefaultBatchRows));
    std::vector<VectorPtr> columns;
    for (const VectorPtr& column : keyed.columns()) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*column, rows));
      columns.push_back(std::move(taken));
    }
    SLUICE_RETURN_IF_ERROR(
        writer->Write(Batch(schema, std::move(columns), static_cast<int64_t>(rows.size()))));
  }
  SLUICE_ASSIGN_OR_RETURN(parquet::ParquetWriteResult result, writer->Close());
  ctx.memory.AddSpilled(result.file_size);
  return path;
}

namespace {

/// Reads one run row group by row group.
class RunCursor {
 public:
  Status Open(const std::string& path, int num_keys) {
    SLUICE_ASSIGN_OR_RETURN(reader_, parquet::ParquetReader::Open(path));
    num_keys_ = num_keys;
    return Advance();
  }
  bool done() const { return batch_ == nullptr; }
  const Batch& batch() const { return *batch_; }
  int64_t row() const { return row_; }
  const std::vector<VectorPtr>& keys() const { return keys_; }

  /// Moves to the next row, loading the next row group when needed.
  Status Next() {
    if (++row_ < batch_->num_rows())
      return Status::Ok();
    return Advance();
  }

 private:
  Status Advance() {
    row_ = 0;
    batch_ = nullptr;
    while (next_group_ < reader_->num_row_groups()) {
      SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, reader_->ReadRowGroup(next_group_++));
      if (batch->num_rows() == 0)
        continue;
      batch_ = std::move(batch);
      keys_.assign(batch_->columns().end() - num_keys_, batch_->columns().end());
      return Status::Ok();
    }
    return Status::Ok();
  }

  std::unique_ptr<parquet::ParquetReader> reader_;
  int num_keys_ = 0;
  int next_group_ = 0;
  BatchPtr batch_;
  std::vector<VectorPtr> keys_;
  int64_t row_ = 0;
};

}  // namespace

Status MergeRuns(const std::vector<std::string>& runs, const SchemaPtr& schema, int num_keys,
                 const std::vector<SortOrder>& orders, const Emit& emit) {
  std::vector<RunCursor> cursors(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(cursors[i].Open(runs[i], num_keys));
  }
  std::vector<TypePtr> key_types;
  for (const RunCursor& cursor : cursors) {
    if (cursor.done())
      continue;
    for (const VectorPtr& key : cursor.keys())
      key_types.push_back(key->type());
    break;
  }
  const RowComparator comparator(key_types, orders);
  // A min-heap of cursors by their current row; ties go to the earlier run.
  auto after = [&](size_t a, size_t b) {
    const int c = comparator.Compare(cursors[a].keys(), cursors[a].row(), cursors[b].keys(),
                                     cursors[b].row());
    return c != 0 ? c > 0 : a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(after)> heap(after);
  for (size_t i = 0; i < cursors.size(); ++i) {
    if (!cursors[i].done())
      heap.push(i);
  }
  BatchBuilder builder(schema);
  while (!heap.empty()) {
    const size_t top = heap.top();
    heap.pop();
    RunCursor& cursor = cursors[top];
    for (int c = 0; c < schema->num_fields(); ++c) {
      AppendValue(*cursor.batch().column(c), cursor.row(), builder.column(c));
    }
    if (builder.num_rows() == kDefaultBatchRows)
      SLUICE_RETURN_IF_ERROR(emit(builder.Finish()));
    SLUICE_RETURN_IF_ERROR(cursor.Next());
    if (!cursor.done())
      heap.push(top);
  }
  if (builder.num_rows() > 0)
    SLUICE_RETURN_IF_ERROR(emit(builder.Finish()));
  return Status::Ok();
}

}  // namespace sluice::exec
