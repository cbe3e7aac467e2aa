// SPDX-License-Identifier: Apache-2.0
#include "delta/partition_values.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <utility>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "common/utf8.h"
#include "delta/conform.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"

namespace sluice::delta {

namespace {

bool IsPartitionableType(const DataType& type) {
  return !type.is_nested() && type.id() != TypeId::kVariant;
}

Status UnsupportedType(const DataType& type) {
  return Status::InvalidArgument(
      fmt::format("Delta partition columns cannot be of type {}", type.ToString()));
}

// The range of an integral type.
void IntegralRange(TypeId id, int64_t* low, int64_t* high) {
  switch (id) {
    case TypeId::kByte:
      *low = std::numeric_limits<int8_t>::min();
      *high = std::numeric_limits<int8_t>::max();
      return;
    case TypeId::kShort:
      *low = std::numeric_limits<int16_t>::min();
      *high = std::numeric_limits<int16_t>::max();
      return;
    case TypeId::kInt:
    case TypeId::kDate:
      *low = std::numeric_limits<int32_t>::min();
      *high = std::numeric_limits<int32_t>::max();
      return;
    default:
      *low = std::numeric_limits<int64_t>::min();
      *high = std::numeric_limits<int64_t>::max();
      return;
  }
}

// Parses [+-]digits in full.
bool ParseInteger(std::string_view text, int64_t* out) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') {
      return false;
    }
  }
  if (text.empty()) {
    return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

// Whether `text` is [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits].
bool IsDecimalNumber(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    ++i;
  }
  const auto digits = [&]() {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++i;
    }
    return i - start;
  };
  size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    if (digits() == 0) {
      return false;
    }
  }
  return i == text.size();
}

// Parses a float or double as Spark's CAST does for the forms writers produce: decimal
// numbers and the special values. A float is rounded once, to the nearest float.
bool ParseFloating(std::string_view text, bool is_float, double* out) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "nan")) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (EqualsIgnoreCase(body, "infinity") || EqualsIgnoreCase(body, "inf")) {
    *out = negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
    return true;
  }
  if (!IsDecimalNumber(text)) {
    return false;
  }
  // from_chars takes no '+' and needs a digit before the point.
  std::string number(body);
  if (number.front() == '.') {
    number.insert(number.begin(), '0');
  }
  if (negative) {
    number.insert(number.begin(), '-');
  }
  const char* first = number.data();
  const char* last = number.data() + number.size();
  if (is_float) {
    float value = 0;
    const auto [end, error] = std::from_chars(first, last, value);
    if (end != last || (error != std::errc() && error != std::errc::result_out_of_range)) {
      return false;
    }
    if (error == std::errc::result_out_of_range) {
      // Overflow becomes infinity and underflow zero or a subnormal, as Java's parseFloat.
      value = std::strtof(number.c_str(), nullptr);
    }
    *out = value;
    return true;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(first, last, value);
  if (end != last || (error != std::errc() && error != std::errc::result_out_of_range)) {
    return false;
  }
  if (error == std::errc::result_out_of_range) {
    value = std::strtod(number.c_str(), nullptr);
  }
  *out = value;
  return true;
}

Status BadLiteral(const parquet::Literal& literal, const DataType& type) {
  return Status::InvalidArgument(fmt::format("Literal {} does not hold a value of type {}",
                                             parquet::FormatLiteral(literal), type.ToString()));
}

// Fills a builder of type Builder with `length` copies of `value`.
template <typename Builder, typename T>
VectorPtr Fill(const TypePtr& type, const T& value, int64_t length) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  auto* typed = static_cast<Builder*>(builder.get());
  typed->Reserve(length);
  if constexpr (std::is_same_v<Builder, StringBuilder>) {
    typed->ReserveData(static_cast<int64_t>(value.size()) * length);
  }
  for (int64_t i = 0; i < length; ++i) {
    typed->Append(value);
  }
  return typed->Finish();
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return c - 'A' + 10;
}

void AppendPercent(unsigned char byte, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0xF]);
}

