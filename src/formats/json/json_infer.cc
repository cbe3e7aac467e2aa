// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_infer.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
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
struct Inferred {
  enum class Kind : uint8_t { kNull, kBoolean, kLong, kDouble, kDecimal, kString, kStruct, kArray };
  Kind kind = Kind::kNull;
  int precision = 0;
  int scale = 0;
  std::vector<std::string> names;  // struct fields, sorted by name
  std::vector<Inferred> children;  // struct field types, or the one array element type
};

using Kind = Inferred::Kind;

Inferred MakeDecimal(int precision, int scale) {
  Inferred type;
  type.kind = Kind::kDecimal;
  type.precision = precision;
  type.scale = scale;
  return type;
}

Inferred Primitive(Kind kind) {
  Inferred type;
  type.kind = kind;
  return type;
}

Inferred MergeDecimals(const Inferred& a, const Inferred& b) {
  const int scale = std::max(a.scale, b.scale);
  const int range = std::max(a.precision - a.scale, b.precision - b.scale);
  if (range + scale > kMaxDecimalPrecision) {
    return Primitive(Kind::kDouble);
  }
  return MakeDecimal(range + scale, scale);
}

/// Spark's JsonInferSchema.compatibleType.
Inferred Merge(const Inferred& a, const Inferred& b) {
  if (a.kind == Kind::kNull) {
    return b;
  }
  if (b.kind == Kind::kNull) {
    return a;
  }
  if (a.kind == Kind::kStruct && b.kind == Kind::kStruct) {
    Inferred merged;
    merged.kind = Kind::kStruct;
    size_t i = 0;
    size_t j = 0;
    while (i < a.names.size() || j < b.names.size()) {
      if (j >= b.names.size() || (i < a.names.size() && a.names[i] < b.names[j])) {
        merged.names.push_back(a.names[i]);
        merged.children.push_back(a.children[i]);
        ++i;
      } else if (i >= a.names.size() || b.names[j] < a.names[i]) {
        merged.names.push_back(b.names[j]);
        merged.children.push_back(b.children[j]);
        ++j;
      } else {
        merged.names.push_back(a.names[i]);
        merged.children.push_back(Merge(a.children[i], b.children[j]));
        ++i;
        ++j;
      }
    }
    return merged;
  }
  if (a.kind == Kind::kArray && b.kind == Kind::kArray) {
    Inferred merged;
    merged.kind = Kind::kArray;
    merged.children.push_back(Merge(a.children[0], b.children[0]));
    return merged;
  }
  if (a.kind == b.kind && a.kind != Kind::kDecimal) {
    return a;
  }
  const auto numeric = [](Kind kind) {
    return kind == Kind::kLong || kind == Kind::kDouble || kind == Kind::kDecimal;
  };
  if (numeric(a.kind) && numeric(b.kind)) {
    if (a.kind == Kind::kDouble || b.kind == Kind::kDouble) {
      return Primitive(Kind::kDouble);
    }
    // A bigint is decimal(20,0) next to a decimal.
    const Inferred left = a.kind == Kind::kLong ? MakeDecimal(20, 0) : a;
    const Inferred right = b.kind == Kind::kLong ? MakeDecimal(20, 0) : b;
    return MergeDecimals(left, right);
  }
  return Primitive(Kind::kString);
}

