// SPDX-License-Identifier: Apache-2.0
// DataFrame transformations: each wraps the previous query as a subquery.
#include "sluice/dataframe.h"

#include <fmt/format.h>

#include "api/api_internal.h"
#include "common/ascii.h"

namespace sluice {

using api_internal::DataFrameState;
using api_internal::DeriveFrame;
using api_internal::Source;
using api_internal::Subquery;

namespace {

const Status& NotInitialized() {
  static const Status* status =
      new Status(Status::InvalidArgument("the DataFrame is not initialized"));
  return *status;
}

std::string JoinColumns(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& column : columns) {
    out += (out.empty() ? "" : ", ") + column.sql();
  }
  return out;
}

std::vector<Column> ToColumns(const std::vector<ColumnOrName>& columns) {
  std::vector<Column> out;
  for (const ColumnOrName& column : columns) {
    out.push_back(column.column());
  }
  return out;
}

/// The join type's SQL for Spark's `how`, or "" when unknown.
std::string JoinKeyword(std::string_view how) {
  std::string h = ToLowerAscii(how);
  std::erase(h, '_');
  if (h == "inner")
    return "INNER JOIN";
  if (h == "left" || h == "leftouter")
    return "LEFT OUTER JOIN";
  if (h == "right" || h == "rightouter")
    return "RIGHT OUTER JOIN";
  if (h == "outer" || h == "full" || h == "fullouter")
    return "FULL OUTER JOIN";
  if (h == "semi" || h == "leftsemi")
    return "LEFT SEMI JOIN";
  if (h == "anti" || h == "leftanti")
    return "LEFT ANTI JOIN";
  if (h == "cross")
    return "CROSS JOIN";
  return "";
}

Status UnsupportedJoinType(std::string_view how) {
  return Status::InvalidArgument(fmt::format(
      "[UNSUPPORTED_JOIN_TYPE] Unsupported join type '{}'. Supported join types include: "
      "'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', "
      "'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', "
      "'leftanti', 'left_anti', 'anti', 'cross'.",
      how));
}

/// A DataFrame selecting everything from the FROM clause `from`.
DataFrame FromFrame(std::string from, const std::vector<const DataFrameState*>& inputs) {
  DataFrame out = DeriveFrame("SELECT * FROM " + from, inputs);
  std::const_pointer_cast<DataFrameState>(out.state())->from = std::move(from);
  return out;
}

}  // namespace

const std::string& DataFrame::sql() const {
  static const std::string* empty = new std::string();
  return state_ == nullptr ? *empty : state_->sql;
}

const Status& DataFrame::status() const {
  return state_ == nullptr ? NotInitialized() : state_->status;
}

bool DataFrame::isStreaming() const {
  return state_ != nullptr && !state_->sources.empty();
}

// Returns *this from a transformation when this DataFrame cannot be built on.
#define SLUICE_DF_CHECK()                             \
  do {                                                \
    if (state_ == nullptr || !state_->status.ok()) {  \
      return state_ == nullptr ? DataFrame() : *this; \
    }                                                 \
  } while (false)

namespace {

/// `left <op> right` over the two frames' rows (UNION ALL, INTERSECT, EXCEPT [ALL]).
DataFrame CombineRows(const DataFrame& left, const DataFrame& right, std::string_view op) {
  if (!right.status().ok()) {
    return right;
  }
  return DeriveFrame(
      fmt::format("SELECT * FROM {} {} SELECT * FROM {}", Subquery(*left.state(), "__left"), op,
                  Subquery(*right.state(), "__right")),
      {left.state().get(), right.state().get()});
}

}  // namespace

DataFrame DataFrame::select(const std::vector<ColumnOrName>& columns) const {
  SLUICE_DF_CHECK();
  return DeriveFrame(
      fmt::format("SELECT {} FROM {}", JoinColumns(ToColumns(columns)), Source(*state_)),
      {state_.get()});
}

DataFrame DataFrame::selectExpr(const std::vector<std::string>& exprs) const {
  std::vector<ColumnOrName> columns;
  for (const std::string& text : exprs) {
    columns.emplace_back(functions::expr(text));
  }
  return select(columns);
}

