// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::DoubleLit;
using testing::EvalOne;
using testing::IntLit;
using testing::Lit;
using testing::LongLit;
using testing::NullLit;
using testing::StrLit;

ExprPtr S(std::string_view text) {
  return StrLit(text);
}
ExprPtr I(int32_t value) {
  return IntLit(value);
}

TEST(StringFunctionsTest, ConcatAndConcatWs) {
  EXPECT_EQ(EvalOne("concat", {S("Spark"), S("SQL")}), "SparkSQL");
  EXPECT_EQ(EvalOne("concat", {S("a"), I(1), DoubleLit(1.5)}), "a11.5");
  EXPECT_EQ(EvalOne("concat", {S("a"), NullLit()}), "NULL");
  EXPECT_EQ(EvalOne("concat_ws", {S(" "), S("Spark"), S("SQL")}), "Spark SQL");
  EXPECT_EQ(EvalOne("concat_ws", {S("s")}), "");
  EXPECT_EQ(EvalOne("concat_ws", {S("/"), S("a"), NullLit(StringType()), S("b")}), "a/b");
  EXPECT_EQ(EvalOne("concat_ws", {NullLit(StringType()), S("a")}), "NULL");
  ArrayBuilder array(ArrayType(StringType()));
  auto* elements = static_cast<StringBuilder*>(array.element());
  elements->Append("x");
  elements->AppendNull();
  elements->Append("y");
  array.Append();
  EXPECT_EQ(EvalOne("concat_ws", {S(","), Lit(array.Finish()), S("z")}), "x,y,z");
}

TEST(StringFunctionsTest, SubstringFollowsSparkEdgeCases) {
  EXPECT_EQ(EvalOne("substring", {S("Spark SQL"), I(5)}), "k SQL");
  EXPECT_EQ(EvalOne("substring", {S("Spark SQL"), I(-3)}), "SQL");
  EXPECT_EQ(EvalOne("substring", {S("Spark SQL"), I(5), I(1)}), "k");
  EXPECT_EQ(EvalOne("substr", {S("Spark SQL"), I(0), I(3)}), "Spa");
  EXPECT_EQ(EvalOne("substring", {S("Spark SQL"), I(-20), I(13)}), "Sp");
  EXPECT_EQ(EvalOne("substring", {S("Spark"), I(10)}), "");
  EXPECT_EQ(EvalOne("substring", {S("Spark"), I(2), I(-1)}), "");
  EXPECT_EQ(EvalOne("substring", {S("héllo"), I(2), I(2)}), "él");
  EXPECT_EQ(EvalOne("substring", {NullLit(StringType()), I(1)}), "NULL");
  EXPECT_EQ(EvalOne("left", {S("Spark SQL"), I(3)}), "Spa");
  EXPECT_EQ(EvalOne("left", {S("Spark SQL"), I(-1)}), "");
  EXPECT_EQ(EvalOne("right", {S("Spark SQL"), I(3)}), "SQL");
  EXPECT_EQ(EvalOne("right", {S("ab"), I(5)}), "ab");
}

TEST(StringFunctionsTest, CaseTrimAndLength) {
  EXPECT_EQ(EvalOne("lower", {S("SparkSql ÄÖ")}), "sparksql äö");
  EXPECT_EQ(EvalOne("ucase", {S("SparkSql äö")}), "SPARKSQL ÄÖ");
  EXPECT_EQ(EvalOne("initcap", {S("sPark sql")}), "Spark Sql");
  EXPECT_EQ(EvalOne("trim", {S("    SparkSQL   ")}), "SparkSQL");
  EXPECT_EQ(EvalOne("trim", {S("SSparkSQLS"), S("SL")}), "parkSQ");
  EXPECT_EQ(EvalOne("ltrim", {S("    SparkSQL   ")}), "SparkSQL   ");
  EXPECT_EQ(EvalOne("rtrim", {S("    SparkSQL   ")}), "    SparkSQL");
  EXPECT_EQ(EvalOne("trim", {S("\tx ")}), "\tx");
  EXPECT_EQ(EvalOne("length", {S("Spark SQL ")}), "10");
  EXPECT_EQ(EvalOne("char_length", {S("héllo")}), "5");
  EXPECT_EQ(EvalOne("octet_length", {S("héllo")}), "6");
  EXPECT_EQ(EvalOne("length", {Lit(MakeNullScalar(BinaryType()))}), "NULL");
}

