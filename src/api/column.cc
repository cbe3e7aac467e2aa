// SPDX-License-Identifier: Apache-2.0
#include "sluice/column.h"

#include <fmt/format.h>

#include <cmath>

namespace sluice {

namespace {

std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += '\'';
  return out;
}

std::string Binary(const Column& left, std::string_view op, const Column& right) {
  return fmt::format("({} {} {})", left.sql(), op, right.sql());
}

std::string Join(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& column : columns) {
    out += (out.empty() ? "" : ", ") + column.sql();
  }
  return out;
}

std::vector<Column> Columns(const std::vector<ColumnOrName>& cs) {
  std::vector<Column> out;
  for (const ColumnOrName& c : cs) {
    out.push_back(c.column());
  }
  return out;
}

/// The text of a CASE expression without its final " END".
std::string_view CaseBody(const std::string& sql) {
  std::string_view body = sql;
  if (body.size() >= 4 && body.substr(body.size() - 4) == " END") {
    body.remove_suffix(4);
  }
  return body;
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') {
      out += '`';
    }
  }
  out += '`';
  return out;
}

Column::Column(int value) : sql_(std::to_string(value)) {}
Column::Column(long value) : sql_(fmt::format("{}L", value)) {}
Column::Column(long long value) : sql_(fmt::format("{}L", value)) {}
Column::Column(double value) {
  if (std::isnan(value)) {
    sql_ = "CAST('NaN' AS DOUBLE)";
  } else if (std::isinf(value)) {
    sql_ = value > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)";
  } else {
    sql_ = fmt::format("{}D", value);
  }
}
Column::Column(bool value) : sql_(value ? "true" : "false") {}
Column::Column(const char* value) : sql_(QuoteLiteral(value)) {}
Column::Column(const std::string& value) : sql_(QuoteLiteral(value)) {}

Column Column::FromSql(std::string sql) {
  return Column(std::move(sql), 0);
}

Column Column::alias(std::string_view name) const {
  return FromSql(fmt::format("{} AS {}", sql_, QuoteIdentifier(name)));
}
Column Column::cast(std::string_view type) const {
  return FromSql(fmt::format("CAST({} AS {})", sql_, type));
}
Column Column::isNull() const {
  return FromSql(fmt::format("({} IS NULL)", sql_));
}
Column Column::isNotNull() const {
  return FromSql(fmt::format("({} IS NOT NULL)", sql_));
}
Column Column::isNaN() const {
  return FromSql(fmt::format("isnan({})", sql_));
}
Column Column::isin(const std::vector<Column>& values) const {
  return FromSql(fmt::format("({} IN ({}))", sql_, Join(values)));
}
Column Column::like(std::string_view pattern) const {
  return FromSql(fmt::format("{} LIKE {}", sql_, QuoteLiteral(pattern)));
}
Column Column::rlike(std::string_view pattern) const {
  return FromSql(fmt::format("{} RLIKE {}", sql_, QuoteLiteral(pattern)));
}
Column Column::startswith(const Column& prefix) const {
  return FromSql(fmt::format("startswith({}, {})", sql_, prefix.sql()));
}
Column Column::endswith(const Column& suffix) const {
  return FromSql(fmt::format("endswith({}, {})", sql_, suffix.sql()));
}
Column Column::contains(const Column& part) const {
  return FromSql(fmt::format("contains({}, {})", sql_, part.sql()));
}
Column Column::between(const Column& low, const Column& high) const {
  return FromSql(fmt::format("({} BETWEEN {} AND {})", sql_, low.sql(), high.sql()));
}
Column Column::eqNullSafe(const Column& other) const {
  return FromSql(Binary(*this, "<=>", other));
}
Column Column::getField(std::string_view name) const {
  return FromSql(fmt::format("{}.{}", sql_, QuoteIdentifier(name)));
}
Column Column::getItem(const Column& key) const {
  return FromSql(fmt::format("{}[{}]", sql_, key.sql()));
}
Column Column::substr(int start, int length) const {
  return FromSql(fmt::format("substr({}, {}, {})", sql_, start, length));
}
Column Column::asc() const {
  return FromSql(sql_ + " ASC");
}
Column Column::desc() const {
  return FromSql(sql_ + " DESC");
}
Column Column::asc_nulls_first() const {
  return FromSql(sql_ + " ASC NULLS FIRST");
}
Column Column::asc_nulls_last() const {
  return FromSql(sql_ + " ASC NULLS LAST");
}
Column Column::desc_nulls_first() const {
  return FromSql(sql_ + " DESC NULLS FIRST");
}
Column Column::desc_nulls_last() const {
  return FromSql(sql_ + " DESC NULLS LAST");
}
Column Column::when(const Column& condition, const Column& value) const {
  return FromSql(
      fmt::format("{} WHEN {} THEN {} END", CaseBody(sql_), condition.sql(), value.sql()));
}
Column Column::otherwise(const Column& value) const {
  return FromSql(fmt::format("{} ELSE {} END", CaseBody(sql_), value.sql()));
}

