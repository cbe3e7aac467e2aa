// SPDX-License-Identifier: Apache-2.0
// CastVector: the per-type conversions of Spark's Cast.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "expr/cast.h"
#include "expr/cast_internal.h"
#include "expr/functions/kernel.h"
#include "types/datetime.h"
#include "types/number_format.h"

namespace sluice::expr {

namespace internal {

void AppendCastString(const Vector& vector, int64_t index, const TimeZone& zone, std::string* out) {
  auto nested = [&](const Vector& child, int64_t child_index) {
    if (child.IsNull(child_index)) {
      *out += "null";
    } else {
      AppendCastString(child, child_index, zone, out);
    }
  };
  switch (vector.type_id()) {
    case TypeId::kBoolean:
      *out += vector.BoolValue(index) ? "true" : "false";
      return;
    case TypeId::kByte:
      *out += fmt::format_int(vector.Value<int8_t>(index)).c_str();
      return;
    case TypeId::kShort:
      *out += fmt::format_int(vector.Value<int16_t>(index)).c_str();
      return;
    case TypeId::kInt:
      *out += fmt::format_int(vector.Value<int32_t>(index)).c_str();
      return;
    case TypeId::kLong:
      *out += fmt::format_int(vector.Value<int64_t>(index)).c_str();
      return;
    case TypeId::kFloat:
      *out += FormatFloat(vector.Value<float>(index));
      return;
    case TypeId::kDouble:
      *out += FormatDouble(vector.Value<double>(index));
      return;
    case TypeId::kDecimal:
      *out += FormatDecimal(vector.DecimalValue(index), vector.type()->scale());
      return;
    case TypeId::kString:
    case TypeId::kBinary:
      *out += vector.StringValue(index);
      return;
    case TypeId::kDate:
      *out += FormatDate(vector.Value<int32_t>(index));
      return;
    case TypeId::kTimestamp:
      *out += FormatTimestamp(zone.UtcToLocal(vector.Value<int64_t>(index)));
      return;
    case TypeId::kTimestampNtz:
      *out += FormatTimestamp(vector.Value<int64_t>(index));
      return;
    case TypeId::kArray: {
      *out += '[';
      const Vector& elements = *vector.child(0);
      for (int32_t i = vector.ListStart(index); i < vector.ListEnd(index); ++i) {
        if (i > vector.ListStart(index)) {
          *out += ", ";
        }
        nested(elements, i);
      }
      *out += ']';
      return;
    }
    case TypeId::kMap: {
      *out += '{';
      for (int32_t i = vector.ListStart(index); i < vector.ListEnd(index); ++i) {
        if (i > vector.ListStart(index)) {
          *out += ", ";
        }
        nested(*vector.child(0), i);
        *out += " -> ";
        nested(*vector.child(1), i);
      }
      *out += '}';
      return;
    }
    case TypeId::kStruct: {
      *out += '{';
      for (int f = 0; f < vector.num_children(); ++f) {
        if (f > 0) {
          *out += ", ";
        }
        nested(*vector.child(f), vector.offset() + index);
      }
      *out += '}';
      return;
    }
    case TypeId::kNull:
      *out += "null";
      return;
    case TypeId::kVariant:
      *out += FormatCell(vector, index);
      return;
  }
}

}  // namespace internal

namespace {

using internal::CastInvalidInput;
using internal::CastOverflow;

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

// What one CastVector call needs per row.
struct Caster {
  const Vector& in;
  const TypePtr& from;
  const TypePtr& to;
  bool fail;    // ANSI and not try_cast: invalid values are errors
  bool strict;  // ANSI or try_cast: overflow is not wrapped (try_cast gives null)
  const TimeZone& zone;