TEST(StringFunctionsTest, SearchAndReplace) {
  EXPECT_EQ(EvalOne("instr", {S("SparkSQL"), S("SQL")}), "6");
  EXPECT_EQ(EvalOne("instr", {S("SparkSQL"), S("x")}), "0");
  EXPECT_EQ(EvalOne("locate", {S("bar"), S("foobarbar")}), "4");
  EXPECT_EQ(EvalOne("locate", {S("bar"), S("foobarbar"), I(5)}), "7");
  EXPECT_EQ(EvalOne("locate", {S("bar"), S("foobarbar"), I(0)}), "0");
  EXPECT_EQ(EvalOne("replace", {S("ABCabc"), S("abc"), S("DEF")}), "ABCDEF");
  EXPECT_EQ(EvalOne("replace", {S("ABCabc"), S("abc")}), "ABC");
  EXPECT_EQ(EvalOne("replace", {S("abc"), S(""), S("x")}), "abc");
  EXPECT_EQ(EvalOne("startswith", {S("Spark SQL"), S("Spark")}), "true");
  EXPECT_EQ(EvalOne("endswith", {S("Spark SQL"), S("Spark")}), "false");
  EXPECT_EQ(EvalOne("contains", {S("Spark SQL"), S("k S")}), "true");
  EXPECT_EQ(EvalOne("contains", {S("Spark SQL"), NullLit()}), "NULL");
  EXPECT_EQ(EvalOne("translate", {S("AaBbCc"), S("abc"), S("123")}), "A1B2C3");
  EXPECT_EQ(EvalOne("translate", {S("AaBbCc"), S("abc"), S("1")}), "A1BC");
}

TEST(StringFunctionsTest, PaddingRepeatReverseAndCharacters) {
  EXPECT_EQ(EvalOne("lpad", {S("hi"), I(5), S("??")}), "???hi");
  EXPECT_EQ(EvalOne("lpad", {S("hi"), I(1), S("??")}), "h");
  EXPECT_EQ(EvalOne("lpad", {S("hi"), I(5)}), "   hi");
  EXPECT_EQ(EvalOne("rpad", {S("hi"), I(5), S("??")}), "hi???");
  EXPECT_EQ(EvalOne("rpad", {S("hi"), I(-1)}), "");
  EXPECT_EQ(EvalOne("repeat", {S("123"), I(2)}), "123123");
  EXPECT_EQ(EvalOne("repeat", {S("123"), I(-1)}), "");
  EXPECT_EQ(EvalOne("reverse", {S("Spark SQL")}), "LQS krapS");
  EXPECT_EQ(EvalOne("reverse", {S("héllo")}), "olléh");
  EXPECT_EQ(EvalOne("ascii", {S("222")}), "50");
  EXPECT_EQ(EvalOne("ascii", {I(2)}), "50");
  EXPECT_EQ(EvalOne("ascii", {S("")}), "0");
  EXPECT_EQ(EvalOne("chr", {I(65)}), "A");
  EXPECT_EQ(EvalOne("chr", {I(321)}), "A");
  EXPECT_EQ(EvalOne("chr", {I(-1)}), "");
  EXPECT_EQ(EvalOne("split_part", {S("11.12.13"), S("."), I(3)}), "13");
  EXPECT_EQ(EvalOne("split_part", {S("11.12.13"), S("."), I(-1)}), "13");
  EXPECT_EQ(EvalOne("split_part", {S("11.12.13"), S("."), I(4)}), "");
  EXPECT_EQ(EvalOne("split_part", {S("11.12.13"), S("."), I(0)}).substr(0, 30),
            "ERROR: [INVALID_INDEX_OF_ZERO]");
}

