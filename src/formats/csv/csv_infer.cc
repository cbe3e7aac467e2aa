// SPDX-License-Identifier: Apache-2.0
#include "formats/csv/csv_infer.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>

#include "common/ascii.h"
#include "formats/csv/csv_tokenizer.h"
#include "formats/csv/csv_values.h"
#include "types/datetime.h"

namespace sluice::csv {
namespace {

using internal::CsvField;
using internal::CsvRecord;
using internal::CsvTokenizer;

/// The types CSV inference can produce, in CSVInferSchema's terms.
struct InferredType {
  enum class Kind : uint8_t {
    kNull,
    kInt,
    kLong,
    kDecimal,
    kDouble,
    kBoolean,
    kDate,
    kTimestamp,
    kString
  };
  Kind kind = Kind::kNull;
  int precision = 0;  // decimal only
  int scale = 0;

  bool operator==(const InferredType& other) const {
    return kind == other.kind && precision == other.precision && scale == other.scale;
  }
};
using Kind = InferredType::Kind;

InferredType Of(Kind kind) {
  return InferredType{kind, 0, 0};
}

InferredType Decimal(int precision, int scale) {
  return InferredType{Kind::kDecimal, precision, scale};
}

bool IsIntegral(Kind kind) {
  return kind == Kind::kInt || kind == Kind::kLong;
}

/// Spark's DecimalType.forType for the integral types.
InferredType DecimalFor(Kind kind) {
  return kind == Kind::kInt ? Decimal(10, 0) : Decimal(20, 0);
}

/// Spark's CSVInferSchema.canParseDateAsTimestamp for TimestampType: whether every value
/// read as a date can be read as a timestamp too, which holds only when the lenient
/// parser reads timestamps (no `timestampFormat`) and dateFormat is one of the forms
/// that parser accepts.
bool CanParseDateAsTimestamp(const CsvReadOptions& options) {
  if (options.timestamp_format.has_value()) {
    return false;
  }
  static constexpr std::string_view kLenientDateFormats[] = {
      "yyyy-MM-dd", "yyyy-M-d", "yyyy-M-dd", "yyyy-MM-d", "yyyy-MM", "yyyy-M", "yyyy"};
  const std::string date_format = options.date_format.value_or("yyyy-MM-dd");
  return std::ranges::find(kLenientDateFormats, date_format) != std::end(kLenientDateFormats);
}

/// CSVInferSchema.compatibleType: TypeCoercion.findTightestCommonType, then the CSV rules.
std::optional<InferredType> Compatible(InferredType a, InferredType b,
                                       const CsvReadOptions& options) {
  if ((a.kind == Kind::kDate && b.kind == Kind::kTimestamp) ||
      (a.kind == Kind::kTimestamp && b.kind == Kind::kDate)) {
    return Of(CanParseDateAsTimestamp(options) ? Kind::kTimestamp : Kind::kString);
  }
  if (a == b) {
    return a;
  }
  if (a.kind == Kind::kNull) {
    return b;
  }
  if (b.kind == Kind::kNull) {
    return a;
  }
  const auto rank = [](Kind kind) {
    return kind == Kind::kInt ? 0 : kind == Kind::kLong ? 1 : kind == Kind::kDouble ? 2 : -1;
  };
  if (rank(a.kind) >= 0 && rank(b.kind) >= 0) {
    return rank(a.kind) >= rank(b.kind) ? a : b;
  }
  if (a.kind == Kind::kString || b.kind == Kind::kString) {
    return Of(Kind::kString);
  }
  if (IsIntegral(a.kind) && b.kind == Kind::kDecimal) {
    return Compatible(DecimalFor(a.kind), b, options);
  }
  if (a.kind == Kind::kDecimal && IsIntegral(b.kind)) {
    return Compatible(a, DecimalFor(b.kind), options);
  }
  if ((a.kind == Kind::kDouble && b.kind == Kind::kDecimal) ||
      (a.kind == Kind::kDecimal && b.kind == Kind::kDouble)) {
    return Of(Kind::kDouble);
  }
  if (a.kind == Kind::kDecimal && b.kind == Kind::kDecimal) {
    const int scale = std::max(a.scale, b.scale);
    const int range = std::max(a.precision - a.scale, b.precision - b.scale);
    if (range + scale > kMaxDecimalPrecision) {
      return Of(Kind::kDouble);
    }
    return Decimal(range + scale, scale);
  }
  return std::nullopt;
}

/// CSVInferSchema.inferField and its tryParseXxx chain.
class FieldInferrer {
 public:
  explicit FieldInferrer(const CsvReadOptions& options) : options_(options) {}

