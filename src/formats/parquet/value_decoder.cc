// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/value_decoder.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <utility>

#include "formats/parquet/byte_stream_split.h"
#include "formats/parquet/delta.h"
#include "formats/parquet/page_reader.h"
#include "formats/parquet/rle.h"
#include "types/decimal.h"

namespace sluice::parquet {
namespace {

using format::Encoding;
using format::Type;

constexpr int64_t kJulianDayOfEpoch = 2440588;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;
constexpr int64_t kMaxStringBytes = std::numeric_limits<int32_t>::max();
// Bytes of room after string data so that copies may move whole blocks of 16.
constexpr int64_t kCopySlack = 16;

template <typename T>
T Load(const uint8_t* bytes) {
  T value;
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

// Names the annotation of `element` for messages: "TIMESTAMP(NANOS)", "UINT_8", "".
std::string AnnotationName(const format::SchemaElement& element) {
  if (element.__isset.logicalType) {
    const format::LogicalType& logical = element.logicalType;
    const auto unit = [](const format::TimeUnit& time_unit) {
      return time_unit.__isset.MILLIS ? "MILLIS" : time_unit.__isset.MICROS ? "MICROS" : "NANOS";
    };
    if (logical.__isset.STRING)
      return "STRING";
    if (logical.__isset.ENUM)
      return "ENUM";
    if (logical.__isset.DECIMAL) {
      return fmt::format("DECIMAL({},{})", logical.DECIMAL.precision, logical.DECIMAL.scale);
    }
    if (logical.__isset.DATE)
      return "DATE";
    if (logical.__isset.TIME)
      return fmt::format("TIME({})", unit(logical.TIME.unit));
    if (logical.__isset.TIMESTAMP) {
      return fmt::format("TIMESTAMP({})", unit(logical.TIMESTAMP.unit));
    }
    if (logical.__isset.INTEGER) {
      return fmt::format("INTEGER({},{})", static_cast<int>(logical.INTEGER.bitWidth),
                         logical.INTEGER.isSigned ? "signed" : "unsigned");
    }
    if (logical.__isset.UNKNOWN)
      return "UNKNOWN";
    if (logical.__isset.JSON)
      return "JSON";
    if (logical.__isset.BSON)
      return "BSON";
    if (logical.__isset.UUID)
      return "UUID";
    if (logical.__isset.FLOAT16)
      return "FLOAT16";
    if (logical.__isset.GEOMETRY)
      return "GEOMETRY";
    if (logical.__isset.GEOGRAPHY)
      return "GEOGRAPHY";
  }
  if (element.__isset.converted_type) {
    return ConvertedTypeName(EnumValue(element.converted_type));
  }
  return "";
}

int32_t ConvertedType(const format::SchemaElement& element) {
  return element.__isset.converted_type ? EnumValue(element.converted_type) : -1;
}

bool IsUnsigned(const format::SchemaElement& element) {
  if (element.__isset.logicalType && element.logicalType.__isset.INTEGER) {
    return !element.logicalType.INTEGER.isSigned;
  }
  const int32_t converted = ConvertedType(element);
  return converted == format::ConvertedType::UINT_8 ||
         converted == format::ConvertedType::UINT_16 ||
         converted == format::ConvertedType::UINT_32 || converted == format::ConvertedType::UINT_64;
}

bool IsFloat16(const format::SchemaElement& element) {
  return element.__isset.logicalType && element.logicalType.__isset.FLOAT16;
}

// The conversion of an INT64 timestamp to microseconds.
Conversion TimestampConversion(const format::SchemaElement& element) {
  if (element.__isset.logicalType && element.logicalType.__isset.TIMESTAMP) {
    const format::TimeUnit& unit = element.logicalType.TIMESTAMP.unit;
    if (unit.__isset.MILLIS) {
      return Conversion::kMillisToMicros;
    }
    if (unit.__isset.NANOS) {
      return Conversion::kNanosToMicros;
    }
    return Conversion::kCopy;
  }
  if (ConvertedType(element) == format::ConvertedType::TIMESTAMP_MILLIS) {
    return Conversion::kMillisToMicros;
  }
  return Conversion::kCopy;
}

// Returns the conversion of `physical` values of `element` to `target`, or nullopt-like
// kVoid with *supported = false.
bool ChooseConversion(int32_t physical, const format::SchemaElement& element, TypeId target,
                      Conversion* conversion) {
  const bool is_unsigned = IsUnsigned(element);
  switch (target) {
    case TypeId::kNull:
      *conversion = Conversion::kVoid;
      return true;
    case TypeId::kBoolean:
      *conversion = Conversion::kBoolean;
      return physical == Type::BOOLEAN;
    case TypeId::kByte:
      *conversion = Conversion::kInt32ToInt8;
      return physical == Type::INT32;
    case TypeId::kShort:
      *conversion = Conversion::kInt32ToInt16;
      return physical == Type::INT32;
    case TypeId::kInt:
    case TypeId::kDate:
      *conversion = Conversion::kCopy;
      return physical == Type::INT32;
    case TypeId::kLong:
      if (physical == Type::INT32) {
        *conversion = is_unsigned ? Conversion::kUInt32ToInt64 : Conversion::kInt32ToInt64;
        return true;
      }
      *conversion = Conversion::kCopy;
      return physical == Type::INT64;
    case TypeId::kFloat:
      if (physical == Type::FIXED_LEN_BYTE_ARRAY && IsFloat16(element)) {
        *conversion = Conversion::kFloat16ToFloat;
        return element.type_length == 2;
      }
      *conversion = Conversion::kCopy;
      return physical == Type::FLOAT;
    case TypeId::kDouble:
      *conversion = physical == Type::FLOAT ? Conversion::kFloatToDouble : Conversion::kCopy;
      return physical == Type::FLOAT || physical == Type::DOUBLE;
    case TypeId::kDecimal:
      switch (physical) {
        case Type::INT32:
          *conversion = is_unsigned ? Conversion::kUInt32ToDecimal : Conversion::kInt32ToDecimal;
          return true;
        case Type::INT64:
          *conversion = is_unsigned ? Conversion::kUInt64ToDecimal : Conversion::kInt64ToDecimal;
          return true;
        case Type::FIXED_LEN_BYTE_ARRAY:
          *conversion = Conversion::kFixedToDecimal;
          return true;
        case Type::BYTE_ARRAY:
          *conversion = Conversion::kBytesToDecimal;
          return true;
        default:
          return false;
      }
    case TypeId::kString:
    case TypeId::kBinary:
      *conversion = physical == Type::FIXED_LEN_BYTE_ARRAY ? Conversion::kFixedToString
                                                           : Conversion::kBytesToString;
      return physical == Type::FIXED_LEN_BYTE_ARRAY || physical == Type::BYTE_ARRAY;
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      if (physical == Type::INT96) {
        *conversion = Conversion::kInt96ToMicros;
        return true;
      }
      *conversion = TimestampConversion(element);
      return physical == Type::INT64;
    default:
      return false;
  }
}

// Reads a big-endian two's complement integer of `length` bytes. Returns false when it
// does not fit in 16 bytes (longer inputs may carry redundant sign bytes).
bool BigEndianToInt128(const uint8_t* bytes, int64_t length, Int128* out) {
  if (length == 0) {
    *out = 0;
    return true;
  }
  const bool negative = (bytes[0] & 0x80) != 0;
  if (length > 16) {
    const uint8_t fill = negative ? 0xff : 0;
    for (int64_t i = 0; i < length - 16; ++i) {
      if (bytes[i] != fill) {
        return false;
      }
    }
    bytes += length - 16;
    length = 16;
    if (((bytes[0] & 0x80) != 0) != negative) {
      return false;
    }
  }
  using UInt128 = unsigned __int128;
  UInt128 value = negative ? ~UInt128{0} : UInt128{0};
  for (int64_t i = 0; i < length; ++i) {
    value = (value << 8) | bytes[i];
  }
  *out = static_cast<Int128>(value);
  return true;
}

Status DecimalTooLong(int64_t length) {
  return Status::Corruption(
      fmt::format("decimal value of {} bytes does not fit in 16 bytes", length));
}

float HalfToFloat(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  const uint32_t exponent = (half >> 10) & 0x1f;
  const uint32_t mantissa = half & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // infinity or NaN (payload kept)
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else {
    // Zero or subnormal: mantissa * 2^-24, exact in a float.
    bits = sign | std::bit_cast<uint32_t>(static_cast<float>(mantissa) * 0x1p-24f);
  }
  return std::bit_cast<float>(bits);
}

template <typename From, typename To>
void Cast(const uint8_t* src, int64_t count, uint8_t* dst) {
  To* out = reinterpret_cast<To*>(dst);
  for (int64_t i = 0; i < count; ++i) {
    out[i] = static_cast<To>(Load<From>(src + i * static_cast<int64_t>(sizeof(From))));
  }
}

// Converts `count` fixed-width physical values (PLAIN layout, `width` bytes each) at `src`
// into the target layout at `dst`.
Status ConvertFixed(Conversion conversion, int width, const uint8_t* src, int64_t count,
                    uint8_t* dst) {
  switch (conversion) {
    case Conversion::kCopy:
      if (count > 0) {
        std::memcpy(dst, src, static_cast<size_t>(count * width));
      }
      return Status::Ok();
    case Conversion::kInt32ToInt8:
      Cast<int32_t, int8_t>(src, count, dst);
      return Status::Ok();
    case Conversion::kInt32ToInt16:
      Cast<int32_t, int16_t>(src, count, dst);
      return Status::Ok();
    case Conversion::kInt32ToInt64:
      Cast<int32_t, int64_t>(src, count, dst);
      return Status::Ok();
    case Conversion::kUInt32ToInt64:
      Cast<uint32_t, int64_t>(src, count, dst);
      return Status::Ok();
    case Conversion::kInt32ToDecimal:
      Cast<int32_t, Int128>(src, count, dst);
      return Status::Ok();
    case Conversion::kUInt32ToDecimal:
      Cast<uint32_t, Int128>(src, count, dst);
      return Status::Ok();
    case Conversion::kInt64ToDecimal:
      Cast<int64_t, Int128>(src, count, dst);
      return Status::Ok();
    case Conversion::kUInt64ToDecimal:
      Cast<uint64_t, Int128>(src, count, dst);
      return Status::Ok();
    case Conversion::kFloatToDouble:
      Cast<float, double>(src, count, dst);
      return Status::Ok();
    case Conversion::kMillisToMicros: {
      auto* out = reinterpret_cast<int64_t*>(dst);
      for (int64_t i = 0; i < count; ++i) {
        const int64_t millis = Load<int64_t>(src + i * 8);
        if (__builtin_mul_overflow(millis, int64_t{1000}, &out[i])) [[unlikely]] {
          return Status::Corruption(
              fmt::format("timestamp of {} milliseconds is out of range", millis));
        }
      }
      return Status::Ok();
    }
    case Conversion::kNanosToMicros: {
      auto* out = reinterpret_cast<int64_t*>(dst);
      for (int64_t i = 0; i < count; ++i) {
        const int64_t nanos = Load<int64_t>(src + i * 8);
        out[i] = nanos / 1000 - (nanos % 1000 < 0 ? 1 : 0);
      }
      return Status::Ok();
    }
    case Conversion::kInt96ToMicros: {
      auto* out = reinterpret_cast<int64_t*>(dst);
      for (int64_t i = 0; i < count; ++i) {
        // Spark's fromJulianDay in 64-bit arithmetic that wraps: Spark's writer wraps the
        // same way for timestamps past the nanosecond range (int96_from_spark.parquet
        // holds year 290000 as Julian day -105862232), so the round trip is exact.
        const int64_t nanos = Load<int64_t>(src + i * 12);
        const int32_t julian_day = Load<int32_t>(src + i * 12 + 8);
        const uint64_t micros =
            static_cast<uint64_t>(julian_day - kJulianDayOfEpoch) * kMicrosPerDay +
            static_cast<uint64_t>(nanos / 1000);
        out[i] = static_cast<int64_t>(micros);
      }
      return Status::Ok();
    }
    case Conversion::kFloat16ToFloat: {
      auto* out = reinterpret_cast<float*>(dst);
      for (int64_t i = 0; i < count; ++i) {
        out[i] = HalfToFloat(Load<uint16_t>(src + i * 2));
      }
      return Status::Ok();
    }
    case Conversion::kFixedToDecimal: {
      auto* out = reinterpret_cast<Int128*>(dst);
      for (int64_t i = 0; i < count; ++i) {
        if (!BigEndianToInt128(src + i * width, width, &out[i])) [[unlikely]] {
          return DecimalTooLong(width);
        }
      }
      return Status::Ok();
    }
    default:
      return Status::Internal("not a fixed-width conversion");
  }
}

Status NotEnoughBytes(int64_t count, std::string_view what, int64_t size) {
  return Status::Corruption(
      fmt::format("{} {} values need more than the {} bytes of the page", count, what, size));
}

// Copies `length` bytes in blocks of 16, reading and writing up to kCopySlack - 1 bytes
// past the ends; the caller guarantees that both allocations extend that far.
inline void CopyBlocks(uint8_t* out, const uint8_t* in, int64_t length) {
  for (int64_t i = 0; i < length; i += 16) {
    std::memcpy(out + i, in + i, 16);
  }
}

// The largest of `count` indices, in four independent chains of compares.
uint32_t MaxIndex(const uint32_t* indices, int64_t count) {
  uint32_t max0 = 0;
  uint32_t max1 = 0;
  uint32_t max2 = 0;
  uint32_t max3 = 0;
  int64_t i = 0;
  for (; i + 4 <= count; i += 4) {
    max0 = std::max(max0, indices[i]);
    max1 = std::max(max1, indices[i + 1]);
    max2 = std::max(max2, indices[i + 2]);
    max3 = std::max(max3, indices[i + 3]);
  }
  for (; i < count; ++i) {
    max0 = std::max(max0, indices[i]);
  }
  return std::max(std::max(max0, max1), std::max(max2, max3));
}

template <typename T>
void GatherFixed(const uint8_t* dictionary, const uint32_t* indices, int64_t count, uint8_t* dst) {
  const T* values = reinterpret_cast<const T*>(dictionary);
  T* out = reinterpret_cast<T*>(dst);
  for (int64_t i = 0; i < count; ++i) {
    out[i] = values[indices[i]];
  }
}

}  // namespace

Status ValueDecoder::Init(const LeafDescriptor& leaf) {
  type_ = leaf.type;
  path_ = leaf.path;
  const format::SchemaElement& element = leaf.element;
  if (!element.__isset.type) {
    return Status::Corruption("the leaf's schema element has no physical type");
  }
  physical_ = EnumValue(element.type);
  switch (physical_) {
    case Type::BOOLEAN:
    case Type::BYTE_ARRAY:
      physical_width_ = 0;
      break;
    case Type::INT32:
    case Type::FLOAT:
      physical_width_ = 4;
      break;
    case Type::INT64:
    case Type::DOUBLE:
      physical_width_ = 8;
      break;
    case Type::INT96:
      physical_width_ = 12;
      break;
    case Type::FIXED_LEN_BYTE_ARRAY:
      if (!element.__isset.type_length || element.type_length <= 0) {
        return Status::Corruption(fmt::format(
            "FIXED_LEN_BYTE_ARRAY leaf has an invalid type_length {}", element.type_length));
      }
      physical_width_ = element.type_length;
      break;
    default:
      return Status::Corruption(fmt::format("unknown physical type {}", physical_));
  }
  if (type_ == nullptr || !ChooseConversion(physical_, element, type_->id(), &conversion_)) {
    const std::string annotation = AnnotationName(element);
    return Status::NotImplemented(fmt::format(
        "cannot read {}{}{}{} as {}", PhysicalTypeName(physical_), annotation.empty() ? "" : " (",
        annotation, annotation.empty() ? "" : ")", type_ == nullptr ? "?" : type_->ToString()));
  }
  switch (conversion_) {
    case Conversion::kVoid:
      layout_ = Layout::kVoid;
      break;
    case Conversion::kBoolean:
      layout_ = Layout::kBits;
      break;
    case Conversion::kFixedToString:
    case Conversion::kBytesToString:
      layout_ = Layout::kString;
      break;
    default:
      layout_ = Layout::kFixed;
      target_width_ = ValueWidth(type_->id());
      break;
  }
  ResetStore(&out_);
  ResetStore(&dictionary_);
  has_dictionary_ = false;
  return Status::Ok();
}

void ValueDecoder::ResetStore(ValueStore* store) const {
  store->count = 0;
  store->values = layout_ == Layout::kVoid ? nullptr : std::make_shared<Buffer>();
  store->data = layout_ == Layout::kString ? std::make_shared<Buffer>() : nullptr;
  if (layout_ == Layout::kString) {
    store->values->AppendValue<int32_t>(0);
  }
}

void ValueDecoder::Reserve(int64_t count) {
  reserved_values_ = out_.count + count;
  switch (layout_) {
    case Layout::kBits:
      out_.values->Reserve(bits::BytesFor(out_.count + count));
      break;
    case Layout::kFixed:
      out_.values->Reserve((out_.count + count) * target_width_);
      break;
    case Layout::kString:
      out_.values->Reserve((out_.count + count + 1) * 4);
      break;
    case Layout::kVoid:
      break;
  }
}

void ValueDecoder::ReserveStringBytes(ValueStore* store, int64_t count, int64_t bytes) const {
  Buffer& data = *store->data;
  if (bytes <= data.capacity()) {
    return;
  }
  // Growing copies what is there: make room at once for the values still expected, at
  // the average size so far, but no more than 8 times the room needed now (the slots
  // expected may turn out null).
  const int64_t values = store->count + count;
  if (store == &out_ && values > 0 && reserved_values_ > values) {
    const double per_value = static_cast<double>(bytes) / static_cast<double>(values);
    const double projected =
        std::min(per_value * static_cast<double>(reserved_values_), static_cast<double>(bytes) * 8);
    if (projected < static_cast<double>(kMaxStringBytes)) {
      bytes = std::max(bytes, static_cast<int64_t>(projected) + kCopySlack);
    }
  }
  data.Reserve(bytes);
}

uint8_t* ValueDecoder::GrowFixed(ValueStore* store, int64_t count) const {
  const int64_t old_size = store->count * target_width_;
  store->values->Resize(old_size + count * target_width_);
  store->count += count;
  return store->values->mutable_data() + old_size;
}

uint8_t* ValueDecoder::Scratch(int64_t bytes) {
  if (bytes > scratch_capacity_) {
    const int64_t capacity = std::max(bytes, scratch_capacity_ * 2);
    scratch_ = std::make_unique_for_overwrite<uint8_t[]>(static_cast<size_t>(capacity));
    scratch_capacity_ = capacity;
  }
  return scratch_.get();
}

VectorPtr ValueDecoder::Finish() {
  VectorPtr vector;
  if (layout_ == Layout::kVoid) {
    vector = std::make_shared<const Vector>(type_, out_.count, out_.count, nullptr, nullptr,
                                            nullptr, std::vector<VectorPtr>{});
  } else {
    vector = std::make_shared<const Vector>(type_, out_.count, 0, nullptr, out_.values, out_.data,
                                            std::vector<VectorPtr>{});
  }
  ResetStore(&out_);
  return vector;
}

void ValueDecoder::Compact(int64_t first, std::span<const IndexRange> ranges) {
  int64_t to = first;
  switch (layout_) {
    case Layout::kVoid:
      for (const IndexRange& range : ranges) {
        to += range.end - range.begin;
      }
      break;
    case Layout::kBits: {
      uint8_t* bits = out_.values->mutable_data();
      for (const IndexRange& range : ranges) {
        for (int64_t from = range.begin; from < range.end; ++from, ++to) {
          if (bits::Get(bits, from)) {
            bits::Set(bits, to);
          } else {
            bits::Clear(bits, to);
          }
        }
      }
      out_.values->Resize(bits::BytesFor(to));
      if ((to & 7) != 0) {
        // AppendBits only sets bits past count(): clear the ones left behind.
        bits[to / 8] &= static_cast<uint8_t>((1u << (to & 7)) - 1);
      }
      break;
    }
    case Layout::kFixed: {
      uint8_t* values = out_.values->mutable_data();
      const int64_t width = target_width_;
      for (const IndexRange& range : ranges) {
        if (to != range.begin) {
          std::memmove(values + to * width, values + range.begin * width,
                       static_cast<size_t>((range.end - range.begin) * width));
        }
        to += range.end - range.begin;
      }
      out_.values->Resize(to * width);
      break;
    }
    case Layout::kString: {
      int32_t* offsets = out_.values->mutable_data_as<int32_t>();
      uint8_t* bytes = out_.data->mutable_data();
      // The offsets of the values from `first` on, as they were before moving any.
      const std::vector<int32_t> old(offsets + first, offsets + out_.count + 1);
      int32_t end = offsets[first];
      for (const IndexRange& range : ranges) {
        const int32_t begin_byte = old[static_cast<size_t>(range.begin - first)];
        const int32_t end_byte = old[static_cast<size_t>(range.end - first)];
        if (end != begin_byte) {
          std::memmove(bytes + end, bytes + begin_byte, static_cast<size_t>(end_byte - begin_byte));
        }
        for (int64_t from = range.begin; from < range.end; ++from, ++to) {
          end +=
              old[static_cast<size_t>(from + 1 - first)] - old[static_cast<size_t>(from - first)];
          offsets[to + 1] = end;
        }
      }
      out_.values->Resize((to + 1) * 4);
      out_.data->Resize(end);
      break;
    }
  }
  out_.count = to;
}

void ValueDecoder::AppendBits(ValueStore* store, const uint8_t* bits, int64_t count) const {
  const int64_t start = store->count;
  store->values->Resize(bits::BytesFor(start + count));
  uint8_t* out = store->values->mutable_data();
  if ((start & 7) == 0) {
    std::memcpy(out + start / 8, bits, static_cast<size_t>(bits::BytesFor(count)));
    if ((count & 7) != 0) {
      out[(start + count) / 8] &= static_cast<uint8_t>((1u << (count & 7)) - 1);
    }
  } else {
    for (int64_t i = 0; i < count; ++i) {
      if (bits::Get(bits, i)) {
        bits::Set(out, start + i);
      }
    }
  }
  store->count += count;
}

Status ValueDecoder::AppendFixed(ValueStore* store, const uint8_t* physical, int64_t count) const {
  if (conversion_ == Conversion::kFixedToString) {
    const int64_t bytes = count * physical_width_;
    if (store->data->size() + bytes > kMaxStringBytes) {
      return Status::ResourceExhausted(
          fmt::format("the column chunk's values exceed {} bytes of string data", kMaxStringBytes));
    }
    const int64_t start = store->count;
    store->values->Resize((start + count + 1) * 4);
    int32_t* offsets = store->values->mutable_data_as<int32_t>() + start;
    int32_t offset = offsets[0];
    for (int64_t i = 1; i <= count; ++i) {
      offset += physical_width_;
      offsets[i] = offset;
    }
    store->data->Append(physical, bytes);
    store->count += count;
    return Status::Ok();
  }
  uint8_t* out = GrowFixed(store, count);
  return ConvertFixed(conversion_, physical_width_, physical, count, out);
}

Status ValueDecoder::AppendPlainStrings(ValueStore* store, const uint8_t* data, int64_t size,
                                        int64_t count) const {
  // A value takes at least its 4-byte length.
  if (count > size / 4) {
    return NotEnoughBytes(count, "BYTE_ARRAY", size);
  }
  Buffer& bytes = *store->data;
  const int64_t start = store->count;
  store->values->Resize((start + count + 1) * 4);
  int32_t* offsets = store->values->mutable_data_as<int32_t>() + start;
  // First the lengths, checked, into the offsets; then the bytes in one pass.
  const int64_t old_size = bytes.size();
  int64_t total = 0;
  int64_t position = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (size - position < 4) [[unlikely]] {
      return NotEnoughBytes(count, "BYTE_ARRAY", size);
    }
    const uint32_t length = Load<uint32_t>(data + position);
    position += 4;
    if (length > static_cast<uint64_t>(size - position)) [[unlikely]] {
      return Status::Corruption(fmt::format(
          "BYTE_ARRAY value {} of {} bytes at page offset {} runs past the {} bytes of the page", i,
          length, position - 4, size));
    }
    position += length;
    total += length;
    // Offsets wrap only when the total passes 2 GiB, which is refused below.
    offsets[i + 1] = static_cast<int32_t>(old_size + total);
  }
  if (old_size + total > kMaxStringBytes) {
    return Status::ResourceExhausted(
        fmt::format("the column chunk's values exceed {} bytes of string data", kMaxStringBytes));
  }
  ReserveStringBytes(store, count, old_size + total + kCopySlack);
  bytes.Resize(old_size + total);
  uint8_t* out = bytes.mutable_data();
  position = 0;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t begin = offsets[i];
    const int64_t length = offsets[i + 1] - begin;
    position += 4;
    if (position + length + kCopySlack <= size) [[likely]] {
      CopyBlocks(out + begin, data + position, length);
    } else {
      std::memcpy(out + begin, data + position, static_cast<size_t>(length));
    }
    position += length;
  }
  store->count += count;
  return Status::Ok();
}

