// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "formats/parquet/leaf.h"
#include "formats/parquet/schema.h"
#include "formats/parquet/tests/test_util.h"
#include "formats/parquet/thrift_io.h"

namespace sluice::parquet {
namespace {

using test_util::Binary;
using test_util::Decimal;
using test_util::Double;
using test_util::Int;
using test_util::Long;
using test_util::Null;
using test_util::String;

using PhysicalType = format::Type;
using format::ConvertedType;

// ---------------------------------------------------------------------------------------
// Building leaves and metadata by hand

format::SchemaElement Element(PhysicalType::type type) {
  format::SchemaElement element;
  element.__set_name("c");
  element.__set_repetition_type(format::FieldRepetitionType::OPTIONAL);
  element.__set_type(type);
  return element;
}

format::SchemaElement Element(PhysicalType::type type, ConvertedType::type converted) {
  format::SchemaElement element = Element(type);
  element.__set_converted_type(converted);
  return element;
}

format::SchemaElement DecimalElement(PhysicalType::type type, int precision, int scale,
                                     int type_length = 0) {
  format::SchemaElement element = Element(type, ConvertedType::DECIMAL);
  element.__set_precision(precision);
  element.__set_scale(scale);
  if (type_length > 0) {
    element.__set_type_length(type_length);
  }
  return element;
}

format::SchemaElement TimestampElement(char unit, bool utc = true) {
  format::SchemaElement element = Element(PhysicalType::INT64);
  format::TimeUnit time_unit;
  if (unit == 'm') {
    time_unit.__set_MILLIS(format::MilliSeconds());
  } else if (unit == 'u') {
    time_unit.__set_MICROS(format::MicroSeconds());
  } else {
    time_unit.__set_NANOS(format::NanoSeconds());
  }
  format::TimestampType timestamp;
  timestamp.__set_isAdjustedToUTC(utc);
  timestamp.__set_unit(time_unit);
  format::LogicalType logical;
  logical.__set_TIMESTAMP(timestamp);
  element.__set_logicalType(logical);
  return element;
}

format::SchemaElement Float16Element() {
  format::SchemaElement element = Element(PhysicalType::FIXED_LEN_BYTE_ARRAY);
  element.__set_type_length(2);
  format::LogicalType logical;
  logical.__set_FLOAT16(format::Float16Type());
  element.__set_logicalType(logical);
  return element;
}

LeafDescriptor Leaf(const format::SchemaElement& element) {
  LeafDescriptor leaf;
  leaf.path = element.name;
  leaf.element = element;
  leaf.max_definition_level = 1;
  Result<TypePtr> type = PrimitiveSluiceType(element, element.name);
  EXPECT_TRUE(type.ok()) << type.status().ToString();
  leaf.type = type.ok() ? *type : nullptr;
  return leaf;
}

format::ColumnMetaData Meta(const LeafDescriptor& leaf, int64_t num_values,
                            const format::Statistics& statistics) {
  format::ColumnMetaData meta;
  meta.__set_type(leaf.element.type);
  meta.__set_path_in_schema({leaf.element.name});
  meta.__set_num_values(num_values);
  meta.__set_statistics(statistics);
  return meta;
}

format::ColumnOrder TypeOrder() {
  format::ColumnOrder order;
  order.__set_TYPE_ORDER(format::TypeDefinedOrder());
  return order;
}

format::ColumnOrder TotalOrder() {
  format::ColumnOrder order;
  order.__set_IEEE_754_TOTAL_ORDER(format::IEEE754TotalOrder());
  return order;
}

template <typename T>
std::string Plain(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// Min and max through min_value/max_value.
format::Statistics Bounds(const std::string& min, const std::string& max) {
  format::Statistics statistics;
  statistics.__set_min_value(min);
  statistics.__set_max_value(max);
  return statistics;
}

// Min and max through the deprecated fields only.
format::Statistics LegacyBounds(const std::string& min, const std::string& max) {
  format::Statistics statistics;
  statistics.__set_min(min);
  statistics.__set_max(max);
  return statistics;
}

ColumnStatistics Decode(const format::SchemaElement& element, const format::Statistics& stats,
                        const format::ColumnOrder* order, int64_t num_values = 10) {
  const LeafDescriptor leaf = Leaf(element);
  Result<ColumnStatistics> decoded = DecodeStatistics(leaf, Meta(leaf, num_values, stats), order);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  return decoded.ok() ? *decoded : ColumnStatistics{};
}

std::string MinText(const ColumnStatistics& stats) {
  return stats.min.has_value() ? FormatLiteral(*stats.min) : "none";
}
std::string MaxText(const ColumnStatistics& stats) {
  return stats.max.has_value() ? FormatLiteral(*stats.max) : "none";
}

// Literal's operator== compares type pointers; this compares types by value.
::testing::AssertionResult Same(const std::optional<Literal>& actual, const Literal& expected) {
  if (!actual.has_value()) {
    return ::testing::AssertionFailure() << "no value, expected " << FormatLiteral(expected);
  }
  const bool same_type =
      actual->type != nullptr && expected.type != nullptr && actual->type->Equals(*expected.type);
  if (!same_type || actual->value != expected.value) {
    return ::testing::AssertionFailure()
           << FormatLiteral(*actual) << " (" << (actual->type ? actual->type->ToString() : "?")
           << "), expected " << FormatLiteral(expected) << " (" << expected.type->ToString() << ")";
  }
  return ::testing::AssertionSuccess();
}

const format::ColumnOrder kTypeOrder = TypeOrder();
const format::ColumnOrder kTotalOrder = TotalOrder();

// ---------------------------------------------------------------------------------------
// Which fields are trusted

TEST(StatisticsTest, DecodesTypeOrderedBoundsAndCounts) {
  format::Statistics stats = Bounds(Plain<int32_t>(-7), Plain<int32_t>(42));
  stats.__set_null_count(3);
  const ColumnStatistics decoded = Decode(Element(PhysicalType::INT32), stats, &kTypeOrder);
  EXPECT_EQ(decoded.path, std::vector<std::string>{"c"});
  EXPECT_EQ(decoded.type->id(), TypeId::kInt);
  EXPECT_EQ(decoded.num_values, 10);
  EXPECT_EQ(decoded.null_count, 3);
  EXPECT_TRUE(Same(decoded.min, Int(-7)));
  EXPECT_TRUE(Same(decoded.max, Int(42)));
  EXPECT_TRUE(decoded.min_exact);
  EXPECT_TRUE(decoded.max_exact);
  EXPECT_FALSE(decoded.nan_count.has_value());
}

TEST(StatisticsTest, PrefersMinValueOverTheDeprecatedFields) {
  format::Statistics stats = Bounds(Plain<int64_t>(1), Plain<int64_t>(2));
  stats.__set_min(Plain<int64_t>(-100));
  stats.__set_max(Plain<int64_t>(100));
  const ColumnStatistics decoded = Decode(Element(PhysicalType::INT64), stats, &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Long(1)));
  EXPECT_TRUE(Same(decoded.max, Long(2)));
}

TEST(StatisticsTest, DeprecatedFieldsServeSignedTypesOnly) {
  // A signed int: the legacy signed order is its order.
  ColumnStatistics decoded = Decode(Element(PhysicalType::INT32),
                                    LegacyBounds(Plain<int32_t>(-5), Plain<int32_t>(5)), nullptr);
  EXPECT_TRUE(Same(decoded.min, Int(-5)));
  EXPECT_TRUE(Same(decoded.max, Int(5)));
  // Strings, FLBA and unsigned ints: old writers used signed byte order (PARQUET-251).
  decoded = Decode(Element(PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
                   LegacyBounds("a", "\xC3\xA9"), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_FALSE(decoded.max.has_value());
  decoded = Decode(Element(PhysicalType::INT32, ConvertedType::UINT_32),
                   LegacyBounds(Plain<int32_t>(-1), Plain<int32_t>(5)), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  decoded =
      Decode(DecimalElement(PhysicalType::FIXED_LEN_BYTE_ARRAY, 4, 0, 2),
             LegacyBounds(std::string("\x00\x01", 2), std::string("\x00\x02", 2)), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
}

TEST(StatisticsTest, MinValueNeedsAKnownColumnOrderUnlessTheTypeIsSigned) {
  // No column_orders: a string's min_value has no defined order.
  ColumnStatistics decoded =
      Decode(Element(PhysicalType::BYTE_ARRAY, ConvertedType::UTF8), Bounds("a", "b"), nullptr);
  EXPECT_FALSE(decoded.min.has_value());
  decoded =
      Decode(Element(PhysicalType::BYTE_ARRAY, ConvertedType::UTF8), Bounds("a", "b"), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, String("a")));
  // A signed int orders the same either way.
  decoded =
      Decode(Element(PhysicalType::INT32), Bounds(Plain<int32_t>(1), Plain<int32_t>(2)), nullptr);
  EXPECT_TRUE(Same(decoded.min, Int(1)));
  // An order this build does not know (the union arrives empty): min_value is ignored,
  // the deprecated fields of a signed type still serve.
  const format::ColumnOrder unknown;
  format::Statistics stats = Bounds(Plain<int32_t>(1), Plain<int32_t>(2));
  decoded = Decode(Element(PhysicalType::INT32), stats, &unknown);
  EXPECT_FALSE(decoded.min.has_value());
  stats.__set_min(Plain<int32_t>(0));
  stats.__set_max(Plain<int32_t>(3));
  decoded = Decode(Element(PhysicalType::INT32), stats, &unknown);
  EXPECT_TRUE(Same(decoded.min, Int(0)));
  EXPECT_TRUE(Same(decoded.max, Int(3)));
  // IEEE 754 total order is for floating point only.
  decoded = Decode(Element(PhysicalType::INT32), Bounds(Plain<int32_t>(1), Plain<int32_t>(2)),
                   &kTotalOrder);
  EXPECT_FALSE(decoded.min.has_value());
}

TEST(StatisticsTest, Int96BoundsAreNeverUsed) {
  format::Statistics stats = Bounds(std::string(12, '\0'), std::string(12, '\x01'));
  stats.__set_min(std::string(12, '\0'));
  stats.__set_max(std::string(12, '\x01'));
  stats.__set_null_count(0);
  const ColumnStatistics decoded = Decode(Element(PhysicalType::INT96), stats, &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_FALSE(decoded.max.has_value());
  EXPECT_EQ(decoded.null_count, 0);
}

TEST(StatisticsTest, ImplausibleCountsAreDropped) {
  format::Statistics stats;
  stats.__set_null_count(-1);
  EXPECT_FALSE(Decode(Element(PhysicalType::INT32), stats, &kTypeOrder).null_count.has_value());
  stats.__set_null_count(11);
  EXPECT_FALSE(Decode(Element(PhysicalType::INT32), stats, &kTypeOrder).null_count.has_value());
  stats.__set_null_count(10);
  EXPECT_EQ(Decode(Element(PhysicalType::INT32), stats, &kTypeOrder).null_count, 10);
  stats.__set_nan_count(2);  // not a floating type
  EXPECT_FALSE(Decode(Element(PhysicalType::INT32), stats, &kTypeOrder).nan_count.has_value());
  EXPECT_EQ(Decode(Element(PhysicalType::DOUBLE), stats, &kTypeOrder).nan_count, 2);
}

TEST(StatisticsTest, NoStatisticsGivesCountsOnly) {
  const LeafDescriptor leaf = Leaf(Element(PhysicalType::INT32));
  format::ColumnMetaData meta;
  meta.__set_type(PhysicalType::INT32);
  meta.__set_path_in_schema({"s", "c"});
  meta.__set_num_values(5);
  Result<ColumnStatistics> decoded = DecodeStatistics(leaf, meta, &kTypeOrder);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->path, (std::vector<std::string>{"s", "c"}));
  EXPECT_EQ(decoded->num_values, 5);
  EXPECT_FALSE(decoded->null_count.has_value());
  EXPECT_FALSE(decoded->min.has_value());
}

TEST(StatisticsTest, ChunkOfAnotherPhysicalTypeIsCorruption) {
  const LeafDescriptor leaf = Leaf(Element(PhysicalType::INT32));
  format::ColumnMetaData meta = Meta(leaf, 1, format::Statistics());
  meta.__set_type(PhysicalType::INT64);
  EXPECT_EQ(DecodeStatistics(leaf, meta, &kTypeOrder).status().code(), StatusCode::kCorruption);
}

// ---------------------------------------------------------------------------------------
// Per-type decoding

TEST(StatisticsTest, BoundOfTheWrongLengthIsDroppedAlone) {
  const ColumnStatistics decoded =
      Decode(Element(PhysicalType::INT32), Bounds("\x01\x02", Plain<int32_t>(9)), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_TRUE(Same(decoded.max, Int(9)));
  EXPECT_FALSE(Decode(Element(PhysicalType::DOUBLE), Bounds("", ""), &kTypeOrder).max.has_value());
  EXPECT_FALSE(Decode(Element(PhysicalType::BOOLEAN), Bounds("\x02", "\x01\x01"), &kTypeOrder)
                   .min.has_value());
}

TEST(StatisticsTest, BooleansAndDates) {
  ColumnStatistics decoded =
      Decode(Element(PhysicalType::BOOLEAN), Bounds(std::string(1, '\0'), "\x01"), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{BooleanType(), false})));
  EXPECT_TRUE(Same(decoded.max, (Literal{BooleanType(), true})));
  decoded = Decode(Element(PhysicalType::INT32, ConvertedType::DATE),
                   Bounds(Plain<int32_t>(-25567), Plain<int32_t>(19753)), &kTypeOrder);
  EXPECT_EQ(MinText(decoded), "1900-01-01");
  EXPECT_EQ(MaxText(decoded), "2024-01-31");
}

TEST(StatisticsTest, NarrowIntegersOutOfTheirRangeDropBothBounds) {
  ColumnStatistics decoded = Decode(Element(PhysicalType::INT32, ConvertedType::INT_8),
                                    Bounds(Plain<int32_t>(-128), Plain<int32_t>(127)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{ByteType(), int64_t{-128}})));
  EXPECT_TRUE(Same(decoded.max, (Literal{ByteType(), int64_t{127}})));
  decoded = Decode(Element(PhysicalType::INT32, ConvertedType::INT_8),
                   Bounds(Plain<int32_t>(1), Plain<int32_t>(300)), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_FALSE(decoded.max.has_value());
}

TEST(StatisticsTest, UnsignedIntegersWiden) {
  ColumnStatistics decoded =
      Decode(Element(PhysicalType::INT32, ConvertedType::UINT_32),
             Bounds(Plain<uint32_t>(1), Plain<uint32_t>(4294967295u)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.max, Long(4294967295)));
  decoded = Decode(Element(PhysicalType::INT32, ConvertedType::UINT_8),
                   Bounds(Plain<uint32_t>(0), Plain<uint32_t>(255)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.max, (Literal{ShortType(), int64_t{255}})));
  decoded = Decode(Element(PhysicalType::INT64, ConvertedType::UINT_64),
                   Bounds(Plain<uint64_t>(5), Plain<uint64_t>(18446744073709551615u)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Decimal(5, 20, 0)));
  EXPECT_EQ(MaxText(decoded), "18446744073709551615");
}

TEST(StatisticsTest, TimestampsBecomeMicroseconds) {
  ColumnStatistics decoded =
      Decode(TimestampElement('m'), Bounds(Plain<int64_t>(-1500), Plain<int64_t>(1706695200000)),
             &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{TimestampType(), int64_t{-1500000}})));
  EXPECT_EQ(MaxText(decoded), "2024-01-31 10:00:00");
  EXPECT_TRUE(decoded.min_exact);
  // Nanoseconds round outwards and are then not exact.
  decoded = Decode(TimestampElement('n', false),
                   Bounds(Plain<int64_t>(-1500), Plain<int64_t>(1500)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{TimestampNtzType(), int64_t{-2}})));
  EXPECT_TRUE(Same(decoded.max, (Literal{TimestampNtzType(), int64_t{2}})));
  EXPECT_FALSE(decoded.min_exact);
  EXPECT_FALSE(decoded.max_exact);
  decoded = Decode(TimestampElement('n'), Bounds(Plain<int64_t>(-2000), Plain<int64_t>(3000)),
                   &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{TimestampType(), int64_t{-2}})));
  EXPECT_TRUE(decoded.min_exact);
  EXPECT_TRUE(decoded.max_exact);
  // Milliseconds beyond the range of microseconds: neither bound can be trusted.
  decoded = Decode(TimestampElement('m'),
                   Bounds(Plain<int64_t>(0), Plain<int64_t>(std::numeric_limits<int64_t>::max())),
                   &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_FALSE(decoded.max.has_value());
}