  Status Init() {
    // Spark's dateFormatInRead defaults to "yyyy-MM-dd" when prefersDate.
    SLUICE_ASSIGN_OR_RETURN(date_pattern_,
                            DateTimePattern::Compile(options_.date_format.value_or("yyyy-MM-dd")));
    if (options_.timestamp_format.has_value()) {
      SLUICE_ASSIGN_OR_RETURN(timestamp_pattern_,
                              DateTimePattern::Compile(*options_.timestamp_format));
    }
    return Status::Ok();
  }

  InferredType Infer(InferredType so_far, std::string_view field) const {
    InferredType found;
    switch (so_far.kind) {
      case Kind::kNull:
      case Kind::kInt:
        found = TryInt(field);
        break;
      case Kind::kLong:
        found = TryLong(field);
        break;
      case Kind::kDecimal:
        found = TryDecimal(field);
        break;
      case Kind::kDouble:
        found = TryDouble(field);
        break;
      case Kind::kDate:
        found = TryDate(field);
        break;
      case Kind::kTimestamp:
        found = TryTimestamp(field);
        break;
      case Kind::kBoolean:
        found = TryBoolean(field);
        break;
      case Kind::kString:
        return so_far;
    }
    return Compatible(so_far, found, options_).value_or(Of(Kind::kString));
  }

 private:
  InferredType TryInt(std::string_view field) const {
    int32_t value = 0;
    return internal::ParseJavaInt(field, &value) ? Of(Kind::kInt) : TryLong(field);
  }

  InferredType TryLong(std::string_view field) const {
    int64_t value = 0;
    return internal::ParseJavaInt(field, &value) ? Of(Kind::kLong) : TryDecimal(field);
  }

  InferredType TryDecimal(std::string_view field) const {
    int64_t precision = 0;
    int64_t scale = 0;
    // Only values without a fraction become decimals; DecimalType() rejects negative
    // scales and precisions over 38, and Spark then tries double.
    if (internal::BigDecimalShape(field, &precision, &scale) && scale == 0 &&
        precision <= kMaxDecimalPrecision) {
      return Decimal(static_cast<int>(precision), 0);
    }
    return TryDouble(field);
  }

  InferredType TryDouble(std::string_view field) const {
    double value = 0;
    if (internal::ParseJavaDouble(field, &value) || field == options_.nan_value ||
        field == options_.negative_inf || field == options_.positive_inf) {
      return Of(Kind::kDouble);
    }
    return options_.prefers_date ? TryDate(field) : TryTimestamp(field);
  }

  InferredType TryDate(std::string_view field) const {
    int32_t days = 0;
    return date_pattern_->ParseDate(field, &days) ? Of(Kind::kDate) : TryTimestamp(field);
  }

  // Spark tries TIMESTAMP_NTZ (with timestampNTZFormat) between date and timestamp only
  // when the session's timestamp type is TIMESTAMP_NTZ; sluice's is TIMESTAMP, so it goes
  // straight on to the timestamp attempt (Spark 3.5+, SPARK-45433). With timestampFormat
  // set only that pattern counts, as when the reader parses the column.
  InferredType TryTimestamp(std::string_view field) const {
    int64_t micros = 0;
    const bool ok = timestamp_pattern_.has_value()
                        ? timestamp_pattern_->ParseTimestamp(field, &micros)
                        : ParseTimestamp(field, &micros);
    return ok ? Of(Kind::kTimestamp) : TryBoolean(field);
  }

  static InferredType TryBoolean(std::string_view field) {
    bool value = false;
    return internal::ParseJavaBoolean(field, &value) ? Of(Kind::kBoolean) : Of(Kind::kString);
  }

