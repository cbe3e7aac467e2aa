// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "sluice/column.h"
#include "types/data_type.h"

/// DataFrame, Row, GroupedData and DataFrameWriter (PySpark's names).
namespace sluice {

namespace api_internal {
struct SessionState;
struct DataFrameState;
}  // namespace api_internal

class DataStreamWriter;

/// One row of a collected result. Getters take the column's position (or name) and
/// convert as PySpark's Row values would: getLong for integral columns, getDouble for
/// any number, getString for strings (other types: the text show() prints). Reading a
/// null with getLong/getDouble/getBoolean returns 0/false; check isNullAt first.
class Row {
 public:
  Row(BatchPtr batch, int64_t row) : batch_(std::move(batch)), row_(row) {}
  int size() const { return batch_->num_columns(); }
  const Schema& schema() const { return *batch_->schema(); }
  /// The position of the column `name` (case-insensitive), or -1.
  int fieldIndex(std::string_view name) const;
  bool isNullAt(int i) const;
  int64_t getLong(int i) const;
  double getDouble(int i) const;
  bool getBoolean(int i) const;
  std::string getString(int i) const;
  int64_t getLong(std::string_view name) const { return getLong(fieldIndex(name)); }
  double getDouble(std::string_view name) const { return getDouble(fieldIndex(name)); }
  bool getBoolean(std::string_view name) const { return getBoolean(fieldIndex(name)); }
  std::string getString(std::string_view name) const { return getString(fieldIndex(name)); }
  bool isNullAt(std::string_view name) const { return isNullAt(fieldIndex(name)); }
  /// Scala's Row.toString: "[1,a,NULL]".
  std::string toString() const;

 private:
  BatchPtr batch_;
  int64_t row_;
};

/// The rows of a result, as columnar batches (what collect() reads from).
struct LocalResult {
  SchemaPtr schema;
  std::vector<BatchPtr> batches;
  int64_t num_rows() const;
};

class GroupedData;
class DataFrameWriter;

/// A lazily evaluated query: SQL text plus the streaming sources it reads. Every
/// transformation returns a new DataFrame wrapping this one as a subquery; nothing runs
/// until an action (count, collect, show, write, writeStream.start). A transformation
/// that cannot be built (a missing column in withColumnRenamed...) yields a DataFrame
/// holding the error, which every action returns (see status()). Unlike Spark, columns
/// are resolved when an action runs, not when the transformation is called.
class DataFrame {
 public:
  DataFrame() = default;

  /// The DataFrame's SQL query text.
  const std::string& sql() const;
  /// OK, or the error of a transformation that could not be built.
  const Status& status() const;
  bool isStreaming() const;

  // Transformations.
  DataFrame select(const std::vector<ColumnOrName>& columns) const;
  template <typename... Columns>
  DataFrame select(const ColumnOrName& first, const Columns&... rest) const {
    return select(std::vector<ColumnOrName>{first, ColumnOrName(rest)...});
  }
  /// select of SQL expression texts: selectExpr({"a + 1 AS b", "upper(s)"}).
  DataFrame selectExpr(const std::vector<std::string>& exprs) const;
  DataFrame filter(const Column& condition) const;
  /// filter("x > 1"): a SQL condition.
  DataFrame filter(std::string_view condition) const;
  DataFrame filter(const char* condition) const { return filter(std::string_view(condition)); }
  DataFrame where(const Column& condition) const { return filter(condition); }
  DataFrame where(std::string_view condition) const { return filter(condition); }
  DataFrame where(const char* condition) const { return filter(std::string_view(condition)); }
  /// Replaces the column `name` (case-insensitive) in place, or appends it.
  DataFrame withColumn(std::string_view name, const Column& value) const;
  DataFrame withColumnRenamed(std::string_view existing, std::string_view new_name) const;
  /// Drops the named columns; names that do not exist are ignored (as Spark).
  DataFrame drop(const std::vector<std::string>& names) const;
  DataFrame drop(std::string_view name) const {
    return drop(std::vector<std::string>{std::string(name)});
  }
  GroupedData groupBy(const std::vector<ColumnOrName>& columns) const;
  template <typename... Columns>
  GroupedData groupBy(const ColumnOrName& first, const Columns&... rest) const;
  /// agg over all rows (groupBy() with no columns).
  DataFrame agg(const std::vector<Column>& exprs) const;
  /// join(other, on, how): `on` names the USING columns; how is "inner" (default),
  /// "left"/"leftouter"/"left_outer", "right"..., "outer"/"full"/"fullouter"/
  /// "full_outer", "semi"/"leftsemi"/"left_semi", "anti"/"leftanti"/"left_anti", "cross".
  DataFrame join(const DataFrame& other, const std::vector<std::string>& on,
                 std::string_view how = "inner") const;
  DataFrame join(const DataFrame& other, std::string_view on, std::string_view how = "inner") const;
  DataFrame join(const DataFrame& other, const char* on, std::string_view how = "inner") const {
    return join(other, std::string_view(on), how);
  }
  /// join on a condition; qualify columns with the sides' aliases (df.alias("o")) or
  /// with df.col(name).
  DataFrame join(const DataFrame& other, const Column& condition,
                 std::string_view how = "inner") const;
  DataFrame crossJoin(const DataFrame& other) const;
  DataFrame limit(int64_t n) const;
  DataFrame orderBy(const std::vector<ColumnOrName>& columns) const;
  template <typename... Columns>
  DataFrame orderBy(const ColumnOrName& first, const Columns&... rest) const {
    return orderBy(std::vector<ColumnOrName>{first, ColumnOrName(rest)...});
  }
  DataFrame sort(const std::vector<ColumnOrName>& columns) const { return orderBy(columns); }
  template <typename... Columns>
  DataFrame sort(const ColumnOrName& first, const Columns&... rest) const {
    return orderBy(std::vector<ColumnOrName>{first, ColumnOrName(rest)...});
  }
  DataFrame distinct() const;
  /// dropDuplicates(): distinct; with names, the first row per distinct key.
  DataFrame dropDuplicates(const std::vector<std::string>& names = {}) const;
  /// UNION ALL by position (Spark's union).
  DataFrame unionAll(const DataFrame& other) const;
  DataFrame union_(const DataFrame& other) const { return unionAll(other); }
  /// UNION ALL by column name; with allow_missing_columns, absent columns are null.
  DataFrame unionByName(const DataFrame& other, bool allow_missing_columns = false) const;
  DataFrame intersect(const DataFrame& other) const;
  DataFrame exceptAll(const DataFrame& other) const;
  DataFrame subtract(const DataFrame& other) const;
  /// The name that qualifies this DataFrame's columns in the next transformation
  /// (df.alias("o").join(c.alias("c"), col("o.id") == col("c.id"))).
  DataFrame alias(std::string_view name) const;
  DataFrame as(std::string_view name) const { return alias(name); }
  /// A column of this DataFrame: qualified by its alias when it has one.
  Column col(std::string_view name) const;
  Column operator[](std::string_view name) const { return col(name); }
  /// Renames all columns by position.
  DataFrame toDF(const std::vector<std::string>& names) const;