DataFrame DataFrame::filter(const Column& condition) const {
  SLUICE_DF_CHECK();
  if (!state_->from.empty() && state_->alias.empty()) {
    // Stay on the FROM clause: AND the condition to its WHERE.
    auto state = std::const_pointer_cast<DataFrameState>(DeriveFrame("", {state_.get()}).state());
    state->from = state_->from;
    state->where = state_->where.empty()
                       ? condition.sql()
                       : fmt::format("({}) AND ({})", state_->where, condition.sql());
    state->sql = fmt::format("SELECT * FROM {} WHERE {}", state->from, state->where);
    return DataFrame(std::move(state));
  }
  return DeriveFrame(fmt::format("SELECT * FROM {} WHERE {}", Subquery(*state_), condition.sql()),
                     {state_.get()});
}

DataFrame DataFrame::filter(std::string_view condition) const {
  return filter(functions::expr(condition));
}

DataFrame DataFrame::withColumn(std::string_view name, const Column& value) const {
  SLUICE_DF_CHECK();
  Result<std::vector<std::string>> names = columns();
  if (!names.ok()) {
    return api_internal::ErrorFrame(state_->session, names.status());
  }
  std::vector<Column> out;
  bool replaced = false;
  for (const std::string& existing : *names) {
    if (EqualsIgnoreCase(existing, name)) {
      out.push_back(value.alias(name));
      replaced = true;
    } else {
      out.push_back(Column::FromSql(QuoteIdentifier(existing)));
    }
  }
  if (!replaced) {
    out.push_back(value.alias(name));
  }
  return DeriveFrame(fmt::format("SELECT {} FROM {}", JoinColumns(out), Source(*state_)),
                     {state_.get()});
}

DataFrame DataFrame::withColumnRenamed(std::string_view existing, std::string_view new_name) const {
  SLUICE_DF_CHECK();
  Result<std::vector<std::string>> names = columns();
  if (!names.ok()) {
    return api_internal::ErrorFrame(state_->session, names.status());
  }
  std::vector<Column> out;
  for (const std::string& name : *names) {
    Column column = Column::FromSql(QuoteIdentifier(name));
    out.push_back(EqualsIgnoreCase(name, existing) ? column.alias(new_name) : column);
  }
  return DeriveFrame(fmt::format("SELECT {} FROM {}", JoinColumns(out), Source(*state_)),
                     {state_.get()});
}

DataFrame DataFrame::drop(const std::vector<std::string>& drop_names) const {
  SLUICE_DF_CHECK();
  Result<std::vector<std::string>> names = columns();
  if (!names.ok()) {
    return api_internal::ErrorFrame(state_->session, names.status());
  }
  std::vector<Column> out;
  for (const std::string& name : *names) {
    bool dropped = false;
    for (const std::string& drop_name : drop_names) {
      dropped = dropped || EqualsIgnoreCase(name, drop_name);
    }
    if (!dropped) {
      out.push_back(Column::FromSql(QuoteIdentifier(name)));
    }
  }
  if (out.empty()) {
    // Spark allows dropping every column; a query here needs a select list.
    return api_internal::ErrorFrame(state_->session,
                                    Status::NotImplemented("drop: a DataFrame needs a column"));
  }
  return DeriveFrame(fmt::format("SELECT {} FROM {}", JoinColumns(out), Source(*state_)),
                     {state_.get()});
}

GroupedData DataFrame::groupBy(const std::vector<ColumnOrName>& columns) const {
  return GroupedData(*this, ToColumns(columns));
}

DataFrame DataFrame::agg(const std::vector<Column>& exprs) const {
  return GroupedData(*this, {}).agg(exprs);
}

DataFrame DataFrame::join(const DataFrame& other, const std::vector<std::string>& on,
                          std::string_view how) const {
  SLUICE_DF_CHECK();
  if (!other.status().ok()) {
    return other;
  }
  const std::string keyword = JoinKeyword(how);
  if (keyword.empty()) {
    return api_internal::ErrorFrame(state_->session, UnsupportedJoinType(how));
  }
  std::string using_list;
  for (const std::string& name : on) {
    using_list += (using_list.empty() ? "" : ", ") + QuoteIdentifier(name);
  }
  std::string from = fmt::format("{} {} {}", Subquery(*state_, "__left"), keyword,
                                 Subquery(*other.state_, "__right"));
  if (!on.empty()) {
    from += fmt::format(" USING ({})", using_list);
  }
  return FromFrame(std::move(from), {state_.get(), other.state_.get()});
}