  std::string Text(int64_t i) const {
    std::string text;
    internal::AppendCastString(in, i, zone, &text);
    return text;
  }
  template <typename T>
  Result<std::optional<T>> Invalid(int64_t i) const {
    if (fail) {
      return CastInvalidInput(Text(i), from, to);
    }
    return std::optional<T>();
  }
  template <typename T>
  Result<std::optional<T>> Overflow(int64_t i) const {
    if (fail) {
      return CastOverflow(Text(i), from, to);
    }
    return std::optional<T>();
  }
  template <typename T>
  Result<std::optional<T>> DecimalOverflow(int64_t i) const {
    if (fail) {
      return internal::NumericOutOfRange(Text(i), to->precision(), to->scale());
    }
    return std::optional<T>();
  }
  // Integral source values (and booleans) widened to int64.
  int64_t IntegralValue(int64_t i) const {
    switch (from->id()) {
      case TypeId::kBoolean:
        return in.BoolValue(i) ? 1 : 0;
      case TypeId::kByte:
        return in.Value<int8_t>(i);
      case TypeId::kShort:
        return in.Value<int16_t>(i);
      case TypeId::kInt:
        return in.Value<int32_t>(i);
      default:
        return in.Value<int64_t>(i);
    }
  }
  double FloatingValue(int64_t i) const {
    return from->id() == TypeId::kFloat ? in.Value<float>(i) : in.Value<double>(i);
  }
};

template <typename T, typename Fn>
Result<VectorPtr> CastRows(const Vector& input, const TypePtr& to, Fn&& fn) {
  const int64_t length = input.length();
  kernel::BuilderOf<T> builder(to);
  builder.Reserve(length);
  for (int64_t i = 0; i < length; ++i) {
    if (input.IsNull(i)) {
      builder.AppendNull();
      continue;
    }
    SLUICE_RETURN_IF_ERROR(kernel::Emit(builder, fn(i)));
  }
  return builder.Finish();
}

template <typename T>
bool Fits(int64_t value) {
  return value >= std::numeric_limits<T>::min() && value <= std::numeric_limits<T>::max();
}

template <typename T>
Result<std::optional<T>> ToIntegral(const Caster& c, int64_t i) {
  auto from_long = [&](int64_t value) -> Result<std::optional<T>> {
    if (!Fits<T>(value)) {
      if (c.strict) {
        return c.Overflow<T>(i);
      }
      return std::optional<T>(static_cast<T>(value));  // wraps, as Java's narrowing
    }
    return std::optional<T>(static_cast<T>(value));
  };
  switch (c.from->id()) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      return from_long(c.IntegralValue(i));
    case TypeId::kFloat:
    case TypeId::kDouble: {
      const double d = c.FloatingValue(i);
      const double t = std::trunc(d);
      const bool in_long = t >= -9223372036854775808.0 && t < 9223372036854775808.0;
      if (c.strict) {
        if (std::isnan(d) || !in_long || !Fits<T>(static_cast<int64_t>(t))) {
          return c.Overflow<T>(i);
        }
        return std::optional<T>(static_cast<T>(t));
      }
      // Java: NaN -> 0, saturating to int (or long), then narrowing wraps.
      if (std::isnan(d)) {
        return std::optional<T>(0);
      }
      if constexpr (sizeof(T) == 8) {
        if (!in_long) {
          return std::optional<T>(t < 0 ? std::numeric_limits<int64_t>::min()
                                        : std::numeric_limits<int64_t>::max());
        }
        return std::optional<T>(static_cast<T>(t));
      } else {
        int32_t as_int;
        if (t <= -2147483648.0) {
          as_int = std::numeric_limits<int32_t>::min();
        } else if (t >= 2147483647.0) {
          as_int = std::numeric_limits<int32_t>::max();
        } else {
          as_int = static_cast<int32_t>(t);
        }
        return std::optional<T>(static_cast<T>(as_int));
      }
    }
    case TypeId::kDecimal: {
      const Int128 whole = c.in.DecimalValue(i) / PowerOfTen(c.from->scale());
      if (whole < std::numeric_limits<int64_t>::min() ||
          whole > std::numeric_limits<int64_t>::max()) {
        if (c.strict) {
          return c.Overflow<T>(i);
        }
        return std::optional<T>(static_cast<T>(static_cast<int64_t>(whole)));
      }
      return from_long(static_cast<int64_t>(whole));
    }
    case TypeId::kString: {
      std::optional<int64_t> parsed = internal::ParseIntegral(c.in.StringValue(i));
      if (!parsed.has_value() || !Fits<T>(*parsed)) {
        return c.Invalid<T>(i);
      }
      return std::optional<T>(static_cast<T>(*parsed));
    }
    case TypeId::kTimestamp:
      return from_long(FloorDiv(c.in.Value<int64_t>(i), kMicrosPerSecond));
    default:
      return std::optional<T>();  // date: null, as Spark's legacy cast
  }
}

template <typename T>
Result<std::optional<T>> ToFloating(const Caster& c, int64_t i) {
  switch (c.from->id()) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      return std::optional<T>(static_cast<T>(c.IntegralValue(i)));
    case TypeId::kFloat:
    case TypeId::kDouble:
      return std::optional<T>(static_cast<T>(c.FloatingValue(i)));
    case TypeId::kDecimal:
      return std::optional<T>(
          static_cast<T>(internal::DecimalToDouble(c.in.DecimalValue(i), c.from->scale())));
    case TypeId::kString: {
      std::optional<double> parsed = internal::ParseDouble(c.in.StringValue(i));
      if (!parsed.has_value()) {
        return c.Invalid<T>(i);
      }
      return std::optional<T>(static_cast<T>(*parsed));
    }
    case TypeId::kTimestamp:
      return std::optional<T>(
          static_cast<T>(static_cast<double>(c.in.Value<int64_t>(i)) / kMicrosPerSecond));
    default:
      return std::optional<T>();
  }
}