TEST(StringFunctionsTest, LikeAndRlike) {
  EXPECT_EQ(EvalOne("like", {S("Spark"), S("_park")}), "true");
  EXPECT_EQ(EvalOne("like", {S("Spark"), S("S%")}), "true");
  EXPECT_EQ(EvalOne("like", {S("Spark"), S("s%")}), "false");
  EXPECT_EQ(EvalOne("ilike", {S("Spark"), S("_PARK")}), "true");
  EXPECT_EQ(EvalOne("like", {S("a\nb"), S("a%b")}), "true");
  EXPECT_EQ(EvalOne("like", {S("%SystemDrive%\\Users\\John"), S("\\%SystemDrive\\%\\\\Users%")}),
            "true");
  EXPECT_EQ(EvalOne("like", {S("50%"), S("50/%"), S("/")}), "true");
  EXPECT_EQ(EvalOne("like", {S("a.c"), S("a.c")}), "true");
  EXPECT_EQ(EvalOne("like", {S("abc"), S("a.c")}), "false");
  // A literal pattern is checked when the call is bound.
  EXPECT_EQ(EvalOne("like", {S("abc"), S("a\\bc")}).substr(0, 46),
            "BIND ERROR: [INVALID_FORMAT.ESC_IN_THE_MIDDLE]");
  EXPECT_EQ(EvalOne("like", {NullLit(StringType()), S("a")}), "NULL");
  EXPECT_EQ(EvalOne("rlike", {S("%SystemDrive%\\Users\\John"), S("%SystemDrive%\\\\Users.*")}),
            "true");
  EXPECT_EQ(EvalOne("regexp", {S("Spark"), S("ar")}), "true");
  EXPECT_EQ(EvalOne("regexp_like", {S("Spark"), S("^ar")}), "false");
  EXPECT_EQ(EvalOne("rlike", {S("abc"), S("\\p{Alpha}+")}), "true");
  Result<ExprPtr> bad = testing::Bind("rlike", {S("a"), S("(")});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("[INVALID_PARAMETER_VALUE.PATTERN]"), std::string::npos);
}

TEST(StringFunctionsTest, RegexpExtractReplaceAndSplit) {
  EXPECT_EQ(EvalOne("regexp_extract", {S("100-200"), S("(\\d+)-(\\d+)"), I(1)}), "100");
  EXPECT_EQ(EvalOne("regexp_extract", {S("100-200"), S("(\\d+)-(\\d+)")}), "100");
  EXPECT_EQ(EvalOne("regexp_extract", {S("100-200"), S("(\\d+)-(\\d+)"), I(0)}), "100-200");
  EXPECT_EQ(EvalOne("regexp_extract", {S("foo"), S("(\\d+)"), I(1)}), "");
  EXPECT_EQ(EvalOne("regexp_extract", {S("100-200"), S("(\\d+)"), I(2)}).substr(0, 50),
            "ERROR: [INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX]");
  EXPECT_EQ(EvalOne("regexp_extract_all", {S("100-200, 300-400"), S("(\\d+)-(\\d+)"), I(1)}),
            "[100, 300]");
  EXPECT_EQ(EvalOne("regexp_extract_all", {S("100-200, 300-400"), S("(\\d+)-(\\d+)"), I(2)}),
            "[200, 400]");
  EXPECT_EQ(EvalOne("regexp_replace", {S("100-200"), S("(\\d+)"), S("num")}), "num-num");
  EXPECT_EQ(EvalOne("regexp_replace", {S("100-200"), S("(\\d+)-(\\d+)"), S("$2-$1")}), "200-100");
  EXPECT_EQ(EvalOne("regexp_replace", {S("abc"), S(""), S("x")}), "xaxbxcx");
  EXPECT_EQ(EvalOne("regexp_replace", {S("aaa"), S("a"), S("b"), I(2)}), "abb");
  EXPECT_EQ(EvalOne("regexp_replace", {S("a.b"), S("\\."), S("\\$")}), "a$b");
  EXPECT_EQ(EvalOne("split", {S("oneAtwoBthreeC"), S("[ABC]")}), "[one, two, three, ]");
  EXPECT_EQ(EvalOne("split", {S("oneAtwoBthreeC"), S("[ABC]"), I(-1)}), "[one, two, three, ]");
  EXPECT_EQ(EvalOne("split", {S("oneAtwoBthreeC"), S("[ABC]"), I(2)}), "[one, twoBthreeC]");
  EXPECT_EQ(EvalOne("split", {S("abc"), S("")}), "[a, b, c]");
  EXPECT_EQ(EvalOne("split", {S(""), S(",")}), "[]");
  EXPECT_EQ(EvalOne("split", {S("a,b"), S(",")}), "[a, b]");
  EXPECT_EQ(EvalOne("regexp_count",
                    {S("Steven Jones and Stephen Smith are the best players"), S("Ste(v|ph)en")}),
            "2");
}

