// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

/// Column expressions of the public API (PySpark's Column and pyspark.sql.functions).
/// A Column is SQL expression text: identifiers are back-quoted, so the engine names the
/// result columns as Spark does (`col("a") + 1` is the column "(a + 1)").
namespace sluice {

class Column {
 public:
  /// A literal (as lit()): numbers, booleans and strings convert implicitly, so
  /// `col("x") > 1` and `col("s") == "a"` compare with literals, as in PySpark.
  Column(int value);                 // NOLINT(google-explicit-constructor)
  Column(long value);                // NOLINT(google-explicit-constructor)
  Column(long long value);           // NOLINT(google-explicit-constructor)
  Column(double value);              // NOLINT(google-explicit-constructor)
  Column(bool value);                // NOLINT(google-explicit-constructor)
  Column(const char* value);         // NOLINT(google-explicit-constructor)
  Column(const std::string& value);  // NOLINT(google-explicit-constructor)

  /// A column of SQL expression text, used as written (functions::expr()).
  static Column FromSql(std::string sql);

  /// The expression's SQL text.
  const std::string& sql() const { return sql_; }

  /// `expr AS name` (also `as`, `name` in PySpark).
  Column alias(std::string_view name) const;
  Column as(std::string_view name) const { return alias(name); }
  /// CAST(expr AS type), the type in DDL ("int", "decimal(10,2)", "timestamp").
  Column cast(std::string_view type) const;
  Column astype(std::string_view type) const { return cast(type); }
  Column isNull() const;
  Column isNotNull() const;
  Column isNaN() const;
  /// expr IN (values...).
  Column isin(const std::vector<Column>& values) const;
  Column like(std::string_view pattern) const;
  Column rlike(std::string_view pattern) const;
  Column startswith(const Column& prefix) const;
  Column endswith(const Column& suffix) const;
  Column contains(const Column& part) const;
  Column between(const Column& low, const Column& high) const;
  /// expr <=> other.
  Column eqNullSafe(const Column& other) const;
  /// A struct field or map value: expr.`name`.
  Column getField(std::string_view name) const;
  /// An array element (0-based, as PySpark's getItem) or a map value.
  Column getItem(const Column& key) const;
  Column substr(int start, int length) const;
  /// Sort orders for orderBy/sort.
  Column asc() const;
  Column desc() const;
  Column asc_nulls_first() const;
  Column asc_nulls_last() const;
  Column desc_nulls_first() const;
  Column desc_nulls_last() const;
  /// CASE WHEN chains: when(cond, value).when(...).otherwise(value).
  Column when(const Column& condition, const Column& value) const;
  Column otherwise(const Column& value) const;

 private:
  explicit Column(std::string sql, int /*tag*/) : sql_(std::move(sql)) {}
  std::string sql_;
};

Column operator+(const Column& left, const Column& right);
Column operator-(const Column& left, const Column& right);
Column operator*(const Column& left, const Column& right);
Column operator/(const Column& left, const Column& right);
Column operator%(const Column& left, const Column& right);
Column operator==(const Column& left, const Column& right);
Column operator!=(const Column& left, const Column& right);
Column operator<(const Column& left, const Column& right);
Column operator<=(const Column& left, const Column& right);
Column operator>(const Column& left, const Column& right);
Column operator>=(const Column& left, const Column& right);
Column operator&&(const Column& left, const Column& right);
Column operator||(const Column& left, const Column& right);
Column operator!(const Column& operand);
Column operator-(const Column& operand);

/// A column by name: "a", "t.a" (a qualified name or a struct field), "a.`b.c`", "*"
/// or "t.*". Each part is back-quoted.
Column col(std::string_view name);
Column column(std::string_view name);
/// A literal.
Column lit(const Column& value);
/// The NULL literal.
Column lit_null();

/// A column name or a Column: the argument of select(), groupBy(), orderBy()...; text
/// is a column name (col()), as in PySpark where strings name columns there.
class ColumnOrName {
 public:
  ColumnOrName(const Column& column) : column_(column) {}        // NOLINT
  ColumnOrName(const char* name) : column_(col(name)) {}         // NOLINT
  ColumnOrName(const std::string& name) : column_(col(name)) {}  // NOLINT
  ColumnOrName(std::string_view name) : column_(col(name)) {}    // NOLINT
  const Column& column() const { return column_; }