Result<std::optional<Int128>> ToDecimal(const Caster& c, int64_t i) {
  const int precision = c.to->precision();
  const int scale = c.to->scale();
  Int128 out = 0;
  auto rescaled = [&](Int128 value, int from_scale) -> Result<std::optional<Int128>> {
    if (!internal::RescaleDecimal(value, from_scale, precision, scale, &out)) {
      return c.DecimalOverflow<Int128>(i);
    }
    return std::optional<Int128>(out);
  };
  switch (c.from->id()) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      return rescaled(c.IntegralValue(i), 0);
    case TypeId::kDecimal:
      return rescaled(c.in.DecimalValue(i), c.from->scale());
    case TypeId::kTimestamp:
      return rescaled(c.in.Value<int64_t>(i), 6);
    case TypeId::kFloat:
    case TypeId::kDouble: {
      const double d = c.FloatingValue(i);
      if (!std::isfinite(d)) {
        return c.DecimalOverflow<Int128>(i);
      }
      // Scala's BigDecimal(double) goes through Double.toString.
      const std::string text =
          c.from->id() == TypeId::kFloat ? FormatFloat(static_cast<float>(d)) : FormatDouble(d);
      if (!ParseDecimal(text, precision, scale, &out)) {
        return c.DecimalOverflow<Int128>(i);
      }
      return std::optional<Int128>(out);
    }
    case TypeId::kString: {
      const std::string_view text = internal::TrimForCast(c.in.StringValue(i));
      DecimalLiteral literal;
      if (!ScanDecimalLiteral(text, &literal)) {
        return c.Invalid<Int128>(i);
      }
      if (!ParseDecimal(text, precision, scale, &out)) {
        return c.DecimalOverflow<Int128>(i);
      }
      return std::optional<Int128>(out);
    }
    default:
      return std::optional<Int128>();
  }
}

Result<std::optional<bool>> ToBoolean(const Caster& c, int64_t i) {
  switch (c.from->id()) {
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kTimestamp:
      return std::optional<bool>(c.IntegralValue(i) != 0);
    case TypeId::kFloat:
    case TypeId::kDouble:
      return std::optional<bool>(c.FloatingValue(i) != 0);
    case TypeId::kDecimal:
      return std::optional<bool>(c.in.DecimalValue(i) != 0);
    case TypeId::kString: {
      std::optional<bool> parsed = internal::ParseBoolean(c.in.StringValue(i));
      if (!parsed.has_value()) {
        return c.Invalid<bool>(i);
      }
      return parsed;
    }
    default:
      return std::optional<bool>();
  }
}

