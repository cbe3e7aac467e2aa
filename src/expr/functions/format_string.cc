// SPDX-License-Identifier: Apache-2.0
// format_string / printf: the common subset of Java's Formatter (%s %S %d %x %X %o %f %e
// %E %c %b %% %n with flags - 0 + space , and width/precision).
#include <fmt/format.h>

#include <cmath>

#include "common/utf8.h"
#include "expr/builtins.h"
#include "expr/cast_internal.h"
#include "expr/functions/core_internal.h"
#include "expr/functions/kernel.h"
#include "expr/functions/string_util.h"
#include "types/number_format.h"

namespace sluice::expr {

namespace {

using Values = std::vector<VectorPtr>;

struct Spec {
  bool left = false;
  bool zero = false;
  bool plus = false;
  bool space = false;
  bool group = false;
  int width = -1;
  int precision = -1;
  char conversion = 's';
  int index = -1;  // explicit argument index (1-based), -1 for the next one
};

std::string JavaClass(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return "java.lang.Boolean";
    case TypeId::kByte:
      return "java.lang.Byte";
    case TypeId::kShort:
      return "java.lang.Short";
    case TypeId::kInt:
    case TypeId::kDate:
      return "java.lang.Integer";
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return "java.lang.Long";
    case TypeId::kFloat:
      return "java.lang.Float";
    case TypeId::kDouble:
      return "java.lang.Double";
    case TypeId::kDecimal:
      return "java.math.BigDecimal";
    case TypeId::kString:
      return "org.apache.spark.unsafe.types.UTF8String";
    default:
      return "java.lang.Object";
  }
}

Status ConversionError(char conversion, TypeId id) {
  return Status::InvalidArgument(
      fmt::format("[ILLEGAL_FORMAT_CONVERSION] {} != {}", conversion, JavaClass(id)));
}

std::string Group(std::string digits) {
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

// Pads `body` (digits, no sign) with `sign` as Java does for numbers.
std::string PadNumber(const Spec& spec, std::string sign, std::string body) {
  const int length = static_cast<int>(sign.size() + body.size());
  if (spec.width > length && spec.zero && !spec.left) {
    body.insert(0, static_cast<size_t>(spec.width - length), '0');
  }
  std::string out = sign + body;
  const int chars = static_cast<int>(strings::NumChars(out));
  if (spec.width > chars) {
    const std::string fill(static_cast<size_t>(spec.width - chars), ' ');
    out = spec.left ? out + fill : fill + out;
  }
  return out;
}

std::string SignOf(const Spec& spec, bool negative) {
  if (negative) {
    return "-";
  }
  return spec.plus ? "+" : (spec.space ? " " : "");
}

// Java's %.Nf: the shortest decimal text of the value rounded HALF_UP.
std::string FixedDigits(std::string_view text, int precision) {
  DecimalLiteral literal;
  if (!ScanDecimalLiteral(text, &literal)) {
    return std::string(text);
  }
  std::string integer;
  std::string fraction;
  RoundDecimalLiteral(literal, precision, /*half_even=*/false, &integer, &fraction);
  return precision > 0 ? integer + "." + fraction : integer;
}

Result<std::string> FormatArg(const Spec& spec, const Vector& v, int64_t i) {
  const TypeId id = v.type_id();
  const bool null = v.IsNull(i);
  switch (spec.conversion) {
    case 'b':
    case 'B': {
      std::string text = null                     ? "false"
                         : id == TypeId::kBoolean ? (v.BoolValue(i) ? "true" : "false")
                                                  : "true";
      if (spec.conversion == 'B') {
        for (char& c : text) {
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
      }
      return PadNumber(Spec{spec.left, false, false, false, false, spec.width}, "", text);
    }
    case 's':
    case 'S': {
      std::string text = "null";
      if (!null) {
        text.clear();
        internal::AppendCastString(v, i, *TimeZone::Utc(), &text);
      }
      if (spec.precision >= 0) {
        text = std::string(strings::CharSlice(text, 0, spec.precision));
      }
      if (spec.conversion == 'S') {
        for (char& c : text) {
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
      }
      Spec plain;
      plain.left = spec.left;
      plain.width = spec.width;
      return PadNumber(plain, "", text);
    }
    default:
      break;
  }
  if (null) {
    Spec plain;
    plain.left = spec.left;
    plain.width = spec.width;
    return PadNumber(plain, "", "null");
  }
  switch (spec.conversion) {
    case 'd':
    case 'x':
    case 'X':
    case 'o': {
      if (!v.type()->is_integral()) {
        return ConversionError(spec.conversion, id);
      }
      int64_t value = 0;
      int width = 8;
      kernel::DispatchPhysical(id, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
          value = v.Value<T>(i);
          width = static_cast<int>(sizeof(T));
        }
      });
      if (spec.conversion == 'd') {
        std::string digits = std::to_string(value < 0 ? -static_cast<uint64_t>(value)
                                                      : static_cast<uint64_t>(value));
        return PadNumber(spec, SignOf(spec, value < 0), spec.group ? Group(digits) : digits);
      }
      uint64_t bits = static_cast<uint64_t>(value);
      if (width < 8) {
        bits &= (uint64_t{1} << (8 * width)) - 1;
      }
      std::string text = spec.conversion == 'o'   ? fmt::format("{:o}", bits)
                         : spec.conversion == 'x' ? fmt::format("{:x}", bits)
                                                  : fmt::format("{:X}", bits);
      return PadNumber(spec, "", text);
    }
    case 'f':
    case 'e':
    case 'E': {
      const int precision = spec.precision < 0 ? 6 : spec.precision;
      std::string text;
      bool negative = false;
      if (id == TypeId::kDouble || id == TypeId::kFloat) {
        const double d = id == TypeId::kFloat ? v.Value<float>(i) : v.Value<double>(i);
        if (std::isnan(d)) {
          return PadNumber(Spec{spec.left, false, false, false, false, spec.width}, "", "NaN");
        }
        negative = std::signbit(d);
        if (std::isinf(d)) {
          return PadNumber(Spec{spec.left, false, false, false, false, spec.width},
                           SignOf(spec, negative), "Infinity");
        }
        text = id == TypeId::kFloat ? FormatFloat(std::fabs(static_cast<float>(d)))
                                    : FormatDouble(std::fabs(d));
      } else if (id == TypeId::kDecimal) {
        const Int128 unscaled = v.DecimalValue(i);
        negative = unscaled < 0;
        text = FormatDecimal(negative ? -unscaled : unscaled, v.type()->scale());
      } else {
        return ConversionError(spec.conversion, id);
      }
      if (spec.conversion == 'f') {
        std::string body = FixedDigits(text, precision);
        if (spec.group) {
          const size_t dot = body.find('.');
          body = Group(body.substr(0, dot)) + (dot == std::string::npos ? "" : body.substr(dot));
        }
        return PadNumber(spec, SignOf(spec, negative), body);
      }
      const double magnitude = std::strtod(text.c_str(), nullptr);
      std::string body = spec.conversion == 'e' ? fmt::format("{:.{}e}", magnitude, precision)
                                                : fmt::format("{:.{}E}", magnitude, precision);
      return PadNumber(spec, SignOf(spec, negative), body);
    }
    case 'c': {
      std::string text;
      if (id == TypeId::kInt || id == TypeId::kByte || id == TypeId::kShort) {
        int64_t code = 0;
        kernel::DispatchPhysical(id, [&](auto tag) {
          using T = decltype(tag);
          if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            code = v.Value<T>(i);
          }
        });
        if (code < 0 || code > 0x10FFFF || (code >= 0xD800 && code < 0xE000)) {
          return Status::InvalidArgument(fmt::format(
              "[ILLEGAL_FORMAT_CODE_POINT] Code point = 0x{:x}", static_cast<uint32_t>(code)));
        }
        AppendUtf8(static_cast<char32_t>(code), &text);
      } else {
        return ConversionError('c', id);
      }
      return PadNumber(Spec{spec.left, false, false, false, false, spec.width}, "", text);
    }
    default:
      return Status::InvalidArgument(
          fmt::format("[UNKNOWN_FORMAT_CONVERSION] Conversion = '{}'", spec.conversion));
  }
}

// Parses a specifier after '%' at format[*pos]; moves *pos past it.
Result<Spec> ParseSpec(std::string_view format, size_t* pos) {
  Spec spec;
  size_t p = *pos;
  // An explicit index: digits followed by '$'.
  size_t digits_end = p;
  while (digits_end < format.size() &&
         std::isdigit(static_cast<unsigned char>(format[digits_end]))) {
    ++digits_end;
  }
  if (digits_end > p && digits_end < format.size() && format[digits_end] == '$') {
    spec.index = std::stoi(std::string(format.substr(p, digits_end - p)));
    p = digits_end + 1;
  }
  for (; p < format.size(); ++p) {
    const char c = format[p];
    if (c == '-') {
      spec.left = true;
    } else if (c == '0') {
      spec.zero = true;
    } else if (c == '+') {
      spec.plus = true;
    } else if (c == ' ') {
      spec.space = true;
    } else if (c == ',') {
      spec.group = true;
    } else if (c != '#') {
      break;
    }
  }
  size_t start = p;
  while (p < format.size() && std::isdigit(static_cast<unsigned char>(format[p]))) {
    ++p;
  }
  if (p > start) {
    spec.width = std::stoi(std::string(format.substr(start, p - start)));
  }
  if (p < format.size() && format[p] == '.') {
    start = ++p;
    while (p < format.size() && std::isdigit(static_cast<unsigned char>(format[p]))) {
      ++p;
    }
    spec.precision = p > start ? std::stoi(std::string(format.substr(start, p - start))) : 0;
  }
  if (p >= format.size()) {
    return Status::InvalidArgument(
        fmt::format("[UNKNOWN_FORMAT_CONVERSION] Conversion = '%' at the end of \"{}\"", format));
  }
  spec.conversion = format[p];
  *pos = p + 1;
  return spec;
}

Result<std::string> FormatRow(std::string_view format, const Values& values, int64_t row) {
  std::string out;
  size_t next_arg = 1;
  for (size_t pos = 0; pos < format.size();) {
    const char c = format[pos];
    if (c != '%') {
      out += c;
      ++pos;
      continue;
    }
    ++pos;
    if (pos < format.size() && (format[pos] == '%' || format[pos] == 'n')) {
      out += format[pos] == '%' ? '%' : '\n';
      ++pos;
      continue;
    }
    const size_t spec_start = pos - 1;
    SLUICE_ASSIGN_OR_RETURN(Spec spec, ParseSpec(format, &pos));
    const size_t arg = spec.index > 0 ? static_cast<size_t>(spec.index) : next_arg++;
    if (arg >= values.size()) {
      return Status::InvalidArgument(fmt::format("[MISSING_FORMAT_ARGUMENT] Format specifier '{}'",
                                                 format.substr(spec_start, pos - spec_start)));
    }
    const Vector& v = *values[arg];
    SLUICE_ASSIGN_OR_RETURN(std::string text, FormatArg(spec, v, kernel::RowOf(v, row)));
    out += text;
  }
  return out;
}

Result<BoundScalarFunction> BindFormatString(const std::vector<ExprPtr>& args,
                                             const BindContext& ctx) {
  if (args.empty()) {
    return kernel::WrongNumArgs("format_string", "> 0", 0);
  }
  std::vector<TypePtr> types;
  SLUICE_ASSIGN_OR_RETURN(TypePtr format,
                          kernel::ImplicitArgType(ctx, 0, args[0], StringType(), "\"STRING\""));
  types.push_back(format);
  for (size_t i = 1; i < args.size(); ++i) {
    types.push_back(args[i]->type());
  }
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::ForEachRow<std::string>(
        values, StringType(), num_rows, [&](int64_t row, StringBuilder& out) -> Status {
          if (kernel::IsNullAt(*values[0], row)) {
            out.AppendNull();
            return Status::Ok();
          }
          SLUICE_ASSIGN_OR_RETURN(
              std::string text,
              FormatRow(kernel::ReadAt<std::string_view>(*values[0], row), values, row));
          out.Append(text);
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("format_string", StringType(), std::move(types), std::move(fn),
                              /*null_intolerant=*/false);
}

}  // namespace

void RegisterFormatFunctions(FunctionRegistry& registry) {
  registry.AddScalar("format_string", BindFormatString);
  registry.AddAlias("printf", "format_string");
}

}  // namespace sluice::expr