Status ValueDecoder::AppendPlainBytesDecimals(ValueStore* store, const uint8_t* data, int64_t size,
                                              int64_t count) const {
  if (count > size / 4) {
    return NotEnoughBytes(count, "BYTE_ARRAY", size);
  }
  auto* out = reinterpret_cast<Int128*>(GrowFixed(store, count));
  int64_t position = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (size - position < 4) [[unlikely]] {
      return NotEnoughBytes(count, "BYTE_ARRAY", size);
    }
    const uint32_t length = Load<uint32_t>(data + position);
    position += 4;
    if (length > static_cast<uint64_t>(size - position)) [[unlikely]] {
      return Status::Corruption(fmt::format(
          "BYTE_ARRAY value {} of {} bytes at page offset {} runs past the {} bytes of the page", i,
          length, position - 4, size));
    }
    if (!BigEndianToInt128(data + position, length, &out[i])) [[unlikely]] {
      return DecimalTooLong(length);
    }
    position += length;
  }
  return Status::Ok();
}

Status ValueDecoder::AppendPlain(ValueStore* store, const uint8_t* data, int64_t size,
                                 int64_t count) {
  switch (physical_) {
    case Type::BOOLEAN:
      if (bits::BytesFor(count) > size) {
        return NotEnoughBytes(count, "BOOLEAN", size);
      }
      AppendBits(store, data, count);
      return Status::Ok();
    case Type::BYTE_ARRAY:
      if (conversion_ == Conversion::kBytesToString) {
        return AppendPlainStrings(store, data, size, count);
      }
      return AppendPlainBytesDecimals(store, data, size, count);
    default:
      if (count > size / physical_width_) {
        return NotEnoughBytes(count, PhysicalTypeName(physical_), size);
      }
      return AppendFixed(store, data, count);
  }
}