TEST(StringFunctionsTest, FormatString) {
  EXPECT_EQ(EvalOne("format_string", {S("Hello World %d %s"), I(100), S("days")}),
            "Hello World 100 days");
  EXPECT_EQ(
      EvalOne("printf", {S("%.2f|%05d|%-5s|%x|%%"), DoubleLit(3.14159), I(42), S("ab"), I(255)}),
      "3.14|00042|ab   |ff|%");
  EXPECT_EQ(EvalOne("format_string", {S("%.2f"), DoubleLit(0.125)}), "0.13");
  EXPECT_EQ(EvalOne("format_string", {S("%s"), NullLit(StringType())}), "null");
  EXPECT_EQ(EvalOne("format_string", {S("%,d"), LongLit(1234567)}), "1,234,567");
  EXPECT_EQ(EvalOne("format_string", {S("%10.3f|%+d"), DoubleLit(-2.5), I(3)}), "    -2.500|+3");
  EXPECT_EQ(EvalOne("format_string", {S("%x"), I(-1)}), "ffffffff");
  EXPECT_EQ(EvalOne("format_string", {S("%2$s %1$s"), S("a"), S("b")}), "b a");
  EXPECT_EQ(EvalOne("format_string", {S("%c%c"), I(65), I(233)}), "Aé");
  EXPECT_EQ(EvalOne("format_string", {S("%c"), I(-5)}).substr(0, 34),
            "ERROR: [ILLEGAL_FORMAT_CODE_POINT]");
  EXPECT_EQ(EvalOne("format_string", {NullLit(StringType()), I(1)}), "NULL");
  EXPECT_EQ(EvalOne("format_string", {S("%d"), S("x")}).substr(0, 35),
            "ERROR: [ILLEGAL_FORMAT_CONVERSION] ");
  EXPECT_EQ(EvalOne("format_string", {S("%s %s"), S("x")}).substr(0, 32),
            "ERROR: [MISSING_FORMAT_ARGUMENT]");
}

