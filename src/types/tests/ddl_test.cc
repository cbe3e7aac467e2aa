// SPDX-License-Identifier: Apache-2.0
#include "types/ddl.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice {
namespace {

SchemaPtr MustParse(std::string_view ddl) {
  Result<SchemaPtr> result = ParseDdlSchema(ddl);
  EXPECT_TRUE(result.ok()) << ddl << ": " << result.status().ToString();
  return result.ok() ? *result : MakeSchema({});
}

TypePtr MustParseType(std::string_view ddl) {
  Result<TypePtr> result = ParseDdlType(ddl);
  EXPECT_TRUE(result.ok()) << ddl << ": " << result.status().ToString();
  return result.ok() ? *result : StructType({});
}

/// Returns the error message, checking the code.
std::string ErrorOf(std::string_view ddl, StatusCode code = StatusCode::kParseError) {
  Result<SchemaPtr> result = ParseDdlSchema(ddl);
  if (result.ok()) {
    return "(parsed: " + (*result)->ToDdl() + ")";
  }
  EXPECT_EQ(result.status().code(), code) << result.status().ToString();
  return result.status().message();
}

Field Commented(std::string name, TypePtr type, std::string comment_json, bool nullable = true) {
  Field field = MakeField(std::move(name), std::move(type), nullable);
  field.metadata.emplace_back("comment", std::move(comment_json));
  return field;
}

TEST(DdlTest, ParsesTheExample) {
  SchemaPtr schema = MustParse(
      "order_id BIGINT, items ARRAY<STRUCT<sku: STRING, qty: INT>>, tags MAP<STRING, "
      "STRING>");
  Schema expected({
      MakeField("order_id", LongType()),
      MakeField("items", ArrayType(StructType(
                             {MakeField("sku", StringType()), MakeField("qty", IntType())}))),
      MakeField("tags", MapType(StringType(), StringType())),
  });
  EXPECT_EQ(*schema, expected);
  EXPECT_EQ(
      schema->ToDdl(),
      "order_id BIGINT, items ARRAY<STRUCT<sku: STRING, qty: INT>>, tags MAP<STRING, STRING>");
}

TEST(DdlTest, TypeAliasesAreCaseInsensitive) {
  struct Case {
    std::string ddl;
    TypePtr type;
  };
  const std::vector<Case> cases = {
      {"boolean", BooleanType()},
      {"Byte", ByteType()},
      {"TINYINT", ByteType()},
      {"short", ShortType()},
      {"smallint", ShortType()},
      {"int", IntType()},
      {"Integer", IntType()},
      {"long", LongType()},
      {"bigint", LongType()},
      {"float", FloatType()},
      {"real", FloatType()},
      {"double", DoubleType()},
      {"decimal", DecimalType(10, 0)},
      {"dec(5)", DecimalType(5, 0)},
      {"numeric( 7 , 3 )", DecimalType(7, 3)},
      {"DECIMAL(38,38)", DecimalType(38, 38)},
      {"decimal(1,0)", DecimalType(1, 0)},
      {"string", StringType()},
      {"varchar(10)", StringType()},
      {"char(3)", StringType()},
      {"binary", BinaryType()},
      {"date", DateType()},
      {"timestamp", TimestampType()},
      {"timestamp_ltz", TimestampType()},
      {"TIMESTAMP_NTZ", TimestampNtzType()},
      {"array<int>", ArrayType(IntType())},
      {"map<string,array<bigint>>", MapType(StringType(), ArrayType(LongType()))},
      {"struct<>", StructType({})},
      {"STRUCT<a INT, b: string>",
       StructType({MakeField("a", IntType()), MakeField("b", StringType())})},
  };
  for (const Case& c : cases) {
    TypePtr type = MustParseType(c.ddl);
    EXPECT_TRUE(type->Equals(*c.type)) << c.ddl << " gave " << type->ToString();
  }
}

TEST(DdlTest, NamesOptionsAndWhitespace) {
  SchemaPtr schema = MustParse(
      "  `odd name` INT NOT NULL COMMENT 'the id',\n\t`a``b` STRUCT<`x.y`: INT NOT NULL, "
      "Upper string COMMENT \"dq\" NOT NULL>, 1a date, comment string, not int , "
      "c string comment 'it\\'s \\\\ \\n \\u00e9'  ");
  Schema expected({
      Commented("odd name", IntType(), "\"the id\"", false),
      MakeField("a`b", StructType({MakeField("x.y", IntType(), false),
                                   Commented("Upper", StringType(), "\"dq\"", false)})),
      MakeField("1a", DateType()),
      MakeField("comment", StringType()),
      MakeField("not", IntType()),
      Commented("c", StringType(), "\"it's \\\\ \\n \xC3\xA9\""),
  });
  EXPECT_EQ(*schema, expected) << schema->ToDdl();
}

TEST(DdlTest, EmptyInputIsAnEmptySchema) {
  EXPECT_EQ(MustParse("")->num_fields(), 0);
  EXPECT_EQ(MustParse(" \n ")->num_fields(), 0);
}

TEST(DdlTest, RoundTripsThroughToDdl) {
  const std::vector<Schema> schemas = {
      Schema({MakeField("a", IntType())}),
      Schema({MakeField("order_id", LongType(), false),
              MakeField("items", ArrayType(StructType({MakeField("sku", StringType()),
                                                       MakeField("qty", IntType())}))),
              MakeField("tags", MapType(StringType(), StringType()))}),
      Schema({MakeField("b", BooleanType()), MakeField("t", ByteType()),
              MakeField("s", ShortType()), MakeField("f", FloatType()),
              MakeField("d", DoubleType()), MakeField("x", BinaryType()),
              MakeField("dt", DateType()), MakeField("ts", TimestampType()),
              MakeField("ntz", TimestampNtzType()), MakeField("p", DecimalType(38, 0)),
              MakeField("q", DecimalType(1, 1))}),
      Schema(
          {MakeField("n", NullType()), MakeField("v", VariantType(), false),
           MakeField("nested", StructType({MakeField("a", ArrayType(VariantType())),
                                           MakeField("m", MapType(StringType(), NullType()))}))}),
      Schema({MakeField("with space", IntType()), MakeField("`", StringType()),
              MakeField("0", IntType()), MakeField("", IntType()), MakeField("é", IntType()),
              MakeField("a,b<c>:d", IntType()), MakeField("NOT", IntType()),
              MakeField("COMMENT", IntType()), MakeField("STRUCT", IntType())}),
      Schema({Commented("c1", IntType(), "\"plain\""),
              Commented("c2", IntType(), "\"quote ' and \\\\ backslash\"", false),
              Commented("c3", IntType(), "\"\""),
              Commented("c4", IntType(), "\"tab\\tnew\\nline \\u0001 \\\" é \\\\n\""),
              Commented("c5", StructType({Commented("inner", IntType(), "\"in\"", false)}),
                        "\"outer\"")}),
      Schema({MakeField(
          "deep",
          MapType(ArrayType(StructType({})),
                  StructType({MakeField(
                      "m", MapType(IntType(), ArrayType(MapType(StringType(), DateType()))))})))}),
      Schema({}),
  };
  for (const Schema& schema : schemas) {
    const std::string ddl = schema.ToDdl();
    Result<SchemaPtr> parsed = ParseDdlSchema(ddl);
    ASSERT_TRUE(parsed.ok()) << ddl << ": " << parsed.status().ToString();
    EXPECT_EQ(**parsed, schema) << ddl << " came back as " << (*parsed)->ToDdl();
    EXPECT_EQ((*parsed)->ToDdl(), ddl);
  }
}

TEST(DdlTest, ParseDdlTypeRoundTrips) {
  TypePtr type = MustParseType("ARRAY<STRUCT<sku: STRING, qty: INT>>");
  EXPECT_EQ(type->ToDdl(), "ARRAY<STRUCT<sku: STRING, qty: INT>>");
  EXPECT_TRUE(MustParseType(type->ToDdl())->Equals(*type));
  Result<TypePtr> trailing = ParseDdlType("INT x");
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.status().message(), "DDL: expected end of input at position 5 (found 'x')");
}

