// SPDX-License-Identifier: Apache-2.0
#include "expr/cast.h"

#include <gtest/gtest.h>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::Cells;

// CAST(value AS to) of a one-row vector, as the cell text or "ERROR: ...".
std::string CastOne(const VectorPtr& value, const TypePtr& to, bool ansi = false,
                    const std::string& zone = "UTC") {
  EvalContext ctx;
  ctx.ansi = ansi;
  ctx.time_zone = zone;
  Result<VectorPtr> result = CastVector(value, to, ctx);
  if (!result.ok()) {
    return "ERROR: " + result.status().message();
  }
  return Cells(**result)[0];
}

std::string StrTo(std::string_view text, const TypePtr& to, bool ansi = false) {
  return CastOne(MakeStringScalar(text), to, ansi);
}

TEST(CastTest, StringToIntegralTrimsAndDropsFraction) {
  EXPECT_EQ(StrTo(" 12 ", IntType()), "12");
  EXPECT_EQ(StrTo("1.5", IntType()), "1");
  EXPECT_EQ(StrTo("-7.99", LongType()), "-7");
  EXPECT_EQ(StrTo("+3", ShortType()), "3");
  EXPECT_EQ(StrTo("abc", IntType()), "NULL");
  EXPECT_EQ(StrTo("", IntType()), "NULL");
  EXPECT_EQ(StrTo("1e3", IntType()), "NULL");
  EXPECT_EQ(StrTo("2147483648", IntType()), "NULL");
  EXPECT_EQ(StrTo("128", ByteType()), "NULL");
  EXPECT_EQ(StrTo("-9223372036854775808", LongType()), "-9223372036854775808");
  EXPECT_EQ(StrTo("9223372036854775808", LongType()), "NULL");
}

TEST(CastTest, AnsiStringToIntRaisesCastInvalidInput) {
  EXPECT_EQ(StrTo("abc", IntType(), true),
            "ERROR: [CAST_INVALID_INPUT] The value 'abc' of the type \"STRING\" cannot be cast "
            "to \"INT\" because it is malformed. Correct the value as per the syntax, or change "
            "its target type. Use `try_cast` to tolerate malformed input and return NULL "
            "instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this "
            "error.");
  EvalContext ctx;
  ctx.ansi = true;
  Result<VectorPtr> tolerated = CastVector(MakeStringScalar("abc"), IntType(), ctx, true);
  ASSERT_TRUE(tolerated.ok());
  EXPECT_TRUE((*tolerated)->IsNull(0));
}

TEST(CastTest, IntegralNarrowingWrapsOrOverflowsInAnsi) {
  EXPECT_EQ(CastOne(MakeIntScalar(300), ByteType()), "44");
  EXPECT_EQ(CastOne(MakeLongScalar(4294967297), IntType()), "1");
  EXPECT_EQ(CastOne(MakeIntScalar(300), ByteType(), true),
            "ERROR: [CAST_OVERFLOW] The value 300 of the type \"INT\" cannot be cast to "
            "\"TINYINT\" due to an overflow. Use `try_cast` to tolerate overflow and return "
            "NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass "
            "this error.");
}

TEST(CastTest, DoubleToIntegralTruncatesAndSaturates) {
  EXPECT_EQ(CastOne(MakeDoubleScalar(3.99), IntType()), "3");
  EXPECT_EQ(CastOne(MakeDoubleScalar(-3.99), IntType()), "-3");
  EXPECT_EQ(CastOne(MakeDoubleScalar(1e20), IntType()), "2147483647");
  EXPECT_EQ(CastOne(MakeDoubleScalar(1e20), LongType()), "9223372036854775807");
  EXPECT_EQ(CastOne(MakeDoubleScalar(std::nan("")), IntType()), "0");
  EXPECT_EQ(CastOne(MakeDoubleScalar(1e10), IntType(), true).substr(0, 22),
            "ERROR: [CAST_OVERFLOW]");
}

