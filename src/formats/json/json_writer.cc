// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_writer.h"

#include <fmt/format.h>

#include <cmath>

#include "formats/json/json_text.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"
#include "types/variant.h"

namespace sluice::json {
namespace {

using internal::AppendQuoted;

DateTimePattern CompileOr(const std::string& pattern, const char* fallback) {
  auto compiled = DateTimePattern::Compile(pattern);
  if (compiled.ok()) {
    return std::move(compiled).ValueUnsafe();
  }
  return DateTimePattern::Compile(fallback).value();
}

class Writer {
 public:
  explicit Writer(const JsonWriteOptions& options)
      : options_(options),
        timestamp_(CompileOr(options.timestamp_format, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")),
        timestamp_ntz_(CompileOr(options.timestamp_ntz_format, "yyyy-MM-dd'T'HH:mm:ss.SSS")),
        date_(CompileOr(options.date_format, "yyyy-MM-dd")) {}

  void WriteRow(const Batch& batch, int64_t row, std::string* out) {
    out->push_back('{');
    bool first = true;
    for (int i = 0; i < batch.num_columns(); ++i) {
      WriteField(batch.schema()->field(i).name, *batch.column(i), row, &first, out);
    }
    out->push_back('}');
  }

 private:
  void WriteField(const std::string& name, const Vector& vector, int64_t row, bool* first,
                  std::string* out) {
    if (vector.IsNull(row) && options_.ignore_null_fields) {
      return;
    }
    if (!*first) {
      out->push_back(',');
    }
    *first = false;
    AppendQuoted(name, out);
    out->push_back(':');
    WriteValue(vector, row, out);
  }

  void WriteDouble(double value, std::string* out) {
    if (std::isnan(value) || std::isinf(value)) {
      AppendQuoted(FormatDouble(value), out);  // Jackson quotes non-numeric numbers
    } else {
      out->append(FormatDouble(value));
    }
  }

  void WriteValue(const Vector& vector, int64_t row, std::string* out) {
    if (vector.IsNull(row)) {
      out->append("null");
      return;
    }
    switch (vector.type_id()) {
      case TypeId::kBoolean:
        out->append(vector.BoolValue(row) ? "true" : "false");
        return;
      case TypeId::kByte:
        fmt::format_to(std::back_inserter(*out), "{}", vector.Value<int8_t>(row));
        return;
      case TypeId::kShort:
        fmt::format_to(std::back_inserter(*out), "{}", vector.Value<int16_t>(row));
        return;
      case TypeId::kInt:
        fmt::format_to(std::back_inserter(*out), "{}", vector.Value<int32_t>(row));
        return;
      case TypeId::kLong:
        fmt::format_to(std::back_inserter(*out), "{}", vector.Value<int64_t>(row));
        return;
      case TypeId::kFloat: {
        const float value = vector.Value<float>(row);
        if (std::isnan(value) || std::isinf(value)) {
          AppendQuoted(FormatFloat(value), out);
        } else {
          out->append(FormatFloat(value));
        }
        return;
      }
      case TypeId::kDouble:
        WriteDouble(vector.Value<double>(row), out);
        return;
      case TypeId::kDecimal:
        out->append(FormatDecimal(vector.DecimalValue(row), vector.type()->scale()));
        return;
      case TypeId::kString:
        AppendQuoted(vector.StringValue(row), out);
        return;
      case TypeId::kBinary: {
        out->push_back('"');
        internal::AppendBase64(vector.StringValue(row), out);
        out->push_back('"');
        return;
      }
      case TypeId::kDate:
        AppendQuoted(date_.FormatDate(vector.Value<int32_t>(row)), out);
        return;
      case TypeId::kTimestamp:
        AppendQuoted(timestamp_.FormatTimestamp(vector.Value<int64_t>(row)), out);
        return;
      case TypeId::kTimestampNtz:
        AppendQuoted(timestamp_ntz_.FormatTimestamp(vector.Value<int64_t>(row)), out);
        return;
      case TypeId::kStruct: {
        out->push_back('{');
        bool first = true;
        const int64_t slot = row;
        for (int i = 0; i < vector.num_children(); ++i) {
          WriteField(vector.type()->field(i).name, *vector.child(i),
                     vector.offset() + slot - vector.child(i)->offset(), &first, out);
        }
        out->push_back('}');
        return;
      }
      case TypeId::kArray: {
        out->push_back('[');
        const Vector& elements = *vector.child(0);
        for (int32_t i = vector.ListStart(row); i < vector.ListEnd(row); ++i) {
          if (i != vector.ListStart(row)) {
            out->push_back(',');
          }
          WriteValue(elements, i - elements.offset(), out);
        }
        out->push_back(']');
        return;
      }
      case TypeId::kMap: {
        out->push_back('{');
        const Vector& keys = *vector.child(0);
        const Vector& values = *vector.child(1);
        for (int32_t i = vector.ListStart(row); i < vector.ListEnd(row); ++i) {
          if (i != vector.ListStart(row)) {
            out->push_back(',');
          }
          if (keys.type_id() == TypeId::kString) {
            AppendQuoted(keys.StringValue(i - keys.offset()), out);
          } else {
            // Spark writes a non-string key as its string form.
            std::string key;
            WriteValue(keys, i - keys.offset(), &key);
            if (key.size() >= 2 && key.front() == '"') {
              out->append(key);
            } else {
              AppendQuoted(key, out);
            }
          }
          out->push_back(':');
          WriteValue(values, i - values.offset(), out);
        }
        out->push_back('}');
        return;
      }
      case TypeId::kVariant: {
        // Spark writes a variant as its JSON text (writeRawValue(v.toJson)).
        Result<std::string> json =
            VariantToJson(vector.VariantMetadata(row), vector.VariantValue(row));
        out->append(json.ok() ? *json : "null");
        return;
      }
      case TypeId::kNull:
        out->append("null");  // only as an array element or map value: fields are left out
        return;
    }
  }

  const JsonWriteOptions& options_;
  DateTimePattern timestamp_;
  DateTimePattern timestamp_ntz_;
  DateTimePattern date_;
};

}  // namespace

std::string WriteJson(const Batch& batch, const JsonWriteOptions& options) {
  Writer writer(options);
  std::string out;
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    writer.WriteRow(batch, row, &out);
    out.push_back('\n');
  }
  return out;
}

}  // namespace sluice::json
