// SPDX-License-Identifier: Apache-2.0
// More string functions: hex, unhex, base64, unbase64, substring_index, levenshtein,
// find_in_set, elt, overlay, format_number, position.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "columnar/concat.h"
#include "common/utf8.h"
#include "expr/builtins.h"
#include "expr/cast.h"
#include "expr/cast_internal.h"
#include "expr/functions/core_internal.h"
#include "expr/functions/kernel.h"
#include "expr/functions/string_util.h"
#include "expr/type_coercion.h"
#include "types/number_format.h"

namespace sluice::expr {

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;

std::string HexBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::optional<std::string> Unhex(std::string_view text) {
  std::string padded = text.size() % 2 == 1 ? "0" + std::string(text) : std::string(text);
  std::string out;
  for (size_t i = 0; i < padded.size(); i += 2) {
    const int hi = HexValue(padded[i]);
    const int lo = HexValue(padded[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Result<BoundScalarFunction> BindHex(const Args& args, const BindContext& ctx) {
  if (args.size() != 1) {
    return kernel::WrongNumArgs("hex", "1", args.size());
  }
  const TypeId id = args[0]->type()->id();
  if (args[0]->type()->is_integral() || id == TypeId::kNull) {
    ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
      return kernel::Map<std::string, int64_t>(values, StringType(), num_rows, [](int64_t v) {
        return fmt::format("{:X}", static_cast<uint64_t>(v));
      });
    };
    return kernel::MakeFunction("hex", StringType(), {LongType()}, std::move(fn));
  }
  const TypePtr type = id == TypeId::kBinary ? BinaryType() : StringType();
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          strings::CoerceArgs(ctx, "hex", args, {type}, 1, 1));
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<std::string, std::string_view>(values, StringType(), num_rows, HexBytes);
  };
  return kernel::MakeFunction("hex", StringType(), std::move(types), std::move(fn));
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view bytes) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) {
      n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    }
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Java's MIME decoder: characters outside the alphabet are skipped, '=' ends the data.
std::string Unbase64(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') {
      break;
    }
    const char* found = std::strchr(kBase64, c);
    if (c == '\0' || found == nullptr) {
      continue;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(found - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string SubstringIndex(std::string_view text, std::string_view delim, int32_t count) {
  if (delim.empty() || count == 0) {
    return {};
  }
  if (count > 0) {
    size_t pos = 0;
    for (int32_t i = 0; i < count; ++i) {
      const size_t found = text.find(delim, pos);
      if (found == std::string_view::npos) {
        return std::string(text);
      }
      if (i + 1 == count) {
        return std::string(text.substr(0, found));
      }
      pos = found + delim.size();
    }
    return std::string(text);
  }
  size_t end = text.size();
  for (int32_t i = 0; i < -static_cast<int64_t>(count); ++i) {
    if (end < delim.size()) {
      return std::string(text);
    }
    const size_t found = text.rfind(delim, end - delim.size());
    if (found == std::string_view::npos) {
      return std::string(text);
    }
    if (i + 1 == -static_cast<int64_t>(count)) {
      return std::string(text.substr(found + delim.size()));
    }
    if (found == 0) {
      return std::string(text);
    }
    end = found;
  }
  return std::string(text);
}

int32_t Levenshtein(std::string_view a, std::string_view b) {
  const std::u32string s = DecodeUtf8(a);
  const std::u32string t = DecodeUtf8(b);
  std::vector<int32_t> previous(t.size() + 1);
  std::vector<int32_t> current(t.size() + 1);
  for (size_t j = 0; j <= t.size(); ++j) {
    previous[j] = static_cast<int32_t>(j);
  }
  for (size_t i = 1; i <= s.size(); ++i) {
    current[0] = static_cast<int32_t>(i);
    for (size_t j = 1; j <= t.size(); ++j) {
      const int32_t cost = s[i - 1] == t[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
    }
    std::swap(previous, current);
  }
  return previous[t.size()];
}

int32_t FindInSet(std::string_view needle, std::string_view list) {
  if (needle.find(',') != std::string_view::npos) {
    return 0;
  }
  int32_t index = 1;
  size_t pos = 0;
  while (true) {
    const size_t comma = list.find(',', pos);
    const std::string_view item =
        list.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (item == needle) {
      return index;
    }
    if (comma == std::string_view::npos) {
      return 0;
    }
    pos = comma + 1;
    ++index;
  }
}

std::string Overlay(std::string_view input, std::string_view replace, int32_t pos, int32_t len) {
  const int64_t start = std::max<int64_t>(static_cast<int64_t>(pos) - 1, 0);
  const int64_t count = strings::NumChars(input);
  std::string out(strings::CharSlice(input, 0, std::min(start, count)));
  out.append(replace);
  const int64_t rest = static_cast<int64_t>(pos) - 1 + len;
  if (rest < count) {
    out.append(strings::CharSlice(input, std::max<int64_t>(rest, 0), count));
  }
  return out;
}

Result<BoundScalarFunction> BindOverlay(const Args& args, const BindContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<TypePtr> types,
      strings::CoerceArgs(ctx, "overlay", args, {StringType(), StringType(), IntType(), IntType()},
                          3, 4));
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    if (values.size() == 3) {
      return kernel::Map<std::string, std::string_view, std::string_view, int32_t>(
          values, StringType(), num_rows,
          [](std::string_view input, std::string_view replace, int32_t pos) {
            return Overlay(input, replace, pos, static_cast<int32_t>(strings::NumChars(replace)));
          });
    }
    return kernel::Map<std::string, std::string_view, std::string_view, int32_t, int32_t>(
        values, StringType(), num_rows, Overlay);
  };
  return kernel::MakeFunction("overlay", StringType(), std::move(types), std::move(fn));
}

// Java's DecimalFormat("#,###,###,##0.<d zeros>") with HALF_EVEN on the decimal text.
std::string FormatNumber(std::string_view text, int32_t places) {
  DecimalLiteral literal;
  if (!ScanDecimalLiteral(text, &literal)) {
    return std::string(text);
  }
  std::string integer;
  std::string fraction;
  RoundDecimalLiteral(literal, places, /*half_even=*/true, &integer, &fraction);
  std::string grouped;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += integer[i];
  }
  const bool zero = integer == "0" && fraction.find_first_not_of('0') == std::string::npos;
  std::string out = (literal.negative && !zero ? "-" : "") + grouped;
  if (places > 0) {
    out += "." + fraction;
  }
  return out;
}

Result<BoundScalarFunction> BindFormatNumber(const Args& args, const BindContext& ctx) {
  if (args.size() != 2) {
    return kernel::WrongNumArgs("format_number", "2", args.size());
  }
  const TypePtr& type = args[0]->type();
  if (!type->is_numeric() && type->id() != TypeId::kNull) {
    return kernel::UnexpectedInputType(ctx, 0, "\"NUMERIC\"", args[0]);
  }
  SLUICE_ASSIGN_OR_RETURN(TypePtr places,
                          kernel::ImplicitArgType(ctx, 1, args[1], IntType(), "\"INT\""));
  const TypePtr value_type = type->id() == TypeId::kNull ? DoubleType() : type;
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    const Vector& v = *values[0];
    return kernel::ForEachRow<std::string>(
        values, StringType(), num_rows, [&](int64_t row, StringBuilder& out) {
          if (kernel::IsNullAt(v, row) || kernel::IsNullAt(*values[1], row)) {
            out.AppendNull();
            return Status::Ok();
          }
          const int32_t d = kernel::ReadAt<int32_t>(*values[1], row);
          if (d < 0) {
            out.AppendNull();
            return Status::Ok();
          }
          const int64_t i = kernel::RowOf(v, row);
          std::string text;
          if (v.type_id() == TypeId::kDouble || v.type_id() == TypeId::kFloat) {
            const double x = v.type_id() == TypeId::kFloat ? v.Value<float>(i) : v.Value<double>(i);
            if (!std::isfinite(x)) {
              out.Append(std::isnan(x) ? "NaN" : (x > 0 ? "\u221E" : "-\u221E"));
              return Status::Ok();
            }
            text = v.type_id() == TypeId::kFloat ? FormatFloat(static_cast<float>(x))
                                                 : FormatDouble(x);
          } else {
            internal::AppendCastString(v, i, *TimeZone::Utc(), &text);
          }
          out.Append(FormatNumber(text, d));
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("format_number", StringType(), {value_type, places}, std::move(fn));
}

Result<BoundScalarFunction> BindElt(const Args& args, const BindContext& ctx) {
  if (args.size() < 2) {
    return kernel::WrongNumArgs("elt", "> 1", args.size());
  }
  const bool binary = std::all_of(args.begin() + 1, args.end(), [](const ExprPtr& a) {
    return a->type()->id() == TypeId::kBinary;
  });
  const TypePtr str = binary ? BinaryType() : StringType();
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          strings::CoerceArgs(ctx, "elt", args, {IntType(), str}, 2, SIZE_MAX));
  ScalarKernel fn = [str](const Values& values, int64_t num_rows, const EvalContext& ectx) {
    return kernel::ForEachRow<std::string_view>(
        values, str, num_rows, [&](int64_t row, StringBuilder& out) -> Status {
          if (kernel::IsNullAt(*values[0], row)) {
            out.AppendNull();
            return Status::Ok();
          }
          const int32_t n = kernel::ReadAt<int32_t>(*values[0], row);
          const int32_t count = static_cast<int32_t>(values.size()) - 1;
          if (n < 1 || n > count) {
            if (ectx.ansi) {
              return Status::InvalidArgument(fmt::format(
                  "[INVALID_ARRAY_INDEX] The index {} is out of bounds. The array has {} "
                  "elements. Use `try_element_at` to tolerate accessing element at invalid "
                  "index and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to "
                  "\"false\" to bypass this error.",
                  n, count));
            }
            out.AppendNull();
            return Status::Ok();
          }
          const Vector& chosen = *values[n];
          if (kernel::IsNullAt(chosen, row)) {
            out.AppendNull();
          } else {
            out.Append(kernel::ReadAt<std::string_view>(chosen, row));
          }
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("elt", str, std::move(types), std::move(fn),
                              /*null_intolerant=*/false);
}

// Spark's NumberConverter.convert: digits of `from` base read as an unsigned long up to
// the first invalid one; a negative `to` base prints a signed result.
std::optional<std::string> Conv(std::string_view text, int32_t from, int32_t to) {
  if (from < 2 || from > 36 || std::abs(to) < 2 || std::abs(to) > 36) {
    return std::nullopt;
  }
  text = internal::TrimForCast(text);
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) {
    text.remove_prefix(1);
  }
  uint64_t value = 0;
  bool overflow = false;
  for (char c : text) {
    const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                      : std::isalpha(static_cast<unsigned char>(c))
                          ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                          : 99;
    if (digit >= from) {
      break;
    }
    uint64_t next = 0;
    if (__builtin_mul_overflow(value, static_cast<uint64_t>(from), &next) ||
        __builtin_add_overflow(next, static_cast<uint64_t>(digit), &next)) {
      overflow = true;
      break;
    }
    value = next;
  }
  if (overflow) {
    value = ~uint64_t{0};
  }
  if (negative && to > 0) {
    value = static_cast<int64_t>(value) < 0 ? ~uint64_t{0} : -value;
  }
  bool minus = false;
  if (to < 0 && static_cast<int64_t>(value) < 0) {
    minus = true;
    value = -value;
  }
  if (negative && to < 0 && !minus) {
    minus = value != 0;
  }
  const uint64_t base = static_cast<uint64_t>(std::abs(to));
  std::string digits;
  do {
    const int d = static_cast<int>(value % base);
    digits.push_back(static_cast<char>(d < 10 ? '0' + d : 'A' + d - 10));
    value /= base;
  } while (value != 0);
  if (minus) {
    digits.push_back('-');
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string Soundex(std::string_view text) {
  static constexpr char kCodes[] = "01230120022455012623010202";  // A..Z
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) {
    return std::string(text);
  }
  std::string out(1, static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))));
  char last = kCodes[out[0] - 'A'];
  for (size_t i = 1; i < text.size() && out.size() < 4; ++i) {
    const unsigned char c =
        static_cast<unsigned char>(std::toupper(static_cast<unsigned char>(text[i])));
    if (c < 'A' || c > 'Z') {
      last = '0';
      continue;
    }
    const char code = kCodes[c - 'A'];
    if (code != '0' && code != last) {
      out.push_back(code);
    }
    if (c != 'H' && c != 'W') {
      last = code;
    }
  }
  out.resize(4, '0');
  return out;
}

// The charsets of encode / decode, upper-cased; "" when not supported.
std::string Charset(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  for (const char* known : {"US-ASCII", "ISO-8859-1", "UTF-8", "UTF-16BE", "UTF-16LE", "UTF-16"}) {
    if (upper == known) {
      return upper;
    }
  }
  return {};
}

Status CharsetError(std::string_view function, std::string_view name) {
  return Status::InvalidArgument(fmt::format(
      "[INVALID_PARAMETER_VALUE.CHARSET] The value of parameter(s) `charset` in `{}` is "
      "invalid: expects one of the charsets 'US-ASCII', 'ISO-8859-1', 'UTF-8', 'UTF-16BE', "
      "'UTF-16LE', 'UTF-16', but got {}.",
      function, name));
}

void AppendUtf16(char32_t c, bool little, std::string* out) {
  auto unit = [&](uint16_t u) {
    out->push_back(static_cast<char>(little ? (u & 0xFF) : (u >> 8)));
    out->push_back(static_cast<char>(little ? (u >> 8) : (u & 0xFF)));
  };
  if (c >= 0x10000) {
    c -= 0x10000;
    unit(static_cast<uint16_t>(0xD800 + (c >> 10)));
    unit(static_cast<uint16_t>(0xDC00 + (c & 0x3FF)));
  } else {
    unit(static_cast<uint16_t>(c));
  }
}

Result<std::string> Encode(std::string_view text, std::string_view charset_name) {
  const std::string charset = Charset(charset_name);
  if (charset.empty()) {
    return CharsetError("encode", charset_name);
  }
  if (charset == "UTF-8") {
    return std::string(text);
  }
  std::string out;
  if (charset == "UTF-16") {
    out = "\xFE\xFF";  // Java writes a big-endian byte order mark
  }
  for (char32_t c : DecodeUtf8(text)) {
    if (charset == "US-ASCII" || charset == "ISO-8859-1") {
      const char32_t limit = charset == "US-ASCII" ? 0x7F : 0xFF;
      out.push_back(c <= limit ? static_cast<char>(c) : '?');
    } else {
      AppendUtf16(c, charset == "UTF-16LE", &out);
    }
  }
  return out;
}

Result<std::string> Decode(std::string_view bytes, std::string_view charset_name) {
  const std::string charset = Charset(charset_name);
  if (charset.empty()) {
    return CharsetError("decode", charset_name);
  }
  std::string out;
  if (charset == "UTF-8") {
    for (char32_t c : DecodeUtf8(bytes)) {
      AppendUtf8(c, &out);
    }
    return out;
  }
  if (charset == "US-ASCII" || charset == "ISO-8859-1") {
    for (char b : bytes) {
      const auto u = static_cast<uint8_t>(b);
      AppendUtf8(charset == "US-ASCII" && u > 0x7F ? kReplacementCharacter : u, &out);
    }
    return out;
  }
  bool little = charset == "UTF-16LE";
  size_t pos = 0;
  if (charset == "UTF-16" && bytes.size() >= 2) {
    const auto b0 = static_cast<uint8_t>(bytes[0]);
    const auto b1 = static_cast<uint8_t>(bytes[1]);
    if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
      little = b0 == 0xFF;
      pos = 2;
    }
  }
  auto unit_at = [&](size_t i) {
    const auto a = static_cast<uint8_t>(bytes[i]);
    const auto b = static_cast<uint8_t>(bytes[i + 1]);
    return static_cast<uint16_t>(little ? (b << 8) | a : (a << 8) | b);
  };
  for (; pos + 1 < bytes.size(); pos += 2) {
    const uint16_t unit = unit_at(pos);
    if (unit >= 0xD800 && unit < 0xDC00 && pos + 3 < bytes.size()) {
      const uint16_t low = unit_at(pos + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        AppendUtf8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), &out);
        pos += 2;
        continue;
      }
    }
    AppendUtf8(unit >= 0xD800 && unit < 0xE000 ? kReplacementCharacter : unit, &out);
  }
  if (pos < bytes.size()) {
    AppendUtf8(kReplacementCharacter, &out);
  }
  return out;
}

