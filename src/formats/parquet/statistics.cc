// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "formats/parquet/leaf.h"
#include "formats/parquet/thrift_io.h"
#include "types/datetime.h"
#include "types/number_format.h"

namespace sluice::parquet {
namespace {

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

// What a leaf's annotation (logical type, else converted type) says about its values.
enum class Annotation : uint8_t {
  kNone,
  kString,  // STRING/UTF8, ENUM, JSON, BSON: bytes
  kSigned,  // INT(signed), INT_8..INT_64
  kUnsigned,
  kDecimal,
  kDate,
  kTimestampMillis,
  kTimestampMicros,
  kTimestampNanos,
  kTime,  // read as the raw int (MILLIS) or long (MICROS, NANOS)
  kUuid,
  kFloat16,
  kOther,  // INTERVAL, geometry, lists, maps, a logical type this build does not know
};

Annotation FromLogicalType(const format::LogicalType& logical) {
  if (logical.__isset.STRING || logical.__isset.ENUM || logical.__isset.JSON ||
      logical.__isset.BSON) {
    return Annotation::kString;
  }
  if (logical.__isset.INTEGER) {
    return logical.INTEGER.isSigned ? Annotation::kSigned : Annotation::kUnsigned;
  }
  if (logical.__isset.DECIMAL) {
    return Annotation::kDecimal;
  }
  if (logical.__isset.DATE) {
    return Annotation::kDate;
  }
  if (logical.__isset.TIMESTAMP) {
    const format::TimeUnit& unit = logical.TIMESTAMP.unit;
    if (unit.__isset.MILLIS) {
      return Annotation::kTimestampMillis;
    }
    if (unit.__isset.MICROS) {
      return Annotation::kTimestampMicros;
    }
    if (unit.__isset.NANOS) {
      return Annotation::kTimestampNanos;
    }
    return Annotation::kOther;
  }
  if (logical.__isset.FLOAT16) {
    return Annotation::kFloat16;
  }
  return Annotation::kOther;
}

Annotation FromConvertedType(format::ConvertedType::type converted) {
  switch (converted) {
    case format::ConvertedType::UTF8:
    case format::ConvertedType::ENUM:
    case format::ConvertedType::JSON:
    case format::ConvertedType::BSON:
      return Annotation::kString;
    case format::ConvertedType::INT_8:
    case format::ConvertedType::INT_16:
    case format::ConvertedType::INT_32:
    case format::ConvertedType::INT_64:
      return Annotation::kSigned;
    case format::ConvertedType::UINT_8:
    case format::ConvertedType::UINT_16:
    case format::ConvertedType::UINT_32:
    case format::ConvertedType::UINT_64:
      return Annotation::kUnsigned;
    case format::ConvertedType::DECIMAL:
      return Annotation::kDecimal;
    case format::ConvertedType::DATE:
      return Annotation::kDate;
    case format::ConvertedType::TIMESTAMP_MILLIS:
      return Annotation::kTimestampMillis;
    case format::ConvertedType::TIMESTAMP_MICROS:
      return Annotation::kTimestampMicros;
    case format::ConvertedType::TIME_MILLIS:
    case format::ConvertedType::TIME_MICROS:
      return Annotation::kTime;
    default:
      return Annotation::kOther;
  }
}

Annotation AnnotationOf(const format::SchemaElement& element) {
  if (element.__isset.logicalType) {
    Annotation annotation = FromLogicalType(element.logicalType);
    if (annotation != Annotation::kOther) {
      return annotation;
    }
    // A logical type this build does not know (the union arrives empty): the converted
    // type, if any, is what older readers use.
    return element.__isset.converted_type ? FromConvertedType(element.converted_type)
                                          : Annotation::kOther;
  }
  return element.__isset.converted_type ? FromConvertedType(element.converted_type)
                                        : Annotation::kNone;
}

int DecimalScaleOf(const format::SchemaElement& element) {
  if (element.__isset.logicalType && element.logicalType.__isset.DECIMAL) {
    return element.logicalType.DECIMAL.scale;
  }
  return element.__isset.scale ? element.scale : 0;
}

// How a bound of a leaf is encoded and what it becomes.
enum class Codec : uint8_t {
  kNone,  // bounds of this leaf are never used
  kBoolean,
  kInt32,
  kUInt32,
  kInt64,
  kUInt64,
  kFloat,
  kFloat16,
  kDouble,
  kDecimalBytes,  // big-endian two's complement of any length
  kBytes,
};

struct BoundFormat {
  Codec codec = Codec::kNone;
  int64_t multiplier = 1;  // TIMESTAMP(MILLIS) to microseconds
  int64_t divisor = 1;     // TIMESTAMP(NANOS) to microseconds
  // Whether the legacy signed order of the deprecated min/max is the type's order.
  bool signed_order = false;
  bool byte_array = false;  // BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY storage
};

BoundFormat FormatOf(const LeafDescriptor& leaf) {
  BoundFormat format;
  const format::SchemaElement& element = leaf.element;
  if (leaf.type == nullptr || !element.__isset.type) {
    return format;
  }
  const format::Type::type physical = element.type;
  format.byte_array =
      physical == format::Type::BYTE_ARRAY || physical == format::Type::FIXED_LEN_BYTE_ARRAY;
  const Annotation annotation = AnnotationOf(element);
  const bool plain = annotation == Annotation::kNone;
  switch (leaf.type->id()) {
    case TypeId::kBoolean:
      if (physical == format::Type::BOOLEAN && plain) {
        format.codec = Codec::kBoolean;
      }
      break;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong: {
      if (!plain && annotation != Annotation::kSigned && annotation != Annotation::kUnsigned &&
          annotation != Annotation::kTime) {
        break;
      }
      const bool is_unsigned = annotation == Annotation::kUnsigned;
      if (physical == format::Type::INT32) {
        format.codec = is_unsigned ? Codec::kUInt32 : Codec::kInt32;
      } else if (physical == format::Type::INT64 && !is_unsigned) {
        format.codec = Codec::kInt64;
      }
      break;
    }
    case TypeId::kFloat:
      if (physical == format::Type::FLOAT && plain) {
        format.codec = Codec::kFloat;
      } else if (physical == format::Type::FIXED_LEN_BYTE_ARRAY &&
                 annotation == Annotation::kFloat16 && element.__isset.type_length &&
                 element.type_length == 2) {
        format.codec = Codec::kFloat16;
      }
      break;
    case TypeId::kDouble:
      if (physical == format::Type::DOUBLE && plain) {
        format.codec = Codec::kDouble;
      } else if (physical == format::Type::FLOAT && plain) {
        format.codec = Codec::kFloat;
      }
      break;
    case TypeId::kDecimal:
      if (annotation == Annotation::kUnsigned) {
        // UINT_64 read as decimal(20,0).
        if (physical == format::Type::INT64 && leaf.type->scale() == 0) {
          format.codec = Codec::kUInt64;
        }
        break;
      }
      if (annotation != Annotation::kDecimal || DecimalScaleOf(element) != leaf.type->scale()) {
        break;
      }
      if (physical == format::Type::INT32) {
        format.codec = Codec::kInt32;
      } else if (physical == format::Type::INT64) {
        format.codec = Codec::kInt64;
      } else if (format.byte_array) {
        format.codec = Codec::kDecimalBytes;
      }
      break;
    case TypeId::kDate:
      if (physical == format::Type::INT32 && annotation == Annotation::kDate) {
        format.codec = Codec::kInt32;
      }
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      // INT96 timestamps have no usable order: their bounds are never used.
      if (physical != format::Type::INT64) {
        break;
      }
      if (annotation == Annotation::kTimestampMillis) {
        format.codec = Codec::kInt64;
        format.multiplier = 1000;
      } else if (annotation == Annotation::kTimestampMicros) {
        format.codec = Codec::kInt64;
      } else if (annotation == Annotation::kTimestampNanos) {
        format.codec = Codec::kInt64;
        format.divisor = 1000;
      }
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      if (format.byte_array &&
          (plain || annotation == Annotation::kString || annotation == Annotation::kUuid)) {
        format.codec = Codec::kBytes;
      }
      break;
    default:
      break;
  }
  format.signed_order = format.codec == Codec::kBoolean || format.codec == Codec::kInt32 ||
                        format.codec == Codec::kInt64 || format.codec == Codec::kFloat ||
                        format.codec == Codec::kDouble;
  return format;
}

bool IsFloating(Codec codec) {
  return codec == Codec::kFloat || codec == Codec::kFloat16 || codec == Codec::kDouble;
}

template <typename T>
T LoadLittleEndian(std::string_view bytes) {
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

float HalfToFloat(uint16_t half) {
  const int sign = half >> 15;
  const int exponent = (half >> 10) & 0x1F;
  const int mantissa = half & 0x3FF;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? std::numeric_limits<float>::infinity()
                              : std::numeric_limits<float>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  }
  return sign ? -magnitude : magnitude;
}

// Floor and ceiling division for a positive divisor.
int64_t FloorDiv(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if (value % divisor != 0 && value < 0) {
    --quotient;
  }
  return quotient;
}
int64_t CeilDiv(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if (value % divisor != 0 && value > 0) {
    ++quotient;
  }
  return quotient;
}

// Which end of a range a bound is: rounding and the zero rule differ.
enum class BoundSide : uint8_t { kMin, kMax };

enum class BoundStatus : uint8_t {
  kOk,
  kUnusable,    // this bound is dropped (wrong length, NaN)
  kOutOfRange,  // the bound does not fit the type: neither bound can be trusted
};

BoundStatus DecodeOne(const LeafDescriptor& leaf, const BoundFormat& format, std::string_view bytes,
                      BoundSide side, bool* exact, Literal* out) {
  out->type = leaf.type;
  switch (format.codec) {
    case Codec::kNone:
      return BoundStatus::kUnusable;
    case Codec::kBoolean: {
      if (bytes.size() != 1) {
        return BoundStatus::kUnusable;
      }
      const auto byte = static_cast<uint8_t>(bytes[0]);
      if (byte > 1) {
        return BoundStatus::kUnusable;
      }
      out->value = byte == 1;
      return BoundStatus::kOk;
    }
    case Codec::kInt32:
    case Codec::kUInt32:
    case Codec::kInt64:
    case Codec::kUInt64: {
      const bool wide = format.codec == Codec::kInt64 || format.codec == Codec::kUInt64;
      if (bytes.size() != (wide ? 8u : 4u)) {
        return BoundStatus::kUnusable;
      }
      Int128 value;
      switch (format.codec) {
        case Codec::kInt32:
          value = LoadLittleEndian<int32_t>(bytes);
          break;
        case Codec::kUInt32:
          value = LoadLittleEndian<uint32_t>(bytes);
          break;
        case Codec::kInt64:
          value = LoadLittleEndian<int64_t>(bytes);
          break;
        default:
          value = LoadLittleEndian<uint64_t>(bytes);
          break;
      }
      const DataType& type = *leaf.type;
      switch (type.id()) {
        case TypeId::kByte:
          if (value < -128 || value > 127) {
            return BoundStatus::kOutOfRange;
          }
          break;
        case TypeId::kShort:
          if (value < -32768 || value > 32767) {
            return BoundStatus::kOutOfRange;
          }
          break;
        case TypeId::kInt:
          if (value < std::numeric_limits<int32_t>::min() ||
              value > std::numeric_limits<int32_t>::max()) {
            return BoundStatus::kOutOfRange;
          }
          break;
        case TypeId::kDecimal: {
          const Int128 limit = PowerOfTen(type.precision());
          if (value >= limit || value <= -limit) {
            return BoundStatus::kOutOfRange;
          }
          out->value = value;
          return BoundStatus::kOk;
        }
        case TypeId::kTimestamp:
        case TypeId::kTimestampNtz: {
          auto micros = static_cast<int64_t>(value);
          if (format.multiplier != 1 &&
              __builtin_mul_overflow(micros, format.multiplier, &micros)) {
            return BoundStatus::kOutOfRange;
          }
          if (format.divisor != 1) {
            const int64_t rounded = side == BoundSide::kMin ? FloorDiv(micros, format.divisor)
                                                            : CeilDiv(micros, format.divisor);
            if (micros % format.divisor != 0 && exact != nullptr) {
              *exact = false;
            }
            micros = rounded;
          }
          out->value = micros;
          return BoundStatus::kOk;
        }
        default:
          break;
      }
      if (value > std::numeric_limits<int64_t>::max()) {
        return BoundStatus::kOutOfRange;
      }
      out->value = static_cast<int64_t>(value);
      return BoundStatus::kOk;
    }
    case Codec::kFloat:
    case Codec::kFloat16:
    case Codec::kDouble: {
      double value;
      if (format.codec == Codec::kFloat) {
        if (bytes.size() != 4) {
          return BoundStatus::kUnusable;
        }
        value = LoadLittleEndian<float>(bytes);
      } else if (format.codec == Codec::kFloat16) {
        if (bytes.size() != 2) {
          return BoundStatus::kUnusable;
        }
        value = HalfToFloat(LoadLittleEndian<uint16_t>(bytes));
      } else {
        if (bytes.size() != 8) {
          return BoundStatus::kUnusable;
        }
        value = LoadLittleEndian<double>(bytes);
      }
      if (std::isnan(value)) {
        return BoundStatus::kUnusable;
      }
      // Writers disagree on which zero bounds a range that holds both.
      if (value == 0.0) {
        value = side == BoundSide::kMin ? -0.0 : 0.0;
      }
      out->value = value;
      return BoundStatus::kOk;
    }
    case Codec::kDecimalBytes: {
      if (bytes.empty()) {
        return BoundStatus::kUnusable;
      }
      // Beyond 16 bytes only sign extension is allowed.
      const size_t skip = bytes.size() > 16 ? bytes.size() - 16 : 0;
      const bool negative = (static_cast<uint8_t>(bytes[skip]) & 0x80) != 0;
      for (size_t i = 0; i < skip; ++i) {
        if (static_cast<uint8_t>(bytes[i]) != (negative ? 0xFF : 0x00)) {
          return BoundStatus::kOutOfRange;
        }
      }
      unsigned __int128 bits = negative ? ~static_cast<unsigned __int128>(0) : 0;
      for (size_t i = skip; i < bytes.size(); ++i) {
        bits = (bits << 8) | static_cast<uint8_t>(bytes[i]);
      }
      const auto value = static_cast<Int128>(bits);
      const Int128 limit = PowerOfTen(leaf.type->precision());
      if (value >= limit || value <= -limit) {
        return BoundStatus::kOutOfRange;
      }
      out->value = value;
      return BoundStatus::kOk;
    }
    case Codec::kBytes:
      if (leaf.element.type == format::Type::FIXED_LEN_BYTE_ARRAY &&
          (!leaf.element.__isset.type_length ||
           static_cast<int64_t>(bytes.size()) != leaf.element.type_length)) {
        return BoundStatus::kUnusable;
      }
      out->value = std::string(bytes);
      return BoundStatus::kOk;
  }
  return BoundStatus::kUnusable;
}

// Spark's order of doubles: -0.0 equals 0.0, NaN equals NaN and is above everything.
int CompareDoubles(double a, double b) {
  const bool a_nan = std::isnan(a);
  const bool b_nan = std::isnan(b);
  if (a_nan || b_nan) {
    return a_nan == b_nan ? 0 : (a_nan ? 1 : -1);
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Compares a / 10^a_scale with b / 10^b_scale exactly.
int CompareDecimals(Int128 a, int a_scale, Int128 b, int b_scale) {
  if (a_scale < b_scale) {
    return -CompareDecimals(b, b_scale, a, a_scale);
  }
  if (a_scale > b_scale) {
    Int128 scaled;
    if (__builtin_mul_overflow(b, PowerOfTen(a_scale - b_scale), &scaled)) {
      // |b * 10^d| is beyond any Int128, so beyond |a|.
      return b < 0 ? 1 : -1;
    }
    b = scaled;
  }
  return Sign(a, b);
}

// Compares `d` with unscaled / 10^scale; nullopt when the two are too close to be sure.
std::optional<int> CompareDoubleWithDecimal(double d, Int128 unscaled, int scale) {
  if (std::isnan(d)) {
    return 1;
  }
  if (std::isinf(d)) {
    return d > 0 ? 1 : -1;
  }
  constexpr double kTwo127 = 170141183460469231731687303715884105728.0;
  if (d >= kTwo127) {
    return 1;
  }
  if (d <= -kTwo127) {
    return -1;
  }
  const double floor_d = std::floor(d);
  const auto floor_int = static_cast<Int128>(floor_d);
  const Int128 power = PowerOfTen(scale);
  Int128 floor_value = unscaled / power;
  Int128 remainder = unscaled % power;
  if (remainder < 0) {
    floor_value -= 1;
    remainder += power;
  }
  if (floor_int != floor_value) {
    return Sign(floor_int, floor_value);
  }
  // Same integer part: compare the fractions, d's exactly, the decimal's to ~1e-19.
  const double fraction_d = d - floor_d;
  const long double fraction_value =
      static_cast<long double>(remainder) / static_cast<long double>(power);
  const long double difference = static_cast<long double>(fraction_d) - fraction_value;
  if (remainder == 0) {
    return fraction_d > 0 ? 1 : 0;
  }
  if (difference > 1e-17L) {
    return 1;
  }
  if (difference < -1e-17L) {
    return -1;
  }
  // Too close for the approximation: equal only if the decimal fraction is dyadic,
  // remainder / 10^scale = (remainder / 5^scale) / 2^scale, which a double holds exactly.
  Int128 power_of_five = 1;
  for (int i = 0; i < scale; ++i) {
    power_of_five *= 5;
  }
  if (remainder % power_of_five == 0 &&
      fraction_d == std::ldexp(static_cast<double>(remainder / power_of_five), -scale)) {
    return 0;
  }
  return std::nullopt;
}

enum class Family : uint8_t {
  kNone,
  kExact,
  kFloating,
  kBoolean,
  kBytes,
  kDate,
  kTimestamp,
  kTimestampNtz
};

Family FamilyOf(const Literal& literal) {
  if (literal.type == nullptr) {
    return Family::kNone;
  }
  switch (literal.type->id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      return std::holds_alternative<int64_t>(literal.value) ? Family::kExact : Family::kNone;
    case TypeId::kDecimal:
      return std::holds_alternative<Int128>(literal.value) ? Family::kExact : Family::kNone;
    case TypeId::kFloat:
    case TypeId::kDouble:
      return std::holds_alternative<double>(literal.value) ? Family::kFloating : Family::kNone;
    case TypeId::kBoolean:
      return std::holds_alternative<bool>(literal.value) ? Family::kBoolean : Family::kNone;
    case TypeId::kString:
    case TypeId::kBinary:
      return std::holds_alternative<std::string>(literal.value) ? Family::kBytes : Family::kNone;
    case TypeId::kDate:
      return std::holds_alternative<int64_t>(literal.value) ? Family::kDate : Family::kNone;
    case TypeId::kTimestamp:
      return std::holds_alternative<int64_t>(literal.value) ? Family::kTimestamp : Family::kNone;
    case TypeId::kTimestampNtz:
      return std::holds_alternative<int64_t>(literal.value) ? Family::kTimestampNtz : Family::kNone;
    default:
      return Family::kNone;
  }
}

// The unscaled value and scale of an integer or decimal literal.
Int128 Unscaled(const Literal& literal) {
  if (const auto* integer = std::get_if<int64_t>(&literal.value)) {
    return *integer;
  }
  return std::get<Int128>(literal.value);
}
int ScaleOf(const Literal& literal) {
  return literal.type->id() == TypeId::kDecimal ? literal.type->scale() : 0;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (char c : bytes) {
    const auto byte = static_cast<uint8_t>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xF];
  }
  return out;
}

}  // namespace

bool TypeOrderedBoundsUsable(const LeafDescriptor& leaf, const format::ColumnOrder* order) {
  const BoundFormat format = FormatOf(leaf);
  if (format.codec == Codec::kNone) {
    return false;
  }
  // Without column_orders the meaning of min_value/max_value is undefined; where the
  // type order is the signed order, every writer's order is the same.
  if (order == nullptr) {
    return format.signed_order;
  }
  if (order->__isset.TYPE_ORDER) {
    return true;
  }
  if (order->__isset.IEEE_754_TOTAL_ORDER) {
    return IsFloating(format.codec);
  }
  return false;
}

void DecodeBounds(const LeafDescriptor& leaf, const std::string* min_plain,
                  std::optional<bool> min_exact, const std::string* max_plain,
                  std::optional<bool> max_exact, ColumnStatistics* stats) {
  stats->min.reset();
  stats->max.reset();
  stats->min_exact = true;
  stats->max_exact = true;
  const BoundFormat format = FormatOf(leaf);
  if (format.codec == Codec::kNone) {
    return;
  }
  // Truncation of byte arrays predates the exactness flags.
  const bool default_exact = format.codec != Codec::kBytes;
  Literal min;
  Literal max;
  bool min_ok = false;
  bool max_ok = false;
  bool min_is_exact = min_exact.value_or(default_exact);
  bool max_is_exact = max_exact.value_or(default_exact);
  if (min_plain != nullptr) {
    const BoundStatus status =
        DecodeOne(leaf, format, *min_plain, BoundSide::kMin, &min_is_exact, &min);
    if (status == BoundStatus::kOutOfRange) {
      return;
    }
    min_ok = status == BoundStatus::kOk;
  }
  if (max_plain != nullptr) {
    const BoundStatus status =
        DecodeOne(leaf, format, *max_plain, BoundSide::kMax, &max_is_exact, &max);
    if (status == BoundStatus::kOutOfRange) {
      return;
    }
    max_ok = status == BoundStatus::kOk;
  }
  if (min_ok && max_ok && CompareLiterals(min, max) > 0) {
    return;  // not a range
  }
  if (min_ok) {
    stats->min = std::move(min);
    stats->min_exact = min_is_exact;
  }
  if (max_ok) {
    stats->max = std::move(max);
    stats->max_exact = max_is_exact;
  }
}

Result<ColumnStatistics> DecodeStatistics(const LeafDescriptor& leaf,
                                          const format::ColumnMetaData& meta,
                                          const format::ColumnOrder* order) {
  if (!leaf.element.__isset.type || meta.type != leaf.element.type) {
    return Status::Corruption("column chunk metadata of another physical type than the schema: " +
                              leaf.path);
  }
  ColumnStatistics stats;
  stats.path = meta.path_in_schema;
  stats.type = leaf.type;
  stats.num_values = std::max<int64_t>(meta.num_values, 0);
  if (!meta.__isset.statistics) {
    return stats;
  }
  const format::Statistics& encoded = meta.statistics;
  if (encoded.__isset.null_count && encoded.null_count >= 0 &&
      encoded.null_count <= stats.num_values) {
    stats.null_count = encoded.null_count;
  }
  const BoundFormat format = FormatOf(leaf);
  if (encoded.__isset.nan_count && IsFloating(format.codec) && encoded.nan_count >= 0 &&
      encoded.nan_count <= stats.num_values) {
    stats.nan_count = encoded.nan_count;
  }
  const std::string* min = nullptr;
  const std::string* max = nullptr;
  std::optional<bool> min_exact;
  std::optional<bool> max_exact;
  if (TypeOrderedBoundsUsable(leaf, order)) {
    if (encoded.__isset.min_value) {
      min = &encoded.min_value;
      if (encoded.__isset.is_min_value_exact) {
        min_exact = encoded.is_min_value_exact;
      }
    }
    if (encoded.__isset.max_value) {
      max = &encoded.max_value;
      if (encoded.__isset.is_max_value_exact) {
        max_exact = encoded.is_max_value_exact;
      }
    }
  }
  if (format.signed_order) {
    if (min == nullptr && encoded.__isset.min) {
      min = &encoded.min;
    }
    if (max == nullptr && encoded.__isset.max) {
      max = &encoded.max;
    }
  }
  DecodeBounds(leaf, min, min_exact, max, max_exact, &stats);
  return stats;
}

std::string FormatLiteral(const Literal& literal) {
  if (literal.is_null()) {
    return "null";
  }
  const TypeId id = literal.type != nullptr ? literal.type->id() : TypeId::kNull;
  return std::visit(
      [&](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          return value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          if (id == TypeId::kDate && value >= std::numeric_limits<int32_t>::min() &&
              value <= std::numeric_limits<int32_t>::max()) {
            return FormatDate(static_cast<int32_t>(value));
          }
          if (id == TypeId::kTimestamp || id == TypeId::kTimestampNtz) {
            return FormatTimestamp(value);
          }
          return std::to_string(value);
        } else if constexpr (std::is_same_v<T, double>) {
          return id == TypeId::kFloat ? FormatFloat(static_cast<float>(value))
                                      : FormatDouble(value);
        } else if constexpr (std::is_same_v<T, Int128>) {
          return FormatDecimal(value, id == TypeId::kDecimal ? literal.type->scale() : 0);
        } else {
          return id == TypeId::kBinary ? Hex(value) : value;
        }
      },
      literal.value);
}

std::optional<int> CompareValues(const Literal& a, const Literal& b) {
  if (a.is_null() || b.is_null()) {
    return std::nullopt;
  }
  const Family fa = FamilyOf(a);
  const Family fb = FamilyOf(b);
  if (fa == Family::kNone || fb == Family::kNone) {
    return std::nullopt;
  }
  if (fa == Family::kExact && fb == Family::kExact) {
    return CompareDecimals(Unscaled(a), ScaleOf(a), Unscaled(b), ScaleOf(b));
  }
  if (fa == Family::kFloating && fb == Family::kFloating) {
    return CompareDoubles(std::get<double>(a.value), std::get<double>(b.value));
  }
  if (fa == Family::kFloating && fb == Family::kExact) {
    return CompareDoubleWithDecimal(std::get<double>(a.value), Unscaled(b), ScaleOf(b));
  }
  if (fa == Family::kExact && fb == Family::kFloating) {
    const std::optional<int> reversed =
        CompareDoubleWithDecimal(std::get<double>(b.value), Unscaled(a), ScaleOf(a));
    if (!reversed.has_value()) {
      return std::nullopt;
    }
    return -*reversed;
  }
  if (fa == Family::kBoolean && fb == Family::kBoolean) {
    return Sign(std::get<bool>(a.value), std::get<bool>(b.value));
  }
  if (fa == Family::kBytes && fb == Family::kBytes) {
    const int c = std::get<std::string>(a.value).compare(std::get<std::string>(b.value));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (fa == fb) {  // dates, timestamps, timestamp_ntz
    return Sign(std::get<int64_t>(a.value), std::get<int64_t>(b.value));
  }
  // A date against a timestamp of either kind: the date's midnight (UTC).
  const auto as_micros = [](const Literal& literal, Family family) -> std::optional<int64_t> {
    int64_t value = std::get<int64_t>(literal.value);
    if (family != Family::kDate) {
      return value;
    }
    if (__builtin_mul_overflow(value, kMicrosPerDay, &value)) {
      return std::nullopt;
    }
    return value;
  };
  const bool a_temporal =
      fa == Family::kDate || fa == Family::kTimestamp || fa == Family::kTimestampNtz;
  const bool b_temporal =
      fb == Family::kDate || fb == Family::kTimestamp || fb == Family::kTimestampNtz;
  if (a_temporal && b_temporal && (fa == Family::kDate || fb == Family::kDate)) {
    const std::optional<int64_t> ma = as_micros(a, fa);
    const std::optional<int64_t> mb = as_micros(b, fb);
    if (!ma.has_value() || !mb.has_value()) {
      return std::nullopt;
    }
    return Sign(*ma, *mb);
  }
  return std::nullopt;
}

int CompareLiterals(const Literal& a, const Literal& b) {
  if (a.is_null() || b.is_null()) {
    return a.is_null() == b.is_null() ? 0 : (a.is_null() ? -1 : 1);
  }
  if (const std::optional<int> result = CompareValues(a, b); result.has_value()) {
    return *result;
  }
  // Different or malformed types: by alternative, then by value where they match.
  if (a.value.index() != b.value.index()) {
    return Sign(a.value.index(), b.value.index());
  }
  return std::visit(
      [&](const auto& value) -> int {
        using T = std::decay_t<decltype(value)>;
        const T& other = std::get<T>(b.value);
        if constexpr (std::is_same_v<T, double>) {
          return CompareDoubles(value, other);
        } else if constexpr (std::is_same_v<T, std::monostate>) {
          return 0;
        } else {
          return Sign(value, other);
        }
      },
      a.value);
}

}  // namespace sluice::parquet
