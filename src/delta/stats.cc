// SPDX-License-Identifier: Apache-2.0
#include "delta/stats.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "common/ascii.h"
#include "common/json.h"
#include "common/utf8.h"
#include "delta/partition_values.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"

namespace sluice::delta {

namespace {

constexpr int64_t kMicrosPerMilli = 1000;
constexpr int64_t kMillisPerDay = 86400000;
// UTF-8 of U+FFFD (Delta's tie breaker) and of U+10FFFF (the largest code point).
constexpr std::string_view kTieBreaker = "\xEF\xBF\xBD";
constexpr std::string_view kMaxCharacter = "\xF4\x8F\xBF\xBF";

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t quotient = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? quotient - 1 : quotient;
}

// The length of UTF-8 `text` in UTF-16 units, as Java counts String.length().
int64_t Utf16Length(std::string_view text) {
  int64_t length = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    length += DecodeUtf8CodePoint(text, &pos) > 0xFFFF ? 2 : 1;
  }
  return length;
}

// ---------------------------------------------------------------------------------------
// Reading

// Returns member `key` of `object` (exact, else the one member equal ignoring ASCII case),
// or null.
const JsonValue* Member(const JsonValue* object, const std::string& key) {
  if (object == nullptr || !object->is_object()) {
    return nullptr;
  }
  if (const JsonValue* exact = object->Find(key); exact != nullptr) {
    return exact;
  }
  const JsonValue* found = nullptr;
  for (const auto& [name, value] : object->members()) {
    if (EqualsIgnoreCase(name, key)) {
      if (found != nullptr) {
        return nullptr;
      }
      found = &value;
    }
  }
  return found;
}

// Whether decimal literal `text` has no non-zero digit beyond `scale` fraction digits.
bool DecimalFitsScale(std::string_view text, int scale) {
  DecimalLiteral literal;
  if (!ScanDecimalLiteral(text, &literal)) {
    return false;
  }
  const std::string digits =
      std::string(literal.integer_digits) + std::string(literal.fraction_digits);
  const int64_t exponent = literal.exponent - static_cast<int64_t>(literal.fraction_digits.size());
  const int64_t extra = -static_cast<int64_t>(scale) - exponent;
  if (extra <= 0) {
    return true;
  }
  const size_t count = static_cast<size_t>(std::min<int64_t>(extra, digits.size()));
  for (size_t i = digits.size() - count; i < digits.size(); ++i) {
    if (digits[i] != '0') {
      return false;
    }
  }
  return true;
}

// The number of fraction-of-second digits of a timestamp text.
int FractionDigits(std::string_view text) {
  const size_t time = text.find_first_of("T ");
  if (time == std::string_view::npos) {
    return 0;
  }
  const size_t point = text.find('.', time);
  if (point == std::string_view::npos) {
    return 0;
  }
  int count = 0;
  for (size_t i = point + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    ++count;
  }
  return count;
}