Status ValueDecoder::AppendViews(ValueStore* store, const std::string_view* views, int64_t count) {
  switch (conversion_) {
    case Conversion::kBytesToString: {
      int64_t total = 0;
      for (int64_t i = 0; i < count; ++i) {
        total += static_cast<int64_t>(views[i].size());
      }
      if (store->data->size() + total > kMaxStringBytes) {
        return Status::ResourceExhausted(fmt::format(
            "the column chunk's values exceed {} bytes of string data", kMaxStringBytes));
      }
      const int64_t start = store->count;
      store->values->Resize((start + count + 1) * 4);
      int32_t* offsets = store->values->mutable_data_as<int32_t>() + start;
      ReserveStringBytes(store, count, store->data->size() + total);
      for (int64_t i = 0; i < count; ++i) {
        store->data->Append(views[i].data(), static_cast<int64_t>(views[i].size()));
        offsets[i + 1] = static_cast<int32_t>(store->data->size());
      }
      store->count += count;
      return Status::Ok();
    }
    case Conversion::kBytesToDecimal: {
      auto* out = reinterpret_cast<Int128*>(GrowFixed(store, count));
      for (int64_t i = 0; i < count; ++i) {
        if (!BigEndianToInt128(reinterpret_cast<const uint8_t*>(views[i].data()),
                               static_cast<int64_t>(views[i].size()), &out[i])) [[unlikely]] {
          return DecimalTooLong(static_cast<int64_t>(views[i].size()));
        }
      }
      return Status::Ok();
    }
    default: {
      // FIXED_LEN_BYTE_ARRAY: every value must have the type's length.
      uint8_t* packed = Scratch(count * physical_width_);
      for (int64_t i = 0; i < count; ++i) {
        if (static_cast<int64_t>(views[i].size()) != physical_width_) [[unlikely]] {
          return Status::Corruption(
              fmt::format("FIXED_LEN_BYTE_ARRAY value {} has {} bytes instead of {}", i,
                          views[i].size(), physical_width_));
        }
        std::memcpy(packed + i * physical_width_, views[i].data(),
                    static_cast<size_t>(physical_width_));
      }
      return AppendFixed(store, packed, count);
    }
  }
}