// decode(expr, search1, result1, ..., [default]): the result of the first search equal to
// expr, nulls equal to nulls (Oracle's DECODE).
Result<BoundScalarFunction> BindDecodeCases(const Args& args, const BindContext& ctx) {
  std::vector<TypePtr> keys = {args[0]->type()};
  std::vector<TypePtr> results;
  for (size_t i = 1; i < args.size(); ++i) {
    const bool is_search = i % 2 == 1 && i + 1 < args.size();
    (is_search ? keys : results).push_back(args[i]->type());
  }
  TypePtr key = WiderCommonType(keys, ctx.ansi);
  TypePtr result = WiderCommonType(results, ctx.ansi);
  if (key == nullptr || result == nullptr) {
    return Status::BindError(fmt::format(
        "[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{}\" due to data type mismatch: "
        "Input to `decode` should all be the same type.",
        ctx.call_sql));
  }
  std::vector<TypePtr> types = {key};
  for (size_t i = 1; i < args.size(); ++i) {
    types.push_back(i % 2 == 1 && i + 1 < args.size() ? key : result);
  }
  ScalarKernel fn = [result](const Values& values, int64_t num_rows,
                             const EvalContext&) -> Result<VectorPtr> {
    const int64_t length = kernel::OutputLength(values, num_rows);
    std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(result);
    const Vector& value = *values[0];
    for (int64_t row = 0; row < length; ++row) {
      const Vector* chosen = nullptr;
      size_t i = 1;
      for (; i + 1 < values.size(); i += 2) {
        const Vector& search = *values[i];
        const bool a_null = kernel::IsNullAt(value, row);
        const bool b_null = kernel::IsNullAt(search, row);
        const bool equal = (a_null || b_null)
                               ? a_null && b_null
                               : kernel::CompareValues(value, kernel::RowOf(value, row), search,
                                                       kernel::RowOf(search, row)) == 0;
        if (equal) {
          chosen = values[i + 1].get();
          break;
        }
      }
      if (chosen == nullptr && i < values.size() && i + 1 >= values.size()) {
        chosen = values.back().get();  // the default
      }
      if (chosen == nullptr || kernel::IsNullAt(*chosen, row)) {
        builder->AppendNull();
      } else {
        AppendValue(*chosen, kernel::RowOf(*chosen, row), builder.get());
      }
    }
    return builder->Finish();
  };
  return kernel::MakeFunction("decode", result, std::move(types), std::move(fn),
                              /*null_intolerant=*/false);
}