TEST(StringFunctionsTest, EncodingAndMoreStringFunctions) {
  EXPECT_EQ(EvalOne("hex", {I(17)}), "11");
  EXPECT_EQ(EvalOne("hex", {I(-1)}), "FFFFFFFFFFFFFFFF");
  EXPECT_EQ(EvalOne("hex", {S("Spark SQL")}), "537061726B2053514C");
  EXPECT_EQ(EvalOne("unhex", {S("537061726B2053514C")}), "[53 70 61 72 6B 20 53 51 4C]");
  EXPECT_EQ(EvalOne("unhex", {S("GG")}), "NULL");
  EXPECT_EQ(EvalOne("base64", {S("Spark SQL")}), "U3BhcmsgU1FM");
  EXPECT_EQ(EvalOne("base64", {S("ab")}), "YWI=");
  EXPECT_EQ(EvalOne("unbase64", {S("U3BhcmsgU1FM")}), "[53 70 61 72 6B 20 53 51 4C]");
  EXPECT_EQ(EvalOne("substring_index", {S("www.apache.org"), S("."), I(2)}), "www.apache");
  EXPECT_EQ(EvalOne("substring_index", {S("www.apache.org"), S("."), I(-2)}), "apache.org");
  EXPECT_EQ(EvalOne("substring_index", {S("www.apache.org"), S("."), I(9)}), "www.apache.org");
  EXPECT_EQ(EvalOne("substring_index", {S("www.apache.org"), S("."), I(0)}), "");
  EXPECT_EQ(EvalOne("levenshtein", {S("kitten"), S("sitting")}), "3");
  EXPECT_EQ(EvalOne("find_in_set", {S("ab"), S("abc,b,ab,c,def")}), "3");
  EXPECT_EQ(EvalOne("find_in_set", {S("a,b"), S("a,b")}), "0");
  EXPECT_EQ(EvalOne("elt", {I(1), S("scala"), S("java")}), "scala");
  EXPECT_EQ(EvalOne("elt", {I(3), S("scala"), S("java")}), "NULL");
  EXPECT_EQ(EvalOne("overlay", {S("Spark SQL"), S("_"), I(6)}), "Spark_SQL");
  EXPECT_EQ(EvalOne("overlay", {S("Spark SQL"), S("CORE"), I(7)}), "Spark CORE");
  EXPECT_EQ(EvalOne("overlay", {S("Spark SQL"), S("ANSI "), I(7), I(0)}), "Spark ANSI SQL");
  EXPECT_EQ(EvalOne("overlay", {S("Spark SQL"), S("tructured"), I(2), I(4)}), "Structured SQL");
  EXPECT_EQ(EvalOne("format_number", {testing::DoubleLit(12332.123456), I(4)}), "12,332.1235");
  EXPECT_EQ(EvalOne("format_number", {I(-1234567), I(0)}), "-1,234,567");
  EXPECT_EQ(EvalOne("format_number", {testing::DoubleLit(0.125), I(2)}), "0.12");
  EXPECT_EQ(EvalOne("format_number", {I(5), I(-1)}), "NULL");
  EXPECT_EQ(EvalOne("position", {S("bar"), S("foobarbar")}), "4");
  EXPECT_EQ(EvalOne("bin", {I(13)}), "1101");
  EXPECT_EQ(EvalOne("bin", {I(-13)}),
            "1111111111111111111111111111111111111111111111111111111111110011");
  EXPECT_EQ(EvalOne("conv", {S("100"), I(2), I(10)}), "4");
  EXPECT_EQ(EvalOne("conv", {I(-10), I(16), I(-10)}), "-16");
  EXPECT_EQ(EvalOne("conv", {S("-10"), I(16), I(10)}), "18446744073709551600");
  EXPECT_EQ(EvalOne("conv", {S("ff"), I(16), I(10)}), "255");
  EXPECT_EQ(EvalOne("conv", {S("1"), I(1), I(10)}), "NULL");
  EXPECT_EQ(EvalOne("soundex", {S("Miller")}), "M460");
  EXPECT_EQ(EvalOne("soundex", {S("Ashcraft")}), "A261");
  EXPECT_EQ(EvalOne("soundex", {S("Tymczak")}), "T522");
  EXPECT_EQ(EvalOne("soundex", {S("1abc")}), "1abc");
  EXPECT_EQ(EvalOne("encode", {S("abc"), S("utf-8")}), "[61 62 63]");
  EXPECT_EQ(EvalOne("encode", {S("é"), S("UTF-16LE")}), "[E9 00]");
  EXPECT_EQ(EvalOne("encode", {S("é"), S("US-ASCII")}), "[3F]");
  EXPECT_EQ(EvalOne("decode", {testing::MustBind("encode", {S("abc"), S("utf-8")}), S("utf-8")}),
            "abc");
  EXPECT_EQ(EvalOne("decode", {testing::MustBind("encode", {S("hé"), S("UTF-16")}), S("UTF-16")}),
            "hé");
  EXPECT_EQ(EvalOne("encode", {S("a"), S("EBCDIC")}).substr(0, 40),
            "ERROR: [INVALID_PARAMETER_VALUE.CHARSET]");
  // The CASE-like form; nulls match nulls.
  EXPECT_EQ(EvalOne("decode", {I(2), I(1), S("Southlake"), I(2), S("San Francisco"), I(3),
                               S("New Jersey"), I(4), S("Seattle"), S("Non domestic")}),
            "San Francisco");
  EXPECT_EQ(
      EvalOne("decode", {I(6), I(1), S("Southlake"), I(2), S("San Francisco"), S("Non domestic")}),
      "Non domestic");
  EXPECT_EQ(EvalOne("decode", {I(6), I(1), S("Southlake"), I(2), S("San Francisco")}), "NULL");
  EXPECT_EQ(EvalOne("decode", {NullLit(), I(6), S("Spark"), NullLit(), S("SQL"), I(4), S("rocks")}),
            "SQL");
}

TEST(StringFunctionsTest, UuidIsRandomVersion4) {
  ExprPtr uuid = testing::MustBind("uuid", {});
  ASSERT_NE(uuid, nullptr);
  EXPECT_FALSE(uuid->IsDeterministic());
  BatchPtr batch = testing::MakeBatch({testing::Ints({1, 2})});
  std::vector<std::string> values = testing::Eval(uuid, batch);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].size(), 36u);
  EXPECT_EQ(values[0][14], '4');
  EXPECT_NE(values[0], values[1]);
}

}  // namespace
}  // namespace sluice::expr
