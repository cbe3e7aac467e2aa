// SPDX-License-Identifier: Apache-2.0
// DataFrame actions (count, collect, show, schema, views), Row, and DataFrameWriter.
#include <fmt/format.h>

#include <cstdio>

#include "api/api_internal.h"
#include "columnar/printer.h"
#include "common/ascii.h"
#include "common/file_system.h"
#include "sluice/dataframe.h"
#include "types/decimal.h"

namespace sluice {

using api_internal::DataFrameState;
using api_internal::Source;

namespace {

/// Fails for a DataFrame that cannot run as a batch query.
Status CheckRunnable(const std::shared_ptr<const DataFrameState>& state) {
  if (state == nullptr) {
    return Status::InvalidArgument("the DataFrame is not initialized");
  }
  SLUICE_RETURN_IF_ERROR(state->status);
  if (!state->sources.empty()) {
    return Status::BindError(
        "[UNSUPPORTED_FEATURE] Queries with streaming sources must be executed with "
        "writeStream.start();");
  }
  return Status::Ok();
}

Result<engine::QueryResult> Run(const DataFrameState& state, const std::string& sql) {
  return state.session->Execute(sql);
}

}  // namespace

int64_t LocalResult::num_rows() const {
  int64_t rows = 0;
  for (const BatchPtr& batch : batches) {
    rows += batch->num_rows();
  }
  return rows;
}

Result<int64_t> DataFrame::count() const {
  SLUICE_RETURN_IF_ERROR(CheckRunnable(state_));
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult result,
      Run(*state_, fmt::format("SELECT count(1) AS `count` FROM {}", Source(*state_))));
  for (const BatchPtr& batch : result.batches) {
    if (batch->num_rows() > 0) {
      return batch->column(0)->Value<int64_t>(0);
    }
  }
  return Status::Internal("count returned no row");
}

Result<LocalResult> DataFrame::toLocal() const {
  SLUICE_RETURN_IF_ERROR(CheckRunnable(state_));
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, Run(*state_, state_->sql));
  return LocalResult{result.schema, std::move(result.batches)};
}

Result<std::vector<Row>> DataFrame::collect() const {
  SLUICE_ASSIGN_OR_RETURN(LocalResult result, toLocal());
  std::vector<Row> rows;
  for (const BatchPtr& batch : result.batches) {
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      rows.emplace_back(batch, i);
    }
  }
  return rows;
}

Result<std::vector<Row>> DataFrame::take(int64_t n) const {
  return limit(n).collect();
}

Result<std::optional<Row>> DataFrame::first() const {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Row> rows, take(1));
  if (rows.empty()) {
    return std::optional<Row>();
  }
  return std::optional<Row>(rows.front());
}

bool DataFrame::isEmpty() const {
  Result<std::vector<Row>> rows = take(1);
  return !rows.ok() || rows->empty();
}

Result<std::string> DataFrame::showString(int64_t n, int truncate, bool vertical) const {
  SLUICE_RETURN_IF_ERROR(CheckRunnable(state_));
  // One row more than shown, so the printer knows whether to say "only showing".
  const std::string sql = state_->ordered
                              ? fmt::format("{}\nLIMIT {}", state_->sql, n + 1)
                              : fmt::format("SELECT * FROM {} LIMIT {}", Source(*state_), n + 1);
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, Run(*state_, sql));
  SLUICE_ASSIGN_OR_RETURN(result, state_->session->engine->InSessionTimeZone(std::move(result)));
  ShowOptions options;
  options.num_rows = n;
  options.truncate = truncate;
  options.vertical = vertical;
  return ShowAll(result.batches, result.schema, options);
}

Status DataFrame::show(int64_t n, int truncate, bool vertical) const {
  SLUICE_ASSIGN_OR_RETURN(std::string text, showString(n, truncate, vertical));
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return Status::Ok();
}

Result<std::string> DataFrame::explainString(bool extended) const {
  if (state_ == nullptr) {
    return Status::InvalidArgument("the DataFrame is not initialized");
  }
  SLUICE_RETURN_IF_ERROR(state_->status);
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult result,
      Run(*state_, fmt::format("EXPLAIN {}{}", extended ? "EXTENDED " : "", state_->sql)));
  std::string text;
  for (const BatchPtr& batch : result.batches) {
    for (int64_t i = 0; i < batch->num_rows(); ++i) {
      text += Row(batch, i).getString(0);
      if (text.empty() || text.back() != '\n') {
        text += '\n';
      }
    }
  }
  return text;
}

