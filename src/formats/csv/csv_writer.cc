// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_writer.h"

#include <fmt/format.h>

#include <optional>

#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"

namespace sluice::csv {
namespace {

bool IsWhitespace(char c) {
  return static_cast<unsigned char>(c) <= ' ';
}

/// Formats and escapes values with univocity's CsvWriter rules under Spark's settings.
class RowWriter {
 public:
  explicit RowWriter(const CsvWriteOptions& options)
      : options_(options), escape_escape_(options.EffectiveEscapeEscape()) {}

  Status Init(const Schema& schema) {
    for (const Field& field : schema.fields()) {
      if (field.type->is_nested() || field.type->id() == TypeId::kVariant) {
        return Status::InvalidArgument(
            fmt::format("CSV data source does not support {} data type (column '{}')",
                        field.type->ToString(), field.name));
      }
    }
    SLUICE_ASSIGN_OR_RETURN(timestamp_, DateTimePattern::Compile(options_.timestamp_format));
    SLUICE_ASSIGN_OR_RETURN(timestamp_ntz_,
                            DateTimePattern::Compile(options_.timestamp_ntz_format));
    SLUICE_ASSIGN_OR_RETURN(date_, DateTimePattern::Compile(options_.date_format));
    return Status::Ok();
  }

  void AppendHeader(const Schema& schema, std::string* out) {
    for (int i = 0; i < schema.num_fields(); ++i) {
      if (i > 0) {
        out->append(options_.sep);
      }
      AppendText(schema.field(i).name, out);
    }
    out->append(options_.line_sep);
  }

  void AppendRow(const Batch& batch, int64_t row, std::string* out) {
    for (int i = 0; i < batch.num_columns(); ++i) {
      if (i > 0) {
        out->append(options_.sep);
      }
      const Vector& column = *batch.column(i);
      if (column.IsNull(row)) {
        AppendNull(out);
      } else {
        AppendText(Format(column, row), out);
      }
    }
    out->append(options_.line_sep);
  }

 private:
  std::string_view Format(const Vector& column, int64_t row) {
    switch (column.type_id()) {
      case TypeId::kBoolean:
        return column.BoolValue(row) ? "true" : "false";
      case TypeId::kByte:
        return Store(fmt::format("{}", column.Value<int8_t>(row)));
      case TypeId::kShort:
        return Store(fmt::format("{}", column.Value<int16_t>(row)));
      case TypeId::kInt:
        return Store(fmt::format("{}", column.Value<int32_t>(row)));
      case TypeId::kLong:
        return Store(fmt::format("{}", column.Value<int64_t>(row)));
      case TypeId::kFloat:
        return Store(FormatFloat(column.Value<float>(row)));
      case TypeId::kDouble:
        return Store(FormatDouble(column.Value<double>(row)));
      case TypeId::kDecimal:
        return Store(FormatDecimal(column.DecimalValue(row), column.type()->scale()));
      case TypeId::kString:
      case TypeId::kBinary:
        return column.StringValue(row);
      case TypeId::kDate:
        return Store(date_->FormatDate(column.Value<int32_t>(row)));
      case TypeId::kTimestamp:
        return Store(timestamp_->FormatTimestamp(column.Value<int64_t>(row)));
      case TypeId::kTimestampNtz:
        return Store(timestamp_ntz_->FormatTimestamp(column.Value<int64_t>(row)));
      case TypeId::kStruct:
      case TypeId::kArray:
      case TypeId::kMap:
      case TypeId::kVariant:
        break;  // Init() rejects nested and variant types
      case TypeId::kNull:
        break;  // not reached: every value is null, written as nullValue
    }
    return {};
  }

  std::string_view Store(std::string text) {
    buffer_ = std::move(text);
    return buffer_;
  }

  void AppendNull(std::string* out) const {
    if (options_.quote_all && options_.quote != '\0') {
      out->push_back(options_.quote);
      out->append(options_.null_value);
      out->push_back(options_.quote);
    } else {
      out->append(options_.null_value);
    }
  }

  bool NeedsQuotes(std::string_view value) const {
    if (options_.quote_all) {
      return true;
    }
    if (value.front() == options_.quote ||
        (options_.comment != '\0' && value.front() == options_.comment)) {
      return true;
    }
    for (char c : value) {
      // univocity quotes on the separator's first character, newlines and (with
      // escapeQuotes) the quote; "\r" is added so such values read back intact.
      if (c == options_.sep[0] || c == '\n' || c == '\r' ||
          (options_.escape_quotes && c == options_.quote)) {
        return true;
      }
    }
    return false;
  }

  void AppendText(std::string_view value, std::string* out) const {
    if (value.empty()) {
      out->append(options_.empty_value);
      return;
    }
    if (options_.ignore_leading_white_space) {
      while (!value.empty() && IsWhitespace(value.front())) {
        value.remove_prefix(1);
      }
    }
    if (options_.ignore_trailing_white_space) {
      while (!value.empty() && IsWhitespace(value.back())) {
        value.remove_suffix(1);
      }
    }
    if (value.empty()) {
      out->append(options_.empty_value);  // only white space: written as an empty value
      return;
    }
    const char quote = options_.quote;
    if (quote == '\0' || !NeedsQuotes(value)) {
      out->append(value);
      return;
    }
    const char escape = options_.escape == '\0' ? quote : options_.escape;
    out->push_back(quote);
    for (char c : value) {
      if (c == quote) {
        out->push_back(escape);
      } else if (c == escape && escape_escape_ != '\0') {
        out->push_back(escape_escape_);
      }
      out->push_back(c);
    }
    out->push_back(quote);
  }

  const CsvWriteOptions& options_;
  char escape_escape_;
  std::optional<DateTimePattern> timestamp_;
  std::optional<DateTimePattern> timestamp_ntz_;
  std::optional<DateTimePattern> date_;
  std::string buffer_;
};

Status CheckOptions(const CsvWriteOptions& options) {
  if (options.sep.empty()) {
    return Status::InvalidArgument("CSV option 'sep': delimiter cannot be an empty string");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> WriteCsv(const Batch& batch, const CsvWriteOptions& options) {
  SLUICE_RETURN_IF_ERROR(CheckOptions(options));
  RowWriter writer(options);
  SLUICE_RETURN_IF_ERROR(writer.Init(*batch.schema()));
  std::string out;
  if (options.header) {
    writer.AppendHeader(*batch.schema(), &out);
  }
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    writer.AppendRow(batch, row, &out);
  }
  return out;
}

Result<std::string> WriteCsv(const std::vector<BatchPtr>& batches, const Schema& schema,
                             const CsvWriteOptions& options) {
  SLUICE_RETURN_IF_ERROR(CheckOptions(options));
  RowWriter writer(options);
  SLUICE_RETURN_IF_ERROR(writer.Init(schema));
  std::string out;
  if (options.header) {
    writer.AppendHeader(schema, &out);
  }
  for (const BatchPtr& batch : batches) {
    if (!batch->schema()->Equals(schema)) {
      return Status::InvalidArgument(fmt::format("WriteCsv: a batch has schema {}, expected {}",
                                                 batch->schema()->ToString(), schema.ToString()));
    }
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      writer.AppendRow(*batch, row, &out);
    }
  }
  return out;
}

}  // namespace sluice::csv