bool NeedsPathNameEscape(unsigned char c) {
  if (c < 0x20 || c == 0x7F) {
    return true;
  }
  switch (c) {
    case '"':
    case '#':
    case '%':
    case '\'':
    case '*':
    case '/':
    case ':':
    case '=':
    case '?':
    case '\\':
    case '{':
    case '[':
    case ']':
    case '^':
      return true;
    default:
      return false;
  }
}

// ASCII characters java.net.URI leaves unquoted in a path: unreserved, punct, '/'.
bool IsUriPathCharacter(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '!':
    case '~':
    case '*':
    case '\'':
    case '(':
    case ')':
    case ':':
    case '@':
    case '&':
    case '=':
    case '+':
    case '$':
    case ',':
    case ';':
    case '/':
      return true;
    default:
      return false;
  }
}

// Java's Character.isISOControl or isSpaceChar, for non-ASCII code points.
bool IsUnicodeControlOrSpace(char32_t c) {
  return (c >= 0x80 && c <= 0x9F) || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// The scheme of a URI ("file", "s3"), or empty when `text` has none.
std::string_view UriScheme(std::string_view text) {
  if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) {
    return {};
  }
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ':') {
      return text.substr(0, i);
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '-' || c == '.';
    if (!ok) {
      return {};
    }
  }
  return {};
}

// Collapses runs of '/' and drops "." segments.
std::string NormalizeSlashes(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      if (out.empty() || out.back() != '/') {
        out.push_back('/');
      }
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view segment = path.substr(i, end - i);
    if (segment != ".") {
      out.append(segment);
    } else if (end < path.size()) {
      ++end;  // also skip the '/' after "."
    }
    i = end;
  }
  if (out.size() > 1 && out.back() == '/' && path.back() != '/') {
    out.pop_back();  // a trailing "/." left a '/'
  }
  return out;
}

// The decoded local path of a "file:" URI.
Result<std::string> FileUriToPath(std::string_view uri) {
  std::string_view rest = uri.substr(uri.find(':') + 1);
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const size_t slash = rest.find('/');
    const std::string_view host = rest.substr(0, slash);
    if (!host.empty() && !EqualsIgnoreCase(host, "localhost")) {
      return Status::NotImplemented(fmt::format(
          "Delta file URIs on remote hosts are not supported: host '{}' in '{}'", host, uri));
    }
    rest = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  }
  if (rest.empty() || rest.front() != '/') {
    return Status::Corruption(fmt::format("File URI '{}' does not hold an absolute path", uri));
  }
  Result<std::string> decoded = DecodeUriPath(rest);
  if (!decoded.ok()) {
    return Status::Corruption(decoded.status().message());
  }
  return NormalizeSlashes(*decoded);
}

// The table root as a local directory without a trailing '/'.
Result<std::string> LocalRoot(const std::string& table_root) {
  std::string root = table_root;
  const std::string_view scheme = UriScheme(root);
  if (!scheme.empty()) {
    if (!EqualsIgnoreCase(scheme, "file")) {
      return Status::NotImplemented(
          fmt::format("Delta tables on '{}:' storage are not supported: '{}'", scheme, root));
    }
    SLUICE_ASSIGN_OR_RETURN(root, FileUriToPath(root));
  }
  while (root.size() > 1 && root.back() == '/') {
    root.pop_back();
  }
  return root;
}

std::string JoinPath(const std::string& root, std::string_view relative) {
  if (root.empty()) {
    return NormalizeSlashes(relative);
  }
  std::string joined = root;
  if (joined.back() != '/') {
    joined.push_back('/');
  }
  joined.append(relative);
  return NormalizeSlashes(joined);
}

}  // namespace