TEST(StatisticsTest, DecimalsOfEveryPhysicalForm) {
  ColumnStatistics decoded = Decode(DecimalElement(PhysicalType::INT32, 9, 2),
                                    Bounds(Plain<int32_t>(-1250), Plain<int32_t>(99)), &kTypeOrder);
  EXPECT_EQ(MinText(decoded), "-12.50");
  EXPECT_EQ(MaxText(decoded), "0.99");
  decoded = Decode(DecimalElement(PhysicalType::INT64, 18, 0),
                   Bounds(Plain<int64_t>(-3), Plain<int64_t>(3)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Decimal(-3, 18, 0)));
  // Big-endian two's complement, of the FLBA's length or (as some writers do) shorter.
  decoded =
      Decode(DecimalElement(PhysicalType::FIXED_LEN_BYTE_ARRAY, 9, 1, 4),
             Bounds(std::string("\xFF\xFF\xFF\x85", 4), std::string("\x01\x00", 2)), &kTypeOrder);
  EXPECT_EQ(MinText(decoded), "-12.3");
  EXPECT_EQ(MaxText(decoded), "25.6");
  decoded = Decode(DecimalElement(PhysicalType::BYTE_ARRAY, 38, 0),
                   Bounds(std::string(20, '\xFF'), std::string(19, '\0') + "\x07"), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Decimal(-1, 38, 0)));
  EXPECT_TRUE(Same(decoded.max, Decimal(7, 38, 0)));
  // More than 16 significant bytes, or beyond the precision: neither bound is kept.
  decoded = Decode(DecimalElement(PhysicalType::BYTE_ARRAY, 38, 0),
                   Bounds("\x00", "\x01" + std::string(16, '\0')), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_FALSE(decoded.max.has_value());
  decoded = Decode(DecimalElement(PhysicalType::INT32, 2, 0),
                   Bounds(Plain<int32_t>(0), Plain<int32_t>(100)), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  // An empty bound has no value.
  decoded =
      Decode(DecimalElement(PhysicalType::BYTE_ARRAY, 10, 0), Bounds("", "\x01"), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_TRUE(Same(decoded.max, Decimal(1, 10, 0)));
}

TEST(StatisticsTest, FloatBoundsDropNaNAndWidenZeros) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  format::Statistics stats = Bounds(Plain<double>(1.5), Plain<double>(nan));
  stats.__set_nan_count(1);
  ColumnStatistics decoded = Decode(Element(PhysicalType::DOUBLE), stats, &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Double(1.5)));
  EXPECT_FALSE(decoded.max.has_value());
  EXPECT_EQ(decoded.nan_count, 1);
  // A min of +0.0 may hide -0.0 values, a max of -0.0 may hide +0.0.
  decoded = Decode(Element(PhysicalType::FLOAT), Bounds(Plain<float>(0.0f), Plain<float>(-0.0f)),
                   &kTotalOrder);
  ASSERT_TRUE(decoded.min.has_value() && decoded.max.has_value());
  EXPECT_TRUE(std::signbit(std::get<double>(decoded.min->value)));
  EXPECT_FALSE(std::signbit(std::get<double>(decoded.max->value)));
  EXPECT_EQ(decoded.min->type->id(), TypeId::kFloat);
  // The deprecated fields of an old writer with NaN in them.
  decoded = Decode(Element(PhysicalType::FLOAT),
                   LegacyBounds(Plain<float>(std::nanf("")), Plain<float>(2.5f)), nullptr);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_EQ(MaxText(decoded), "2.5");
}