// Parses one bound of a column of `type`; nullopt when absent or unusable. Sets `*exact`.
std::optional<parquet::Literal> ParseBound(const TypePtr& type, const JsonValue* value, bool is_min,
                                           bool* exact) {
  *exact = true;
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  parquet::Literal literal;
  literal.type = type;
  switch (type->id()) {
    case TypeId::kBoolean:
      if (!value->is_bool()) {
        return std::nullopt;
      }
      literal.value = value->bool_value();
      return literal;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble: {
      const bool floating = type->id() == TypeId::kFloat || type->id() == TypeId::kDouble;
      // Numbers, and for floats the special values Jackson writes as strings.
      if (!value->is_number() && !(floating && value->is_string())) {
        return std::nullopt;
      }
      Result<parquet::Literal> parsed = ParsePartitionValue(type, value->text());
      if (!parsed.ok() || parsed->is_null()) {
        return std::nullopt;
      }
      return std::move(parsed).value();
    }
    case TypeId::kDecimal: {
      if (!(value->is_number() || value->is_string()) ||
          !DecimalFitsScale(value->text(), type->scale())) {
        return std::nullopt;
      }
      Int128 unscaled = 0;
      if (!ParseDecimal(value->text(), type->precision(), type->scale(), &unscaled)) {
        return std::nullopt;
      }
      literal.value = unscaled;
      return literal;
    }
    case TypeId::kDate: {
      int32_t days = 0;
      if (!value->is_string() || !ParseDate(value->text(), &days)) {
        return std::nullopt;
      }
      literal.value = static_cast<int64_t>(days);
      return literal;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      int64_t micros = 0;
      if (!value->is_string()) {
        return std::nullopt;
      }
      const std::string& text = value->text();
      const bool ok = type->id() == TypeId::kTimestamp ? ParseTimestamp(text, &micros)
                                                       : ParseTimestampNtz(text, &micros);
      if (!ok) {
        return std::nullopt;
      }
      if (FractionDigits(text) <= 3) {
        // Possibly truncated to milliseconds: the true value may be up to 999 us more.
        *exact = false;
        if (!is_min) {
          if (micros > std::numeric_limits<int64_t>::max() - (kMicrosPerMilli - 1)) {
            return std::nullopt;
          }
          micros += kMicrosPerMilli - 1;
        }
      }
      literal.value = micros;
      return literal;
    }
    case TypeId::kString: {
      if (!value->is_string()) {
        return std::nullopt;
      }
      std::string text = value->text();
      const bool ends_with_tie_breaker =
          text.size() >= kTieBreaker.size() &&
          std::string_view(text).substr(text.size() - kTieBreaker.size()) == kTieBreaker;
      const bool long_text = Utf16Length(text) >= kStatsStringPrefixLength;
      if (is_min) {
        *exact = !long_text;
      } else if (long_text || ends_with_tie_breaker) {
        if (ends_with_tie_breaker) {
          text.resize(text.size() - kTieBreaker.size());
        }
        text += kMaxCharacter;
        *exact = false;
      }
      literal.value = std::move(text);
      return literal;
    }
    default:
      return std::nullopt;
  }
}

struct ParseContext {
  std::optional<int64_t> num_records;
  bool tight_bounds = true;
  std::vector<std::pair<std::string, parquet::ColumnStatistics>>* columns = nullptr;
};

std::optional<int64_t> ParseNullCount(const JsonValue* value, const ParseContext& context) {
  if (value == nullptr || !value->is_number()) {
    return std::nullopt;
  }
  Result<int64_t> count = value->AsInt64();
  if (!count.ok() || *count < 0 ||
      (context.num_records.has_value() && *count > *context.num_records)) {
    return std::nullopt;
  }
  // Wide bounds: only "no nulls" and "all null" carry information.
  if (!context.tight_bounds && *count != 0 && *count != context.num_records) {
    return std::nullopt;
  }
  return *count;
}

void ReadLeaf(const Field& field, const std::vector<std::string>& path, const JsonValue* min,
              const JsonValue* max, const JsonValue* nulls, const ParseContext& context) {
  parquet::ColumnStatistics stats;
  stats.path = path;
  stats.type = field.type;
  stats.num_values = context.num_records.value_or(0);
  stats.null_count = ParseNullCount(nulls, context);
  stats.min = ParseBound(field.type, min, true, &stats.min_exact);
  stats.max = ParseBound(field.type, max, false, &stats.max_exact);
  if (stats.min.has_value() && stats.max.has_value() &&
      parquet::CompareLiterals(*stats.min, *stats.max) > 0) {
    // Contradictory bounds: keep neither.
    stats.min.reset();
    stats.max.reset();
  }
  if (!context.tight_bounds) {
    stats.min_exact = false;
    stats.max_exact = false;
  }
  if (!stats.null_count.has_value() && !stats.min.has_value() && !stats.max.has_value()) {
    return;
  }
  std::string name;
  for (const std::string& part : path) {
    if (!name.empty()) {
      name.push_back('.');
    }
    name += part;
  }
  context.columns->emplace_back(std::move(name), std::move(stats));
}

void ReadColumns(const std::vector<Field>& fields, const std::vector<Field>* logical_fields,
                 const JsonValue* min, const JsonValue* max, const JsonValue* nulls,
                 std::vector<std::string>* path, const ParseContext& context) {
  if (logical_fields != nullptr && logical_fields->size() != fields.size()) {
    logical_fields = nullptr;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& field = fields[i];
    const Field* logical = logical_fields != nullptr ? &(*logical_fields)[i] : nullptr;
    if (logical != nullptr && logical->type->id() != field.type->id()) {
      logical = nullptr;
    }
    path->push_back(logical != nullptr ? logical->name : field.name);
    const JsonValue* field_min = Member(min, field.name);
    const JsonValue* field_max = Member(max, field.name);
    const JsonValue* field_nulls = Member(nulls, field.name);
    switch (field.type->id()) {
      case TypeId::kStruct:
        ReadColumns(field.type->fields(), logical != nullptr ? &logical->type->fields() : nullptr,
                    field_min, field_max, field_nulls, path, context);
        break;
      case TypeId::kArray:
      case TypeId::kMap:
      case TypeId::kVariant:
        break;  // not primitive leaves: predicates cannot use them
      default:
        ReadLeaf(field, *path, field_min, field_max, field_nulls, context);
        break;
    }
    path->pop_back();
  }
}