DataFrame DataFrame::join(const DataFrame& other, std::string_view on, std::string_view how) const {
  return join(other, std::vector<std::string>{std::string(on)}, how);
}

DataFrame DataFrame::join(const DataFrame& other, const Column& condition,
                          std::string_view how) const {
  SLUICE_DF_CHECK();
  if (!other.status().ok()) {
    return other;
  }
  const std::string keyword = JoinKeyword(how);
  if (keyword.empty()) {
    return api_internal::ErrorFrame(state_->session, UnsupportedJoinType(how));
  }
  return FromFrame(fmt::format("{} {} {} ON {}", Subquery(*state_, "__left"), keyword,
                               Subquery(*other.state_, "__right"), condition.sql()),
                   {state_.get(), other.state_.get()});
}

DataFrame DataFrame::crossJoin(const DataFrame& other) const {
  return join(other, std::vector<std::string>{}, "cross");
}

DataFrame DataFrame::limit(int64_t n) const {
  SLUICE_DF_CHECK();
  if (state_->ordered) {
    // Keep the sort under the limit: append to the ordered query instead of wrapping.
    return DeriveFrame(fmt::format("{}\nLIMIT {}", state_->sql, n), {state_.get()});
  }
  return DeriveFrame(fmt::format("SELECT * FROM {} LIMIT {}", Source(*state_), n), {state_.get()});
}

DataFrame DataFrame::orderBy(const std::vector<ColumnOrName>& columns) const {
  SLUICE_DF_CHECK();
  DataFrame out = DeriveFrame(
      fmt::format("SELECT * FROM {} ORDER BY {}", Source(*state_), JoinColumns(ToColumns(columns))),
      {state_.get()});
  std::const_pointer_cast<DataFrameState>(out.state_)->ordered = true;
  return out;
}

DataFrame DataFrame::distinct() const {
  SLUICE_DF_CHECK();
  return DeriveFrame(fmt::format("SELECT DISTINCT * FROM {}", Source(*state_)), {state_.get()});
}

DataFrame DataFrame::dropDuplicates(const std::vector<std::string>& names) const {
  SLUICE_DF_CHECK();
  if (names.empty()) {
    return distinct();
  }
  Result<std::vector<std::string>> all = columns();
  if (!all.ok()) {
    return api_internal::ErrorFrame(state_->session, all.status());
  }
  std::string keys;
  for (const std::string& name : names) {
    keys += (keys.empty() ? "" : ", ") + QuoteIdentifier(name);
  }
  std::string firsts;
  for (const std::string& name : *all) {
    bool key = false;
    for (const std::string& k : names) {
      key = key || EqualsIgnoreCase(k, name);
    }
    firsts +=
        (firsts.empty() ? "" : ", ") +
        (key ? QuoteIdentifier(name) : fmt::format("first({0}) AS {0}", QuoteIdentifier(name)));
  }
  return DeriveFrame(fmt::format("SELECT {} FROM {} GROUP BY {}", firsts, Source(*state_), keys),
                     {state_.get()});
}

DataFrame DataFrame::unionAll(const DataFrame& other) const {
  SLUICE_DF_CHECK();
  return CombineRows(*this, other, "UNION ALL");
}

DataFrame DataFrame::unionByName(const DataFrame& other, bool allow_missing_columns) const {
  SLUICE_DF_CHECK();
  if (!other.status().ok()) {
    return other;
  }
  Result<std::vector<std::string>> left = columns();
  Result<std::vector<std::string>> right = other.columns();
  if (!left.ok() || !right.ok()) {
    return api_internal::ErrorFrame(state_->session, !left.ok() ? left.status() : right.status());
  }
  auto find = [](const std::vector<std::string>& names, const std::string& name) {
    for (const std::string& n : names) {
      if (EqualsIgnoreCase(n, name))
        return true;
    }
    return false;
  };
  std::string left_list;
  std::string right_list;
  auto add = [](std::string& list, const std::string& item) {
    list += (list.empty() ? "" : ", ") + item;
  };
  std::vector<std::string> all = *left;
  for (const std::string& name : *right) {
    if (!find(all, name)) {
      if (!allow_missing_columns) {
        return api_internal::ErrorFrame(
            state_->session,
            Status::BindError(fmt::format(
                "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same "
                "number of columns; the column {} is missing from the first input.",
                QuoteIdentifier(name))));
      }
      all.push_back(name);
    }
  }
  for (const std::string& name : all) {
    const std::string quoted = QuoteIdentifier(name);
    add(left_list, find(*left, name) ? quoted : "NULL AS " + quoted);
    if (!find(*right, name) && !allow_missing_columns) {
      return api_internal::ErrorFrame(
          state_->session,
          Status::BindError(fmt::format(
              "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same "
              "number of columns; the column {} is missing from the second input.",
              quoted)));
    }
    add(right_list, find(*right, name) ? quoted : "NULL AS " + quoted);
  }
  return DeriveFrame(
      fmt::format("SELECT {} FROM {} UNION ALL SELECT {} FROM {}", left_list,
                  Subquery(*state_, "__left"), right_list, Subquery(*other.state_, "__right")),
      {state_.get(), other.state_.get()});
}