Result<parquet::Literal> ParsePartitionValue(const TypePtr& type,
                                             const std::optional<std::string>& value) {
  parquet::Literal literal;
  literal.type = type;
  if (!IsPartitionableType(*type)) {
    return UnsupportedType(*type);
  }
  if (!value.has_value() || value->empty()) {
    return literal;
  }
  const std::string& text = *value;
  const auto corrupt = [&]() {
    return Status::Corruption(
        fmt::format("Partition value '{}' is not a valid {}", text, type->ToString()));
  };
  switch (type->id()) {
    case TypeId::kString:
    case TypeId::kBinary:
      literal.value = text;
      return literal;
    case TypeId::kBoolean:
      if (EqualsIgnoreCase(text, "true")) {
        literal.value = true;
      } else if (EqualsIgnoreCase(text, "false")) {
        literal.value = false;
      } else {
        return corrupt();
      }
      return literal;
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong: {
      int64_t number = 0;
      int64_t low = 0;
      int64_t high = 0;
      IntegralRange(type->id(), &low, &high);
      if (!ParseInteger(text, &number) || number < low || number > high) {
        return corrupt();
      }
      literal.value = number;
      return literal;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double number = 0;
      if (!ParseFloating(text, type->id() == TypeId::kFloat, &number)) {
        return corrupt();
      }
      literal.value = number;
      return literal;
    }
    case TypeId::kDecimal: {
      Int128 unscaled = 0;
      if (!ParseDecimal(text, type->precision(), type->scale(), &unscaled)) {
        return corrupt();
      }
      literal.value = unscaled;
      return literal;
    }
    case TypeId::kDate: {
      int32_t days = 0;
      if (!ParseDate(text, &days)) {
        return corrupt();
      }
      literal.value = static_cast<int64_t>(days);
      return literal;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      int64_t micros = 0;
      const bool ok = type->id() == TypeId::kTimestamp ? ParseTimestamp(text, &micros)
                                                       : ParseTimestampNtz(text, &micros);
      if (!ok) {
        return corrupt();
      }
      literal.value = micros;
      return literal;
    }
    case TypeId::kNull:
      return corrupt();
    default:
      return UnsupportedType(*type);
  }
}

Result<std::optional<std::string>> FormatPartitionLiteral(const parquet::Literal& literal) {
  const DataType& type = *literal.type;
  if (!IsPartitionableType(type)) {
    return UnsupportedType(type);
  }
  if (literal.is_null()) {
    return std::optional<std::string>();
  }
  const auto* as_bool = std::get_if<bool>(&literal.value);
  const auto* as_int = std::get_if<int64_t>(&literal.value);
  const auto* as_double = std::get_if<double>(&literal.value);
  const auto* as_decimal = std::get_if<Int128>(&literal.value);
  const auto* as_string = std::get_if<std::string>(&literal.value);
  switch (type.id()) {
    case TypeId::kBoolean:
      if (as_bool == nullptr) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(*as_bool ? "true" : "false");
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
      if (as_int == nullptr) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(std::to_string(*as_int));
    case TypeId::kFloat:
      if (as_double == nullptr) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(FormatFloat(static_cast<float>(*as_double)));
    case TypeId::kDouble:
      if (as_double == nullptr) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(FormatDouble(*as_double));
    case TypeId::kDecimal:
      if (as_decimal == nullptr) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(FormatDecimal(*as_decimal, type.scale()));
    case TypeId::kString:
    case TypeId::kBinary:
      if (as_string == nullptr) {
        return BadLiteral(literal, type);
      }
      if (as_string->empty()) {
        return std::optional<std::string>();
      }
      return std::optional<std::string>(*as_string);
    case TypeId::kDate:
      if (as_int == nullptr || *as_int < std::numeric_limits<int32_t>::min() ||
          *as_int > std::numeric_limits<int32_t>::max()) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(FormatDate(static_cast<int32_t>(*as_int)));
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      if (as_int == nullptr) {
        return BadLiteral(literal, type);
      }
      return std::optional<std::string>(FormatTimestamp(*as_int));
    default:
      return BadLiteral(literal, type);
  }
}