Status ValueDecoder::SetDictionary(std::string_view data, int64_t count) {
  ResetStore(&dictionary_);
  has_dictionary_ = false;
  if (layout_ == Layout::kVoid) {
    has_dictionary_ = true;
    return Status::Ok();
  }
  SLUICE_RETURN_IF_ERROR(AppendPlain(&dictionary_, reinterpret_cast<const uint8_t*>(data.data()),
                                     static_cast<int64_t>(data.size()), count));
  dictionary_short_strings_ = false;
  if (dictionary_.data != nullptr) {
    // Room for GatherStrings to copy in blocks of 16 bytes.
    dictionary_.data->Reserve(dictionary_.data->size() + kCopySlack);
    const int32_t* offsets = dictionary_.values->data_as<int32_t>();
    int32_t longest = 0;
    for (int64_t i = 0; i < dictionary_.count; ++i) {
      longest = std::max(longest, offsets[i + 1] - offsets[i]);
    }
    dictionary_short_strings_ = longest <= kCopySlack;
  }
  has_dictionary_ = true;
  return Status::Ok();
}

Status ValueDecoder::Decode(int32_t encoding, std::string_view page, int64_t count) {
  if (count == 0) {
    return Status::Ok();
  }
  if (layout_ == Layout::kVoid) {
    out_.count += count;
    return Status::Ok();
  }
  const auto* data = reinterpret_cast<const uint8_t*>(page.data());
  const auto size = static_cast<int64_t>(page.size());
  switch (encoding) {
    case Encoding::PLAIN:
      return AppendPlain(&out_, data, size, count);
    case Encoding::PLAIN_DICTIONARY:
    case Encoding::RLE_DICTIONARY:
      return DecodeDictionaryIndices(data, size, count);
    case Encoding::RLE:
      if (physical_ == Type::BOOLEAN) {
        return DecodeRleBooleans(data, size, count);
      }
      break;
    case Encoding::DELTA_BINARY_PACKED:
      if (physical_ == Type::INT32) {
        return DecodeDeltaBinaryPacked<int32_t>(data, size, count);
      }
      if (physical_ == Type::INT64) {
        return DecodeDeltaBinaryPacked<int64_t>(data, size, count);
      }
      break;
    case Encoding::DELTA_LENGTH_BYTE_ARRAY:
      if (physical_ == Type::BYTE_ARRAY) {
        return DecodeDeltaByteArrays(encoding, data, size, count);
      }
      break;
    case Encoding::DELTA_BYTE_ARRAY:
      if (physical_ == Type::BYTE_ARRAY || physical_ == Type::FIXED_LEN_BYTE_ARRAY) {
        return DecodeDeltaByteArrays(encoding, data, size, count);
      }
      break;
    case Encoding::BYTE_STREAM_SPLIT:
      if (physical_ == Type::FLOAT || physical_ == Type::DOUBLE || physical_ == Type::INT32 ||
          physical_ == Type::INT64 || physical_ == Type::FIXED_LEN_BYTE_ARRAY) {
        return DecodeByteStreamSplit(data, size, count);
      }
      break;
    case Encoding::BIT_PACKED:
      break;
    default:
      return Status::NotImplemented(
          fmt::format("unsupported value encoding {}", EncodingName(encoding)));
  }
  return Status::Corruption(fmt::format("encoding {} is not valid for {} values",
                                        EncodingName(encoding), PhysicalTypeName(physical_)));
}

