// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_infer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "formats/json/json_simd.h"
#include "formats/json/json_text.h"
#include "formats/parse_mode.h"

namespace sluice::json {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// An inferred type, with Spark's NullType that sluice's types do not have.
///
/// An accumulated type (the root, an array's element type) keeps its struct fields sorted
/// by name and unique. A record's type keeps them in the record's order, repeats included,
/// and its nodes are reused from record to record, so that reading a record of a known
/// shape allocates nothing; MergeInto folds it into an accumulated type.
struct Inferred {
  enum class Kind : uint8_t { kNull, kBoolean, kLong, kDouble, kDecimal, kString, kStruct, kArray };
  Kind kind = Kind::kNull;
  int precision = 0;
  int scale = 0;
  std::vector<std::string> names;  // struct field names
  std::vector<Inferred> children;  // struct field types, or the one array element type
  /// Accumulated structs: where the i-th field of the last record merged in was found, so
  /// that records of one shape find their fields without a search.
  std::vector<uint32_t> hints;
};

using Kind = Inferred::Kind;

/// Makes `*type` the primitive `kind`, dropping any fields or element.
void SetPrimitive(Inferred* type, Kind kind) {
  type->kind = kind;
  type->precision = 0;
  type->scale = 0;
  type->names.clear();
  type->children.clear();
  type->hints.clear();
}

/// Merges decimal(precision, scale) into the decimal `*into`: decimal(range + scale,
/// scale) with the widest range and scale, or double past 38 digits.
void MergeDecimalInto(Inferred* into, int precision, int scale) {
  const int merged_scale = std::max(into->scale, scale);
  const int range = std::max(into->precision - into->scale, precision - scale);
  if (range + merged_scale > kMaxDecimalPrecision) {
    SetPrimitive(into, Kind::kDouble);
    return;
  }
  into->precision = range + merged_scale;
  into->scale = merged_scale;
}

void MergeInto(Inferred* into, const Inferred& from);

/// Merges the fields of the struct `from` (in any order, repeats allowed) into the
/// accumulated struct `*into`, adding the ones it lacks at their sorted place.
void MergeFieldsInto(Inferred* into, const Inferred& from) {
  const size_t count = from.names.size();
  if (into->hints.size() < count) {
    into->hints.resize(count, 0);
  }
  for (size_t i = 0; i < count; ++i) {
    const std::string& name = from.names[i];
    size_t index = into->hints[i];
    if (index >= into->names.size() || into->names[index] != name) {
      const auto it = std::lower_bound(into->names.begin(), into->names.end(), name);
      index = static_cast<size_t>(it - into->names.begin());
      if (it == into->names.end() || *it != name) {
        into->names.insert(it, name);
        into->children.insert(into->children.begin() + static_cast<ptrdiff_t>(index), Inferred());
      }
      into->hints[i] = static_cast<uint32_t>(index);
    }
    MergeInto(&into->children[index], from.children[i]);
  }
}

/// Spark's JsonInferSchema.compatibleType, in place: `*into` becomes the type compatible
/// with both. The rules are commutative and associative, so merging a record's fields one
/// by one (repeats included) gives the type of merging the record as a whole.
void MergeInto(Inferred* into, const Inferred& from) {
  if (from.kind == Kind::kNull) {
    return;
  }
  if (into->kind == Kind::kNull) {
    SetPrimitive(into, from.kind);
    if (from.kind == Kind::kStruct) {
      MergeFieldsInto(into, from);
    } else if (from.kind == Kind::kArray) {
      into->children.emplace_back();
      MergeInto(&into->children[0], from.children[0]);
    } else if (from.kind == Kind::kDecimal) {
      into->precision = from.precision;
      into->scale = from.scale;
    }
    return;
  }
  if (into->kind == from.kind) {
    switch (from.kind) {
      case Kind::kStruct:
        MergeFieldsInto(into, from);
        return;
      case Kind::kArray:
        MergeInto(&into->children[0], from.children[0]);
        return;
      case Kind::kDecimal:
        MergeDecimalInto(into, from.precision, from.scale);
        return;
      default:
        return;
    }
  }
  const auto numeric = [](Kind kind) {
    return kind == Kind::kLong || kind == Kind::kDouble || kind == Kind::kDecimal;
  };
  if (!numeric(into->kind) || !numeric(from.kind)) {
    SetPrimitive(into, Kind::kString);
    return;
  }
  if (into->kind == Kind::kDouble || from.kind == Kind::kDouble) {
    SetPrimitive(into, Kind::kDouble);
    return;
  }
  // A bigint next to a decimal is decimal(20,0).
  if (into->kind == Kind::kLong) {
    into->kind = Kind::kDecimal;
    into->precision = 20;
    into->scale = 0;
    MergeDecimalInto(into, from.precision, from.scale);
  } else {
    MergeDecimalInto(into, 20, 0);
  }
}

/// The precision and scale of java.math.BigDecimal(text); false when `text` is not a
/// plain decimal literal.
bool DecimalShape(std::string_view text, int* precision, int* scale) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  int64_t digits = 0;
  int64_t leading_zeros = 0;
  bool nonzero = false;
  int64_t fraction_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      ++digits;
      if (c != '0') {
        nonzero = true;
      } else if (!nonzero) {
        ++leading_zeros;
      }
      if (seen_point) {
        ++fraction_digits;
      }
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (digits == 0) {
    return false;
  }
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      negative = text[i] == '-';
      ++i;
    }
    if (i >= text.size()) {
      return false;
    }
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9' || exponent > 100000) {
        return false;
      }
      exponent = exponent * 10 + (text[i] - '0');
    }
    exponent = negative ? -exponent : exponent;
  }
  if (i != text.size()) {
    return false;
  }
  const int64_t significant = nonzero ? digits - leading_zeros : 1;
  const int64_t big_scale = fraction_digits - exponent;
  if (big_scale > 1000 || big_scale < -1000) {
    return false;
  }
  *precision = static_cast<int>(significant);
  *scale = static_cast<int>(big_scale);
  return true;
}