TEST(DdlTest, ErrorsNamePositionAndExpectation) {
  EXPECT_EQ(ErrorOf("order_id BIGINT, x ARRY<INT>"),
            "DDL: expected a type name at position 20 (found 'ARRY')");
  EXPECT_EQ(ErrorOf("a"), "DDL: expected a type name at position 2 (found end of input)");
  EXPECT_EQ(ErrorOf("a INT,"), "DDL: expected a column name at position 7 (found end of input)");
  EXPECT_EQ(ErrorOf("a INT b INT"), "DDL: expected ',' or end of input at position 7 (found 'b')");
  EXPECT_EQ(ErrorOf("a: INT"), "DDL: expected a type name at position 2 (found ':')");
  EXPECT_EQ(ErrorOf("123 INT"), "DDL: expected a column name at position 1 (found '123')");
  EXPECT_EQ(ErrorOf("a ARRAY<INT"), "DDL: expected '>' at position 12 (found end of input)");
  EXPECT_EQ(ErrorOf("a ARRAY INT"), "DDL: expected '<' at position 9 (found 'INT')");
  EXPECT_EQ(ErrorOf("a MAP<INT>"), "DDL: expected ',' at position 10 (found '>')");
  EXPECT_EQ(ErrorOf("a STRUCT<x INT y INT>"),
            "DDL: expected ',' or '>' at position 16 (found 'y')");
  EXPECT_EQ(ErrorOf("a STRUCT<x INT,>"), "DDL: expected a field name at position 16 (found '>')");
  EXPECT_EQ(ErrorOf("a INT NOT"),
            "DDL: expected NULL after NOT at position 10 (found end of input)");
  EXPECT_EQ(ErrorOf("a INT COMMENT x"),
            "DDL: expected a quoted comment string at position 15 (found 'x')");
  EXPECT_EQ(ErrorOf("a INT COMMENT 'x' COMMENT 'y'"),
            "DDL: expected ',' or end of input at position 19 (found 'COMMENT')");
  EXPECT_EQ(ErrorOf("a INT COMMENT 'open"),
            "DDL: expected ' closing the string started at position 15 (found end of input)");
  EXPECT_EQ(ErrorOf("`open INT"),
            "DDL: expected ` closing the name started at position 1 (found end of input)");
  EXPECT_EQ(ErrorOf("a VARCHAR"), "DDL: expected '(' at position 10 (found end of input)");
  EXPECT_EQ(ErrorOf("a CHAR(x)"), "DDL: expected a string length at position 8 (found 'x')");
  EXPECT_EQ(ErrorOf("a INT\x01"),
            "DDL: expected ',' or end of input at position 6 (found "
            "'\\x01')");
  EXPECT_EQ(ErrorOf("a STRUCT<b: INT> c"),
            "DDL: expected ',' or end of input at position 18 (found 'c')");
}