// ---------------------------------------------------------------------------------------
// Writing

// The first kStatsStringPrefixLength code points of `text`.
std::string TruncateMinString(std::string_view text) {
  size_t pos = 0;
  for (int i = 0; i < kStatsStringPrefixLength && pos < text.size(); ++i) {
    DecodeUtf8CodePoint(text, &pos);
  }
  return std::string(text.substr(0, pos));
}

// `text` itself when short enough, else its first kStatsStringPrefixLength code points,
// the code points >= U+FFFD after them and a U+FFFD tie breaker (Delta's
// truncateMaxStringAgg, by code points so it also bounds supplementary characters).
std::string TruncateMaxString(std::string_view text) {
  size_t pos = 0;
  for (int i = 0; i < kStatsStringPrefixLength && pos < text.size(); ++i) {
    DecodeUtf8CodePoint(text, &pos);
  }
  if (pos == text.size()) {
    return std::string(text);
  }
  while (pos < text.size()) {
    size_t next = pos;
    if (DecodeUtf8CodePoint(text, &next) < kReplacementCharacter) {
      break;
    }
    pos = next;
  }
  std::string out(text.substr(0, pos));
  out += kTieBreaker;
  return out;
}

// "2021-11-18T02:30:00.123" in UTC, truncated down to milliseconds.
std::string FormatStatsTimestamp(int64_t micros, bool with_zone) {
  const int64_t millis = FloorDiv(micros, kMicrosPerMilli);
  const int64_t days = FloorDiv(millis, kMillisPerDay);
  const int64_t of_day = millis - days * kMillisPerDay;
  std::string out = FormatDate(static_cast<int32_t>(days));
  out += fmt::format("T{:02}:{:02}:{:02}.{:03}", of_day / 3600000, of_day / 60000 % 60,
                     of_day / 1000 % 60, of_day % 1000);
  if (with_zone) {
    out.push_back('Z');
  }
  return out;
}

bool HasBoundsInStats(const DataType& type) {
  return type.is_numeric() || type.id() == TypeId::kDate || type.id() == TypeId::kTimestamp ||
         type.id() == TypeId::kTimestampNtz || type.id() == TypeId::kString;
}

// The JSON of one bound of `stats`, or nullopt when it is not written.
std::optional<JsonValue> FormatBound(const parquet::ColumnStatistics& stats, const DataType& type,
                                     bool is_min) {
  const std::optional<parquet::Literal>& bound = is_min ? stats.min : stats.max;
  if (!bound.has_value() || bound->is_null()) {
    return std::nullopt;
  }
  const auto* as_int = std::get_if<int64_t>(&bound->value);
  const auto* as_double = std::get_if<double>(&bound->value);
  const auto* as_decimal = std::get_if<Int128>(&bound->value);
  const auto* as_string = std::get_if<std::string>(&bound->value);
  switch (type.id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      if (as_int == nullptr) {
        return std::nullopt;
      }
      return JsonValue::Int(*as_int);
    case TypeId::kFloat:
    case TypeId::kDouble: {
      if (as_double == nullptr || !std::isfinite(*as_double) ||
          (!is_min && stats.nan_count.value_or(0) > 0)) {
        return std::nullopt;
      }
      const double value = *as_double == 0 ? 0.0 : *as_double;
      return JsonValue::NumberText(type.id() == TypeId::kFloat
                                       ? FormatFloat(static_cast<float>(value))
                                       : FormatDouble(value));
    }
    case TypeId::kDecimal:
      if (as_decimal == nullptr) {
        return std::nullopt;
      }
      return JsonValue::NumberText(FormatDecimal(*as_decimal, type.scale()));
    case TypeId::kDate:
      if (as_int == nullptr || *as_int < std::numeric_limits<int32_t>::min() ||
          *as_int > std::numeric_limits<int32_t>::max()) {
        return std::nullopt;
      }
      return JsonValue::String(FormatDate(static_cast<int32_t>(*as_int)));
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      if (as_int == nullptr) {
        return std::nullopt;
      }
      return JsonValue::String(FormatStatsTimestamp(*as_int, type.id() == TypeId::kTimestamp));
    case TypeId::kString:
      if (as_string == nullptr) {
        return std::nullopt;
      }
      return JsonValue::String(is_min ? TruncateMinString(*as_string)
                                      : TruncateMaxString(*as_string));
    default:
      return std::nullopt;
  }
}