  const CsvReadOptions& options_;
  std::optional<DateTimePattern> date_pattern_;
  std::optional<DateTimePattern> timestamp_pattern_;
};

TypePtr ToType(const InferredType& type) {
  switch (type.kind) {
    case Kind::kInt:
      return IntType();
    case Kind::kLong:
      return LongType();
    case Kind::kDecimal:
      return DecimalType(type.precision, type.scale);
    case Kind::kDouble:
      return DoubleType();
    case Kind::kBoolean:
      return BooleanType();
    case Kind::kDate:
      return DateType();
    case Kind::kTimestamp:
      return TimestampType();
    case Kind::kNull:
    case Kind::kString:
      return StringType();
  }
  return StringType();
}

/// The text Spark's tokenizer hands over for `field`, or nullopt for a null token.
std::optional<std::string_view> TokenText(const CsvField& field, const CsvReadOptions& options) {
  if (field.is_null) {
    return std::nullopt;
  }
  if (field.quoted && field.text.empty()) {
    return std::string_view(options.empty_value);
  }
  return field.text;
}

/// Deterministic Bernoulli sampling for samplingRatio (seed 1, like Spark's call; the
/// generator differs, so the sampled records do too).
class Sampler {
 public:
  explicit Sampler(double ratio) : ratio_(ratio) {}
  bool Keep() {
    if (ratio_ > 0.99) {
      return true;  // Spark samples only below 0.99
    }
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53 < ratio_;
  }

 private:
  double ratio_;
  uint64_t state_ = 1;
};

}  // namespace

std::vector<std::string> MakeSafeHeader(const std::vector<std::string>& names,
                                        const CsvReadOptions& options) {
  std::vector<std::string> out;
  out.reserve(names.size());
  if (!options.header) {
    for (size_t i = 0; i < names.size(); ++i) {
      out.push_back(fmt::format("_c{}", i));
    }
    return out;
  }
  // Spark compares names case-insensitively (spark.sql.caseSensitive=false).
  std::set<std::string> seen;
  std::set<std::string> duplicates;
  for (const std::string& name : names) {
    std::string lower = ToLowerAscii(name);
    if (!seen.insert(lower).second) {
      duplicates.insert(std::move(lower));
    }
  }
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.empty() || name == options.null_value) {
      out.push_back(fmt::format("_c{}", i));
    } else if (duplicates.contains(ToLowerAscii(name))) {
      out.push_back(fmt::format("{}{}", name, i));
    } else {
      out.push_back(name);
    }
  }
  return out;
}

Result<SchemaPtr> InferCsvSchema(std::string_view data, const CsvReadOptions& options) {
  SLUICE_RETURN_IF_ERROR(options.Validate());
  CsvTokenizer tokenizer(options);
  tokenizer.Reset(data, 0, 1);
  CsvRecord record;
  Status error;
  if (!tokenizer.Next(&record, &error)) {
    SLUICE_RETURN_IF_ERROR(error);
    return MakeSchema({});
  }
  std::vector<std::string> first_names;
  first_names.reserve(record.fields.size());
  for (const CsvField& field : record.fields) {
    first_names.emplace_back(TokenText(field, options).value_or(""));
  }
  const std::vector<std::string> names = MakeSafeHeader(first_names, options);
  std::vector<InferredType> types(names.size());
  if (options.infer_schema) {
    FieldInferrer inferrer(options);
    SLUICE_RETURN_IF_ERROR(inferrer.Init());
    Sampler sampler(options.sampling_ratio);
    const std::string header_line(options.header ? record.raw : std::string_view());
    bool have_record = !options.header;  // without a header the first record is data
    while (have_record || tokenizer.Next(&record, &error)) {
      have_record = false;
      // Spark drops every line equal to the header line, not only the first one.
      if (options.header && !options.multi_line && record.raw == header_line) {
        continue;
      }
      if (!sampler.Keep()) {
        continue;
      }
      const size_t count = std::min(types.size(), record.fields.size());
      for (size_t i = 0; i < count; ++i) {
        const std::optional<std::string_view> text = TokenText(record.fields[i], options);
        if (!text.has_value() || text->empty() || *text == options.null_value) {
          continue;
        }
        types[i] = inferrer.Infer(types[i], *text);
      }
    }
    SLUICE_RETURN_IF_ERROR(error);
  }
  std::vector<Field> fields;
  fields.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    fields.push_back(MakeField(names[i], ToType(types[i])));
  }
  return MakeSchema(std::move(fields));
}

}  // namespace sluice::csv