TEST(DdlTest, DecimalBoundsAreChecked) {
  EXPECT_EQ(ErrorOf("d DECIMAL(0,0)"),
            "DDL: expected a decimal precision between 1 and 38 at position 11 (found '0')");
  EXPECT_EQ(ErrorOf("d DECIMAL(39)"),
            "DDL: expected a decimal precision between 1 and 38 at position 11 (found '39')");
  EXPECT_EQ(ErrorOf("d DECIMAL(99999999999999999999,1)"),
            "DDL: expected a decimal precision at position 11 (found '99999999999999999999')");
  EXPECT_EQ(ErrorOf("d DECIMAL(5,6)"),
            "DDL: expected a decimal scale between 0 and the precision 5 at position 13 "
            "(found '6')");
  EXPECT_EQ(ErrorOf("d DECIMAL(5,-1)"), "DDL: expected a decimal scale at position 13 (found '-')");
  EXPECT_EQ(ErrorOf("d DECIMAL(5,2,1)"), "DDL: expected ')' at position 14 (found ',')");
  EXPECT_EQ(ErrorOf("d DECIMAL()"), "DDL: expected a decimal precision at position 11 (found ')')");
}

TEST(DdlTest, VoidAndVariantParse) {
  EXPECT_EQ(*MustParse("v VARIANT, a STRUCT<n: void>, m MAP<STRING, Variant>"),
            Schema({MakeField("v", VariantType()),
                    MakeField("a", StructType({MakeField("n", NullType())})),
                    MakeField("m", MapType(StringType(), VariantType()))}));
  EXPECT_TRUE(MustParseType("void")->Equals(*NullType()));
  EXPECT_TRUE(MustParseType("ARRAY<VARIANT>")->Equals(*ArrayType(VariantType())));
}

TEST(DdlTest, UnsupportedTypesAreNotImplemented) {
  EXPECT_EQ(ErrorOf("g GEOMETRY", StatusCode::kNotImplemented),
            "DDL: type GEOMETRY at position 3 is not supported");
  EXPECT_EQ(ErrorOf("a STRUCT<n: geography>", StatusCode::kNotImplemented),
            "DDL: type GEOGRAPHY at position 13 is not supported");
  EXPECT_EQ(ErrorOf("i INTERVAL DAY", StatusCode::kNotImplemented),
            "DDL: type INTERVAL at position 3 is not supported");
}

TEST(DdlTest, NestingDepthIsLimited) {
  std::string ok_depth = "a ";
  for (int i = 0; i < 200; ++i) {
    ok_depth += "ARRAY<";
  }
  ok_depth += "INT" + std::string(200, '>');
  EXPECT_TRUE(ParseDdlSchema(ok_depth).ok());

  std::string too_deep = "a ";
  for (int i = 0; i < 201; ++i) {
    too_deep += "STRUCT<x: ";
  }
  too_deep += "INT" + std::string(201, '>');
  EXPECT_EQ(ErrorOf(too_deep), "DDL: types nested deeper than 200 levels at position 2003");

  std::string huge = "a ";
  for (int i = 0; i < 100000; ++i) {
    huge += "MAP<INT,";
  }
  EXPECT_NE(ErrorOf(huge).find("nested deeper than 200 levels"), std::string::npos);
}

}  // namespace
}  // namespace sluice