DataFrame DataFrame::intersect(const DataFrame& other) const {
  SLUICE_DF_CHECK();
  return CombineRows(*this, other, "INTERSECT");
}

DataFrame DataFrame::exceptAll(const DataFrame& other) const {
  SLUICE_DF_CHECK();
  return CombineRows(*this, other, "EXCEPT ALL");
}

DataFrame DataFrame::subtract(const DataFrame& other) const {
  SLUICE_DF_CHECK();
  return CombineRows(*this, other, "EXCEPT");
}

DataFrame DataFrame::alias(std::string_view name) const {
  SLUICE_DF_CHECK();
  auto state = std::make_shared<DataFrameState>();
  state->session = state_->session;
  state->sql = state_->sql;
  state->ordered = state_->ordered;
  state->sources = state_->sources;
  state->holds = state_->holds;
  state->alias = std::string(name);  // wrapped as a subquery from now on
  return DataFrame(std::move(state));
}

Column DataFrame::col(std::string_view name) const {
  if (state_ == nullptr || state_->alias.empty()) {
    return sluice::col(name);
  }
  return Column::FromSql(QuoteIdentifier(state_->alias) + "." + sluice::col(name).sql());
}

DataFrame DataFrame::toDF(const std::vector<std::string>& names) const {
  SLUICE_DF_CHECK();
  Result<std::vector<std::string>> existing = columns();
  if (!existing.ok()) {
    return api_internal::ErrorFrame(state_->session, existing.status());
  }
  if (existing->size() != names.size()) {
    return api_internal::ErrorFrame(
        state_->session,
        Status::InvalidArgument(fmt::format(
            "The number of columns doesn't match.\nOld column names ({}) and new column names "
            "({}) differ in number.",
            existing->size(), names.size())));
  }
  std::vector<Column> out;
  for (size_t i = 0; i < names.size(); ++i) {
    out.push_back(Column::FromSql(QuoteIdentifier((*existing)[i])).alias(names[i]));
  }
  return DeriveFrame(fmt::format("SELECT {} FROM {}", JoinColumns(out), Source(*state_)),
                     {state_.get()});
}

DataFrame GroupedData::agg(const std::vector<Column>& exprs) const {
  const auto& state = input_.state();
  if (state == nullptr || !state->status.ok()) {
    return input_;
  }
  std::vector<Column> select = keys_;
  select.insert(select.end(), exprs.begin(), exprs.end());
  std::string text = fmt::format("SELECT {} FROM {}", JoinColumns(select), Source(*state));
  if (!keys_.empty()) {
    text += " GROUP BY " + JoinColumns(keys_);
  }
  return DeriveFrame(std::move(text), {state.get()});
}

DataFrame GroupedData::count() const {
  return agg({functions::expr("count(1)").alias("count")});
}

DataFrame GroupedData::Aggregate(std::string_view function,
                                 const std::vector<std::string>& names) const {
  std::vector<Column> exprs;
  for (const std::string& name : names) {
    exprs.push_back(functions::call(function, {sluice::col(name)}));
  }
  return agg(exprs);
}

DataFrame GroupedData::sum(const std::vector<std::string>& names) const {
  return Aggregate("sum", names);
}
DataFrame GroupedData::avg(const std::vector<std::string>& names) const {
  return Aggregate("avg", names);
}
DataFrame GroupedData::min(const std::vector<std::string>& names) const {
  return Aggregate("min", names);
}
DataFrame GroupedData::max(const std::vector<std::string>& names) const {
  return Aggregate("max", names);
}

}  // namespace sluice