Status DataFrame::explain(bool extended) const {
  SLUICE_ASSIGN_OR_RETURN(std::string text, explainString(extended));
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return Status::Ok();
}

Result<SchemaPtr> DataFrame::schema() const {
  if (state_ == nullptr) {
    return Status::InvalidArgument("the DataFrame is not initialized");
  }
  SLUICE_RETURN_IF_ERROR(state_->status);
  {
    std::lock_guard<std::mutex> lock(state_->schema_mu);
    if (state_->schema != nullptr) {
      return state_->schema;
    }
  }
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result,
                          Run(*state_, fmt::format("SELECT * FROM {} LIMIT 0", Source(*state_))));
  std::lock_guard<std::mutex> lock(state_->schema_mu);
  state_->schema = result.schema;
  return state_->schema;
}

Result<std::vector<std::string>> DataFrame::columns() const {
  SLUICE_ASSIGN_OR_RETURN(SchemaPtr schema, this->schema());
  std::vector<std::string> names;
  for (const Field& field : schema->fields()) {
    names.push_back(field.name);
  }
  return names;
}

Result<std::string> DataFrame::schemaString() const {
  SLUICE_ASSIGN_OR_RETURN(SchemaPtr schema, this->schema());
  return schema->ToTreeString();
}

Status DataFrame::printSchema() const {
  SLUICE_ASSIGN_OR_RETURN(std::string text, schemaString());
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return Status::Ok();
}

Status DataFrame::createOrReplaceTempView(std::string_view name) const {
  if (state_ == nullptr) {
    return Status::InvalidArgument("the DataFrame is not initialized");
  }
  SLUICE_RETURN_IF_ERROR(state_->status);
  // The view keeps no session pointer (the session holds its views).
  auto view = std::make_shared<DataFrameState>();
  view->sql = state_->sql;
  view->ordered = state_->ordered;
  view->sources = state_->sources;
  view->holds = state_->holds;
  std::lock_guard<std::mutex> lock(state_->session->mu);
  state_->session->views[ToLowerAscii(name)] = std::move(view);
  return Status::Ok();
}

DataFrameWriter DataFrame::write() const {
  return DataFrameWriter(*this);
}

// Row.

int Row::fieldIndex(std::string_view name) const {
  const Schema& s = schema();
  for (int i = 0; i < s.num_fields(); ++i) {
    if (EqualsIgnoreCase(s.field(i).name, name)) {
      return i;
    }
  }
  return -1;
}

bool Row::isNullAt(int i) const {
  return i < 0 || i >= size() || batch_->column(i)->IsNull(row_);
}

int64_t Row::getLong(int i) const {
  if (isNullAt(i)) {
    return 0;
  }
  const Vector& v = *batch_->column(i);
  switch (v.type_id()) {
    case TypeId::kBoolean:
      return v.BoolValue(row_) ? 1 : 0;
    case TypeId::kByte:
      return v.Value<int8_t>(row_);
    case TypeId::kShort:
      return v.Value<int16_t>(row_);
    case TypeId::kInt:
    case TypeId::kDate:
      return v.Value<int32_t>(row_);
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return v.Value<int64_t>(row_);
    case TypeId::kFloat:
      return static_cast<int64_t>(v.Value<float>(row_));
    case TypeId::kDouble:
      return static_cast<int64_t>(v.Value<double>(row_));
    case TypeId::kDecimal:
      return static_cast<int64_t>(v.DecimalValue(row_) / PowerOfTen(v.type()->scale()));
    default:
      return 0;
  }
}

double Row::getDouble(int i) const {
  if (isNullAt(i)) {
    return 0;
  }
  const Vector& v = *batch_->column(i);
  switch (v.type_id()) {
    case TypeId::kFloat:
      return v.Value<float>(row_);
    case TypeId::kDouble:
      return v.Value<double>(row_);
    case TypeId::kDecimal:
      return static_cast<double>(v.DecimalValue(row_)) /
             static_cast<double>(PowerOfTen(v.type()->scale()));
    default:
      return static_cast<double>(getLong(i));
  }
}

bool Row::getBoolean(int i) const {
  if (isNullAt(i)) {
    return false;
  }
  const Vector& v = *batch_->column(i);
  return v.type_id() == TypeId::kBoolean ? v.BoolValue(row_) : getLong(i) != 0;
}

std::string Row::getString(int i) const {
  if (i < 0 || i >= size()) {
    return "";
  }
  const Vector& v = *batch_->column(i);
  if (v.type_id() == TypeId::kString && !v.IsNull(row_)) {
    return std::string(v.StringValue(row_));
  }
  return FormatCell(v, row_);
}

