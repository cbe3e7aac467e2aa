// SPDX-License-Identifier: Apache-2.0
// The typed statistics and partition values of checkpoints (add.stats_parsed,
// add.partitionValues_parsed), to and from the log's JSON and strings.

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/ascii.h"
#include "delta/checkpoint_stats_internal.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"

namespace sluice::delta::checkpoint_internal {

namespace {

Field Nullable(std::string name, TypePtr type) {
  return MakeField(std::move(name), std::move(type), true);
}

// Returns value `row` of an integer vector of any width.
int64_t IntegerValue(const Vector& vector, int64_t row) {
  switch (vector.type_id()) {
    case TypeId::kByte:
      return vector.Value<int8_t>(row);
    case TypeId::kShort:
      return vector.Value<int16_t>(row);
    case TypeId::kInt:
      return vector.Value<int32_t>(row);
    default:
      return vector.Value<int64_t>(row);
  }
}

// Appends "yyyy-MM-ddTHH:mm:ss.SSS" of `micros` (truncated to milliseconds), as Delta
// writes timestamps in statistics.
void AppendIsoMillis(int64_t micros, std::string* out) {
  constexpr int64_t kDayMillis = 86'400'000;
  const int64_t millis = micros / 1000 - (micros % 1000 < 0 ? 1 : 0);  // floor
  const int64_t days = millis / kDayMillis - (millis % kDayMillis < 0 ? 1 : 0);
  const int64_t of_day = millis - days * kDayMillis;
  *out += FormatDate(static_cast<int32_t>(days));
  *out += fmt::format("T{:02}:{:02}:{:02}.{:03}", of_day / 3'600'000, of_day / 60'000 % 60,
                      of_day / 1000 % 60, of_day % 1000);
}

// Appends a float or double as JSON: a number when finite, else "NaN" / "Infinity" /
// "-Infinity" as strings (Jackson's default).
void AppendFloating(double value, const std::string& text, std::string* out) {
  if (std::isfinite(value)) {
    *out += text;
  } else {
    AppendJsonString(text, out);
  }
}

bool IsStatsValueType(TypeId id) {
  switch (id) {
    case TypeId::kBinary:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kNull:
    case TypeId::kVariant:
      return false;
    default:
      return true;
  }
}

void AppendStatsStruct(const Vector& vector, int64_t row, std::string* out);

// Appends value `row` of `vector` (not null, of a type IsStatsValueType accepts).
void AppendStatsValue(const Vector& vector, int64_t row, std::string* out) {
  switch (vector.type_id()) {
    case TypeId::kBoolean:
      *out += vector.BoolValue(row) ? "true" : "false";
      break;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      *out += fmt::format("{}", IntegerValue(vector, row));
      break;
    case TypeId::kFloat: {
      float value = vector.Value<float>(row);
      AppendFloating(value, FormatFloat(value), out);
      break;
    }
    case TypeId::kDouble: {
      double value = vector.Value<double>(row);
      AppendFloating(value, FormatDouble(value), out);
      break;
    }
    case TypeId::kDecimal:
      *out += FormatDecimal(vector.DecimalValue(row), vector.type()->scale());
      break;
    case TypeId::kString:
      AppendJsonString(vector.StringValue(row), out);
      break;
    case TypeId::kDate:
      AppendJsonString(FormatDate(vector.Value<int32_t>(row)), out);
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      std::string text;
      AppendIsoMillis(vector.Value<int64_t>(row), &text);
      if (vector.type_id() == TypeId::kTimestamp) {
        text += 'Z';
      }
      AppendJsonString(text, out);
      break;
    }
    case TypeId::kStruct:
      AppendStatsStruct(vector, row, out);
      break;
    default:
      *out += "null";  // not reached: IsStatsValueType filters these out
      break;
  }
}

// Appends a struct value as a JSON object of its non-null members.
void AppendStatsStruct(const Vector& vector, int64_t row, std::string* out) {
  out->push_back('{');
  bool first = true;
  const DataType& type = *vector.type();
  for (int k = 0; k < type.num_fields(); ++k) {
    const Vector& child = *vector.child(k);
    const int64_t child_row = vector.offset() + row;
    if (child.IsNull(child_row) || !IsStatsValueType(child.type_id())) {
      continue;
    }
    if (!first) {
      out->push_back(',');
    }
    first = false;
    AppendJsonString(type.field(k).name, out);
    out->push_back(':');
    AppendStatsValue(child, child_row, out);
  }
  out->push_back('}');
}

bool HasMinMax(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kString:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return true;
    default:
      return false;
  }
}