Result<BoundScalarFunction> BindDecode(const Args& args, const BindContext& ctx) {
  if (args.size() > 2) {
    return BindDecodeCases(args, ctx);
  }
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<TypePtr> types,
      strings::CoerceArgs(ctx, "decode", args, {BinaryType(), StringType()}, 2, 2));
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<std::string, std::string_view, std::string_view>(values, StringType(),
                                                                        num_rows, Decode);
  };
  return kernel::MakeFunction("decode", StringType(), std::move(types), std::move(fn));
}

template <typename Out, typename... Ins, typename F>
ScalarBinder Simple(std::string name, TypePtr result, std::vector<TypePtr> expected,
                    size_t min_args, size_t max_args, F f) {
  return [=](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                            strings::CoerceArgs(ctx, name, args, expected, min_args, max_args));
    ScalarKernel fn = [result, f](const Values& values, int64_t num_rows, const EvalContext&) {
      return kernel::Map<Out, Ins...>(values, result, num_rows, f);
    };
    return kernel::MakeFunction(name, result, std::move(types), std::move(fn));
  };
}

}  // namespace

void RegisterStringEncodeFunctions(FunctionRegistry& registry) {
  const TypePtr s = StringType();
  registry.AddScalar("hex", BindHex);
  registry.AddScalar(
      "unhex", Simple<std::string, std::string_view>("unhex", BinaryType(), {s}, 1, 1, Unhex));
  registry.AddScalar(
      "base64", Simple<std::string, std::string_view>("base64", s, {BinaryType()}, 1, 1, Base64));
  registry.AddScalar("unbase64", Simple<std::string, std::string_view>("unbase64", BinaryType(),
                                                                       {s}, 1, 1, Unbase64));
  registry.AddScalar("substring_index",
                     Simple<std::string, std::string_view, std::string_view, int32_t>(
                         "substring_index", s, {s, s, IntType()}, 3, 3, SubstringIndex));
  registry.AddScalar("levenshtein", Simple<int32_t, std::string_view, std::string_view>(
                                        "levenshtein", IntType(), {s}, 2, 2, Levenshtein));
  registry.AddScalar("find_in_set", Simple<int32_t, std::string_view, std::string_view>(
                                        "find_in_set", IntType(), {s}, 2, 2, FindInSet));
  registry.AddScalar("overlay", BindOverlay);
  registry.AddScalar("format_number", BindFormatNumber);
  registry.AddScalar("elt", BindElt);
  registry.AddAlias("position", "locate");
  registry.AddScalar("bin",
                     Simple<std::string, int64_t>("bin", s, {LongType()}, 1, 1, [](int64_t v) {
                       return fmt::format("{:b}", static_cast<uint64_t>(v));
                     }));
  registry.AddScalar("conv", Simple<std::string, std::string_view, int32_t, int32_t>(
                                 "conv", s, {s, IntType(), IntType()}, 3, 3, Conv));
  registry.AddScalar("encode", Simple<std::string, std::string_view, std::string_view>(
                                   "encode", BinaryType(), {s}, 2, 2, Encode));
  registry.AddScalar("decode", BindDecode);
  registry.AddScalar("soundex",
                     Simple<std::string, std::string_view>("soundex", s, {s}, 1, 1, Soundex));
}

}  // namespace sluice::expr