Status ValueDecoder::DecodeDictionaryIndices(const uint8_t* data, int64_t size, int64_t count) {
  if (!has_dictionary_) {
    return Status::Corruption("dictionary-encoded data page without a dictionary page");
  }
  if (size < 1) {
    return Status::Corruption("dictionary-encoded data page has no bit width");
  }
  const int bit_width = data[0];
  if (bit_width > 32) {
    return Status::Corruption(
        fmt::format("dictionary indices have a bit width of {} (more than 32)", bit_width));
  }
  indices_.resize(static_cast<size_t>(count));
  RleBitPackedDecoder decoder(data + 1, size - 1, bit_width);
  SLUICE_RETURN_IF_ERROR(decoder.Decode(count, indices_.data()).WithContext("dictionary indices"));
  const uint32_t* indices = indices_.data();
  // Indices of `bit_width` bits are all below a dictionary of 2^bit_width values or more.
  const bool in_range = bit_width < 32 && (int64_t{1} << bit_width) <= dictionary_.count;
  const uint32_t max_index = in_range ? 0 : MaxIndex(indices, count);
  if (max_index >= static_cast<uint64_t>(dictionary_.count)) [[unlikely]] {
    return Status::Corruption(
        fmt::format("dictionary index {} out of range (dictionary has {} "
                    "values)",
                    max_index, dictionary_.count));
  }
  return Gather(indices, count);
}