Column operator+(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "+", right));
}
Column operator-(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "-", right));
}
Column operator*(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "*", right));
}
Column operator/(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "/", right));
}
Column operator%(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "%", right));
}
Column operator==(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "=", right));
}
Column operator!=(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "!=", right));
}
Column operator<(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "<", right));
}
Column operator<=(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "<=", right));
}
Column operator>(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, ">", right));
}
Column operator>=(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, ">=", right));
}
Column operator&&(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "AND", right));
}
Column operator||(const Column& left, const Column& right) {
  return Column::FromSql(Binary(left, "OR", right));
}
Column operator!(const Column& operand) {
  return Column::FromSql(fmt::format("(NOT {})", operand.sql()));
}
Column operator-(const Column& operand) {
  return Column::FromSql(fmt::format("(- {})", operand.sql()));
}

Column col(std::string_view name) {
  if (name == "*") {
    return Column::FromSql("*");
  }
  // Split on dots outside back-quotes; parts already back-quoted stay as written.
  std::string out;
  std::string part;
  bool quoted = false;
  bool part_quoted = false;
  auto flush = [&] {
    if (!out.empty()) {
      out += '.';
    }
    out += part_quoted ? "`" + part + "`" : (part == "*" ? part : QuoteIdentifier(part));
    part.clear();
    part_quoted = false;
  };
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '`') {
      if (quoted && i + 1 < name.size() && name[i + 1] == '`') {
        part += "``";
        ++i;
        continue;
      }
      quoted = !quoted;
      part_quoted = true;
    } else if (c == '.' && !quoted) {
      flush();
    } else {
      part += c;
    }
  }
  flush();
  return Column::FromSql(std::move(out));
}