/// Spark's decimal for a number under prefersDecimal or for a big integer:
/// DecimalType(max(precision, scale), scale), or double past 38 digits. A negative
/// scale (1E+3) is folded into the precision, as sluice decimals have scale >= 0.
void SetDecimalOrDouble(Inferred* type, int precision, int scale) {
  if (scale < 0) {
    precision -= scale;
    scale = 0;
  }
  precision = std::max(precision, scale);
  if (precision > kMaxDecimalPrecision) {
    type->kind = Kind::kDouble;
    return;
  }
  type->kind = Kind::kDecimal;
  type->precision = precision;
  type->scale = scale;
}

class Inferrer {
 public:
  explicit Inferrer(const JsonReadOptions& options) : options_(options) {}

  /// Spark's JsonInferSchema.inferField, into the record node `*out` (reused: only the
  /// parts of it that the value's kind uses are meaningful).
  error_code InferValue(od::value value, int depth, Inferred* out) {
    if (depth > internal::kMaxNestingDepth) {
      return simdjson::DEPTH_ERROR;
    }
    od::json_type type;
    if (auto error = value.type().get(type)) {
      return error;
    }
    switch (type) {
      case od::json_type::null: {
        bool is_null = false;
        if (auto error = value.is_null().get(is_null)) {
          return error;
        }
        out->kind = Kind::kNull;
        return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
      }
      case od::json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text)) {
          return error;
        }
        int precision;
        int scale;
        if (text.empty()) {
          out->kind = Kind::kNull;  // Spark infers "" as NullType
        } else if (!options_.primitives_as_string && options_.prefers_decimal &&
                   DecimalShape(text, &precision, &scale) && scale >= 0 && scale <= precision &&
                   precision <= kMaxDecimalPrecision) {
          out->kind = Kind::kDecimal;
          out->precision = precision;
          out->scale = scale;
        } else {
          out->kind = Kind::kString;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::boolean: {
        bool flag;
        if (auto error = value.get_bool().get(flag)) {
          return error;
        }
        out->kind = options_.primitives_as_string ? Kind::kString : Kind::kBoolean;
        return simdjson::SUCCESS;
      }
      case od::json_type::number: {
        std::string_view raw = value.raw_json_token();
        const std::string_view token = internal::NumberToken(raw);
        if (!internal::IsJsonNumber(token)) {
          return simdjson::NUMBER_ERROR;
        }
        if (options_.primitives_as_string) {
          out->kind = Kind::kString;
          return simdjson::SUCCESS;
        }
        if (internal::IsJsonInteger(token)) {
          int64_t number;
          if (!value.get_int64().get(number)) {
            out->kind = Kind::kLong;
          } else {
            int precision = 0;
            int scale = 0;
            DecimalShape(token, &precision, &scale);
            SetDecimalOrDouble(out, precision, 0);  // a BigInteger
          }
        } else if (options_.prefers_decimal) {
          int precision = 0;
          int scale = 0;
          DecimalShape(token, &precision, &scale);
          SetDecimalOrDouble(out, precision, scale);
        } else {
          out->kind = Kind::kDouble;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::object: {
        od::object object;
        if (auto error = value.get_object().get(object)) {
          return error;
        }
        return InferObject(object, depth, out);
      }
      case od::json_type::array: {
        od::array array;
        if (auto error = value.get_array().get(array)) {
          return error;
        }
        out->kind = Kind::kArray;
        out->names.clear();
        out->children.resize(1);
        Inferred& element = out->children[0];  // accumulated over the elements
        SetPrimitive(&element, Kind::kNull);
        Inferred* item = ItemScratch(depth);
        for (auto element_result : array) {
          od::value value_item;
          if (auto error = std::move(element_result).get(value_item)) {
            return error;
          }
          if (auto error = InferValue(value_item, depth + 1, item)) {
            return error;
          }
          MergeInto(&element, *item);
        }
        return simdjson::SUCCESS;
      }
    }
    return simdjson::TAPE_ERROR;
  }

  /// The fields in the record's order, repeats included (MergeInto sorts and merges them).
  error_code InferObject(od::object& object, int depth, Inferred* out) {
    out->kind = Kind::kStruct;
    size_t count = 0;
    for (auto field_result : object) {
      od::field field;
      if (auto error = std::move(field_result).get(field)) {
        return error;
      }
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) {
        return error;
      }
      if (count == out->names.size()) {
        out->names.emplace_back(key);
      } else if (out->names[count] != key) {
        out->names[count].assign(key.data(), key.size());
      }
      if (count == out->children.size()) {
        out->children.emplace_back();
      }
      if (auto error = InferValue(field.value(), depth + 1, &out->children[count])) {
        return error;
      }
      ++count;
    }
    out->names.resize(count);
    out->children.resize(count);
    return simdjson::SUCCESS;
  }