TEST(CastTest, NumbersPrintAsSpark) {
  EXPECT_EQ(CastOne(MakeDoubleScalar(1.0), StringType()), "1.0");
  EXPECT_EQ(CastOne(MakeDoubleScalar(1e10), StringType()), "1.0E10");
  EXPECT_EQ(CastOne(MakeDoubleScalar(0.1), StringType()), "0.1");
  EXPECT_EQ(CastOne(MakeDecimalScalar(12345, 10, 2), StringType()), "123.45");
  EXPECT_EQ(CastOne(MakeBooleanScalar(true), StringType()), "true");
  EXPECT_EQ(CastOne(MakeDateScalar(19753), StringType()), "2024-01-31");
  EXPECT_EQ(CastOne(MakeTimestampScalar(1706695200000000), StringType()), "2024-01-31 10:00:00");
  EXPECT_EQ(CastOne(MakeTimestampScalar(1706695200500000), StringType(), false, "+02:00"),
            "2024-01-31 12:00:00.5");
}

TEST(CastTest, StringToDecimalRoundsHalfUp) {
  EXPECT_EQ(StrTo("1.245", DecimalType(5, 2)), "1.25");
  EXPECT_EQ(StrTo("-1.245", DecimalType(5, 2)), "-1.25");
  EXPECT_EQ(StrTo(" 12 ", DecimalType(5, 2)), "12.00");
  EXPECT_EQ(StrTo("12345", DecimalType(5, 2)), "NULL");
  EXPECT_EQ(StrTo("x", DecimalType(5, 2)), "NULL");
  EXPECT_EQ(StrTo("12345", DecimalType(5, 2), true).substr(0, 50),
            "ERROR: [NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION");
  EXPECT_EQ(CastOne(MakeDoubleScalar(0.125), DecimalType(4, 2)), "0.13");
  EXPECT_EQ(CastOne(MakeDecimalScalar(12345, 10, 2), IntType()), "123");
  EXPECT_EQ(CastOne(MakeDecimalScalar(-12399, 10, 2), DecimalType(5, 1)), "-124.0");
  EXPECT_EQ(CastOne(MakeDecimalScalar(12345, 10, 2), DoubleType()), "123.45");
}

TEST(CastTest, StringToBooleanAcceptsSparkWords) {
  for (const char* word : {"t", "TRUE", "y", "yes", "1", " true "}) {
    EXPECT_EQ(StrTo(word, BooleanType()), "true") << word;
  }
  for (const char* word : {"f", "false", "N", "no", "0"}) {
    EXPECT_EQ(StrTo(word, BooleanType()), "false") << word;
  }
  EXPECT_EQ(StrTo("maybe", BooleanType()), "NULL");
  EXPECT_EQ(CastOne(MakeIntScalar(2), BooleanType()), "true");
  EXPECT_EQ(CastOne(MakeDoubleScalar(0.0), BooleanType()), "false");
}

TEST(CastTest, StringToDoubleAcceptsJavaSyntaxAndSpecialWords) {
  EXPECT_EQ(StrTo("1.5", DoubleType()), "1.5");
  EXPECT_EQ(StrTo(" 1e3 ", DoubleType()), "1000.0");
  EXPECT_EQ(StrTo("2d", DoubleType()), "2.0");
  EXPECT_EQ(StrTo("-Infinity", DoubleType()), "-Infinity");
  EXPECT_EQ(StrTo("NaN", DoubleType()), "NaN");
  EXPECT_EQ(StrTo("1,5", DoubleType()), "NULL");
  EXPECT_EQ(StrTo("0x10", DoubleType()), "NULL");
}

TEST(CastTest, DatesAndTimestampsUseTheSessionZone) {
  EXPECT_EQ(StrTo("2024-01-31", DateType()), "2024-01-31");
  EXPECT_EQ(StrTo("2024-1-5 10:00", DateType()), "2024-01-05");
  EXPECT_EQ(StrTo("not a date", DateType()), "NULL");
  EXPECT_EQ(StrTo("2024-01-31 10:00:00", TimestampType()), "2024-01-31 10:00:00");
  // 10:00 in +02:00 is 08:00 UTC.
  EvalContext ctx;
  ctx.time_zone = "+02:00";
  Result<VectorPtr> ts = CastVector(MakeStringScalar("2024-01-31 10:00:00"), TimestampType(), ctx);
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ((*ts)->Value<int64_t>(0), 1706688000000000);
  EXPECT_EQ(CastOne(MakeTimestampScalar(1706740200000000), DateType(), false, "+02:00"),
            "2024-02-01");
  EXPECT_EQ(CastOne(MakeDateScalar(1), TimestampType()), "1970-01-02 00:00:00");
  EXPECT_EQ(CastOne(MakeLongScalar(86400), TimestampType()), "1970-01-02 00:00:00");
  EXPECT_EQ(CastOne(MakeTimestampScalar(-1500000), LongType()), "-2");
  EXPECT_EQ(CastOne(MakeTimestampScalar(1500000), DoubleType()), "1.5");
}