// A map key for a column path (parts joined with '\x1f', which names do not hold).
std::string PathKey(const std::vector<std::string>& path) {
  std::string key;
  for (const std::string& part : path) {
    if (!key.empty()) {
      key.push_back('\x1f');
    }
    key += part;
  }
  return key;
}

struct WriteContext {
  int64_t num_rows = 0;
  /// The writer's leaf statistics by PathKey.
  std::map<std::string, const parquet::ColumnStatistics*> leaves;
  const std::vector<int64_t>* top_level_null_counts = nullptr;

  const parquet::ColumnStatistics* Find(const std::vector<std::string>& path) const {
    auto it = leaves.find(PathKey(path));
    return it == leaves.end() ? nullptr : it->second;
  }
};

struct StatsObjects {
  std::vector<JsonValue::Member> min;
  std::vector<JsonValue::Member> max;
  std::vector<JsonValue::Member> nulls;
  bool has_bounds_leaf = false;  // an indexed leaf of a type that gets bounds
  bool has_leaf = false;         // an indexed leaf
};

std::optional<int64_t> LeafNullCount(const Field& field, std::vector<std::string>* path,
                                     int top_level_index, const WriteContext& context) {
  switch (field.type->id()) {
    case TypeId::kArray:
    case TypeId::kMap:
      if (top_level_index >= 0 && context.top_level_null_counts != nullptr &&
          static_cast<size_t>(top_level_index) < context.top_level_null_counts->size()) {
        return (*context.top_level_null_counts)[top_level_index];
      }
      return std::nullopt;
    case TypeId::kVariant: {
      // The variant's required `value` leaf is null exactly where the variant is.
      path->push_back("value");
      const parquet::ColumnStatistics* leaf = context.Find(*path);
      path->pop_back();
      return leaf != nullptr ? leaf->null_count : std::nullopt;
    }
    default: {
      const parquet::ColumnStatistics* leaf = context.Find(*path);
      return leaf != nullptr ? leaf->null_count : std::nullopt;
    }
  }
}

void CollectStats(const std::vector<Field>& fields, bool top_level, const WriteContext& context,
                  std::vector<std::string>* path, int64_t* budget, StatsObjects* out) {
  for (size_t i = 0; i < fields.size() && *budget > 0; ++i) {
    const Field& field = fields[i];
    path->push_back(field.name);
    if (field.type->id() == TypeId::kStruct) {
      StatsObjects child;
      CollectStats(field.type->fields(), false, context, path, budget, &child);
      if (child.has_bounds_leaf) {
        out->has_bounds_leaf = true;
        out->min.emplace_back(field.name, JsonValue::Object(std::move(child.min)));
        out->max.emplace_back(field.name, JsonValue::Object(std::move(child.max)));
      }
      if (child.has_leaf) {
        out->has_leaf = true;
        out->nulls.emplace_back(field.name, JsonValue::Object(std::move(child.nulls)));
      }
      path->pop_back();
      continue;
    }
    --*budget;
    out->has_leaf = true;
    if (context.num_rows > 0) {
      const std::optional<int64_t> nulls =
          LeafNullCount(field, path, top_level ? static_cast<int>(i) : -1, context);
      if (nulls.has_value()) {
        out->nulls.emplace_back(field.name, JsonValue::Int(*nulls));
      }
    }
    if (HasBoundsInStats(*field.type)) {
      out->has_bounds_leaf = true;
      const parquet::ColumnStatistics* leaf = context.Find(*path);
      if (leaf != nullptr && context.num_rows > 0) {
        if (std::optional<JsonValue> min = FormatBound(*leaf, *field.type, true)) {
          out->min.emplace_back(field.name, std::move(*min));
        }
        if (std::optional<JsonValue> max = FormatBound(*leaf, *field.type, false)) {
          out->max.emplace_back(field.name, std::move(*max));
        }
      }
    }
    path->pop_back();
  }
}

}  // namespace