TEST(StatisticsTest, Float16BecomesFloat) {
  // 0xC000 = -2.0, 0x3C00 = 1.0, 0x0001 = 2^-24, 0x7E00 = NaN.
  ColumnStatistics decoded =
      Decode(Float16Element(), Bounds(std::string("\x00\xC0", 2), std::string("\x00\x3C", 2)),
             &kTotalOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{FloatType(), -2.0})));
  EXPECT_TRUE(Same(decoded.max, (Literal{FloatType(), 1.0})));
  EXPECT_TRUE(decoded.min_exact);
  decoded = Decode(Float16Element(), Bounds(std::string("\x01\x00", 2), std::string("\x00\x7E", 2)),
                   &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, (Literal{FloatType(), std::ldexp(1.0, -24)})));
  EXPECT_FALSE(decoded.max.has_value());
  // Never from the deprecated fields (the storage is a byte array).
  decoded =
      Decode(Float16Element(), LegacyBounds(std::string("\x00\xC0", 2), std::string("\x00\x3C", 2)),
             &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
}

TEST(StatisticsTest, ByteArrayExactnessFollowsTheFlags) {
  format::Statistics stats = Bounds("Al", "Kf");
  stats.__set_is_min_value_exact(false);
  stats.__set_is_max_value_exact(true);
  ColumnStatistics decoded = Decode(Element(PhysicalType::BYTE_ARRAY), stats, &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Binary("Al")));
  EXPECT_FALSE(decoded.min_exact);
  EXPECT_TRUE(decoded.max_exact);
  // Without flags a byte-array bound may have been truncated.
  decoded =
      Decode(Element(PhysicalType::BYTE_ARRAY, ConvertedType::UTF8), Bounds("a", "b"), &kTypeOrder);
  EXPECT_FALSE(decoded.min_exact);
  EXPECT_FALSE(decoded.max_exact);
}

