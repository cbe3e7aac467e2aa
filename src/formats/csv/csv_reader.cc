// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_reader.h"

#include <fmt/format.h>

#include <limits>
#include <optional>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "common/file_system.h"
#include "formats/csv/csv_infer.h"
#include "formats/csv/csv_tokenizer.h"
#include "formats/csv/csv_values.h"
#include "types/datetime.h"
#include "types/decimal.h"

namespace sluice::csv {
namespace {

using internal::CsvField;
using internal::CsvRecord;
using internal::CsvTokenizer;

/// How much of a malformed record an error message shows.
constexpr size_t kMaxQuotedRecord = 200;

std::string Abbreviate(std::string_view text) {
  if (text.size() <= kMaxQuotedRecord) {
    return std::string(text);
  }
  return std::string(text.substr(0, kMaxQuotedRecord)) + "...";
}

// One record may take at most this many bytes: with CsvReadOptions::batch_bytes (at
// most 1 GiB) every buffer stays below the 2 GiB its int32 offsets address (a record's
// fields take at most its own bytes, its corrupt-record copy as many again).
constexpr int64_t kMaxRecordBytes = int64_t{256} << 20;

/// Converts the text of one column's fields and appends them to its builder.
class ColumnConverter {
 public:
  ColumnConverter(const Field& field, VectorBuilder* builder, const CsvReadOptions& options)
      : name_(field.name), type_(field.type), builder_(builder), options_(&options) {}

  Status Init() {
    const CsvReadOptions& options = *options_;
    const std::optional<std::string>* pattern = nullptr;
    bool has_user_pattern = false;
    switch (type_->id()) {
      case TypeId::kDate:
        pattern = &options.date_format;
        has_user_pattern = options.date_format.has_value();
        // Spark parses dates with "yyyy-MM-dd" and falls back to the lenient parser unless
        // the fallback is switched off.
        if (!has_user_pattern && options.prefers_date &&
            options.enable_date_time_parsing_fallback == std::optional<bool>(false)) {
          SLUICE_ASSIGN_OR_RETURN(pattern_, DateTimePattern::Compile("yyyy-MM-dd"));
        }
        break;
      case TypeId::kTimestamp:
        pattern = &options.timestamp_format;
        has_user_pattern = options.timestamp_format.has_value();
        break;
      case TypeId::kTimestampNtz:
        pattern = &options.timestamp_ntz_format;
        has_user_pattern = options.timestamp_ntz_format.has_value();
        break;
      default:
        return Status::Ok();
    }
    if (has_user_pattern) {
      SLUICE_ASSIGN_OR_RETURN(pattern_, DateTimePattern::Compile(**pattern));
      fallback_ = options.enable_date_time_parsing_fallback.value_or(false);
    } else {
      fallback_ = true;
    }
    return Status::Ok();
  }

  const std::string& name() const { return name_; }
  const TypePtr& type() const { return type_; }

  /// Appends the value of `field` (nullptr: the record has no such field, a null).
  /// Returns false, after appending a null, when the text does not convert.
  bool Append(const CsvField* field) {
    if (field == nullptr || field->is_null) {
      builder_->AppendNull();
      return true;
    }
    const std::string_view text = field->quoted && field->text.empty()
                                      ? std::string_view(options_->empty_value)
                                      : field->text;
    if (text == options_->null_value) {
      builder_->AppendNull();
      return true;
    }
    if (!Convert(text)) {
      builder_->AppendNull();
      return false;
    }
    return true;
  }

 private:
  template <typename Builder, typename T>
  bool AppendInt(std::string_view text) {
    T value{};
    if (!internal::ParseJavaInt(text, &value)) {
      return false;
    }
    static_cast<Builder*>(builder_)->Append(value);
    return true;
  }

  template <typename Builder, typename T>
  bool AppendFloating(std::string_view text) {
    T value{};
    if (text == options_->nan_value) {
      value = std::numeric_limits<T>::quiet_NaN();
    } else if (text == options_->negative_inf) {
      value = -std::numeric_limits<T>::infinity();
    } else if (text == options_->positive_inf) {
      value = std::numeric_limits<T>::infinity();
    } else {
      bool ok = false;
      if constexpr (std::is_same_v<T, float>) {
        ok = internal::ParseJavaFloat(text, &value);
      } else {
        ok = internal::ParseJavaDouble(text, &value);
      }
      if (!ok) {
        return false;
      }
    }
    static_cast<Builder*>(builder_)->Append(value);
    return true;
  }