  // Actions.
  Result<int64_t> count() const;
  Result<std::vector<Row>> collect() const;
  Result<std::vector<Row>> take(int64_t n) const;
  Result<std::optional<Row>> first() const;
  /// The rows as batches (times in UTC, as stored).
  Result<LocalResult> toLocal() const;
  /// Spark's show() text (times in the session time zone); truncate 0 keeps whole cells.
  Result<std::string> showString(int64_t n = 20, int truncate = 20, bool vertical = false) const;
  /// Prints showString to standard output.
  Status show(int64_t n = 20, int truncate = 20, bool vertical = false) const;
  Status show(int64_t n, bool truncate) const { return show(n, truncate ? 20 : 0); }
  /// The plan as EXPLAIN [EXTENDED] prints it.
  Result<std::string> explainString(bool extended = false) const;
  Status explain(bool extended = false) const;
  Result<SchemaPtr> schema() const;
  Result<std::vector<std::string>> columns() const;
  /// Spark's printSchema() tree text ("root\n |-- a: long (nullable = true)\n").
  Result<std::string> schemaString() const;
  Status printSchema() const;
  /// Registers this DataFrame as a temporary view of the session: session.sql and
  /// session.table see the name (the view's query is inlined as a WITH clause).
  Status createOrReplaceTempView(std::string_view name) const;
  bool isEmpty() const;

  DataFrameWriter write() const;
  DataStreamWriter writeStream() const;

  /// Internal: the state shared with the implementation.
  explicit DataFrame(std::shared_ptr<const api_internal::DataFrameState> state)
      : state_(std::move(state)) {}
  const std::shared_ptr<const api_internal::DataFrameState>& state() const { return state_; }

 private:
  std::shared_ptr<const api_internal::DataFrameState> state_;
};

/// The result of groupBy: agg() or a shortcut builds the aggregate.
class GroupedData {
 public:
  GroupedData(DataFrame input, std::vector<Column> keys)
      : input_(std::move(input)), keys_(std::move(keys)) {}
  DataFrame agg(const std::vector<Column>& exprs) const;
  template <typename... Exprs>
  DataFrame agg(const Column& first, const Exprs&... rest) const {
    return agg(std::vector<Column>{first, Column(rest)...});
  }
  /// count(): the keys and a column "count".
  DataFrame count() const;
  DataFrame sum(const std::vector<std::string>& names) const;
  DataFrame avg(const std::vector<std::string>& names) const;
  DataFrame min(const std::vector<std::string>& names) const;
  DataFrame max(const std::vector<std::string>& names) const;

 private:
  DataFrame Aggregate(std::string_view function, const std::vector<std::string>& names) const;
  DataFrame input_;
  std::vector<Column> keys_;
};

template <typename... Columns>
GroupedData DataFrame::groupBy(const ColumnOrName& first, const Columns&... rest) const {
  return groupBy(std::vector<ColumnOrName>{first, ColumnOrName(rest)...});
}

/// df.write: a batch write to a Delta table by path or catalog name.
class DataFrameWriter {
 public:
  explicit DataFrameWriter(DataFrame input) : input_(std::move(input)) {}
  /// "delta" (the default here; Spark's default is parquet, which the engine does not
  /// write as tables).
  DataFrameWriter& format(std::string_view format);
  /// "errorifexists"/"error" (default), "append", "overwrite", "ignore".
  DataFrameWriter& mode(std::string_view mode);
  /// Table options, kept as table properties when the write creates the table.
  DataFrameWriter& option(std::string_view key, std::string_view value);
  DataFrameWriter& partitionBy(const std::vector<std::string>& columns);
  /// Writes to the Delta table at `path`.
  Status save(std::string_view path);
  /// Writes to the catalog table `name` (created when missing).
  Status saveAsTable(std::string_view name);
  /// INSERT INTO name by position (overwrite: INSERT OVERWRITE).
  Status insertInto(std::string_view name, bool overwrite = false);

 private:
  Status Write(const std::string& target, bool exists);
  DataFrame input_;
  std::string format_ = "delta";
  std::string mode_ = "errorifexists";
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> partition_by_;
};

}  // namespace sluice