Status ValueDecoder::Gather(const uint32_t* indices, int64_t count) {
  switch (layout_) {
    case Layout::kBits: {
      const int64_t start = out_.count;
      out_.values->Resize(bits::BytesFor(start + count));
      uint8_t* out = out_.values->mutable_data();
      const uint8_t* dictionary = dictionary_.values->data();
      for (int64_t i = 0; i < count; ++i) {
        if (bits::Get(dictionary, indices[i])) {
          bits::Set(out, start + i);
        }
      }
      out_.count += count;
      return Status::Ok();
    }
    case Layout::kFixed: {
      const uint8_t* dictionary = dictionary_.values->data();
      uint8_t* out = GrowFixed(&out_, count);
      switch (target_width_) {
        case 1:
          GatherFixed<uint8_t>(dictionary, indices, count, out);
          break;
        case 2:
          GatherFixed<uint16_t>(dictionary, indices, count, out);
          break;
        case 4:
          GatherFixed<uint32_t>(dictionary, indices, count, out);
          break;
        case 8:
          GatherFixed<uint64_t>(dictionary, indices, count, out);
          break;
        default:
          GatherFixed<Int128>(dictionary, indices, count, out);
          break;
      }
      return Status::Ok();
    }
    case Layout::kString:
      return GatherStrings(indices, count);
    case Layout::kVoid:
      break;
  }
  return Status::Ok();
}