TEST(StatisticsTest, FixedLengthBinaryNeedsItsLength) {
  format::SchemaElement element = Element(PhysicalType::FIXED_LEN_BYTE_ARRAY);
  element.__set_type_length(3);
  const ColumnStatistics decoded = Decode(element, Bounds("abc", "ab"), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.min, Binary("abc")));
  EXPECT_FALSE(decoded.max.has_value());
}

TEST(StatisticsTest, MinAboveMaxDropsBoth) {
  const ColumnStatistics decoded = Decode(
      Element(PhysicalType::INT64), Bounds(Plain<int64_t>(5), Plain<int64_t>(4)), &kTypeOrder);
  EXPECT_FALSE(decoded.min.has_value());
  EXPECT_FALSE(decoded.max.has_value());
}

TEST(StatisticsTest, TimeAndUnknownAnnotations) {
  // TIME(MILLIS) reads as the raw int.
  ColumnStatistics decoded = Decode(Element(PhysicalType::INT32, ConvertedType::TIME_MILLIS),
                                    Bounds(Plain<int32_t>(0), Plain<int32_t>(1000)), &kTypeOrder);
  EXPECT_TRUE(Same(decoded.max, Int(1000)));
  // A logical type this build does not know (an empty union) and no converted type.
  format::SchemaElement element = Element(PhysicalType::INT32);
  element.__set_logicalType(format::LogicalType());
  LeafDescriptor leaf = Leaf(Element(PhysicalType::INT32));
  leaf.element = element;
  Result<ColumnStatistics> unknown = DecodeStatistics(
      leaf, Meta(leaf, 1, Bounds(Plain<int32_t>(0), Plain<int32_t>(1))), &kTypeOrder);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->min.has_value());
}