Result<std::optional<int32_t>> ToDate(const Caster& c, int64_t i) {
  switch (c.from->id()) {
    case TypeId::kString: {
      int32_t days = 0;
      if (!ParseDate(c.in.StringValue(i), &days)) {
        return c.Invalid<int32_t>(i);
      }
      return std::optional<int32_t>(days);
    }
    case TypeId::kTimestamp:
      return std::optional<int32_t>(
          static_cast<int32_t>(FloorDiv(c.zone.UtcToLocal(c.in.Value<int64_t>(i)), kMicrosPerDay)));
    case TypeId::kTimestampNtz:
      return std::optional<int32_t>(
          static_cast<int32_t>(FloorDiv(c.in.Value<int64_t>(i), kMicrosPerDay)));
    default:
      return std::optional<int32_t>();
  }
}

int64_t SaturatingMultiply(int64_t value, int64_t factor) {
  int64_t out = 0;
  if (__builtin_mul_overflow(value, factor, &out)) {
    return (value < 0) != (factor < 0) ? std::numeric_limits<int64_t>::min()
                                       : std::numeric_limits<int64_t>::max();
  }
  return out;
}

Result<std::optional<int64_t>> ToTimestamp(const Caster& c, int64_t i) {
  switch (c.from->id()) {
    case TypeId::kString: {
      const std::string_view text = c.in.StringValue(i);
      int64_t micros = 0;
      if (ParseTimestampNtz(text, &micros)) {
        return std::optional<int64_t>(c.zone.LocalToUtc(micros));
      }
      if (!ParseTimestamp(text, &micros)) {
        return c.Invalid<int64_t>(i);
      }
      return std::optional<int64_t>(micros);
    }
    case TypeId::kDate:
      return std::optional<int64_t>(
          c.zone.LocalToUtc(static_cast<int64_t>(c.in.Value<int32_t>(i)) * kMicrosPerDay));
    case TypeId::kTimestampNtz:
      return std::optional<int64_t>(c.zone.LocalToUtc(c.in.Value<int64_t>(i)));
    case TypeId::kBoolean:
      return std::optional<int64_t>(c.in.BoolValue(i) ? 1 : 0);
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      return std::optional<int64_t>(SaturatingMultiply(c.IntegralValue(i), kMicrosPerSecond));
    case TypeId::kFloat:
    case TypeId::kDouble: {
      const double d = c.FloatingValue(i);
      if (!std::isfinite(d)) {
        return c.Overflow<int64_t>(i);
      }
      const double micros = std::trunc(d * kMicrosPerSecond);
      if (micros >= 9223372036854775808.0) {
        return std::optional<int64_t>(std::numeric_limits<int64_t>::max());
      }
      if (micros < -9223372036854775808.0) {
        return std::optional<int64_t>(std::numeric_limits<int64_t>::min());
      }
      return std::optional<int64_t>(static_cast<int64_t>(micros));
    }
    case TypeId::kDecimal: {
      const int scale = c.from->scale();
      Int128 value = c.in.DecimalValue(i);
      value = scale <= 6 ? value * PowerOfTen(6 - scale) : value / PowerOfTen(scale - 6);
      if (value > std::numeric_limits<int64_t>::max() ||
          value < std::numeric_limits<int64_t>::min()) {
        return c.Overflow<int64_t>(i);
      }
      return std::optional<int64_t>(static_cast<int64_t>(value));
    }
    default:
      return std::optional<int64_t>();
  }
}

Result<std::optional<int64_t>> ToTimestampNtz(const Caster& c, int64_t i) {
  switch (c.from->id()) {
    case TypeId::kString: {
      int64_t micros = 0;
      if (!ParseTimestampNtz(c.in.StringValue(i), &micros)) {
        return c.Invalid<int64_t>(i);
      }
      return std::optional<int64_t>(micros);
    }
    case TypeId::kDate:
      return std::optional<int64_t>(static_cast<int64_t>(c.in.Value<int32_t>(i)) * kMicrosPerDay);
    case TypeId::kTimestamp:
      return std::optional<int64_t>(c.zone.UtcToLocal(c.in.Value<int64_t>(i)));
    default:
      return std::optional<int64_t>();
  }
}