std::string Row::toString() const {
  std::string out = "[";
  for (int i = 0; i < size(); ++i) {
    out += (i == 0 ? "" : ",") + FormatCell(*batch_->column(i), row_);
  }
  return out + "]";
}

// DataFrameWriter.

DataFrameWriter& DataFrameWriter::format(std::string_view format) {
  format_ = ToLowerAscii(format);
  return *this;
}

DataFrameWriter& DataFrameWriter::mode(std::string_view mode) {
  mode_ = ToLowerAscii(mode);
  return *this;
}

DataFrameWriter& DataFrameWriter::option(std::string_view key, std::string_view value) {
  options_.emplace_back(std::string(key), std::string(value));
  return *this;
}

DataFrameWriter& DataFrameWriter::partitionBy(const std::vector<std::string>& columns) {
  partition_by_ = columns;
  return *this;
}

Status DataFrameWriter::Write(const std::string& target, bool exists) {
  const auto& state = input_.state();
  SLUICE_RETURN_IF_ERROR(CheckRunnable(state));
  if (format_ != "delta") {
    return Status::NotImplemented(fmt::format(
        "df.write supports the delta format only (got '{}'); use a Delta table", format_));
  }
  std::string mode = mode_;
  if (mode == "error" || mode == "errorifexists" || mode == "default") {
    mode = "errorifexists";
  } else if (mode != "append" && mode != "overwrite" && mode != "ignore") {
    return Status::InvalidArgument(fmt::format(
        "Unknown save mode: {}. Accepted save modes are 'overwrite', 'append', 'ignore', "
        "'error', 'errorifexists', 'default'.",
        mode_));
  }
  if (exists && mode == "ignore") {
    return Status::Ok();
  }
  if (exists && mode == "errorifexists") {
    return Status::AlreadyExists(fmt::format(
        "[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view {} because it already "
        "exists.",
        target));
  }
  if (exists && mode == "append") {
    // By name, as Spark appends a DataFrame to a Delta table.
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> names, input_.columns());
    std::string list;
    for (const std::string& name : names) {
      list += (list.empty() ? "" : ", ") + QuoteIdentifier(name);
    }
    return state->session->Execute(fmt::format("INSERT INTO {} ({}) {}", target, list, state->sql))
        .status();
  }
  std::string text = fmt::format("CREATE {}TABLE {} USING DELTA",
                                 mode == "overwrite" ? "OR REPLACE " : "", target);
  if (!partition_by_.empty()) {
    std::string list;
    for (const std::string& name : partition_by_) {
      list += (list.empty() ? "" : ", ") + QuoteIdentifier(name);
    }
    text += fmt::format(" PARTITIONED BY ({})", list);
  }
  if (!options_.empty()) {
    std::string list;
    for (const auto& [key, value] : options_) {
      list += fmt::format("{}{} = {}", list.empty() ? "" : ", ", api_internal::QuoteString(key),
                          api_internal::QuoteString(value));
    }
    text += fmt::format(" OPTIONS ({})", list);
  }
  text += fmt::format(" AS\n{}", state->sql);
  return state->session->Execute(text).status();
}

Status DataFrameWriter::save(std::string_view path) {
  const std::string target = fmt::format("delta.{}", QuoteIdentifier(path));
  FileSystem& fs = LocalFileSystem::Default();
  SLUICE_ASSIGN_OR_RETURN(bool exists, fs.Exists(std::string(path) + "/_delta_log"));
  return Write(target, exists);
}

Status DataFrameWriter::saveAsTable(std::string_view name) {
  const auto& state = input_.state();
  SLUICE_RETURN_IF_ERROR(CheckRunnable(state));
  Result<engine::QueryResult> found =
      state->session->Execute(fmt::format("DESCRIBE TABLE {}", api_internal::QuoteName(name)));
  if (!found.ok() && found.status().code() != StatusCode::kNotFound) {
    return found.status();
  }
  return Write(api_internal::QuoteName(name), found.ok());
}

Status DataFrameWriter::insertInto(std::string_view name, bool overwrite) {
  const auto& state = input_.state();
  SLUICE_RETURN_IF_ERROR(CheckRunnable(state));
  return state->session
      ->Execute(fmt::format("INSERT {} {} {}", overwrite ? "OVERWRITE" : "INTO",
                            api_internal::QuoteName(name), state->sql))
      .status();
}

}  // namespace sluice