Result<parquet::Literal> LiteralAt(const Vector& vector, int64_t row) {
  parquet::Literal literal;
  literal.type = vector.type();
  if (row < 0 || row >= vector.length()) {
    return Status::InvalidArgument(
        fmt::format("Row {} is out of range for a vector of {} rows", row, vector.length()));
  }
  if (vector.type()->is_nested() || vector.type_id() == TypeId::kVariant) {
    return Status::InvalidArgument(
        fmt::format("No literal holds a value of type {}", vector.type()->ToString()));
  }
  if (vector.IsNull(row)) {
    return literal;
  }
  switch (vector.type_id()) {
    case TypeId::kBoolean:
      literal.value = vector.BoolValue(row);
      break;
    case TypeId::kByte:
      literal.value = static_cast<int64_t>(vector.Value<int8_t>(row));
      break;
    case TypeId::kShort:
      literal.value = static_cast<int64_t>(vector.Value<int16_t>(row));
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      literal.value = static_cast<int64_t>(vector.Value<int32_t>(row));
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      literal.value = vector.Value<int64_t>(row);
      break;
    case TypeId::kFloat:
      literal.value = static_cast<double>(vector.Value<float>(row));
      break;
    case TypeId::kDouble:
      literal.value = vector.Value<double>(row);
      break;
    case TypeId::kDecimal:
      literal.value = vector.DecimalValue(row);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      literal.value = std::string(vector.StringValue(row));
      break;
    default:
      break;  // void: every row is null (handled above)
  }
  return literal;
}

Result<std::optional<std::string>> FormatPartitionValue(const Vector& vector, int64_t row) {
  if (!IsPartitionableType(*vector.type())) {
    return UnsupportedType(*vector.type());
  }
  SLUICE_ASSIGN_OR_RETURN(parquet::Literal literal, LiteralAt(vector, row));
  return FormatPartitionLiteral(literal);
}

Result<VectorPtr> MakeConstantVector(const TypePtr& type, const parquet::Literal& value,
                                     int64_t length) {
  if (length < 0) {
    return Status::InvalidArgument(fmt::format("Negative vector length {}", length));
  }
  if (value.is_null()) {
    return MakeNullVector(type, length);
  }
  const auto* as_bool = std::get_if<bool>(&value.value);
  const auto* as_int = std::get_if<int64_t>(&value.value);
  const auto* as_double = std::get_if<double>(&value.value);
  const auto* as_decimal = std::get_if<Int128>(&value.value);
  const auto* as_string = std::get_if<std::string>(&value.value);
  const auto bad = [&]() { return BadLiteral(value, *type); };
  switch (type->id()) {
    case TypeId::kBoolean:
      if (as_bool == nullptr) {
        return bad();
      }
      return Fill<BooleanBuilder>(type, *as_bool, length);
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      int64_t low = 0;
      int64_t high = 0;
      IntegralRange(type->id(), &low, &high);
      if (as_int == nullptr || *as_int < low || *as_int > high) {
        return bad();
      }
      switch (type->id()) {
        case TypeId::kByte:
          return Fill<Int8Builder>(type, static_cast<int8_t>(*as_int), length);
        case TypeId::kShort:
          return Fill<Int16Builder>(type, static_cast<int16_t>(*as_int), length);
        case TypeId::kInt:
        case TypeId::kDate:
          return Fill<Int32Builder>(type, static_cast<int32_t>(*as_int), length);
        default:
          return Fill<Int64Builder>(type, *as_int, length);
      }
    }
    case TypeId::kFloat:
      if (as_double == nullptr) {
        return bad();
      }
      return Fill<FloatBuilder>(type, static_cast<float>(*as_double), length);
    case TypeId::kDouble:
      if (as_double == nullptr) {
        return bad();
      }
      return Fill<DoubleBuilder>(type, *as_double, length);
    case TypeId::kDecimal:
      if (as_decimal == nullptr || DecimalDigits(*as_decimal) > type->precision()) {
        return bad();
      }
      return Fill<DecimalBuilder>(type, *as_decimal, length);
    case TypeId::kString:
    case TypeId::kBinary:
      if (as_string == nullptr) {
        return bad();
      }
      return Fill<StringBuilder>(type, std::string_view(*as_string), length);
    default:
      return Status::InvalidArgument(fmt::format("A constant vector of type {} cannot hold {}",
                                                 type->ToString(), parquet::FormatLiteral(value)));
  }
}

std::string EscapePartitionPathName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (NeedsPathNameEscape(byte)) {
      AppendPercent(byte, &out);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string UnescapePartitionPathName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%' && i + 2 < name.size() && IsHexDigit(name[i + 1]) &&
        IsHexDigit(name[i + 2])) {
      out.push_back(static_cast<char>(HexValue(name[i + 1]) * 16 + HexValue(name[i + 2])));
      i += 2;
    } else {
      out.push_back(name[i]);
    }
  }
  return out;
}

