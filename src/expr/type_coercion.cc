// SPDX-License-Identifier: Apache-2.0
#include "expr/type_coercion.h"

#include <algorithm>

#include "common/ascii.h"

namespace sluice::expr {

namespace {

// Spark's numericPrecedence: byte, short, int, long, float, double.
int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return 0;
    case TypeId::kShort:
      return 1;
    case TypeId::kInt:
      return 2;
    case TypeId::kLong:
      return 3;
    case TypeId::kFloat:
      return 4;
    case TypeId::kDouble:
      return 5;
    default:
      return -1;
  }
}

bool IsAtomic(const TypePtr& type) {
  return !type->is_nested() && type->id() != TypeId::kNull && type->id() != TypeId::kVariant;
}

bool IsDatetime(TypeId id) {
  return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampNtz;
}

// The decimal an integral type fits in (Spark's DecimalType.forType).
TypePtr DecimalForIntegral(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return DecimalType(3, 0);
    case TypeId::kShort:
      return DecimalType(5, 0);
    case TypeId::kInt:
      return DecimalType(10, 0);
    case TypeId::kLong:
      return DecimalType(20, 0);
    default:
      return nullptr;
  }
}

TypePtr BoundedDecimal(int precision, int scale) {
  return DecimalType(std::min(precision, kMaxDecimalPrecision),
                     std::min(scale, kMaxDecimalPrecision));
}

// DecimalPrecision.widerDecimalType.
TypePtr WiderDecimal(const TypePtr& a, const TypePtr& b) {
  const int scale = std::max(a->scale(), b->scale());
  const int range = std::max(a->precision() - a->scale(), b->precision() - b->scale());
  return BoundedDecimal(range + scale, scale);
}

// DecimalType.adjustPrecisionScale (allowPrecisionLoss = true, scale >= 0).
TypePtr AdjustPrecisionScale(int precision, int scale) {
  if (precision <= kMaxDecimalPrecision) {
    return DecimalType(precision, scale);
  }
  const int int_digits = precision - scale;
  const int min_scale = std::min(scale, 6);
  const int adjusted_scale = std::max(kMaxDecimalPrecision - int_digits, min_scale);
  return DecimalType(kMaxDecimalPrecision, adjusted_scale);
}

TypePtr WiderType(const TypePtr& left, const TypePtr& right, bool ansi, bool string_promotion);

// Struct, array and map types field by field.
TypePtr WiderNested(const TypePtr& left, const TypePtr& right, bool ansi, bool strings) {
  if (left->id() != right->id()) {
    return nullptr;
  }
  if (left->id() == TypeId::kArray) {
    TypePtr element = WiderType(left->element_type(), right->element_type(), ansi, strings);
    if (element == nullptr) {
      return nullptr;
    }
    return ArrayType(element, left->contains_null() || right->contains_null());
  }
  if (left->id() == TypeId::kMap) {
    TypePtr key = WiderType(left->key_type(), right->key_type(), ansi, strings);
    TypePtr value = WiderType(left->value_type(), right->value_type(), ansi, strings);
    if (key == nullptr || value == nullptr) {
      return nullptr;
    }
    return MapType(key, value, left->value_contains_null() || right->value_contains_null());
  }
  if (left->id() == TypeId::kStruct) {
    if (left->num_fields() != right->num_fields()) {
      return nullptr;
    }
    std::vector<Field> fields;
    for (int i = 0; i < left->num_fields(); ++i) {
      const Field& a = left->field(i);
      const Field& b = right->field(i);
      if (!EqualsIgnoreCase(a.name, b.name)) {
        return nullptr;
      }
      TypePtr type = WiderType(a.type, b.type, ansi, strings);
      if (type == nullptr) {
        return nullptr;
      }
      fields.push_back(MakeField(a.name, type, a.nullable || b.nullable));
    }
    return StructType(std::move(fields));
  }
  return nullptr;
}

// findTightestCommonType for atomic types.
TypePtr Tightest(const TypePtr& left, const TypePtr& right) {
  const TypeId l = left->id();
  const TypeId r = right->id();
  if (left->Equals(*right)) {
    return left;
  }
  if (l == TypeId::kNull) {
    return right;
  }
  if (r == TypeId::kNull) {
    return left;
  }
  const int lr = NumericRank(l);
  const int rr = NumericRank(r);
  if (lr >= 0 && rr >= 0) {
    return lr >= rr ? left : right;
  }
  if (IsDatetime(l) && IsDatetime(r)) {
    if (l == TypeId::kTimestamp || r == TypeId::kTimestamp) {
      return TimestampType();
    }
    return TimestampNtzType();
  }
  return nullptr;
}