// ---------------------------------------------------------------------------------------
// Formatting and comparing literals

TEST(StatisticsTest, FormatsLiteralsOfEveryType) {
  EXPECT_EQ(FormatLiteral(Literal{BooleanType(), true}), "true");
  EXPECT_EQ(FormatLiteral(Literal{ByteType(), int64_t{-8}}), "-8");
  EXPECT_EQ(FormatLiteral(Long(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(FormatLiteral(Literal{FloatType(), 0.1f}), "0.1");
  EXPECT_EQ(FormatLiteral(Double(1e-4)), "1.0E-4");
  EXPECT_EQ(FormatLiteral(Double(std::numeric_limits<double>::quiet_NaN())), "NaN");
  EXPECT_EQ(FormatLiteral(Decimal(-5, 5, 2)), "-0.05");
  EXPECT_EQ(FormatLiteral(String("héllo")), "héllo");
  EXPECT_EQ(FormatLiteral(Binary(std::string("\x00\xAB\x7F", 3))), "0x00AB7F");
  EXPECT_EQ(FormatLiteral(Binary("")), "0x");
  EXPECT_EQ(FormatLiteral(Literal{DateType(), int64_t{19753}}), "2024-01-31");
  EXPECT_EQ(FormatLiteral(Literal{TimestampType(), int64_t{1706695200500000}}),
            "2024-01-31 10:00:00.5");
  EXPECT_EQ(FormatLiteral(Literal{TimestampNtzType(), int64_t{0}}), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatLiteral(Null(IntType())), "null");
}

TEST(StatisticsTest, ComparesLiteralsOfTheSameType) {
  EXPECT_LT(CompareLiterals(Int(-3), Int(2)), 0);
  EXPECT_EQ(CompareLiterals(Int(2), Int(2)), 0);
  EXPECT_GT(CompareLiterals(Long(std::numeric_limits<int64_t>::max()), Long(-1)), 0);
  EXPECT_LT(CompareLiterals(Literal{BooleanType(), false}, Literal{BooleanType(), true}), 0);
  // Strings and binary compare as unsigned bytes.
  EXPECT_GT(CompareLiterals(String("\xC3\xA9"), String("z")), 0);
  EXPECT_LT(CompareLiterals(String("ab"), String("abc")), 0);
  EXPECT_GT(CompareLiterals(Binary("\xFF"), Binary(std::string(1, '\0'))), 0);
  // Decimals by value, whatever their scales.
  EXPECT_EQ(CompareLiterals(Decimal(150, 5, 2), Decimal(15, 5, 1)), 0);
  EXPECT_LT(CompareLiterals(Decimal(-1, 38, 38), Decimal(0, 38, 0)), 0);
  EXPECT_GT(CompareLiterals(Decimal(1, 38, 0), Decimal(99999999, 38, 37)), 0);
  // Spark's order of doubles: -0.0 = 0.0, NaN = NaN and above +Infinity.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(CompareLiterals(Double(-0.0), Double(0.0)), 0);
  EXPECT_EQ(CompareLiterals(Double(nan), Double(-nan)), 0);
  EXPECT_GT(CompareLiterals(Double(nan), Double(inf)), 0);
  EXPECT_LT(CompareLiterals(Double(-inf), Double(-1e308)), 0);
  EXPECT_LT(CompareLiterals(Literal{DateType(), int64_t{-1}}, Literal{DateType(), int64_t{0}}), 0);
  // Nulls first.
  EXPECT_LT(CompareLiterals(Null(IntType()), Int(std::numeric_limits<int32_t>::min())), 0);
  EXPECT_EQ(CompareLiterals(Null(IntType()), Null(IntType())), 0);
}

TEST(StatisticsTest, ComparesValuesAcrossTypesWhereExact) {
  EXPECT_EQ(CompareValues(Literal{ByteType(), int64_t{5}}, Long(5)), 0);
  EXPECT_EQ(CompareValues(Int(3), Decimal(250, 5, 2)), 1);
  EXPECT_EQ(CompareValues(Int(2), Decimal(250, 5, 2)), -1);
  EXPECT_EQ(CompareValues(Int(-3), Decimal(-250, 5, 2)), -1);
  // Integers against doubles, exactly even where a double cannot hold the integer.
  EXPECT_EQ(CompareValues(Long(9007199254740993), Double(9007199254740992.0)), 1);
  EXPECT_EQ(
      CompareValues(Long(std::numeric_limits<int64_t>::max()), Double(9.223372036854775807e18)),
      -1);
  EXPECT_EQ(CompareValues(Int(2), Double(2.5)), -1);
  EXPECT_EQ(CompareValues(Int(2), Double(std::numeric_limits<double>::quiet_NaN())), -1);
  // Decimals against doubles: certain, or nullopt when too close to tell.
  EXPECT_EQ(CompareValues(Decimal(125, 5, 2), Double(1.25)), 0);
  EXPECT_EQ(CompareValues(Decimal(10, 5, 2), Double(0.1)), std::nullopt);
  EXPECT_EQ(CompareValues(Decimal(11, 5, 2), Double(0.1)), 1);
  EXPECT_EQ(CompareValues(Double(-0.5), Decimal(-49, 5, 2)), -1);
  // Strings with binary; dates with timestamps at midnight UTC.
  EXPECT_EQ(CompareValues(String("ab"), Binary("ab")), 0);
  EXPECT_EQ(CompareValues(Literal{DateType(), int64_t{1}},
                          Literal{TimestampType(), int64_t{86400000000}}),
            0);
  EXPECT_EQ(CompareValues(Literal{TimestampNtzType(), int64_t{1}}, Literal{DateType(), int64_t{0}}),
            1);
  // Not comparable without a cast that may fail, or mismatched, or null.
  EXPECT_EQ(CompareValues(String("1"), Int(1)), std::nullopt);
  EXPECT_EQ(
      CompareValues(Literal{TimestampType(), int64_t{0}}, Literal{TimestampNtzType(), int64_t{0}}),
      std::nullopt);
  EXPECT_EQ(CompareValues(Literal{IntType(), std::string("x")}, Int(1)), std::nullopt);
  EXPECT_EQ(CompareValues(Null(IntType()), Int(1)), std::nullopt);
}

// ---------------------------------------------------------------------------------------
// Real files

struct TestFile {
  format::FileMetaData metadata;
  std::vector<LeafDescriptor> leaves;
};

Status LoadFooter(const std::string& path, TestFile* out) {
  return test_util::LoadFooter(path, &out->metadata, &out->leaves);
}

std::string Data(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/parquet-testing/data/" + name;
}
std::string DuckDb(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/parquet-duckdb/" + name;
}

// The decoded statistics of every chunk of a file, keyed "rg/path".
std::map<std::string, ColumnStatistics> DecodeAll(const std::string& path) {
  TestFile file;
  const Status status = LoadFooter(path, &file);
  EXPECT_TRUE(status.ok()) << status.ToString();
  std::map<std::string, ColumnStatistics> all;
  for (size_t group = 0; group < file.metadata.row_groups.size(); ++group) {
    for (const LeafDescriptor& leaf : file.leaves) {
      const format::ColumnChunk& chunk = file.metadata.row_groups[group].columns[leaf.column_index];
      const format::ColumnOrder* order = file.metadata.__isset.column_orders
                                             ? &file.metadata.column_orders[leaf.column_index]
                                             : nullptr;
      Result<ColumnStatistics> stats = DecodeStatistics(leaf, chunk.meta_data, order);
      EXPECT_TRUE(stats.ok()) << path << " " << leaf.path << ": " << stats.status().ToString();
      if (stats.ok()) {
        all[std::to_string(group) + "/" + leaf.path] = *stats;
      }
    }
  }
  return all;
}

std::string Range(const ColumnStatistics& stats) {
  return MinText(stats) + (stats.min_exact ? "" : "~") + " .. " + MaxText(stats) +
         (stats.max_exact ? "" : "~");
}

TEST(StatisticsTest, SignedAndUnsignedIntegerFiles) {
  auto stats = DecodeAll(DuckDb("signed_stats.parquet"));
  EXPECT_EQ(Range(stats["0/CAST(-128 AS TINYINT)"]), "-128 .. 127");
  EXPECT_EQ(Range(stats["0/CAST(-32768 AS SMALLINT)"]), "-32768 .. 32767");
  EXPECT_EQ(Range(stats["0/CAST(-2147483648 AS INTEGER)"]), "-2147483648 .. 2147483647");
  EXPECT_EQ(Range(stats["0/CAST(-9223372036854775808 AS BIGINT)"]),
            "-9223372036854775808 .. 9223372036854775807");
  stats = DecodeAll(DuckDb("unsigned_stats.parquet"));
  EXPECT_EQ(Range(stats["0/utiny"]), "0 .. 255");
  EXPECT_EQ(Range(stats["0/usmall"]), "0 .. 65535");
  EXPECT_EQ(Range(stats["0/uint"]), "0 .. 4294967295");
  EXPECT_EQ(Range(stats["0/ubig"]), "0 .. 18446744073709551615");
  EXPECT_EQ(stats["0/ubig"].type->ToString(), "decimal(20,0)");
  // parquet-go wrote the UINT_8 min as 0xFFFFFFFF for a value of 255: not a UINT_8.
  stats = DecodeAll(DuckDb("out_of_range_stats.parquet"));
  EXPECT_EQ(Range(stats["0/hcol0"]), "none .. none");
  EXPECT_EQ(stats["0/hcol0"].null_count, 0);
}

TEST(StatisticsTest, DecimalFiles) {
  auto stats = DecodeAll(DuckDb("decimal_stats.parquet"));
  EXPECT_EQ(Range(stats["0/dec4"]), "-999.9 .. 999.9");
  EXPECT_EQ(Range(stats["0/dec9"]), "-999999.999 .. 999999.999");
  EXPECT_EQ(Range(stats["0/dec18"]), "-9999999999999.99999 .. 9999999999999.99999");
  EXPECT_EQ(Range(stats["0/CAST(-999999999999999999999999999999999.99999 AS DECIMAL(38,5))"]),
            "-999999999999999999999999999999999.99999 .. 999999999999999999999999999999999.99999");
  // Talend's 16-byte FLBA decimals of small precision (DuckDB issue 10148).
  stats = DecodeAll(DuckDb("bug10148-wide-decimal-stats.parquet"));
  EXPECT_EQ(Range(stats["0/CDYMD8"]), "19500101 .. 19500110");
  EXPECT_EQ(Range(stats["0/CDCONO"]), "0 .. 0");
  EXPECT_EQ(Range(stats["0/CDDIVI"]), "~ .. ~");
}

TEST(StatisticsTest, DateTimeFiles) {
  auto stats = DecodeAll(DuckDb("date_stats.parquet"));
  EXPECT_EQ(Range(stats["0/date_val"]), "1900-01-01 .. 2030-12-31");
  EXPECT_EQ(Range(stats["0/time_val"]), "0 .. 86399000000");  // TIME(MICROS) as long
  EXPECT_EQ(Range(stats["0/timestamp_val"]), "1990-01-01 00:00:00 .. 2030-12-31 23:59:59");
  EXPECT_EQ(stats["0/timestamp_val"].type->id(), TypeId::kTimestampNtz);
  EXPECT_EQ(Range(stats["0/timestamps_val"]), "1900-01-01 00:00:00 .. 2030-12-31 23:59:59");
  EXPECT_EQ(Range(stats["0/timestampms_val"]), "1900-01-01 00:00:00 .. 2030-12-31 23:59:59");
  EXPECT_EQ(Range(stats["0/timestampns_val"]), "1900-01-01 00:00:00 .. 2030-12-31 23:59:59");
  stats = DecodeAll(DuckDb("timetz_4byte_stats.parquet"));
  EXPECT_EQ(Range(stats["0/col1"]), "0 .. 0");
  // Parquet.Net 4.25 wrote bounds 8 hours off the values (12:00:00): the file's stats
  // are wrong, and nothing in them says so. They decode as written.
  stats = DecodeAll(DuckDb("corrupt_stats.parquet"));
  EXPECT_EQ(Range(stats["0/A"]), "2021-01-01 04:00:00 .. 2021-01-01 04:00:00");
  EXPECT_EQ(stats["0/B"].null_count, 1);
}

TEST(StatisticsTest, StringFiles) {
  auto stats = DecodeAll(DuckDb("varchar_stats.parquet"));
  EXPECT_EQ(Range(stats["0/str_val"]), "hello world~ .. world hello~");
  EXPECT_TRUE(Same(stats["0/hello\\x00world"].min, Binary(std::string("hello\0world", 11))));
  stats = DecodeAll(Data("binary_truncated_min_max.parquet"));
  EXPECT_EQ(Range(stats["0/utf8_full_truncation"]), "Al~ .. Kf~");
  EXPECT_EQ(Range(stats["0/utf8_partial_truncation"]), "Al~ .. 🚀Kevin Bacon");
  EXPECT_EQ(Range(stats["0/binary_partial_truncation"]), "0x416C~ .. 0xFFFF0102");
  EXPECT_EQ(Range(stats["0/utf8_no_truncation"]), "Al .. Ke");
  EXPECT_EQ(Range(stats["0/binary_no_truncation"]), "0x416C .. 0x4B65");
}

TEST(StatisticsTest, FloatingOrdersAndNaNCounts) {
  auto stats = DecodeAll(Data("floating_orders_nan_count.parquet"));
  for (const std::string column : {"float_ieee754", "double_ieee754", "float16_ieee754",
                                   "float_typedef", "double_typedef", "float16_typedef"}) {
    SCOPED_TRACE(column);
    EXPECT_EQ(Range(stats["0/" + column]), "-2.0 .. 5.0");
    EXPECT_EQ(stats["0/" + column].nan_count, 0);
    EXPECT_EQ(stats["1/" + column].nan_count, 4);
    EXPECT_EQ(stats["2/" + column].nan_count, 10);
    // All NaN: no bound survives.
    EXPECT_EQ(Range(stats["2/" + column]), "none .. none");
    // Row group 3 holds 0.0 but no -0.0, row group 4 -0.0 but no 0.0; the bounds widen
    // to the other zero.
    EXPECT_EQ(Range(stats["3/" + column]), "-0.0 .. 5.0");
    EXPECT_EQ(Range(stats["4/" + column]), "-5.0 .. 0.0");
  }
  // Row group 1 mixes NaN and numbers: the IEEE 754 total order columns keep the numbers'
  // bounds; the type-defined order columns have none.
  EXPECT_EQ(Range(stats["1/float_ieee754"]), "-2.0 .. 3.0");
  EXPECT_EQ(Range(stats["1/float16_ieee754"]), "-2.0 .. 3.0");
  EXPECT_EQ(Range(stats["1/double_typedef"]), "none .. none");
  // PyArrow 0.8 wrote NaN as the max.
  stats = DecodeAll(Data("nan_in_stats.parquet"));
  EXPECT_EQ(Range(stats["0/x"]), "1.0 .. none");
}

TEST(StatisticsTest, PageIndexFilesDecode) {
  auto stats = DecodeAll(Data("alltypes_tiny_pages.parquet"));
  EXPECT_EQ(Range(stats["0/id"]), "0 .. 7299");
  EXPECT_EQ(Range(stats["0/bool_col"]), "false .. true");
  EXPECT_EQ(Range(stats["0/float_col"]), "-0.0 .. 9.9");
  EXPECT_EQ(Range(stats["0/date_string_col"]), "01/01/09~ .. 12/31/10~");
  EXPECT_EQ(Range(stats["0/timestamp_col"]), "none .. none");  // INT96
  stats = DecodeAll(Data("int32_with_null_pages.parquet"));
  EXPECT_EQ(Range(stats["0/int32_field"]), "-2136906554 .. 2145722375");
  EXPECT_EQ(stats["0/int32_field"].null_count, 275);
  EXPECT_EQ(stats["0/int32_field"].num_values, 1000);
}

TEST(StatisticsTest, LiteralsOfEqualTypesMadeApartAreEqual) {
  const Literal a{DecimalType(10, 2), Int128{1234}};
  const Literal b{DecimalType(10, 2), Int128{1234}};
  EXPECT_EQ(a, b);
  EXPECT_NE(a, (Literal{DecimalType(10, 3), Int128{1234}}));
  EXPECT_NE(a, (Literal{DecimalType(10, 2), Int128{1235}}));
}

}  // namespace
}  // namespace sluice::parquet