std::string PartitionDirectory(const PartitionValues& values) {
  std::string out;
  for (const auto& [name, value] : values) {
    if (!out.empty()) {
      out.push_back('/');
    }
    out += EscapePartitionPathName(name);
    out.push_back('=');
    if (value.has_value() && !value->empty()) {
      out += EscapePartitionPathName(*value);
    } else {
      out += kHiveDefaultPartition;
    }
  }
  return out;
}

Result<std::string> DecodeUriPath(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !IsHexDigit(text[i + 1]) || !IsHexDigit(text[i + 2])) {
      return Status::InvalidArgument(fmt::format(
          "Bad percent escape at position {} of the URI path '{}': '%' must be followed by two "
          "hex digits",
          i, text));
    }
    out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
    i += 2;
  }
  return out;
}

std::string EncodeUriPath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  bool seen_slash = false;
  size_t i = 0;
  while (i < path.size()) {
    const auto byte = static_cast<unsigned char>(path[i]);
    if (byte < 0x80) {
      if (byte == '/') {
        seen_slash = true;
      }
      if (IsUriPathCharacter(byte) && !(byte == ':' && !seen_slash)) {
        out.push_back(path[i]);
      } else {
        AppendPercent(byte, &out);
      }
      ++i;
      continue;
    }
    size_t next = i;
    const char32_t code_point = DecodeUtf8CodePoint(path, &next);
    const std::string_view bytes = path.substr(i, next - i);
    const bool valid = code_point != kReplacementCharacter || bytes == "\xEF\xBF\xBD";
    if (valid && !IsUnicodeControlOrSpace(code_point)) {
      out.append(bytes);
    } else {
      for (const char c : bytes) {
        AppendPercent(static_cast<unsigned char>(c), &out);
      }
    }
    i = next;
  }
  return out;
}

Result<std::string> ResolveDataPath(const std::string& table_root, std::string_view add_path) {
  const std::string_view scheme = UriScheme(add_path);
  if (!scheme.empty()) {
    if (!EqualsIgnoreCase(scheme, "file")) {
      return Status::NotImplemented(fmt::format(
          "Delta data files on '{}:' storage are not supported: '{}'", scheme, add_path));
    }
    return FileUriToPath(add_path);
  }
  Result<std::string> decoded = DecodeUriPath(add_path);
  if (!decoded.ok()) {
    return Status::Corruption(
        fmt::format("Delta file path is not a valid URI: {}", decoded.status().message()));
  }
  if (!add_path.empty() && add_path.front() == '/') {
    return NormalizeSlashes(*decoded);
  }
  SLUICE_ASSIGN_OR_RETURN(std::string root, LocalRoot(table_root));
  return JoinPath(root, *decoded);
}

std::string CanonicalizePath(const std::string& table_root, std::string_view path) {
  const std::string_view scheme = UriScheme(path);
  if (!scheme.empty()) {
    if (EqualsIgnoreCase(scheme, "file")) {
      Result<std::string> local = FileUriToPath(path);
      return local.ok() ? std::move(local).value() : std::string(path);
    }
    const std::string_view rest = path.substr(scheme.size() + 1);
    Result<std::string> decoded = DecodeUriPath(rest);
    return ToLowerAscii(scheme) + ":" + (decoded.ok() ? *decoded : std::string(rest));
  }
  Result<std::string> decoded = DecodeUriPath(path);
  if (!decoded.ok()) {
    return std::string(path);
  }
  if (!path.empty() && path.front() == '/') {
    return NormalizeSlashes(*decoded);
  }
  const std::string_view root_scheme = UriScheme(table_root);
  if (!root_scheme.empty() && !EqualsIgnoreCase(root_scheme, "file")) {
    std::string root = ToLowerAscii(root_scheme) + table_root.substr(root_scheme.size());
    while (!root.empty() && root.back() == '/') {
      root.pop_back();
    }
    return root + "/" + NormalizeSlashes(*decoded);
  }
  Result<std::string> root = LocalRoot(table_root);
  return JoinPath(root.ok() ? *root : table_root, *decoded);
}

}  // namespace sluice::delta