Result<int> NumIndexedCols(const StringMap& configuration) {
  const std::string* text = FindValue(configuration, kNumIndexedColsKey);
  if (text == nullptr) {
    return kDefaultNumIndexedCols;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < -1) {
    return Status::InvalidArgument(fmt::format(
        "Table property {} must be an integer >= -1, not '{}'", kNumIndexedColsKey, *text));
  }
  return value;
}

const parquet::ColumnStatistics* FileStats::FindColumn(const std::string& column) const {
  const parquet::ColumnStatistics* found = nullptr;
  for (const auto& [name, stats] : columns_) {
    if (!EqualsIgnoreCase(name, column)) {
      continue;
    }
    if (found != nullptr) {
      return nullptr;  // ambiguous
    }
    found = &stats;
  }
  return found;
}

void FileStats::AddPartitionValue(std::string column, parquet::Literal value) {
  parquet::ColumnStatistics stats;
  stats.path = {column};
  stats.type = value.type;
  stats.num_values = std::max<int64_t>(num_records_.value_or(1), 1);
  if (value.is_null()) {
    stats.null_count = stats.num_values;
  } else {
    stats.null_count = 0;
    if (const auto* number = std::get_if<double>(&value.value); number != nullptr) {
      stats.nan_count = std::isnan(*number) ? stats.num_values : 0;
    }
    stats.min = value;
    stats.max = std::move(value);
  }
  for (auto it = columns_.begin(); it != columns_.end();) {
    it = EqualsIgnoreCase(it->first, column) ? columns_.erase(it) : it + 1;
  }
  columns_.emplace_back(std::move(column), std::move(stats));
}

FileStats ParseFileStats(std::string_view stats_json, const Schema& stats_schema,
                         const Schema* logical_schema) {
  Result<JsonValue> parsed = JsonValue::Parse(stats_json);
  if (!parsed.ok() || !parsed->is_object()) {
    return FileStats();
  }
  const JsonValue& root = *parsed;
  ParseContext context;
  if (const JsonValue* records = root.Find("numRecords");
      records != nullptr && records->is_number()) {
    Result<int64_t> count = records->AsInt64();
    if (count.ok() && *count >= 0) {
      context.num_records = *count;
    }
  }
  if (const JsonValue* tight = root.Find("tightBounds"); tight != nullptr && tight->is_bool()) {
    context.tight_bounds = tight->bool_value();
  }
  std::vector<std::pair<std::string, parquet::ColumnStatistics>> columns;
  context.columns = &columns;
  std::vector<std::string> path;
  ReadColumns(
      stats_schema.fields(), logical_schema != nullptr ? &logical_schema->fields() : nullptr,
      root.Find("minValues"), root.Find("maxValues"), root.Find("nullCount"), &path, context);
  return FileStats(context.num_records, context.tight_bounds, std::move(columns));
}

std::string BuildStatsJson(const parquet::ParquetWriteResult& result, const Schema& schema,
                           int num_indexed_cols,
                           const std::vector<int64_t>& top_level_null_counts) {
  WriteContext context;
  context.num_rows = result.num_rows;
  context.top_level_null_counts = top_level_null_counts.empty() ? nullptr : &top_level_null_counts;
  for (const parquet::ColumnStatistics& column : result.columns) {
    context.leaves.emplace(PathKey(column.path), &column);
  }
  int64_t budget = num_indexed_cols < 0 ? std::numeric_limits<int64_t>::max() : num_indexed_cols;
  StatsObjects objects;
  std::vector<std::string> path;
  CollectStats(schema.fields(), true, context, &path, &budget, &objects);

  std::vector<JsonValue::Member> members;
  members.emplace_back("numRecords", JsonValue::Int(result.num_rows));
  if (objects.has_bounds_leaf) {
    members.emplace_back("minValues", JsonValue::Object(std::move(objects.min)));
    members.emplace_back("maxValues", JsonValue::Object(std::move(objects.max)));
  }
  if (objects.has_leaf) {
    members.emplace_back("nullCount", JsonValue::Object(std::move(objects.nulls)));
  }
  return JsonValue::Object(std::move(members)).Serialize();
}

}  // namespace sluice::delta