/// The precision and scale of java.math.BigDecimal(text); false when `text` is not a
/// plain decimal literal.
bool DecimalShape(std::string_view text, int* precision, int* scale) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  std::string digits;
  int fraction_digits = 0;
  bool seen_point = false;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any_digit = true;
      if (seen_point) {
        ++fraction_digits;
      }
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) {
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
  const size_t first_nonzero = digits.find_first_not_of('0');
  const int64_t significant =
      first_nonzero == std::string::npos ? 1 : static_cast<int64_t>(digits.size() - first_nonzero);
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
Inferred DecimalOrDouble(int precision, int scale) {
  if (scale < 0) {
    precision -= scale;
    scale = 0;
  }
  precision = std::max(precision, scale);
  if (precision > kMaxDecimalPrecision) {
    return Primitive(Kind::kDouble);
  }
  return MakeDecimal(precision, scale);
}

class Inferrer {
 public:
  explicit Inferrer(const JsonReadOptions& options) : options_(options) {}

  /// Spark's JsonInferSchema.inferField.
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
        *out = Primitive(Kind::kNull);
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
          *out = Primitive(Kind::kNull);  // Spark infers "" as NullType
        } else if (!options_.primitives_as_string && options_.prefers_decimal &&
                   DecimalShape(text, &precision, &scale) && scale >= 0 && scale <= precision &&
                   precision <= kMaxDecimalPrecision) {
          *out = MakeDecimal(precision, scale);
        } else {
          *out = Primitive(Kind::kString);
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::boolean: {
        bool flag;
        if (auto error = value.get_bool().get(flag)) {
          return error;
        }
        *out = Primitive(options_.primitives_as_string ? Kind::kString : Kind::kBoolean);
        return simdjson::SUCCESS;
      }
      case od::json_type::number: {
        std::string_view raw = value.raw_json_token();
        const std::string_view token = internal::NumberToken(raw);
        if (!internal::IsJsonNumber(token)) {
          return simdjson::NUMBER_ERROR;
        }
        if (options_.primitives_as_string) {
          *out = Primitive(Kind::kString);
          return simdjson::SUCCESS;
        }
        int precision = 0;
        int scale = 0;
        DecimalShape(token, &precision, &scale);
        if (internal::IsJsonInteger(token)) {
          int64_t number;
          if (!value.get_int64().get(number)) {
            *out = Primitive(Kind::kLong);
          } else {
            *out = DecimalOrDouble(precision, 0);  // a BigInteger
          }
        } else if (options_.prefers_decimal) {
          *out = DecimalOrDouble(precision, scale);
        } else {
          *out = Primitive(Kind::kDouble);
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
        Inferred element;
        for (auto element_result : array) {
          od::value item;
          if (auto error = std::move(element_result).get(item)) {
            return error;
          }
          Inferred item_type;
          if (auto error = InferValue(item, depth + 1, &item_type)) {
            return error;
          }
          element = Merge(element, item_type);
        }
        out->kind = Kind::kArray;
        out->names.clear();
        out->children.clear();
        out->children.push_back(std::move(element));
        return simdjson::SUCCESS;
      }
    }
    return simdjson::TAPE_ERROR;
  }

  error_code InferObject(od::object& object, int depth, Inferred* out) {
    std::vector<std::pair<std::string, Inferred>> fields;
    for (auto field_result : object) {
      od::field field;
      if (auto error = std::move(field_result).get(field)) {
        return error;
      }
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) {
        return error;
      }
      std::string name(key);
      Inferred type;
      if (auto error = InferValue(field.value(), depth + 1, &type)) {
        return error;
      }
      fields.emplace_back(std::move(name), std::move(type));
    }
    std::stable_sort(fields.begin(), fields.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    out->kind = Kind::kStruct;
    out->names.clear();
    out->children.clear();
    for (auto& [name, type] : fields) {
      if (!out->names.empty() && out->names.back() == name) {
        // A repeated key: merge, so the column can hold every value it had.
        out->children.back() = Merge(out->children.back(), type);
        continue;
      }
      out->names.push_back(std::move(name));
      out->children.push_back(std::move(type));
    }
    return simdjson::SUCCESS;
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
    root_ = Merge(root_, record);
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
        corrupt.children.push_back(Primitive(Kind::kString));
        root_ = Merge(root_, corrupt);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  Status InferLine(const char* line, size_t length, size_t capacity, size_t offset) {
    od::document doc;
    Inferred record;
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
          record = Primitive(Kind::kNull);
        } else {
          // A scalar record: Spark merges its type into the root, which makes it a
          // corrupt record; its syntax does not matter any more.
          record = Primitive(Kind::kString);
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
  Inferred root_;
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