  bool Convert(std::string_view text) {
    switch (type_->id()) {
      case TypeId::kString:
      case TypeId::kBinary:
        static_cast<StringBuilder*>(builder_)->Append(text);
        return true;
      case TypeId::kBoolean: {
        bool value = false;
        if (!internal::ParseJavaBoolean(text, &value)) {
          return false;
        }
        static_cast<BooleanBuilder*>(builder_)->Append(value);
        return true;
      }
      case TypeId::kByte:
        return AppendInt<Int8Builder, int8_t>(text);
      case TypeId::kShort:
        return AppendInt<Int16Builder, int16_t>(text);
      case TypeId::kInt:
        return AppendInt<Int32Builder, int32_t>(text);
      case TypeId::kLong:
        return AppendInt<Int64Builder, int64_t>(text);
      case TypeId::kFloat:
        return AppendFloating<FloatBuilder, float>(text);
      case TypeId::kDouble:
        return AppendFloating<DoubleBuilder, double>(text);
      case TypeId::kDecimal: {
        // Spark's decimal parser for the en-US locale drops grouping commas.
        std::string_view digits = text;
        if (text.find(',') != std::string_view::npos) {
          scratch_.clear();
          for (char c : text) {
            if (c != ',') {
              scratch_.push_back(c);
            }
          }
          digits = scratch_;
        }
        Int128 unscaled = 0;
        if (!ParseDecimal(digits, type_->precision(), type_->scale(), &unscaled)) {
          return false;
        }
        static_cast<DecimalBuilder*>(builder_)->Append(unscaled);
        return true;
      }
      case TypeId::kDate: {
        int32_t days = 0;
        const bool ok = pattern_.has_value() ? pattern_->ParseDate(text, &days) ||
                                                   (fallback_ && ParseDate(text, &days))
                                             : ParseDate(text, &days);
        if (!ok) {
          return false;
        }
        static_cast<Int32Builder*>(builder_)->Append(days);
        return true;
      }
      case TypeId::kTimestamp: {
        int64_t micros = 0;
        const bool ok = pattern_.has_value() ? pattern_->ParseTimestamp(text, &micros) ||
                                                   (fallback_ && ParseTimestamp(text, &micros))
                                             : ParseTimestamp(text, &micros);
        if (!ok) {
          return false;
        }
        static_cast<Int64Builder*>(builder_)->Append(micros);
        return true;
      }
      case TypeId::kTimestampNtz: {
        int64_t micros = 0;
        const bool ok = pattern_.has_value() ? pattern_->ParseTimestamp(text, &micros) ||
                                                   (fallback_ && ParseTimestampNtz(text, &micros))
                                             : ParseTimestampNtz(text, &micros);
        if (!ok) {
          return false;
        }
        static_cast<Int64Builder*>(builder_)->Append(micros);
        return true;
      }
      case TypeId::kNull:
        builder_->AppendNull();  // a void column reads as null whatever the text
        return true;
      case TypeId::kStruct:
      case TypeId::kArray:
      case TypeId::kMap:
      case TypeId::kVariant:
        return false;  // Make() rejects nested and variant types
    }
    return false;
  }

  std::string name_;
  TypePtr type_;
  VectorBuilder* builder_;
  const CsvReadOptions* options_;
  std::optional<DateTimePattern> pattern_;
  bool fallback_ = true;
  std::string scratch_;
};

}  // namespace

class CsvDecoder::Impl {
 public:
  Impl(SchemaPtr schema, CsvReadOptions options)
      : schema_(std::move(schema)),
        options_(std::move(options)),
        tokenizer_(options_),
        builder_(schema_) {}