  /// A record node for the elements of an array at `depth`, reused. Arrays nest only
  /// deeper, so one node per depth is never in use twice.
  Inferred* ItemScratch(int depth) {
    const size_t index = static_cast<size_t>(depth);
    while (items_.size() <= index) {
      items_.push_back(std::make_unique<Inferred>());
    }
    return items_[index].get();
  }

  /// Spark's compatibleRootType, folding one record's type into the root type.
  Status MergeRoot(const Inferred& record, size_t offset) {
    if (record.kind == Kind::kArray) {
      return MergeRoot(record.children[0], offset);
    }
    if (record.kind == Kind::kNull) {
      return Status::Ok();
    }
    if (record.kind != Kind::kStruct) {
      return AddCorruptField(offset);
    }
    MergeInto(&root_, record);
    return Status::Ok();
  }

  /// A malformed record, or one that is not an object.
  Status AddCorruptField(size_t offset) {
    switch (options_.mode) {
      case ParseMode::kDropMalformed:
        return Status::Ok();
      case ParseMode::kFailFast:
        return Status::ParseError(fmt::format(
            "Malformed JSON record at line {}, byte offset {} found during schema inference "
            "(mode FAILFAST)",
            internal::LineNumberAt(data_, offset), offset));
      case ParseMode::kPermissive: {
        Inferred corrupt;
        corrupt.kind = Kind::kStruct;
        corrupt.names.push_back(options_.column_name_of_corrupt_record);
        corrupt.children.emplace_back().kind = Kind::kString;
        MergeInto(&root_, corrupt);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  Status InferLine(const char* line, size_t length, size_t capacity, size_t offset) {
    od::document doc;
    Inferred& record = record_;
    error_code error =
        parser_.iterate(simdjson::padded_string_view(line, length, capacity)).get(doc);
    if (!error) {
      od::json_type type;
      error = doc.type().get(type);
      if (!error) {
        if (type == od::json_type::object || type == od::json_type::array) {
          od::value value;
          error = doc.get_value().get(value);
          if (!error) {
            error = InferValue(value, 1, &record);
          }
        } else if (type == od::json_type::null) {
          // Spark infers a top-level null as NullType, which compatibleRootType ignores;
          // so only a line holding exactly `null` is ignored.
          bool is_null = false;
          error = doc.is_null().get(is_null);
          if (!error && (!is_null || !internal::AtEnd(doc))) {
            error = simdjson::TRAILING_CONTENT;
          }
          record.kind = Kind::kNull;
        } else {
          // A scalar record: Spark merges its type into the root, which makes it a
          // corrupt record; its syntax does not matter any more.
          record.kind = Kind::kString;
        }
      }
      if (!error && (type == od::json_type::object || type == od::json_type::array) &&
          !internal::AtEnd(doc)) {
        error = simdjson::TRAILING_CONTENT;
      }
    }
    if (error) {
      return AddCorruptField(offset);
    }
    return MergeRoot(record, offset);
  }

  Status Run(std::string_view data) {
    data_ = data;
#ifdef SIMDJSON_THREADS_ENABLED
    parser_.threaded = false;
#endif
    root_.kind = Kind::kStruct;
    std::mt19937_64 random(1);  // fixed seed: sampling is deterministic
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const bool sample = options_.sampling_ratio < 1.0;
    return internal::ForEachPaddedRegion(
        data, &tail_, [&](const char* base, size_t size, size_t offset) -> Status {
          size_t pos = 0;
          while (pos < size) {
            const size_t end = internal::FindLineEnd(base, pos, size);
            const bool blank = internal::SkipSpace(base, pos, end) == end;
            if (!blank && (!sample || uniform(random) < options_.sampling_ratio)) {
              SLUICE_RETURN_IF_ERROR(InferLine(
                  base + pos, end - pos, size - pos + simdjson::SIMDJSON_PADDING, offset + pos));
            }
            pos = internal::NextLineStart(base, end, size);
          }
          return Status::Ok();
        });
  }

  const Inferred& root() const {
    return root_;
  }

 private:
  const JsonReadOptions& options_;
  od::parser parser_;
  std::string tail_;
  std::string_view data_;
  Inferred root_;    // accumulated
  Inferred record_;  // the current record's type
  std::vector<std::unique_ptr<Inferred>> items_;
};

/// Spark's canonicalizeType: NullType becomes string, empty-named fields and empty
/// structs are dropped (nullptr).
TypePtr Canonicalize(const Inferred& type) {
  switch (type.kind) {
    case Kind::kNull:
    case Kind::kString:
      return StringType();
    case Kind::kBoolean:
      return BooleanType();
    case Kind::kLong:
      return LongType();
    case Kind::kDouble:
      return DoubleType();
    case Kind::kDecimal:
      return DecimalType(type.precision, type.scale);
    case Kind::kArray: {
      TypePtr element = Canonicalize(type.children[0]);
      return element == nullptr ? nullptr : ArrayType(std::move(element), true);
    }
    case Kind::kStruct: {
      std::vector<Field> fields;
      for (size_t i = 0; i < type.names.size(); ++i) {
        if (type.names[i].empty()) {
          continue;
        }
        TypePtr child = Canonicalize(type.children[i]);
        if (child != nullptr) {
          fields.push_back(MakeField(type.names[i], std::move(child)));
        }
      }
      return fields.empty() ? nullptr : StructType(std::move(fields));
    }
  }
  return nullptr;
}

}  // namespace

Result<SchemaPtr> InferJsonSchema(std::string_view ndjson, const JsonReadOptions& options) {
  Inferrer inferrer(options);
  SLUICE_RETURN_IF_ERROR(inferrer.Run(ndjson));
  TypePtr root = Canonicalize(inferrer.root());
  if (root == nullptr) {
    return MakeSchema({});
  }
  return MakeSchema(root->fields());
}

}  // namespace sluice::json