bool ParseInteger(std::string_view text, int64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, *out);
  return error == std::errc() && ptr == end;
}

bool ParseFloating(std::string_view text, double* out) {
  if (text == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (text == "Infinity" || text == "-Infinity") {
    *out = text[0] == '-' ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, *out);
  return error == std::errc() && ptr == end;
}

bool InRange(TypeId id, int64_t value) {
  switch (id) {
    case TypeId::kByte:
      return value >= INT8_MIN && value <= INT8_MAX;
    case TypeId::kShort:
      return value >= INT16_MIN && value <= INT16_MAX;
    case TypeId::kInt:
      return value >= INT32_MIN && value <= INT32_MAX;
    default:
      return true;
  }
}

// Appends a value of a primitive `type` given as text (a string statistic, or a number's
// JSON text) to `builder`; false, appending nothing, when the text is not a value of it.
bool AppendTextValue(VectorBuilder* builder, const DataType& type, std::string_view text) {
  switch (type.id()) {
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<StringBuilder*>(builder)->Append(text);
      return true;
    case TypeId::kBoolean:
      if (!EqualsIgnoreCase(text, "true") && !EqualsIgnoreCase(text, "false")) {
        return false;
      }
      static_cast<BooleanBuilder*>(builder)->Append(EqualsIgnoreCase(text, "true"));
      return true;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong: {
      int64_t value = 0;
      if (!ParseInteger(text, &value) || !InRange(type.id(), value)) {
        return false;
      }
      if (type.id() == TypeId::kByte) {
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(value));
      } else if (type.id() == TypeId::kShort) {
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(value));
      } else if (type.id() == TypeId::kInt) {
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(value));
      } else {
        static_cast<Int64Builder*>(builder)->Append(value);
      }
      return true;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double value = 0;
      if (!ParseFloating(text, &value)) {
        return false;
      }
      if (type.id() == TypeId::kFloat) {
        static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(value));
      } else {
        static_cast<DoubleBuilder*>(builder)->Append(value);
      }
      return true;
    }
    case TypeId::kDecimal: {
      Int128 unscaled = 0;
      if (!ParseDecimal(text, type.precision(), type.scale(), &unscaled)) {
        return false;
      }
      static_cast<DecimalBuilder*>(builder)->Append(unscaled);
      return true;
    }
    case TypeId::kDate: {
      int32_t days = 0;
      if (!ParseDate(text, &days)) {
        return false;
      }
      static_cast<Int32Builder*>(builder)->Append(days);
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      int64_t micros = 0;
      bool ok = type.id() == TypeId::kTimestamp ? ParseTimestamp(text, &micros)
                                                : ParseTimestampNtz(text, &micros);
      if (!ok) {
        return false;
      }
      static_cast<Int64Builder*>(builder)->Append(micros);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

int ResolveField(const DataType& type, std::string_view name) {
  int exact = type.FieldIndex(name);
  if (exact >= 0) {
    return exact;
  }
  int found = -1;
  for (int i = 0; i < type.num_fields(); ++i) {
    if (EqualsIgnoreCase(type.field(i).name, name)) {
      if (found >= 0) {
        return -1;
      }
      found = i;
    }
  }
  return found;
}

std::string StatsStructToJson(const Vector& stats, int64_t row) {
  static constexpr std::array<std::string_view, 5> kOrder = {"numRecords", "minValues", "maxValues",
                                                             "nullCount", "tightBounds"};
  std::string out = "{";
  const DataType& type = *stats.type();
  for (std::string_view name : kOrder) {
    int k = ResolveField(type, name);
    if (k < 0) {
      continue;
    }
    const Vector& child = *stats.child(k);
    const int64_t child_row = stats.offset() + row;
    if (child.IsNull(child_row) || !IsStatsValueType(child.type_id())) {
      continue;
    }
    if (out.size() > 1) {
      out.push_back(',');
    }
    AppendJsonString(name, &out);
    out.push_back(':');
    AppendStatsValue(child, child_row, &out);
  }
  out.push_back('}');
  return out;
}

FieldLookup::FieldLookup(const DataType& type) {
  children_.resize(type.num_fields());
  for (int i = 0; i < type.num_fields(); ++i) {
    const Field& field = type.field(i);
    index_.emplace(field.name, i);
    if (field.type->id() == TypeId::kStruct) {
      children_[i] = std::make_unique<FieldLookup>(*field.type);
    }
  }
}

StatsShape::StatsShape(const DataType& table) : table_(table), lookup_(table) {}

void StatsShape::Add(const JsonValue& stats) {
  if (!stats.is_object()) {
    return;
  }
  any_ = true;
  tight_bounds_ |= stats.Find("tightBounds") != nullptr;
  Mark(stats.Find("minValues"), lookup_, &min_);
  Mark(stats.Find("maxValues"), lookup_, &max_);
  Mark(stats.Find("nullCount"), lookup_, &null_count_);
}

TypePtr StatsShape::Type() const {
  if (!any_) {
    return nullptr;
  }
  std::vector<Field> fields;
  fields.push_back(Nullable("numRecords", LongType()));
  if (TypePtr min = SectionType(table_, min_, false)) {
    fields.push_back(Nullable("minValues", min));
  }
  if (TypePtr max = SectionType(table_, max_, false)) {
    fields.push_back(Nullable("maxValues", max));
  }
  if (TypePtr nulls = SectionType(table_, null_count_, true)) {
    fields.push_back(Nullable("nullCount", nulls));
  }
  if (tight_bounds_) {
    fields.push_back(Nullable("tightBounds", BooleanType()));
  }
  return StructType(std::move(fields));
}

void StatsShape::Mark(const JsonValue* object, const FieldLookup& lookup, Node* node) {
  if (object == nullptr || !object->is_object()) {
    return;
  }
  for (const auto& [key, value] : object->members()) {
    const int i = lookup.Find(key);
    if (i < 0) {
      continue;
    }
    if (node->present.empty()) {
      node->present.resize(lookup.num_fields());
      node->children.resize(lookup.num_fields());
    }
    node->present[i] = true;
    if (lookup.child(i) != nullptr) {
      Mark(&value, *lookup.child(i), &node->children[i]);
    }
  }
}

// The struct of the mentioned fields of `type`: their own types (for minValues and
// maxValues, only types with bounds) or long for nullCount; null when none.
TypePtr StatsShape::SectionType(const DataType& type, const Node& node, bool null_count) const {
  std::vector<Field> fields;
  for (size_t i = 0; i < node.present.size(); ++i) {
    if (!node.present[i]) {
      continue;
    }
    const Field& field = type.field(static_cast<int>(i));
    std::string name = field.name;
    if (field.type->id() == TypeId::kStruct) {
      if (TypePtr nested = SectionType(*field.type, node.children[i], null_count)) {
        fields.push_back(Nullable(std::move(name), std::move(nested)));
      }
    } else if (null_count) {
      fields.push_back(Nullable(std::move(name), LongType()));
    } else if (HasMinMax(field.type->id())) {
      fields.push_back(Nullable(std::move(name), field.type));
    }
  }
  return fields.empty() ? nullptr : StructType(std::move(fields));
}

void AppendJsonStatistic(VectorBuilder* builder, const DataType& type, const FieldLookup* lookup,
                         const JsonValue* value) {
  if (value == nullptr || value->is_null()) {
    builder->AppendNull();
    return;
  }
  if (type.id() == TypeId::kStruct) {
    if (!value->is_object()) {
      builder->AppendNull();
      return;
    }
    std::vector<const JsonValue*> fields(type.num_fields(), nullptr);
    for (const auto& [key, member] : value->members()) {
      if (int k = lookup->Find(key); k >= 0) {
        fields[k] = &member;
      }
    }
    auto* row = static_cast<StructBuilder*>(builder);
    for (int k = 0; k < type.num_fields(); ++k) {
      AppendJsonStatistic(row->child(k), *type.field(k).type, lookup->child(k), fields[k]);
    }
    row->Append();
    return;
  }
  bool appended = false;
  if (value->is_bool()) {
    if (type.id() == TypeId::kBoolean) {
      static_cast<BooleanBuilder*>(builder)->Append(value->bool_value());
      appended = true;
    }
  } else if (value->is_number()) {
    appended = type.id() != TypeId::kString && type.id() != TypeId::kBinary &&
               type.id() != TypeId::kBoolean && type.id() != TypeId::kDate &&
               type.id() != TypeId::kTimestamp && type.id() != TypeId::kTimestampNtz &&
               AppendTextValue(builder, type, value->text());
  } else if (value->is_string()) {
    appended =
        type.id() != TypeId::kBoolean && type.id() != TypeId::kBinary &&
        (!type.is_numeric() || type.id() == TypeId::kFloat || type.id() == TypeId::kDouble) &&
        AppendTextValue(builder, type, value->text());
  }
  if (!appended) {
    builder->AppendNull();
  }
}

}  // namespace sluice::delta::checkpoint_internal
