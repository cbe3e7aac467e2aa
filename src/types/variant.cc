// SPDX-License-Identifier: Apache-2.0
#include "types/variant.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "types/data_type.h"
#include "types/datetime.h"
#include "types/decimal.h"
#include "types/number_format.h"

namespace sluice {
namespace {

constexpr int kVariantVersion = 1;
/// Deeper nesting is rejected both ways (JsonValue::Parse stops at 1000 levels too).
constexpr int kMaxVariantDepth = 1000;
/// VariantToJson stops once its text passes this size (shared offsets can repeat a
/// nested value many times, so a small variant could otherwise print gigabytes).
constexpr size_t kMaxJsonBytes = size_t{256} << 20;
/// The largest offset, size or id the encoding can hold (4 bytes).
constexpr uint64_t kMaxEncodedSize = std::numeric_limits<uint32_t>::max();
/// Strings of at most this many bytes fold their length into the header byte.
constexpr size_t kMaxShortStringSize = 63;

enum class BasicType : uint8_t { kPrimitive = 0, kShortString = 1, kObject = 2, kArray = 3 };

enum class PrimitiveType : uint8_t {
  kNull = 0,
  kTrue = 1,
  kFalse = 2,
  kInt8 = 3,
  kInt16 = 4,
  kInt32 = 5,
  kInt64 = 6,
  kDouble = 7,
  kDecimal4 = 8,
  kDecimal8 = 9,
  kDecimal16 = 10,
  kDate = 11,
  kTimestamp = 12,
  kTimestampNtz = 13,
  kFloat = 14,
  kBinary = 15,
  kString = 16,
  kTimeNtz = 17,
  kTimestampNanos = 18,
  kTimestampNtzNanos = 19,
  kUuid = 20,
};

/// Reads an unsigned little-endian integer of `size` (1 to 8) bytes.
uint64_t ReadLittleEndian(const char* bytes, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) {
    value |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
  }
  return value;
}

void AppendLittleEndian(uint64_t value, int size, std::string* out) {
  for (int i = 0; i < size; ++i) {
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

/// The fewest bytes (1 to 4) that hold `value`.
int IntegerSize(uint64_t value) {
  if (value <= 0xFF) {
    return 1;
  }
  if (value <= 0xFFFF) {
    return 2;
  }
  if (value <= 0xFFFFFF) {
    return 3;
  }
  return 4;
}

char PrimitiveHeader(PrimitiveType type) {
  return static_cast<char>(static_cast<uint8_t>(type) << 2);
}

Status Corrupt(std::string_view what) {
  return Status::Corruption(fmt::format("malformed variant: {}", what));
}

void AppendBase64(std::string_view bytes, std::string* out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                           (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                           uint32_t{static_cast<uint8_t>(bytes[i + 2])};
    out->push_back(kAlphabet[(group >> 18) & 63]);
    out->push_back(kAlphabet[(group >> 12) & 63]);
    out->push_back(kAlphabet[(group >> 6) & 63]);
    out->push_back(kAlphabet[group & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t group = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) {
      group |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    }
    out->push_back(kAlphabet[(group >> 18) & 63]);
    out->push_back(kAlphabet[(group >> 12) & 63]);
    out->push_back(rest == 2 ? kAlphabet[(group >> 6) & 63] : '=');
    out->push_back('=');
  }
}

/// Appends a double or float as Variant.toJson does: Java's toString when finite, the
/// quoted name otherwise.
void AppendFloating(std::string text, bool finite, std::string* out) {
  if (finite) {
    *out += text;
  } else {
    out->push_back('"');
    *out += text;
    out->push_back('"');
  }
}

void AppendQuoted(std::string_view text, std::string* out) {
  out->push_back('"');
  *out += text;
  out->push_back('"');
}

// ---- decoding ----

class Decoder {
 public:
  Status Init(std::string_view metadata) {
    if (metadata.empty()) {
      return Corrupt("empty metadata");
    }
    const auto header = static_cast<uint8_t>(metadata[0]);
    if ((header & 0x0F) != kVariantVersion) {
      return Corrupt(fmt::format("metadata version {} is not {}", header & 0x0F, kVariantVersion));
    }
    offset_size_ = ((header >> 6) & 3) + 1;
    if (metadata.size() < static_cast<size_t>(1 + offset_size_)) {
      return Corrupt(fmt::format("metadata of {} bytes ends in its header", metadata.size()));
    }
    dictionary_size_ = ReadLittleEndian(metadata.data() + 1, offset_size_);
    offsets_start_ = 1 + static_cast<size_t>(offset_size_);
    const uint64_t offsets_bytes = (dictionary_size_ + 1) * static_cast<uint64_t>(offset_size_);
    if (offsets_bytes > metadata.size() - offsets_start_) {
      return Corrupt(fmt::format("a dictionary of {} keys does not fit in {} bytes of metadata",
                                 dictionary_size_, metadata.size()));
    }
    strings_start_ = offsets_start_ + offsets_bytes;
    metadata_ = metadata;
    return Status::Ok();
  }

  Result<std::string_view> Key(uint64_t id) const {
    if (id >= dictionary_size_) {
      return Corrupt(
          fmt::format("field id {} is beyond the dictionary of {} keys", id, dictionary_size_));
    }
    const char* offsets = metadata_.data() + offsets_start_;
    const uint64_t begin = ReadLittleEndian(offsets + id * offset_size_, offset_size_);
    const uint64_t end = ReadLittleEndian(offsets + (id + 1) * offset_size_, offset_size_);
    if (begin > end || end > metadata_.size() - strings_start_) {
      return Corrupt(fmt::format("dictionary key {} lies outside the metadata", id));
    }
    return metadata_.substr(strings_start_ + begin, end - begin);
  }

  /// Appends the JSON of the value starting at value[0]; the value may not reach past
  /// the end of `value`.
  Status Append(std::string_view value, int depth, std::string* out) const {
    if (value.empty()) {
      return Corrupt("a value is missing its header byte");
    }
    const auto header = static_cast<uint8_t>(value[0]);
    const int info = header >> 2;
    switch (static_cast<BasicType>(header & 3)) {
      case BasicType::kPrimitive:
        return AppendPrimitive(info, value, out);
      case BasicType::kShortString:
        if (value.size() < static_cast<size_t>(1 + info)) {
          return Corrupt(fmt::format("a short string of {} bytes is cut short", info));
        }
        AppendJsonString(value.substr(1, info), out);
        return Status::Ok();
      case BasicType::kObject:
      case BasicType::kArray:
        return AppendNested(header, value, depth, out);
    }
    return Status::Ok();  // unreachable: two bits have four values
  }

 private:
  Status AppendNested(uint8_t header, std::string_view value, int depth, std::string* out) const {
    const bool is_object = (header & 3) == static_cast<uint8_t>(BasicType::kObject);
    const char* what = is_object ? "object" : "array";
    if (depth >= kMaxVariantDepth) {
      return Corrupt(fmt::format("values nested deeper than {} levels", kMaxVariantDepth));
    }
    const int info = header >> 2;
    const int offset_size = (info & 3) + 1;
    const int id_size = is_object ? ((info >> 2) & 3) + 1 : 0;
    const bool is_large = is_object ? ((info >> 4) & 1) != 0 : ((info >> 2) & 1) != 0;
    const size_t count_size = is_large ? 4 : 1;
    if (value.size() < 1 + count_size) {
      return Corrupt(fmt::format("an {} ends before its size", what));
    }
    const uint64_t count = ReadLittleEndian(value.data() + 1, static_cast<int>(count_size));
    const size_t ids_start = 1 + count_size;
    const uint64_t table_bytes =
        count * static_cast<uint64_t>(id_size) + (count + 1) * static_cast<uint64_t>(offset_size);
    if (table_bytes > value.size() - ids_start) {
      return Corrupt(fmt::format("an {} of {} elements ends in its offset table", what, count));
    }
    const size_t offsets_start = ids_start + count * id_size;
    const size_t data_start = offsets_start + (count + 1) * offset_size;
    const uint64_t data_size =
        ReadLittleEndian(value.data() + offsets_start + count * offset_size, offset_size);
    if (data_size > value.size() - data_start) {
      return Corrupt(
          fmt::format("an {} of {} bytes runs past the end of the value", what, data_size));
    }
    const std::string_view data = value.substr(data_start, data_size);
    out->push_back(is_object ? '{' : '[');
    for (uint64_t i = 0; i < count; ++i) {
      if (i > 0) {
        out->push_back(',');
      }
      if (is_object) {
        SLUICE_ASSIGN_OR_RETURN(
            std::string_view key,
            Key(ReadLittleEndian(value.data() + ids_start + i * id_size, id_size)));
        AppendJsonString(key, out);
        out->push_back(':');
      }
      const uint64_t offset =
          ReadLittleEndian(value.data() + offsets_start + i * offset_size, offset_size);
      if (offset >= data_size) {
        return Corrupt(fmt::format("element {} of an {} starts at {}, past its {} bytes", i, what,
                                   offset, data_size));
      }
      SLUICE_RETURN_IF_ERROR(Append(data.substr(offset), depth + 1, out));
      if (out->size() > kMaxJsonBytes) {
        return Status::ResourceExhausted(
            fmt::format("variant: JSON text longer than {} bytes", kMaxJsonBytes));
      }
    }
    out->push_back(is_object ? '}' : ']');
    return Status::Ok();
  }

  Status AppendPrimitive(int type_id, std::string_view value, std::string* out) const {
    const char* data = value.data() + 1;
    const size_t available = value.size() - 1;
    auto need = [&](size_t bytes) -> Status {
      if (available < bytes) {
        return Corrupt(fmt::format("a value of primitive type {} needs {} bytes, {} remain",
                                   type_id, bytes, available));
      }
      return Status::Ok();
    };
    switch (static_cast<PrimitiveType>(type_id)) {
      case PrimitiveType::kNull:
        *out += "null";
        return Status::Ok();
      case PrimitiveType::kTrue:
        *out += "true";
        return Status::Ok();
      case PrimitiveType::kFalse:
        *out += "false";
        return Status::Ok();
      case PrimitiveType::kInt8:
        SLUICE_RETURN_IF_ERROR(need(1));
        *out += fmt::format("{}", static_cast<int8_t>(ReadLittleEndian(data, 1)));
        return Status::Ok();
      case PrimitiveType::kInt16:
        SLUICE_RETURN_IF_ERROR(need(2));
        *out += fmt::format("{}", static_cast<int16_t>(ReadLittleEndian(data, 2)));
        return Status::Ok();
      case PrimitiveType::kInt32:
        SLUICE_RETURN_IF_ERROR(need(4));
        *out += fmt::format("{}", static_cast<int32_t>(ReadLittleEndian(data, 4)));
        return Status::Ok();
      case PrimitiveType::kInt64:
        SLUICE_RETURN_IF_ERROR(need(8));
        *out += fmt::format("{}", static_cast<int64_t>(ReadLittleEndian(data, 8)));
        return Status::Ok();
      case PrimitiveType::kDouble: {
        SLUICE_RETURN_IF_ERROR(need(8));
        const auto number = std::bit_cast<double>(ReadLittleEndian(data, 8));
        AppendFloating(FormatDouble(number), std::isfinite(number), out);
        return Status::Ok();
      }
      case PrimitiveType::kFloat: {
        SLUICE_RETURN_IF_ERROR(need(4));
        const auto number = std::bit_cast<float>(static_cast<uint32_t>(ReadLittleEndian(data, 4)));
        AppendFloating(FormatFloat(number), std::isfinite(number), out);
        return Status::Ok();
      }
      case PrimitiveType::kDecimal4:
      case PrimitiveType::kDecimal8:
      case PrimitiveType::kDecimal16:
        return AppendDecimal(static_cast<PrimitiveType>(type_id), data, available, out);
      case PrimitiveType::kDate:
        SLUICE_RETURN_IF_ERROR(need(4));
        AppendQuoted(FormatDate(static_cast<int32_t>(ReadLittleEndian(data, 4))), out);
        return Status::Ok();
      case PrimitiveType::kTimestamp:
        SLUICE_RETURN_IF_ERROR(need(8));
        AppendQuoted(FormatTimestamp(static_cast<int64_t>(ReadLittleEndian(data, 8))) + "+00:00",
                     out);
        return Status::Ok();
      case PrimitiveType::kTimestampNtz:
        SLUICE_RETURN_IF_ERROR(need(8));
        AppendQuoted(FormatTimestamp(static_cast<int64_t>(ReadLittleEndian(data, 8))), out);
        return Status::Ok();
      case PrimitiveType::kBinary:
      case PrimitiveType::kString: {
        SLUICE_RETURN_IF_ERROR(need(4));
        const uint64_t size = ReadLittleEndian(data, 4);
        SLUICE_RETURN_IF_ERROR(need(4 + size));
        const std::string_view bytes(data + 4, size);
        if (static_cast<PrimitiveType>(type_id) == PrimitiveType::kString) {
          AppendJsonString(bytes, out);
        } else {
          out->push_back('"');
          AppendBase64(bytes, out);
          out->push_back('"');
        }
        return Status::Ok();
      }
      case PrimitiveType::kUuid: {
        SLUICE_RETURN_IF_ERROR(need(16));
        static constexpr char kHex[] = "0123456789abcdef";
        out->push_back('"');
        for (int i = 0; i < 16; ++i) {
          if (i == 4 || i == 6 || i == 8 || i == 10) {
            out->push_back('-');
          }
          const auto byte = static_cast<uint8_t>(data[i]);
          out->push_back(kHex[byte >> 4]);
          out->push_back(kHex[byte & 15]);
        }
        out->push_back('"');
        return Status::Ok();
      }
      case PrimitiveType::kTimeNtz:
      case PrimitiveType::kTimestampNanos:
      case PrimitiveType::kTimestampNtzNanos:
        return Status::NotImplemented(
            fmt::format("variant: primitive type {} (time or nanosecond timestamp) is not "
                        "supported",
                        type_id));
    }
    return Corrupt(fmt::format("unknown primitive type {}", type_id));
  }

  static Status AppendDecimal(PrimitiveType type, const char* data, size_t available,
                              std::string* out) {
    const int width = type == PrimitiveType::kDecimal4   ? 4
                      : type == PrimitiveType::kDecimal8 ? 8
                                                         : 16;
    const int max_precision = type == PrimitiveType::kDecimal4   ? 9
                              : type == PrimitiveType::kDecimal8 ? 18
                                                                 : kMaxDecimalPrecision;
    if (available < static_cast<size_t>(1 + width)) {
      return Corrupt(
          fmt::format("a decimal{} needs {} bytes, {} remain", width, 1 + width, available));
    }
    const int scale = static_cast<uint8_t>(data[0]);
    Int128 unscaled = 0;
    if (width == 4) {
      unscaled = static_cast<int32_t>(ReadLittleEndian(data + 1, 4));
    } else if (width == 8) {
      unscaled = static_cast<int64_t>(ReadLittleEndian(data + 1, 8));
    } else {
      const auto low = static_cast<unsigned __int128>(ReadLittleEndian(data + 1, 8));
      const auto high = static_cast<unsigned __int128>(ReadLittleEndian(data + 9, 8));
      unscaled = static_cast<Int128>((high << 64) | low);
    }
    const Int128 limit = PowerOfTen(max_precision);
    if (scale > kMaxDecimalPrecision || unscaled >= limit || unscaled <= -limit) {
      return Corrupt(fmt::format("decimal{} {} with scale {} is out of range", width,
                                 FormatDecimal(unscaled, 0), scale));
    }
    *out += FormatDecimal(unscaled, scale);
    return Status::Ok();
  }

  std::string_view metadata_;
  int offset_size_ = 1;
  uint64_t dictionary_size_ = 0;
  size_t offsets_start_ = 0;
  size_t strings_start_ = 0;
};

// ---- encoding ----

/// Reads a JSON number without an exponent as Java's BigDecimal does: the unscaled
/// digits and the scale. Returns false when it has an exponent or does not fit
/// decimal(38) (Spark's VariantBuilder.tryParseDecimal).
bool ParsePlainDecimal(std::string_view text, Int128* unscaled, int* scale) {
  for (char c : text) {
    if (c != '-' && c != '.' && (c < '0' || c > '9')) {
      return false;
    }
  }
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) {
    text.remove_prefix(1);
  }
  const size_t point = text.find('.');
  const std::string_view integer = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (fraction.size() > static_cast<size_t>(kMaxDecimalPrecision)) {
    return false;
  }
  Int128 value = 0;
  int digits = 0;  // significant digits so far (leading zeros do not count)
  for (std::string_view part : {integer, fraction}) {
    for (char c : part) {
      if (digits == 0 && c == '0') {
        continue;
      }
      if (++digits > kMaxDecimalPrecision) {
        return false;
      }
      value = value * 10 + (c - '0');
    }
  }
  *unscaled = negative ? -value : value;
  *scale = static_cast<int>(fraction.size());
  return true;
}

class Encoder {
 public:
  Status Encode(const JsonValue& json, int depth) {
    switch (json.kind()) {
      case JsonValue::Kind::kNull:
        value_.push_back(PrimitiveHeader(PrimitiveType::kNull));
        return Status::Ok();
      case JsonValue::Kind::kBool:
        value_.push_back(
            PrimitiveHeader(json.bool_value() ? PrimitiveType::kTrue : PrimitiveType::kFalse));
        return Status::Ok();
      case JsonValue::Kind::kNumber:
        return EncodeNumber(json);
      case JsonValue::Kind::kString:
        return EncodeString(json.text());
      case JsonValue::Kind::kArray:
      case JsonValue::Kind::kObject:
        if (depth >= kMaxVariantDepth) {
          return Status::InvalidArgument(
              fmt::format("variant: JSON nested deeper than {} levels", kMaxVariantDepth));
        }
        return json.is_array() ? EncodeArray(json, depth) : EncodeObject(json, depth);
    }
    return Status::Ok();
  }

  Status Finish(std::string* metadata, std::string* value) {
    uint64_t key_bytes = 0;
    for (std::string_view key : keys_) {
      key_bytes += key.size();
    }
    const uint64_t largest = std::max<uint64_t>(key_bytes, keys_.size());
    if (largest > kMaxEncodedSize) {
      return Status::InvalidArgument(fmt::format(
          "variant: a key dictionary of {} bytes does not fit the encoding", key_bytes));
    }
    const int offset_size = IntegerSize(largest);
    metadata->clear();
    metadata->reserve(1 + (keys_.size() + 2) * offset_size + key_bytes);
    metadata->push_back(static_cast<char>(kVariantVersion | ((offset_size - 1) << 6)));
    AppendLittleEndian(keys_.size(), offset_size, metadata);
    uint64_t offset = 0;
    AppendLittleEndian(offset, offset_size, metadata);
    for (std::string_view key : keys_) {
      offset += key.size();
      AppendLittleEndian(offset, offset_size, metadata);
    }
    for (std::string_view key : keys_) {
      metadata->append(key);
    }
    *value = std::move(value_);
    value_.clear();
    return Status::Ok();
  }

 private:
  struct FieldEntry {
    std::string_view key;
    uint32_t id;
    uint64_t offset;  // of the value, from the first value's byte
  };

  uint32_t AddKey(std::string_view key) {
    const auto [it, inserted] = ids_.try_emplace(key, static_cast<uint32_t>(keys_.size()));
    if (inserted) {
      keys_.push_back(key);
    }
    return it->second;
  }

  void EncodeLong(int64_t number) {
    if (number == static_cast<int8_t>(number)) {
      value_.push_back(PrimitiveHeader(PrimitiveType::kInt8));
      AppendLittleEndian(static_cast<uint64_t>(number), 1, &value_);
    } else if (number == static_cast<int16_t>(number)) {
      value_.push_back(PrimitiveHeader(PrimitiveType::kInt16));
      AppendLittleEndian(static_cast<uint64_t>(number), 2, &value_);
    } else if (number == static_cast<int32_t>(number)) {
      value_.push_back(PrimitiveHeader(PrimitiveType::kInt32));
      AppendLittleEndian(static_cast<uint64_t>(number), 4, &value_);
    } else {
      value_.push_back(PrimitiveHeader(PrimitiveType::kInt64));
      AppendLittleEndian(static_cast<uint64_t>(number), 8, &value_);
    }
  }

  void EncodeDecimal(Int128 unscaled, int scale) {
    const int precision = DecimalDigits(unscaled);
    const auto bits = static_cast<unsigned __int128>(unscaled);
    if (precision <= 9 && scale <= 9) {
      value_.push_back(PrimitiveHeader(PrimitiveType::kDecimal4));
      value_.push_back(static_cast<char>(scale));
      AppendLittleEndian(static_cast<uint64_t>(bits), 4, &value_);
    } else if (precision <= 18 && scale <= 18) {
      value_.push_back(PrimitiveHeader(PrimitiveType::kDecimal8));
      value_.push_back(static_cast<char>(scale));
      AppendLittleEndian(static_cast<uint64_t>(bits), 8, &value_);
    } else {
      value_.push_back(PrimitiveHeader(PrimitiveType::kDecimal16));
      value_.push_back(static_cast<char>(scale));
      AppendLittleEndian(static_cast<uint64_t>(bits), 8, &value_);
      AppendLittleEndian(static_cast<uint64_t>(bits >> 64), 8, &value_);
    }
  }

  Status EncodeNumber(const JsonValue& json) {
    const std::string& text = json.text();
    if (text.find_first_of(".eE") == std::string::npos) {
      Result<int64_t> number = json.AsInt64();
      if (number.ok()) {
        EncodeLong(*number);
        return Status::Ok();
      }
    }
    Int128 unscaled = 0;
    int scale = 0;
    if (ParsePlainDecimal(text, &unscaled, &scale)) {
      EncodeDecimal(unscaled, scale);
      return Status::Ok();
    }
    // Jackson reads a number beyond the double range as infinity; AsDouble refuses it.
    Result<double> number = json.AsDouble();
    const double value = number.ok() ? *number
                         : (!text.empty() && text[0] == '-')
                             ? -std::numeric_limits<double>::infinity()
                             : std::numeric_limits<double>::infinity();
    value_.push_back(PrimitiveHeader(PrimitiveType::kDouble));
    AppendLittleEndian(std::bit_cast<uint64_t>(value), 8, &value_);
    return Status::Ok();
  }

  Status EncodeString(std::string_view text) {
    if (text.size() <= kMaxShortStringSize) {
      value_.push_back(
          static_cast<char>((text.size() << 2) | static_cast<uint8_t>(BasicType::kShortString)));
    } else {
      if (text.size() > kMaxEncodedSize) {
        return Status::InvalidArgument(
            fmt::format("variant: a string of {} bytes does not fit the encoding", text.size()));
      }
      value_.push_back(PrimitiveHeader(PrimitiveType::kString));
      AppendLittleEndian(text.size(), 4, &value_);
    }
    value_.append(text);
    return Status::Ok();
  }

  Status EncodeArray(const JsonValue& json, int depth) {
    const size_t start = value_.size();
    std::vector<uint64_t> offsets;
    offsets.reserve(json.items().size());
    for (const JsonValue& item : json.items()) {
      offsets.push_back(value_.size() - start);
      SLUICE_RETURN_IF_ERROR(Encode(item, depth + 1));
    }
    const uint64_t data_size = value_.size() - start;
    SLUICE_RETURN_IF_ERROR(CheckSize(data_size, offsets.size()));
    const bool is_large = offsets.size() > 0xFF;
    const int offset_size = IntegerSize(data_size);
    std::string header;
    header.push_back(static_cast<char>(((is_large ? 4 : 0) | (offset_size - 1)) << 2 |
                                       static_cast<uint8_t>(BasicType::kArray)));
    AppendLittleEndian(offsets.size(), is_large ? 4 : 1, &header);
    for (uint64_t offset : offsets) {
      AppendLittleEndian(offset, offset_size, &header);
    }
    AppendLittleEndian(data_size, offset_size, &header);
    value_.insert(start, header);
    return Status::Ok();
  }

  Status EncodeObject(const JsonValue& json, int depth) {
    const size_t start = value_.size();
    std::vector<FieldEntry> fields;
    fields.reserve(json.members().size());
    for (const JsonValue::Member& member : json.members()) {
      fields.push_back({member.first, AddKey(member.first), value_.size() - start});
      SLUICE_RETURN_IF_ERROR(Encode(member.second, depth + 1));
    }
    // Key order is the order of the UTF-8 bytes (std::string_view compares as unsigned).
    std::sort(fields.begin(), fields.end(),
              [](const FieldEntry& a, const FieldEntry& b) { return a.key < b.key; });
    uint32_t max_id = 0;
    for (size_t i = 0; i < fields.size(); ++i) {
      max_id = std::max(max_id, fields[i].id);
      if (i > 0 && fields[i].key == fields[i - 1].key) {
        return Status::InvalidArgument(
            fmt::format("variant: duplicate object key \"{}\"", fields[i].key));
      }
    }
    const uint64_t data_size = value_.size() - start;
    SLUICE_RETURN_IF_ERROR(CheckSize(data_size, fields.size()));
    const bool is_large = fields.size() > 0xFF;
    const int id_size = IntegerSize(max_id);
    const int offset_size = IntegerSize(data_size);
    std::string header;
    header.push_back(
        static_cast<char>(((is_large ? 16 : 0) | (id_size - 1) << 2 | (offset_size - 1)) << 2 |
                          static_cast<uint8_t>(BasicType::kObject)));
    AppendLittleEndian(fields.size(), is_large ? 4 : 1, &header);
    for (const FieldEntry& field : fields) {
      AppendLittleEndian(field.id, id_size, &header);
    }
    for (const FieldEntry& field : fields) {
      AppendLittleEndian(field.offset, offset_size, &header);
    }
    AppendLittleEndian(data_size, offset_size, &header);
    value_.insert(start, header);
    return Status::Ok();
  }

  static Status CheckSize(uint64_t data_size, uint64_t count) {
    if (data_size > kMaxEncodedSize || count > kMaxEncodedSize) {
      return Status::InvalidArgument(fmt::format(
          "variant: {} elements of {} bytes do not fit the encoding", count, data_size));
    }
    return Status::Ok();
  }

  std::vector<std::string_view> keys_;  // views into the JSON document, in id order
  std::unordered_map<std::string_view, uint32_t> ids_;
  std::string value_;
};

}  // namespace

Result<std::string> VariantToJson(std::string_view metadata, std::string_view value) {
  Decoder decoder;
  SLUICE_RETURN_IF_ERROR(decoder.Init(metadata));
  std::string out;
  SLUICE_RETURN_IF_ERROR(decoder.Append(value, 0, &out));
  return out;
}

Status JsonToVariant(const JsonValue& json, std::string* metadata, std::string* value) {
  Encoder encoder;
  SLUICE_RETURN_IF_ERROR(encoder.Encode(json, 0));
  return encoder.Finish(metadata, value);
}

}  // namespace sluice
