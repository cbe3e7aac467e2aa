// SPDX-License-Identifier: Apache-2.0
#include "types/data_type.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice {
namespace {

Field CommentedField(std::string name, TypePtr type, std::string comment_json) {
  Field field = MakeField(std::move(name), std::move(type));
  field.metadata.emplace_back("comment", std::move(comment_json));
  return field;
}

TEST(DataTypeTest, PrimitiveNames) {
  struct Case {
    TypePtr type;
    std::string simple;
    std::string ddl;
  };
  const std::vector<Case> cases = {
      {BooleanType(), "boolean", "BOOLEAN"},
      {ByteType(), "tinyint", "TINYINT"},
      {ShortType(), "smallint", "SMALLINT"},
      {IntType(), "int", "INT"},
      {LongType(), "bigint", "BIGINT"},
      {FloatType(), "float", "FLOAT"},
      {DoubleType(), "double", "DOUBLE"},
      {DecimalType(10, 2), "decimal(10,2)", "DECIMAL(10,2)"},
      {DecimalType(38, 38), "decimal(38,38)", "DECIMAL(38,38)"},
      {StringType(), "string", "STRING"},
      {BinaryType(), "binary", "BINARY"},
      {DateType(), "date", "DATE"},
      {TimestampType(), "timestamp", "TIMESTAMP"},
      {TimestampNtzType(), "timestamp_ntz", "TIMESTAMP_NTZ"},
      {NullType(), "void", "VOID"},
      {VariantType(), "variant", "VARIANT"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.type->ToString(), c.simple);
    EXPECT_EQ(c.type->ToDdl(), c.ddl);
    EXPECT_FALSE(c.type->is_nested()) << c.simple;
  }
}

TEST(DataTypeTest, VoidAndVariantAreDistinctPrimitives) {
  EXPECT_EQ(NullType()->id(), TypeId::kNull);
  EXPECT_EQ(VariantType()->id(), TypeId::kVariant);
  EXPECT_FALSE(NullType()->Equals(*VariantType()));
  EXPECT_FALSE(VariantType()->Equals(*BinaryType()));
  EXPECT_FALSE(VariantType()->is_numeric());
  EXPECT_FALSE(NullType()->is_numeric());
  EXPECT_EQ(ArrayType(VariantType())->ToString(), "array<variant>");
  EXPECT_EQ(MapType(StringType(), NullType())->ToDdl(), "MAP<STRING, VOID>");
  Schema schema({MakeField("n", NullType()), MakeField("v", VariantType(), false)});
  EXPECT_EQ(schema.ToString(), "struct<n:void,v:variant>");
  EXPECT_EQ(schema.ToDdl(), "n VOID, v VARIANT NOT NULL");
  EXPECT_EQ(schema.ToTreeString(),
            "root\n"
            " |-- n: void (nullable = true)\n"
            " |-- v: variant (nullable = false)\n");
}

TEST(DataTypeTest, Predicates) {
  EXPECT_TRUE(LongType()->is_integral());
  EXPECT_FALSE(DoubleType()->is_integral());
  EXPECT_TRUE(DoubleType()->is_numeric());
  EXPECT_TRUE(DecimalType(5, 1)->is_numeric());
  EXPECT_FALSE(StringType()->is_numeric());
  EXPECT_TRUE(ArrayType(IntType())->is_nested());
  EXPECT_TRUE(MapType(StringType(), IntType())->is_nested());
  EXPECT_TRUE(StructType({})->is_nested());
  EXPECT_EQ(DecimalType(12, 3)->precision(), 12);
  EXPECT_EQ(DecimalType(12, 3)->scale(), 3);
  EXPECT_EQ(IntType()->precision(), 0);
}

TEST(DataTypeTest, NestedToStringAndToDdl) {
  TypePtr item = StructType({MakeField("sku", StringType()), MakeField("qty", IntType())});
  TypePtr items = ArrayType(item);
  TypePtr tags = MapType(StringType(), ArrayType(DecimalType(10, 2)));
  EXPECT_EQ(items->ToString(), "array<struct<sku:string,qty:int>>");
  EXPECT_EQ(items->ToDdl(), "ARRAY<STRUCT<sku: STRING, qty: INT>>");
  EXPECT_EQ(tags->ToString(), "map<string,array<decimal(10,2)>>");
  EXPECT_EQ(tags->ToDdl(), "MAP<STRING, ARRAY<DECIMAL(10,2)>>");
  EXPECT_EQ(StructType({})->ToString(), "struct<>");
  EXPECT_EQ(StructType({})->ToDdl(), "STRUCT<>");
}

TEST(DataTypeTest, SchemaToDdlQuotesNamesAndShowsOptions) {
  Schema schema({
      MakeField("order_id", LongType(), /*nullable=*/false),
      MakeField("items", ArrayType(StructType({MakeField("sku", StringType()),
                                               MakeField("qty", IntType(), false)}))),
      MakeField("tags", MapType(StringType(), StringType())),
      MakeField("odd name", IntType()),
      MakeField("back`tick", IntType()),
      MakeField("123", IntType()),
      MakeField("1a", IntType()),
      MakeField("", IntType()),
      CommentedField("c", StringType(), R"("it's a \\ \"note\"\n")"),
  });
  EXPECT_EQ(schema.ToDdl(),
            "order_id BIGINT NOT NULL, items ARRAY<STRUCT<sku: STRING, qty: INT NOT NULL>>, "
            "tags MAP<STRING, STRING>, `odd name` INT, `back``tick` INT, `123` INT, 1a INT, "
            "`` INT, c STRING COMMENT 'it\\'s a \\\\ \"note\"\n'");
  EXPECT_EQ(schema.ToString(),
            "struct<order_id:bigint,items:array<struct<sku:string,qty:int>>,"
            "tags:map<string,string>,odd name:int,back`tick:int,123:int,1a:int,:int,c:string>");
}

TEST(DataTypeTest, CommentThatIsNotAStringIsLeftOutOfDdl) {
  Field field = MakeField("a", IntType());
  field.metadata.emplace_back("comment", "42");
  field.metadata.emplace_back("other", "\"x\"");
  Schema schema({field});
  EXPECT_EQ(schema.ToDdl(), "a INT");
}

TEST(DataTypeTest, TreeStringMatchesSparkPrintSchema) {
  Schema schema({
      MakeField("id", LongType(), false),
      MakeField("price", DecimalType(10, 2)),
      MakeField("items", ArrayType(StructType({MakeField("sku", StringType()),
                                               MakeField("qty", IntType(), false)}),
                                   /*contains_null=*/false)),
      MakeField("tags", MapType(StringType(), ArrayType(IntType()), false)),
      MakeField("line\nbreak", TimestampNtzType()),
  });
  EXPECT_EQ(schema.ToTreeString(),
            "root\n"
            " |-- id: long (nullable = false)\n"
            " |-- price: decimal(10,2) (nullable = true)\n"
            " |-- items: array (nullable = true)\n"
            " |    |-- element: struct (containsNull = false)\n"
            " |    |    |-- sku: string (nullable = true)\n"
            " |    |    |-- qty: integer (nullable = false)\n"
            " |-- tags: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: array (valueContainsNull = false)\n"
            " |    |    |-- element: integer (containsNull = true)\n"
            " |-- line\\nbreak: timestamp_ntz (nullable = true)\n");
  EXPECT_EQ(Schema({}).ToTreeString(), "root\n");
}

TEST(DataTypeTest, EqualsComparesEverything) {
  auto make = [](bool nullable, bool contains_null, std::string name, int scale,
                 std::string comment) {
    Field field =
        MakeField(std::move(name), ArrayType(DecimalType(10, scale), contains_null), nullable);
    if (!comment.empty()) {
      field.metadata.emplace_back("comment", std::move(comment));
    }
    return StructType({field, MakeField("m", MapType(StringType(), IntType()))});
  };
  TypePtr base = make(true, true, "a", 2, "");
  EXPECT_TRUE(base->Equals(*make(true, true, "a", 2, "")));
  EXPECT_EQ(*base, *base);
  EXPECT_FALSE(base->Equals(*make(false, true, "a", 2, "")));
  EXPECT_FALSE(base->Equals(*make(true, false, "a", 2, "")));
  EXPECT_FALSE(base->Equals(*make(true, true, "b", 2, "")));
  EXPECT_FALSE(base->Equals(*make(true, true, "a", 3, "")));
  EXPECT_FALSE(base->Equals(*make(true, true, "a", 2, "\"c\"")));
  EXPECT_FALSE(base->Equals(*make(true, true, "A", 2, "")));  // names are case-sensitive
  EXPECT_FALSE(IntType()->Equals(*LongType()));
  EXPECT_FALSE(MapType(StringType(), IntType())->Equals(*MapType(StringType(), LongType())));
  EXPECT_FALSE(MapType(StringType(), IntType())->Equals(*MapType(StringType(), IntType(), false)));
  EXPECT_FALSE(ArrayType(IntType())->Equals(*MapType(IntType(), IntType())));
  EXPECT_FALSE(StructType({MakeField("a", IntType())})
                   ->Equals(*StructType({MakeField("a", IntType()), MakeField("b", IntType())})));
  EXPECT_TRUE(DecimalType(10, 2)->Equals(*DecimalType(10, 2)));
}

TEST(DataTypeTest, SchemaAccessors) {
  SchemaPtr schema = MakeSchema(
      {MakeField("a", IntType()), MakeField("b", StringType(), false), MakeField("a", LongType())});
  EXPECT_EQ(schema->num_fields(), 3);
  EXPECT_EQ(schema->FieldIndex("a"), 0);  // the first of duplicates
  EXPECT_EQ(schema->FieldIndex("b"), 1);
  EXPECT_EQ(schema->FieldIndex("B"), -1);
  EXPECT_FALSE(schema->field(1).nullable);
  EXPECT_EQ(schema->struct_type()->id(), TypeId::kStruct);
  EXPECT_EQ(*schema, *MakeSchema(schema->fields()));
  EXPECT_NE(*schema, *MakeSchema({MakeField("a", IntType())}));
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(DataTypeTest, AsNullableMakesEveryLevelNullable) {
  TypePtr inner = StructType({MakeField("x", IntType(), false)});
  SchemaPtr schema = MakeSchema({MakeField("a", ArrayType(inner, false), false),
                                 MakeField("m", MapType(StringType(), LongType(), false), false)});
  SchemaPtr nullable = AsNullable(schema);
  EXPECT_EQ(nullable->ToDdl(), "a ARRAY<STRUCT<x: INT>>, m MAP<STRING, BIGINT>");
  EXPECT_TRUE(nullable->field(0).nullable);
  EXPECT_TRUE(nullable->field(0).type->contains_null());
  EXPECT_TRUE(nullable->field(0).type->element_type()->field(0).nullable);
  EXPECT_TRUE(nullable->field(1).type->value_contains_null());
}

}  // namespace
}  // namespace sluice