Result<std::optional<std::string>> ToBinary(const Caster& c, int64_t i) {
  if (c.from->id() == TypeId::kString) {
    return std::optional<std::string>(std::string(c.in.StringValue(i)));
  }
  // Integral types: their big-endian bytes, as Spark.
  const int width = ValueWidth(c.from->id());
  const uint64_t value = static_cast<uint64_t>(c.IntegralValue(i));
  std::string bytes;
  for (int b = width - 1; b >= 0; --b) {
    bytes.push_back(static_cast<char>((value >> (8 * b)) & 0xff));
  }
  return std::optional<std::string>(std::move(bytes));
}

Result<VectorPtr> CastNested(const VectorPtr& input, const TypePtr& to, const EvalContext& ctx,
                             bool try_cast) {
  const Vector& in = *input;
  std::vector<VectorPtr> children;
  if (to->id() == TypeId::kStruct) {
    for (int f = 0; f < in.num_children(); ++f) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr child,
                              CastVector(in.child(f), to->field(f).type, ctx, try_cast));
      children.push_back(std::move(child));
    }
  } else if (to->id() == TypeId::kArray) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr child,
                            CastVector(in.child(0), to->element_type(), ctx, try_cast));
    children.push_back(std::move(child));
  } else {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr keys, CastVector(in.child(0), to->key_type(), ctx, try_cast));
    SLUICE_ASSIGN_OR_RETURN(VectorPtr values,
                            CastVector(in.child(1), to->value_type(), ctx, try_cast));
    children = {std::move(keys), std::move(values)};
  }
  return std::make_shared<const Vector>(to, in.length(), in.null_count(), in.validity_buffer(),
                                        in.values_buffer(), in.data_buffer(), std::move(children),
                                        in.offset());
}

// Calls f(T{}) with the C type of a type NumericWideningRank ranks.
template <typename F>
void DispatchNumeric(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kByte:
      f(int8_t{});
      return;
    case TypeId::kShort:
      f(int16_t{});
      return;
    case TypeId::kInt:
      f(int32_t{});
      return;
    case TypeId::kLong:
      f(int64_t{});
      return;
    case TypeId::kFloat:
      f(float{});
      return;
    default:
      f(double{});
      return;
  }
}

// A widening numeric cast (a wider integral, or floating: never an error nor null),
// converting the raw values in one loop; the validity is the input's.
VectorPtr WidenNumbers(const Vector& input, const TypePtr& to) {
  const int64_t length = input.length();
  BufferPtr values;
  DispatchNumeric(input.type_id(), [&](auto from_tag) {
    using From = decltype(from_tag);
    DispatchNumeric(to->id(), [&](auto to_tag) {
      using To = decltype(to_tag);
      values = Buffer::Uninitialized(length * static_cast<int64_t>(sizeof(To)));
      const From* in = input.values_buffer()->data_as<From>() + input.offset();
      To* out = values->mutable_data_as<To>();
      for (int64_t i = 0; i < length; ++i) {
        out[i] = static_cast<To>(in[i]);
      }
    });
  });
  BufferPtr validity;
  if (input.validity_buffer() != nullptr && input.null_count() > 0) {
    if (input.offset() == 0) {
      validity = input.validity_buffer();
    } else {
      const int64_t num_bytes = bits::BytesFor(length);
      validity = Buffer::Uninitialized(num_bytes);
      for (int64_t w = 0; w * 64 < length; ++w) {
        const int64_t count = std::min<int64_t>(64, length - w * 64);
        bits::WriteWord(
            validity->mutable_data(), w,
            bits::ReadWord(input.validity_buffer()->data(), input.offset() + w * 64, count),
            num_bytes);
      }
    }
  }
  return std::make_shared<const Vector>(to, length, validity == nullptr ? 0 : input.null_count(),
                                        std::move(validity), std::move(values), nullptr,
                                        std::vector<VectorPtr>{});
}

Status CannotCast(const TypePtr& from, const TypePtr& to) {
  return Status::InvalidArgument(
      fmt::format("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] cannot cast \"{}\" to \"{}\".",
                  from->ToDdl(), to->ToDdl()));
}

}  // namespace