  Status Init() {
    corrupt_index_ = schema_->FieldIndex(options_.column_name_of_corrupt_record);
    if (corrupt_index_ >= 0) {
      const Field& field = schema_->field(corrupt_index_);
      if (field.type->id() != TypeId::kString) {
        return Status::InvalidArgument(
            fmt::format("CSV: the corrupt-record column '{}' must be of type string, not {}",
                        field.name, field.type->ToString()));
      }
    }
    for (int i = 0; i < schema_->num_fields(); ++i) {
      if (i == corrupt_index_) {
        continue;
      }
      const Field& field = schema_->field(i);
      if (field.type->is_nested()) {
        return Status::InvalidArgument(
            fmt::format("CSV data source does not support {} data type (column '{}')",
                        field.type->ToString(), field.name));
      }
      if (field.type->id() == TypeId::kVariant) {
        return Status::NotImplemented(
            fmt::format("CSV reader: variant columns are not supported (column '{}')", field.name));
      }
      columns_.emplace_back(field, builder_.column(i), options_);
      SLUICE_RETURN_IF_ERROR(columns_.back().Init());
    }
    return Status::Ok();
  }

  Status Decode(std::string_view chunk, const BatchCallback& emit) {
    tokenizer_.Reset(chunk, consumed_bytes_, tokenizer_.line());
    consumed_bytes_ += static_cast<int64_t>(chunk.size());
    Status error;
    while (tokenizer_.Next(&record_, &error)) {
      if (!header_done_) {
        header_done_ = true;
        if (options_.header) {
          SLUICE_RETURN_IF_ERROR(CheckHeader());
          continue;
        }
      }
      const int64_t record_bytes = static_cast<int64_t>(record_.raw.size());
      if (record_bytes > kMaxRecordBytes) {
        return Status::ResourceExhausted(fmt::format(
            "CSV record at line {} (byte offset {}) is too large: {} bytes (at most {})",
            record_.line, record_.offset, record_bytes, kMaxRecordBytes));
      }
      SLUICE_RETURN_IF_ERROR(DecodeRecord());
      batch_bytes_ += 2 * record_bytes;
      if (builder_.num_rows() >= options_.batch_rows || batch_bytes_ >= options_.batch_bytes) {
        batch_bytes_ = 0;
        SLUICE_RETURN_IF_ERROR(emit(builder_.Finish()));
      }
    }
    return error;
  }

  Status Flush(const BatchCallback& emit) {
    if (builder_.num_rows() > 0) {
      batch_bytes_ = 0;
      return emit(builder_.Finish());
    }
    return Status::Ok();
  }

  const ReadStats& stats() const { return stats_; }
  const SchemaPtr& schema() const { return schema_; }

 private:
  /// With enforceSchema=false, Spark checks the header's names against the schema.
  Status CheckHeader() const {
    if (options_.enforce_schema) {
      return Status::Ok();
    }
    const size_t header_size = record_.fields.size();
    if (header_size != columns_.size()) {
      return Status::InvalidArgument(fmt::format(
          "CSV header does not conform to the schema: the header has {} columns, the schema "
          "{}",
          header_size, columns_.size()));
    }
    for (size_t i = 0; i < header_size; ++i) {
      const std::string_view name = record_.fields[i].text;
      if (!EqualsIgnoreCase(name, columns_[i].name())) {
        return Status::InvalidArgument(fmt::format(
            "CSV header does not conform to the schema: expected '{}' but found '{}' in "
            "column {}",
            columns_[i].name(), name, i + 1));
      }
    }
    return Status::Ok();
  }

  Status Malformed(std::string detail) const {
    return Status::ParseError(fmt::format(
        "malformed CSV record at line {} (byte offset {}): {}; record: '{}'. Parse mode: "
        "FAILFAST (set mode to PERMISSIVE to read malformed records as null)",
        record_.line, record_.offset, detail, Abbreviate(record_.raw)));
  }

  /// Says how the record's field count is wrong, naming the first missing column.
  std::string FieldCountDetail() const {
    const size_t num_fields = record_.fields.size();
    std::string detail = fmt::format("expected {} fields, found {}", columns_.size(), num_fields);
    if (num_fields < columns_.size()) {
      detail +=
          fmt::format(" (column {} '{}' is missing)", num_fields + 1, columns_[num_fields].name());
    }
    return detail;
  }