TEST(CastTest, ZoneIsOnlyNeededForTimestamps) {
  EXPECT_EQ(CastOne(MakeIntScalar(5), LongType(), false, "Not/AZone"), "5");
  EXPECT_EQ(CastOne(MakeTimestampScalar(0), StringType(), false, "Not/AZone").substr(0, 25),
            "ERROR: [INVALID_TIMEZONE]");
  EXPECT_EQ(CastOne(MakeTimestampScalar(0), StringType(), false, "America/Los_Angeles"),
            "1969-12-31 16:00:00");
}

TEST(CastTest, NestedValuesCastElementWiseAndPrintAsSpark) {
  ArrayBuilder builder(ArrayType(IntType()));
  auto* elements = static_cast<Int32Builder*>(builder.element());
  elements->Append(1);
  elements->AppendNull();
  builder.Append();
  builder.AppendNull();
  VectorPtr arrays = builder.Finish();
  Result<VectorPtr> as_strings = CastVector(arrays, StringType(), {});
  ASSERT_TRUE(as_strings.ok());
  EXPECT_EQ(Cells(**as_strings), (std::vector<std::string>{"[1, null]", "NULL"}));
  Result<VectorPtr> as_longs = CastVector(arrays, ArrayType(LongType()), {});
  ASSERT_TRUE(as_longs.ok());
  EXPECT_EQ((*as_longs)->type()->ToString(), "array<bigint>");
  EXPECT_EQ(Cells(**as_longs), (std::vector<std::string>{"[1, NULL]", "NULL"}));

  StructBuilder row(StructType({MakeField("a", IntType()), MakeField("b", StringType())}));
  static_cast<Int32Builder*>(row.child(0))->Append(1);
  static_cast<StringBuilder*>(row.child(1))->Append("x");
  row.Append();
  Result<VectorPtr> struct_text = CastVector(row.Finish(), StringType(), {});
  ASSERT_TRUE(struct_text.ok());
  EXPECT_EQ(Cells(**struct_text)[0], "{1, x}");

  MapBuilder map(MapType(StringType(), IntType()));
  static_cast<StringBuilder*>(map.keys())->Append("k");
  static_cast<Int32Builder*>(map.values())->Append(2);
  map.Append();
  Result<VectorPtr> map_text = CastVector(map.Finish(), StringType(), {});
  ASSERT_TRUE(map_text.ok());
  EXPECT_EQ(Cells(**map_text)[0], "{k -> 2}");
}

TEST(CastTest, BinaryAndStringConvertByteForByte) {
  EXPECT_EQ(CastOne(MakeStringScalar("ab"), BinaryType()), "[61 62]");
  EXPECT_EQ(CastOne(MakeIntScalar(258), BinaryType()), "[00 00 01 02]");
}

TEST(CastTest, CanCastFollowsSparkRules) {
  EXPECT_TRUE(CanCast(StringType(), IntType(), false));
  EXPECT_TRUE(CanCast(IntType(), StringType(), true));
  EXPECT_TRUE(CanCast(ArrayType(IntType()), ArrayType(StringType()), false));
  EXPECT_FALSE(CanCast(DateType(), IntType(), true));
  EXPECT_FALSE(CanCast(IntType(), BinaryType(), true));
  EXPECT_FALSE(CanCast(ArrayType(IntType()), IntType(), false));
  EXPECT_FALSE(CanCast(BooleanType(), DateType(), false));
  EXPECT_TRUE(CanCast(NullType(), MapType(StringType(), IntType()), true));
}

}  // namespace
}  // namespace sluice::expr