Result<VectorPtr> CastVector(const VectorPtr& input, const TypePtr& to, const EvalContext& ctx,
                             bool try_cast) {
  const TypePtr& from = input->type();
  if (from->Equals(*to)) {
    return input;
  }
  if (from->id() == TypeId::kNull) {
    return kernel::MakeNulls(to, input->length());
  }
  const int from_rank = NumericWideningRank(from->id());
  if (from_rank > 0 && NumericWideningRank(to->id()) > from_rank && input->length() > 0) {
    return WidenNumbers(*input, to);
  }
  if (to->is_nested() && to->id() != TypeId::kString) {
    if (from->id() != to->id()) {
      return CannotCast(from, to);
    }
    return CastNested(input, to, ctx, try_cast);
  }
  // Only casts between timestamps and other types read the session zone.
  std::function<bool(const DataType&)> has_timestamp = [&](const DataType& type) {
    switch (type.id()) {
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        return true;
      case TypeId::kArray:
        return has_timestamp(*type.element_type());
      case TypeId::kMap:
        return has_timestamp(*type.key_type()) || has_timestamp(*type.value_type());
      case TypeId::kStruct:
        return std::any_of(type.fields().begin(), type.fields().end(),
                           [&](const Field& field) { return has_timestamp(*field.type); });
      default:
        return false;
    }
  };
  TimeZonePtr zone = TimeZone::Utc();
  if (ctx.time_zone != "UTC" && (has_timestamp(*from) || has_timestamp(*to))) {
    SLUICE_ASSIGN_OR_RETURN(zone, TimeZone::Find(ctx.time_zone));
  }
  const Caster c{*input, from, to, ctx.ansi && !try_cast, ctx.ansi || try_cast, *zone};
  switch (to->id()) {
    case TypeId::kString:
      return CastRows<std::string>(*input, to, [&](int64_t i) { return c.Text(i); });
    case TypeId::kBoolean:
      return CastRows<bool>(*input, to, [&](int64_t i) { return ToBoolean(c, i); });
    case TypeId::kByte:
      return CastRows<int8_t>(*input, to, [&](int64_t i) { return ToIntegral<int8_t>(c, i); });
    case TypeId::kShort:
      return CastRows<int16_t>(*input, to, [&](int64_t i) { return ToIntegral<int16_t>(c, i); });
    case TypeId::kInt:
      return CastRows<int32_t>(*input, to, [&](int64_t i) { return ToIntegral<int32_t>(c, i); });
    case TypeId::kLong:
      return CastRows<int64_t>(*input, to, [&](int64_t i) { return ToIntegral<int64_t>(c, i); });
    case TypeId::kFloat:
      return CastRows<float>(*input, to, [&](int64_t i) { return ToFloating<float>(c, i); });
    case TypeId::kDouble:
      return CastRows<double>(*input, to, [&](int64_t i) { return ToFloating<double>(c, i); });
    case TypeId::kDecimal:
      return CastRows<Int128>(*input, to, [&](int64_t i) { return ToDecimal(c, i); });
    case TypeId::kDate:
      return CastRows<int32_t>(*input, to, [&](int64_t i) { return ToDate(c, i); });
    case TypeId::kTimestamp:
      return CastRows<int64_t>(*input, to, [&](int64_t i) { return ToTimestamp(c, i); });
    case TypeId::kTimestampNtz:
      return CastRows<int64_t>(*input, to, [&](int64_t i) { return ToTimestampNtz(c, i); });
    case TypeId::kBinary:
      if (from->id() != TypeId::kString && !from->is_integral()) {
        return CannotCast(from, to);
      }
      return CastRows<std::string>(*input, to, [&](int64_t i) { return ToBinary(c, i); });
    default:
      return CannotCast(from, to);
  }
}

int NumericWideningRank(TypeId id) {
  switch (id) {
    case TypeId::kByte:
      return 1;
    case TypeId::kShort:
      return 2;
    case TypeId::kInt:
      return 3;
    case TypeId::kLong:
      return 4;
    case TypeId::kFloat:
      return 5;
    case TypeId::kDouble:
      return 6;
    default:
      return 0;
  }
}

}  // namespace sluice::expr