  Status DecodeRecord() {
    ++stats_.records;
    const int64_t row = builder_.num_rows();
    const size_t num_fields = record_.fields.size();
    const bool wrong_count = num_fields != columns_.size();
    if (wrong_count && options_.mode != ParseMode::kPermissive) {
      ++stats_.malformed_records;
      if (options_.mode == ParseMode::kFailFast) {
        return Malformed(FieldCountDetail());
      }
      ++stats_.dropped_records;
      return Status::Ok();
    }
    int bad_column = -1;
    for (size_t j = 0; j < columns_.size(); ++j) {
      const CsvField* field = j < num_fields ? &record_.fields[j] : nullptr;
      if (!columns_[j].Append(field) && bad_column < 0) {
        bad_column = static_cast<int>(j);
      }
    }
    if (columns_.empty() && corrupt_index_ < 0) {
      builder_.AppendEmptyRow();
    }
    if (!wrong_count && bad_column < 0) {
      if (corrupt_index_ >= 0) {
        builder_.column(corrupt_index_)->AppendNull();
      }
      return Status::Ok();
    }
    ++stats_.malformed_records;
    switch (options_.mode) {
      case ParseMode::kFailFast: {
        const ColumnConverter& column = columns_[static_cast<size_t>(bad_column)];
        return Malformed(fmt::format("column {} '{}': cannot convert '{}' to {}", bad_column + 1,
                                     column.name(), Abbreviate(record_.fields[bad_column].text),
                                     column.type()->ToString()));
      }
      case ParseMode::kDropMalformed:
        ++stats_.dropped_records;
        builder_.Truncate(row);
        return Status::Ok();
      case ParseMode::kPermissive:
        if (corrupt_index_ >= 0) {
          static_cast<StringBuilder*>(builder_.column(corrupt_index_))->Append(record_.raw);
        }
        return Status::Ok();
    }
    return Status::Ok();
  }

  SchemaPtr schema_;
  CsvReadOptions options_;
  CsvTokenizer tokenizer_;
  BatchBuilder builder_;
  std::vector<ColumnConverter> columns_;
  int corrupt_index_ = -1;
  bool header_done_ = false;
  int64_t consumed_bytes_ = 0;
  int64_t batch_bytes_ = 0;  // an upper bound of the bytes any buffer of the batch holds
  CsvRecord record_;
  ReadStats stats_;
};

CsvDecoder::CsvDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CsvDecoder::~CsvDecoder() = default;

Result<std::unique_ptr<CsvDecoder>> CsvDecoder::Make(SchemaPtr schema, CsvReadOptions options) {
  if (schema == nullptr) {
    return Status::InvalidArgument("CsvDecoder::Make: a schema is required");
  }
  SLUICE_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>(std::move(schema), std::move(options));
  SLUICE_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<CsvDecoder>(new CsvDecoder(std::move(impl)));
}

Status CsvDecoder::Decode(std::string_view chunk, const BatchCallback& emit) {
  return impl_->Decode(chunk, emit);
}

Status CsvDecoder::Flush(const BatchCallback& emit) {
  return impl_->Flush(emit);
}

const ReadStats& CsvDecoder::stats() const {
  return impl_->stats();
}

const SchemaPtr& CsvDecoder::schema() const {
  return impl_->schema();
}

Result<std::vector<BatchPtr>> ReadCsv(std::string_view data, SchemaPtr schema,
                                      const CsvReadOptions& options, ReadStats* stats) {
  if (schema == nullptr) {
    SLUICE_ASSIGN_OR_RETURN(schema, InferCsvSchema(data, options));
  }
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<CsvDecoder> decoder, CsvDecoder::Make(schema, options));
  std::vector<BatchPtr> batches;
  const BatchCallback collect = [&batches](BatchPtr batch) {
    batches.push_back(std::move(batch));
    return Status::Ok();
  };
  SLUICE_RETURN_IF_ERROR(decoder->Decode(data, collect));
  SLUICE_RETURN_IF_ERROR(decoder->Flush(collect));
  if (batches.empty()) {
    batches.push_back(Batch::MakeEmpty(schema));
  }
  if (stats != nullptr) {
    *stats = decoder->stats();
  }
  return batches;
}

Result<std::vector<BatchPtr>> ReadCsvFile(const std::string& path, SchemaPtr schema,
                                          const CsvReadOptions& options, ReadStats* stats) {
  SLUICE_ASSIGN_OR_RETURN(std::string data, LocalFileSystem::Default().ReadFile(path));
  Result<std::vector<BatchPtr>> batches = ReadCsv(data, std::move(schema), options, stats);
  if (!batches.ok()) {
    return std::move(batches).status().WithContext(path);
  }
  return batches;
}

}  // namespace sluice::csv