Status ValueDecoder::GatherStrings(const uint32_t* indices, int64_t count) {
  const int32_t* dictionary_offsets = dictionary_.values->data_as<int32_t>();
  const uint8_t* dictionary_bytes = dictionary_.data->data();
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    total += dictionary_offsets[indices[i] + 1] - dictionary_offsets[indices[i]];
  }
  Buffer& bytes = *out_.data;
  const int64_t old_size = bytes.size();
  if (old_size + total > kMaxStringBytes) {
    return Status::ResourceExhausted(
        fmt::format("the column chunk's values exceed {} bytes of string data", kMaxStringBytes));
  }
  const int64_t start = out_.count;
  out_.values->Resize((start + count + 1) * 4);
  int32_t* offsets = out_.values->mutable_data_as<int32_t>() + start;
  ReserveStringBytes(&out_, count, old_size + total + kCopySlack);
  bytes.Resize(old_size + total);
  uint8_t* out = bytes.mutable_data();
  // SetDictionary left kCopySlack bytes of room after the dictionary's bytes.
  int64_t offset = old_size;
  if (dictionary_short_strings_) {
    // Every value fits in one block of 16.
    for (int64_t i = 0; i < count; ++i) {
      const int32_t begin = dictionary_offsets[indices[i]];
      const int32_t length = dictionary_offsets[indices[i] + 1] - begin;
      std::memcpy(out + offset, dictionary_bytes + begin, kCopySlack);
      offset += length;
      offsets[i + 1] = static_cast<int32_t>(offset);
    }
  } else {
    for (int64_t i = 0; i < count; ++i) {
      const int32_t begin = dictionary_offsets[indices[i]];
      const int32_t length = dictionary_offsets[indices[i] + 1] - begin;
      CopyBlocks(out + offset, dictionary_bytes + begin, length);
      offset += length;
      offsets[i + 1] = static_cast<int32_t>(offset);
    }
  }
  out_.count += count;
  return Status::Ok();
}