TypePtr WiderType(const TypePtr& left, const TypePtr& right, bool ansi, bool string_promotion) {
  if (TypePtr tight = Tightest(left, right)) {
    return tight;
  }
  const TypeId l = left->id();
  const TypeId r = right->id();
  if (l == TypeId::kDecimal || r == TypeId::kDecimal) {
    if (l == TypeId::kFloat || l == TypeId::kDouble || r == TypeId::kFloat ||
        r == TypeId::kDouble) {
      return DoubleType();
    }
    TypePtr a = l == TypeId::kDecimal ? left : DecimalForIntegral(l);
    TypePtr b = r == TypeId::kDecimal ? right : DecimalForIntegral(r);
    if (a != nullptr && b != nullptr) {
      return WiderDecimal(a, b);
    }
  }
  if (left->is_nested() || right->is_nested()) {
    return WiderNested(left, right, ansi, string_promotion);
  }
  if (string_promotion && !ansi) {
    auto promotable = [](const TypePtr& type) {
      return IsAtomic(type) && type->id() != TypeId::kBinary && type->id() != TypeId::kBoolean;
    };
    if ((l == TypeId::kString && promotable(right)) || (r == TypeId::kString && promotable(left))) {
      return StringType();
    }
  }
  if (ansi && string_promotion) {
    // AnsiTypeCoercion: a string is implicitly cast to the other side's numeric or
    // datetime type.
    if (l == TypeId::kString && (right->is_numeric() || IsDatetime(r))) {
      return right;
    }
    if (r == TypeId::kString && (left->is_numeric() || IsDatetime(l))) {
      return left;
    }
  }
  return nullptr;
}

}  // namespace

bool IsNumeric(const TypePtr& type) {
  return type->is_numeric();
}

bool IsIntegral(const TypePtr& type) {
  return type->is_integral();
}

TypePtr WiderCommonType(const TypePtr& left, const TypePtr& right, bool ansi) {
  return WiderType(left, right, ansi, /*string_promotion=*/true);
}

TypePtr WiderCommonType(const std::vector<TypePtr>& types, bool ansi) {
  if (types.empty()) {
    return nullptr;
  }
  TypePtr result = types[0];
  for (size_t i = 1; i < types.size() && result != nullptr; ++i) {
    result = WiderCommonType(result, types[i], ansi);
  }
  return result;
}

TypePtr ComparisonType(const TypePtr& left, const TypePtr& right, bool ansi) {
  const TypeId l = left->id();
  const TypeId r = right->id();
  if (l == TypeId::kString && r == TypeId::kString) {
    return left;
  }
  if ((l == TypeId::kString && r == TypeId::kNull) ||
      (l == TypeId::kNull && r == TypeId::kString)) {
    return StringType();
  }
  if ((l == TypeId::kString && r == TypeId::kDecimal) ||
      (l == TypeId::kDecimal && r == TypeId::kString)) {
    return DoubleType();
  }
  if (l == TypeId::kString && IsAtomic(right) && r != TypeId::kBinary) {
    return right;
  }
  if (r == TypeId::kString && IsAtomic(left) && l != TypeId::kBinary) {
    return left;
  }
  return WiderType(left, right, ansi, /*string_promotion=*/false);
}

TypePtr ArithmeticResultType(char op, const TypePtr& left, const TypePtr& right) {
  if (!left->is_numeric() || !right->is_numeric()) {
    return nullptr;
  }
  const TypeId l = left->id();
  const TypeId r = right->id();
  const bool floating =
      l == TypeId::kFloat || l == TypeId::kDouble || r == TypeId::kFloat || r == TypeId::kDouble;
  if (l == TypeId::kDecimal || r == TypeId::kDecimal) {
    if (floating) {
      return DoubleType();
    }
    TypePtr a = l == TypeId::kDecimal ? left : DecimalForIntegral(l);
    TypePtr b = r == TypeId::kDecimal ? right : DecimalForIntegral(r);
    const int p1 = a->precision();
    const int s1 = a->scale();
    const int p2 = b->precision();
    const int s2 = b->scale();
    switch (op) {
      case '+':
      case '-': {
        const int scale = std::max(s1, s2);
        const int range = std::max(p1 - s1, p2 - s2);
        return AdjustPrecisionScale(range + scale + 1, scale);
      }
      case '*':
        return AdjustPrecisionScale(p1 + p2 + 1, s1 + s2);
      case '/': {
        const int int_digits = p1 - s1 + s2;
        const int scale = std::max(6, s1 + p2 + 1);
        return AdjustPrecisionScale(int_digits + scale, scale);
      }
      case '%': {
        const int scale = std::max(s1, s2);
        return AdjustPrecisionScale(std::min(p1 - s1, p2 - s2) + scale, scale);
      }
      default:
        return nullptr;
    }
  }
  if (op == '/') {
    return DoubleType();
  }
  return Tightest(left, right);
}

}  // namespace sluice::expr