Column column(std::string_view name) {
  return col(name);
}
Column lit(const Column& value) {
  return value;
}
Column lit_null() {
  return Column::FromSql("NULL");
}
namespace functions {

Column expr(std::string_view sql) {
  return Column::FromSql(std::string(sql));
}

Column call(std::string_view name, const std::vector<Column>& args) {
  return Column::FromSql(fmt::format("{}({})", name, Join(args)));
}

namespace {
Column Call1(std::string_view name, const ColumnOrName& c) {
  return call(name, {c.column()});
}
}  // namespace

Column sum(const ColumnOrName& c) {
  return Call1("sum", c);
}
Column count(const ColumnOrName& c) {
  return Call1("count", c);
}
Column countDistinct(const std::vector<ColumnOrName>& cs) {
  return Column::FromSql(fmt::format("count(DISTINCT {})", Join(Columns(cs))));
}
Column avg(const ColumnOrName& c) {
  return Call1("avg", c);
}
Column mean(const ColumnOrName& c) {
  return Call1("mean", c);
}
Column min(const ColumnOrName& c) {
  return Call1("min", c);
}
Column max(const ColumnOrName& c) {
  return Call1("max", c);
}
Column first(const ColumnOrName& c, bool ignore_nulls) {
  return call("first", {c.column(), Column(ignore_nulls)});
}
Column last(const ColumnOrName& c, bool ignore_nulls) {
  return call("last", {c.column(), Column(ignore_nulls)});
}
Column collect_list(const ColumnOrName& c) {
  return Call1("collect_list", c);
}
Column collect_set(const ColumnOrName& c) {
  return Call1("collect_set", c);
}
Column stddev(const ColumnOrName& c) {
  return Call1("stddev", c);
}
Column approx_count_distinct(const ColumnOrName& c) {
  return Call1("approx_count_distinct", c);
}
Column upper(const ColumnOrName& c) {
  return Call1("upper", c);
}
Column lower(const ColumnOrName& c) {
  return Call1("lower", c);
}
Column length(const ColumnOrName& c) {
  return Call1("length", c);
}
Column trim(const ColumnOrName& c) {
  return Call1("trim", c);
}
Column concat(const std::vector<ColumnOrName>& cs) {
  return call("concat", Columns(cs));
}
Column concat_ws(std::string_view separator, const std::vector<ColumnOrName>& cs) {
  std::vector<Column> args{Column(std::string(separator))};
  for (const Column& c : Columns(cs)) {
    args.push_back(c);
  }
  return call("concat_ws", args);
}
Column substring(const ColumnOrName& c, int pos, int len) {
  return call("substring", {c.column(), Column(pos), Column(len)});
}
Column regexp_replace(const ColumnOrName& c, std::string_view pattern,
                      std::string_view replacement) {
  return call("regexp_replace",
              {c.column(), Column(std::string(pattern)), Column(std::string(replacement))});
}
Column split(const ColumnOrName& c, std::string_view pattern) {
  return call("split", {c.column(), Column(std::string(pattern))});
}
Column abs(const ColumnOrName& c) {
  return Call1("abs", c);
}
Column round(const ColumnOrName& c, int scale) {
  return call("round", {c.column(), Column(scale)});
}
Column sqrt(const ColumnOrName& c) {
  return Call1("sqrt", c);
}
Column floor(const ColumnOrName& c) {
  return Call1("floor", c);
}
Column ceil(const ColumnOrName& c) {
  return Call1("ceil", c);
}
Column coalesce(const std::vector<ColumnOrName>& cs) {
  return call("coalesce", Columns(cs));
}
Column greatest(const std::vector<ColumnOrName>& cs) {
  return call("greatest", Columns(cs));
}
Column least(const std::vector<ColumnOrName>& cs) {
  return call("least", Columns(cs));
}
Column when(const Column& condition, const Column& value) {
  return Column::FromSql(fmt::format("CASE WHEN {} THEN {} END", condition.sql(), value.sql()));
}
Column explode(const ColumnOrName& c) {
  return Call1("explode", c);
}
Column size(const ColumnOrName& c) {
  return Call1("size", c);
}
Column array(const std::vector<ColumnOrName>& cs) {
  return call("array", Columns(cs));
}
Column struct_(const std::vector<ColumnOrName>& cs) {
  return call("struct", Columns(cs));
}
Column from_json(const ColumnOrName& c, std::string_view schema,
                 const std::map<std::string, std::string>& options) {
  std::vector<Column> args = {c.column(), Column(std::string(schema))};
  if (!options.empty()) {
    std::vector<Column> entries;
    for (const auto& [key, value] : options) {
      entries.emplace_back(key);
      entries.emplace_back(value);
    }
    args.push_back(call("map", entries));
  }
  return call("from_json", args);
}
Column to_json(const ColumnOrName& c) {
  return Call1("to_json", c);
}
Column current_timestamp() {
  return call("current_timestamp", {});
}
Column current_date() {
  return call("current_date", {});
}
Column to_date(const ColumnOrName& c) {
  return Call1("to_date", c);
}
Column to_timestamp(const ColumnOrName& c) {
  return Call1("to_timestamp", c);
}
Column date_format(const ColumnOrName& c, std::string_view format) {
  return call("date_format", {c.column(), Column(std::string(format))});
}
Column year(const ColumnOrName& c) {
  return Call1("year", c);
}
Column month(const ColumnOrName& c) {
  return Call1("month", c);
}
Column dayofmonth(const ColumnOrName& c) {
  return Call1("dayofmonth", c);
}
Column hour(const ColumnOrName& c) {
  return Call1("hour", c);
}
Column window(const ColumnOrName& time_column, std::string_view window_duration,
              std::string_view slide_duration, std::string_view start_time) {
  std::vector<Column> args{time_column.column(), Column(std::string(window_duration))};
  if (!slide_duration.empty() || !start_time.empty()) {
    args.push_back(Column(std::string(slide_duration.empty() ? window_duration : slide_duration)));
  }
  if (!start_time.empty()) {
    args.push_back(Column(std::string(start_time)));
  }
  return call("window", args);
}
Column asc(std::string_view name) {
  return col(name).asc();
}
Column desc(std::string_view name) {
  return col(name).desc();
}

}  // namespace functions

}  // namespace sluice