Status ValueDecoder::DecodeRleBooleans(const uint8_t* data, int64_t size, int64_t count) {
  if (size < 4) {
    return Status::Corruption("RLE boolean values have no length prefix");
  }
  const uint32_t length = Load<uint32_t>(data);
  if (length > static_cast<uint64_t>(size - 4)) {
    return Status::Corruption(fmt::format(
        "RLE boolean values claim {} bytes but the page has {} left", length, size - 4));
  }
  indices_.resize(static_cast<size_t>(count));
  RleBitPackedDecoder decoder(data + 4, length, 1);
  SLUICE_RETURN_IF_ERROR(decoder.Decode(count, indices_.data()).WithContext("RLE booleans"));
  const int64_t start = out_.count;
  out_.values->Resize(bits::BytesFor(start + count));
  uint8_t* out = out_.values->mutable_data();
  for (int64_t i = 0; i < count; ++i) {
    if (indices_[static_cast<size_t>(i)] != 0) {
      bits::Set(out, start + i);
    }
  }
  out_.count += count;
  return Status::Ok();
}

template <typename T>
Status ValueDecoder::DecodeDeltaBinaryPacked(const uint8_t* data, int64_t size, int64_t count) {
  DeltaBinaryPackedDecoder<T> decoder;
  SLUICE_RETURN_IF_ERROR(decoder.Init(data, size));
  if (decoder.total_values() < count) {
    return Status::Corruption(fmt::format("DELTA_BINARY_PACKED holds {} values, the page needs {}",
                                          decoder.total_values(), count));
  }
  if (conversion_ == Conversion::kCopy) {
    return decoder.Decode(count, reinterpret_cast<T*>(GrowFixed(&out_, count)));
  }
  auto* physical = reinterpret_cast<T*>(Scratch(count * static_cast<int64_t>(sizeof(T))));
  SLUICE_RETURN_IF_ERROR(decoder.Decode(count, physical));
  return AppendFixed(&out_, reinterpret_cast<const uint8_t*>(physical), count);
}

Status ValueDecoder::DecodeDeltaByteArrays(int32_t encoding, const uint8_t* data, int64_t size,
                                           int64_t count) {
  views_.clear();
  if (encoding == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
    SLUICE_RETURN_IF_ERROR(DecodeDeltaLengthByteArray(data, size, count, &views_));
  } else {
    SLUICE_RETURN_IF_ERROR(DecodeDeltaByteArray(data, size, count, &view_storage_, &views_));
  }
  if (static_cast<int64_t>(views_.size()) != count) {
    return Status::Corruption(fmt::format("{} decoded {} values, the page needs {}",
                                          EncodingName(encoding), views_.size(), count));
  }
  return AppendViews(&out_, views_.data(), count);
}

Status ValueDecoder::DecodeByteStreamSplit(const uint8_t* data, int64_t size, int64_t count) {
  if (count > size / physical_width_) {
    return NotEnoughBytes(count, PhysicalTypeName(physical_), size);
  }
  const int64_t bytes = count * physical_width_;
  // The streams are `count` bytes each; bytes after the last one are ignored.
  if (conversion_ == Conversion::kCopy) {
    return parquet::DecodeByteStreamSplit(data, bytes, physical_width_, count,
                                          GrowFixed(&out_, count));
  }
  uint8_t* physical = Scratch(bytes);
  SLUICE_RETURN_IF_ERROR(
      parquet::DecodeByteStreamSplit(data, bytes, physical_width_, count, physical));
  return AppendFixed(&out_, physical, count);
}

}  // namespace sluice::parquet