 private:
  Column column_;
};

/// Back-quotes one identifier: a`b -> `a``b`.
std::string QuoteIdentifier(std::string_view name);

/// pyspark.sql.functions: each builds the SQL call of the same name.
namespace functions {

/// name(args...): any SQL function.
Column call(std::string_view name, const std::vector<Column>& args);
/// SQL expression text, e.g. expr("a + 1 AS b").
Column expr(std::string_view sql);
using ::sluice::col;
using ::sluice::lit;

Column sum(const ColumnOrName& c);
Column count(const ColumnOrName& c);
Column countDistinct(const std::vector<ColumnOrName>& cs);
Column avg(const ColumnOrName& c);
Column mean(const ColumnOrName& c);
Column min(const ColumnOrName& c);
Column max(const ColumnOrName& c);
Column first(const ColumnOrName& c, bool ignore_nulls = false);
Column last(const ColumnOrName& c, bool ignore_nulls = false);
Column collect_list(const ColumnOrName& c);
Column collect_set(const ColumnOrName& c);
Column stddev(const ColumnOrName& c);
Column approx_count_distinct(const ColumnOrName& c);

Column upper(const ColumnOrName& c);
Column lower(const ColumnOrName& c);
Column length(const ColumnOrName& c);
Column trim(const ColumnOrName& c);
Column concat(const std::vector<ColumnOrName>& cs);
Column concat_ws(std::string_view separator, const std::vector<ColumnOrName>& cs);
Column substring(const ColumnOrName& c, int pos, int len);
Column regexp_replace(const ColumnOrName& c, std::string_view pattern,
                      std::string_view replacement);
Column split(const ColumnOrName& c, std::string_view pattern);

Column abs(const ColumnOrName& c);
Column round(const ColumnOrName& c, int scale = 0);
Column sqrt(const ColumnOrName& c);
Column floor(const ColumnOrName& c);
Column ceil(const ColumnOrName& c);
Column coalesce(const std::vector<ColumnOrName>& cs);
Column greatest(const std::vector<ColumnOrName>& cs);
Column least(const std::vector<ColumnOrName>& cs);
Column when(const Column& condition, const Column& value);

Column explode(const ColumnOrName& c);
Column size(const ColumnOrName& c);
Column array(const std::vector<ColumnOrName>& cs);
Column struct_(const std::vector<ColumnOrName>& cs);
/// from_json(col, schema[, options]): parses a JSON string with a DDL schema
/// ("a INT, b STRING" or "struct<...>"); options as Spark's (mode: PERMISSIVE or
/// FAILFAST, columnNameOfCorruptRecord, timestampFormat, ...).
Column from_json(const ColumnOrName& c, std::string_view schema,
                 const std::map<std::string, std::string>& options = {});
/// to_json(col): a struct, array or map as a JSON string.
Column to_json(const ColumnOrName& c);

Column current_timestamp();
Column current_date();
Column to_date(const ColumnOrName& c);
Column to_timestamp(const ColumnOrName& c);
Column date_format(const ColumnOrName& c, std::string_view format);
Column year(const ColumnOrName& c);
Column month(const ColumnOrName& c);
Column dayofmonth(const ColumnOrName& c);
Column hour(const ColumnOrName& c);
/// window(timeColumn, windowDuration[, slideDuration[, startTime]]): the event-time
/// window struct of streaming aggregations.
Column window(const ColumnOrName& time_column, std::string_view window_duration,
              std::string_view slide_duration = "", std::string_view start_time = "");

Column asc(std::string_view name);
Column desc(std::string_view name);

}  // namespace functions

}  // namespace sluice
