// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/parquet/tests/test_util.h"

namespace sluice::parquet {
namespace {

using test_util::ConvertedType;
using test_util::FieldRepetitionType;
using test_util::Group;
using test_util::kOptional;
using test_util::kRepeated;
using test_util::kRequired;
using test_util::Leaf;
using test_util::PhysicalType;
using test_util::Root;

format::SchemaElement Leaf(const std::string& name, FieldRepetitionType::type repetition,
                           PhysicalType::type type, ConvertedType::type converted) {
  format::SchemaElement element = Leaf(name, repetition, type);
  element.__set_converted_type(converted);
  return element;
}

format::SchemaElement WithLogical(format::SchemaElement element, format::LogicalType logical) {
  element.__set_logicalType(logical);
  return element;
}

format::TimeUnit Unit(char which) {
  format::TimeUnit unit;
  if (which == 'm') {
    unit.__set_MILLIS(format::MilliSeconds());
  } else if (which == 'u') {
    unit.__set_MICROS(format::MicroSeconds());
  } else {
    unit.__set_NANOS(format::NanoSeconds());
  }
  return unit;
}

format::LogicalType Timestamp(bool utc, char unit) {
  format::TimestampType timestamp;
  timestamp.__set_isAdjustedToUTC(utc);
  timestamp.__set_unit(Unit(unit));
  format::LogicalType logical;
  logical.__set_TIMESTAMP(timestamp);
  return logical;
}

format::LogicalType Integer(int bits, bool is_signed) {
  format::IntType integer;
  integer.__set_bitWidth(static_cast<int8_t>(bits));
  integer.__set_isSigned(is_signed);
  format::LogicalType logical;
  logical.__set_INTEGER(integer);
  return logical;
}

format::LogicalType Decimal(int precision, int scale) {
  format::DecimalType decimal;
  decimal.__set_precision(precision);
  decimal.__set_scale(scale);
  format::LogicalType logical;
  logical.__set_DECIMAL(decimal);
  return logical;
}

/// Maps a schema of one column and returns that column's type, or the error.
Result<TypePtr> TypeOf(const format::SchemaElement& leaf) {
  SLUICE_ASSIGN_OR_RETURN(FileSchema schema, FileSchema::Make({Root(1), leaf}));
  return schema.schema()->field(0).type;
}

std::string TypeString(const format::SchemaElement& leaf) {
  Result<TypePtr> type = TypeOf(leaf);
  return type.ok() ? (*type)->ToString() : type.status().ToString();
}

TEST(SchemaTest, MapsPhysicalTypesWithoutAnnotation) {
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::BOOLEAN)), "boolean");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::INT32)), "int");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::INT64)), "bigint");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::INT96)), "timestamp");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::FLOAT)), "float");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::DOUBLE)), "double");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::BYTE_ARRAY)), "binary");
  EXPECT_EQ(TypeString(Leaf("a", kOptional, PhysicalType::FIXED_LEN_BYTE_ARRAY)), "binary");
}

TEST(SchemaTest, MapsConvertedTypesAsSparkDoes) {
  const struct {
    PhysicalType::type physical;
    ConvertedType::type converted;
    const char* expected;
  } cases[] = {
      {PhysicalType::INT32, ConvertedType::INT_8, "tinyint"},
      {PhysicalType::INT32, ConvertedType::INT_16, "smallint"},
      {PhysicalType::INT32, ConvertedType::INT_32, "int"},
      {PhysicalType::INT32, ConvertedType::UINT_8, "smallint"},
      {PhysicalType::INT32, ConvertedType::UINT_16, "int"},
      {PhysicalType::INT32, ConvertedType::UINT_32, "bigint"},
      {PhysicalType::INT32, ConvertedType::DATE, "date"},
      {PhysicalType::INT32, ConvertedType::TIME_MILLIS, "int"},
      {PhysicalType::INT64, ConvertedType::INT_64, "bigint"},
      {PhysicalType::INT64, ConvertedType::UINT_64, "decimal(20,0)"},
      {PhysicalType::INT64, ConvertedType::TIMESTAMP_MILLIS, "timestamp"},
      {PhysicalType::INT64, ConvertedType::TIMESTAMP_MICROS, "timestamp"},
      {PhysicalType::INT64, ConvertedType::TIME_MICROS, "bigint"},
      {PhysicalType::BYTE_ARRAY, ConvertedType::UTF8, "string"},
      {PhysicalType::BYTE_ARRAY, ConvertedType::ENUM, "string"},
      {PhysicalType::BYTE_ARRAY, ConvertedType::JSON, "string"},
      {PhysicalType::BYTE_ARRAY, ConvertedType::BSON, "binary"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(TypeString(Leaf("a", kOptional, c.physical, c.converted)), c.expected) << c.expected;
  }
}

TEST(SchemaTest, MapsDecimalsOfEveryPhysicalType) {
  for (PhysicalType::type physical :
       {PhysicalType::INT32, PhysicalType::INT64, PhysicalType::BYTE_ARRAY,
        PhysicalType::FIXED_LEN_BYTE_ARRAY}) {
    format::SchemaElement converted = Leaf("d", kOptional, physical, ConvertedType::DECIMAL);
    converted.__set_precision(9);
    converted.__set_scale(2);
    EXPECT_EQ(TypeString(converted), "decimal(9,2)");
    EXPECT_EQ(TypeString(WithLogical(Leaf("d", kOptional, physical), Decimal(7, 3))),
              "decimal(7,3)");
  }
}

TEST(SchemaTest, DecimalOverThirtyEightDigitsIsNotImplementedNamingTheColumn) {
  Result<TypePtr> type =
      TypeOf(WithLogical(Leaf("price", kOptional, PhysicalType::BYTE_ARRAY), Decimal(50, 2)));
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().code(), StatusCode::kNotImplemented);
  EXPECT_NE(type.status().message().find("price"), std::string::npos);
  EXPECT_NE(type.status().message().find("decimal(50,2) exceeds the maximum precision 38"),
            std::string::npos)
      << type.status().ToString();
}

TEST(SchemaTest, MapsLogicalTypes) {
  EXPECT_EQ(
      TypeString(WithLogical(Leaf("t", kOptional, PhysicalType::INT64), Timestamp(true, 'm'))),
      "timestamp");
  EXPECT_EQ(
      TypeString(WithLogical(Leaf("t", kOptional, PhysicalType::INT64), Timestamp(true, 'n'))),
      "timestamp");
  EXPECT_EQ(
      TypeString(WithLogical(Leaf("t", kOptional, PhysicalType::INT64), Timestamp(false, 'u'))),
      "timestamp_ntz");
  EXPECT_EQ(TypeString(WithLogical(Leaf("i", kOptional, PhysicalType::INT32), Integer(8, true))),
            "tinyint");
  EXPECT_EQ(TypeString(WithLogical(Leaf("i", kOptional, PhysicalType::INT32), Integer(8, false))),
            "smallint");
  EXPECT_EQ(TypeString(WithLogical(Leaf("i", kOptional, PhysicalType::INT32), Integer(32, false))),
            "bigint");
  EXPECT_EQ(TypeString(WithLogical(Leaf("i", kOptional, PhysicalType::INT64), Integer(64, false))),
            "decimal(20,0)");

  format::LogicalType string;
  string.__set_STRING(format::StringType());
  EXPECT_EQ(TypeString(WithLogical(Leaf("s", kOptional, PhysicalType::BYTE_ARRAY), string)),
            "string");
  format::LogicalType float16;
  float16.__set_FLOAT16(format::Float16Type());
  format::SchemaElement half =
      WithLogical(Leaf("h", kOptional, PhysicalType::FIXED_LEN_BYTE_ARRAY), float16);
  half.__set_type_length(2);
  EXPECT_EQ(TypeString(half), "float");
  format::LogicalType uuid;
  uuid.__set_UUID(format::UUIDType());
  EXPECT_EQ(TypeString(WithLogical(Leaf("u", kOptional, PhysicalType::FIXED_LEN_BYTE_ARRAY), uuid)),
            "binary");
  format::LogicalType unknown;
  unknown.__set_UNKNOWN(format::NullType());
  EXPECT_EQ(TypeString(WithLogical(Leaf("n", kOptional, PhysicalType::INT32), unknown)), "void");
  format::LogicalType geometry;
  geometry.__set_GEOMETRY(format::GeometryType());
  EXPECT_EQ(TypeString(WithLogical(Leaf("g", kOptional, PhysicalType::BYTE_ARRAY), geometry)),
            "binary");
}

TEST(SchemaTest, LogicalTypeWinsOverConvertedType) {
  format::SchemaElement element =
      Leaf("t", kOptional, PhysicalType::INT64, ConvertedType::TIMESTAMP_MICROS);
  EXPECT_EQ(TypeString(WithLogical(element, Timestamp(false, 'u'))), "timestamp_ntz");
}

TEST(SchemaTest, UnknownLogicalTypeFallsBackToTheConvertedOrPhysicalType) {
  // A logical type added to the format later leaves the union empty after decoding.
  format::SchemaElement element =
      WithLogical(Leaf("x", kOptional, PhysicalType::INT32), format::LogicalType());
  EXPECT_EQ(TypeString(element), "int");
  element.__set_converted_type(ConvertedType::DATE);
  EXPECT_EQ(TypeString(element), "date");
}

TEST(SchemaTest, AnnotationThePhysicalTypeCannotCarryIsCorruption) {
  Result<TypePtr> type = TypeOf(Leaf("val", kOptional, PhysicalType::INT32, ConvertedType::INT_64));
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(type.status().message(), "illegal Parquet type INT32 (INT_64) in column 'val'");
  EXPECT_EQ(
      TypeOf(Leaf("val", kOptional, PhysicalType::INT64, ConvertedType::DATE)).status().code(),
      StatusCode::kCorruption);
  EXPECT_EQ(
      TypeOf(Leaf("val", kOptional, PhysicalType::INT32, ConvertedType::LIST)).status().code(),
      StatusCode::kCorruption);
}

TEST(SchemaTest, IntervalIsNotImplemented) {
  format::SchemaElement element =
      Leaf("span", kOptional, PhysicalType::FIXED_LEN_BYTE_ARRAY, ConvertedType::INTERVAL);
  element.__set_type_length(12);
  Result<TypePtr> type = TypeOf(element);
  EXPECT_EQ(type.status().code(), StatusCode::kNotImplemented);
  EXPECT_NE(type.status().message().find("INTERVAL"), std::string::npos);
}

TEST(SchemaTest, ComputesLevelsAndLeafDescriptors) {
  // The Document schema of the Dremel paper.
  const std::vector<format::SchemaElement> elements = {
      Root(3, "Document"),
      Leaf("DocId", kRequired, PhysicalType::INT64),
      Group("Links", kOptional, 2),
      Leaf("Backward", kRepeated, PhysicalType::INT64),
      Leaf("Forward", kRepeated, PhysicalType::INT64),
      Group("Name", kRepeated, 2),
      Group("Language", kRepeated, 2),
      Leaf("Code", kRequired, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Leaf("Country", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Leaf("Url", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
  };
  Result<FileSchema> schema = FileSchema::Make(elements);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  const std::vector<LeafDescriptor>& leaves = schema->leaves();
  ASSERT_EQ(leaves.size(), 6u);
  const struct {
    const char* path;
    int16_t def;
    int16_t rep;
  } expected[] = {{"DocId", 0, 0},
                  {"Links.Backward", 2, 1},
                  {"Links.Forward", 2, 1},
                  {"Name.Language.Code", 2, 2},
                  {"Name.Language.Country", 3, 2},
                  {"Name.Url", 2, 1}};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(leaves[i].column_index, i);
    EXPECT_EQ(leaves[i].path, expected[i].path);
    EXPECT_EQ(leaves[i].max_definition_level, expected[i].def) << expected[i].path;
    EXPECT_EQ(leaves[i].max_repetition_level, expected[i].rep) << expected[i].path;
  }
  EXPECT_EQ(leaves[3].type->ToString(), "string");
  EXPECT_EQ(schema->schema()->ToDdl(),
            "DocId BIGINT NOT NULL, Links STRUCT<Backward: ARRAY<BIGINT> NOT NULL, Forward: "
            "ARRAY<BIGINT> NOT NULL>, Name ARRAY<STRUCT<Language: ARRAY<STRUCT<Code: STRING NOT "
            "NULL, Country: STRING>> NOT NULL, Url: STRING>> NOT NULL");

  // The field nodes carry the levels assembly cuts entries with.
  const FieldNode& name = schema->columns()[2];
  EXPECT_EQ(name.kind, FieldKind::kList);
  EXPECT_EQ(name.definition_level, 0);
  EXPECT_EQ(name.repetition_level, 0);
  EXPECT_EQ(name.first_leaf, 3);
  EXPECT_EQ(name.num_leaves, 3);
  const FieldNode& name_element = name.children[0];
  EXPECT_EQ(name_element.kind, FieldKind::kStruct);
  EXPECT_EQ(name_element.definition_level, 1);
  EXPECT_EQ(name_element.repetition_level, 1);
  EXPECT_EQ(name_element.repeated_ancestor_definition_level, 1);
  const FieldNode& language = name_element.children[0];
  EXPECT_EQ(language.kind, FieldKind::kList);
  EXPECT_EQ(language.definition_level, 1);
  EXPECT_EQ(language.repetition_level, 1);
  const FieldNode& country = language.children[0].children[1];
  EXPECT_EQ(country.definition_level, 3);
  EXPECT_EQ(country.repetition_level, 2);
  EXPECT_EQ(country.repeated_ancestor_definition_level, 2);
  EXPECT_TRUE(country.nullable);
}

TEST(SchemaTest, ThreeLevelListIsAnArrayWithElementNullability) {
  Result<FileSchema> schema = FileSchema::Make({
      Root(2),
      Group("a", kOptional, 1, ConvertedType::LIST),
      Group("list", kRepeated, 1),
      Leaf("element", kOptional, PhysicalType::INT32),
      Group("b", kRequired, 1, ConvertedType::LIST),
      Group("list", kRepeated, 1),
      Leaf("element", kRequired, PhysicalType::INT32),
  });
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema()->ToDdl(), "a ARRAY<INT>, b ARRAY<INT> NOT NULL");
  EXPECT_TRUE(schema->schema()->field(0).type->contains_null());
  EXPECT_FALSE(schema->schema()->field(1).type->contains_null());
  const FieldNode& a = schema->columns()[0];
  EXPECT_EQ(a.definition_level, 1);
  EXPECT_EQ(a.children[0].definition_level, 3);
  EXPECT_EQ(a.children[0].repeated_ancestor_definition_level, 2);
  EXPECT_EQ(a.children[0].repetition_level, 1);
}

TEST(SchemaTest, TwoLevelListsFollowTheBackwardCompatibilityRules) {
  Result<FileSchema> schema = FileSchema::Make({
      Root(6),
      // Rule 1: a repeated primitive is the element.
      Group("r1", kOptional, 1, ConvertedType::LIST),
      Leaf("element", kRepeated, PhysicalType::INT32),
      // Rule 2: a repeated group of several fields is the element.
      Group("r2", kOptional, 1, ConvertedType::LIST),
      Group("element", kRepeated, 2),
      Leaf("str", kRequired, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Leaf("num", kRequired, PhysicalType::INT32),
      // Rule 3: a repeated group whose one field is repeated is the element.
      Group("r3", kOptional, 1, ConvertedType::LIST),
      Group("array", kRepeated, 1, ConvertedType::LIST),
      Leaf("array", kRepeated, PhysicalType::INT32),
      // Rule 4: a one-field group named "array" or "<name>_tuple" is the element.
      Group("r4", kOptional, 1, ConvertedType::LIST),
      Group("array", kRepeated, 1),
      Leaf("str", kRequired, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Group("r5", kOptional, 1, ConvertedType::LIST),
      Group("r5_tuple", kRepeated, 1),
      Leaf("str", kRequired, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      // Rule 5: otherwise the one field is the element, with its own repetition.
      Group("r6", kOptional, 1, ConvertedType::LIST),
      Group("element", kRepeated, 1),
      Leaf("str", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
  });
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema()->ToDdl(),
            "r1 ARRAY<INT>, r2 ARRAY<STRUCT<str: STRING NOT NULL, num: INT NOT NULL>>, "
            "r3 ARRAY<ARRAY<INT>>, r4 ARRAY<STRUCT<str: STRING NOT NULL>>, "
            "r5 ARRAY<STRUCT<str: STRING NOT NULL>>, r6 ARRAY<STRING>");
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(schema->schema()->field(i).type->contains_null()) << i;
  }
  EXPECT_TRUE(schema->schema()->field(5).type->contains_null());
  EXPECT_FALSE(schema->schema()->field(2).type->element_type()->contains_null());
}

TEST(SchemaTest, UnannotatedRepeatedFieldsAreNonNullableArrays) {
  Result<FileSchema> schema = FileSchema::Make({
      Root(2),
      Leaf("ints", kRepeated, PhysicalType::INT32),
      Group("phoneNumbers", kOptional, 1),
      Group("phone", kRepeated, 2),
      Leaf("number", kRequired, PhysicalType::INT64),
      Leaf("kind", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
  });
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema()->ToDdl(),
            "ints ARRAY<INT> NOT NULL, phoneNumbers STRUCT<phone: ARRAY<STRUCT<number: BIGINT "
            "NOT NULL, kind: STRING>> NOT NULL>");
  const FieldNode& ints = schema->columns()[0];
  EXPECT_EQ(ints.kind, FieldKind::kList);
  EXPECT_EQ(ints.definition_level, 0);
  EXPECT_EQ(ints.repetition_level, 0);
  EXPECT_EQ(ints.children[0].definition_level, 1);
  EXPECT_EQ(ints.children[0].repetition_level, 1);
  EXPECT_EQ(ints.children[0].repeated_ancestor_definition_level, 1);
  const FieldNode& phone = schema->columns()[1].children[0];
  EXPECT_EQ(phone.definition_level, 1);
  EXPECT_EQ(phone.children[0].definition_level, 2);
}

TEST(SchemaTest, MapsStandardLegacyAndValuelessMaps) {
  Result<FileSchema> schema = FileSchema::Make({
      Root(4),
      Group("m", kOptional, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 2),
      Leaf("key", kRequired, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Leaf("value", kRequired, PhysicalType::INT32),
      // MAP_KEY_VALUE in place of MAP, names matched by position.
      Group("legacy", kOptional, 1, ConvertedType::MAP_KEY_VALUE),
      Group("map", kRepeated, 2),
      Leaf("str", kRequired, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Leaf("num", kOptional, PhysicalType::INT32),
      // Presto's optional keys.
      Group("presto", kOptional, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 2, ConvertedType::MAP_KEY_VALUE),
      Leaf("key", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      Leaf("value", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      // No value field: an array of the keys.
      Group("keys", kRequired, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 1),
      Leaf("key", kRequired, PhysicalType::INT32),
  });
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema()->ToDdl(),
            "m MAP<STRING, INT>, legacy MAP<STRING, INT>, presto MAP<STRING, STRING>, "
            "keys ARRAY<INT> NOT NULL");
  EXPECT_FALSE(schema->schema()->field(0).type->value_contains_null());
  EXPECT_TRUE(schema->schema()->field(1).type->value_contains_null());
  EXPECT_EQ(schema->columns()[0].kind, FieldKind::kMap);
  EXPECT_TRUE(schema->columns()[2].children[0].nullable);
  EXPECT_EQ(schema->columns()[3].kind, FieldKind::kList);
  EXPECT_FALSE(schema->schema()->field(3).type->contains_null());
}

TEST(SchemaTest, InvalidListAndMapLayoutsAreCorruption) {
  EXPECT_EQ(FileSchema::Make({Root(1), Group("l", kOptional, 1, ConvertedType::LIST),
                              Leaf("element", kOptional, PhysicalType::INT32)})
                .status()
                .code(),
            StatusCode::kCorruption);
  EXPECT_EQ(
      FileSchema::Make({Root(1), Group("m", kOptional, 1, ConvertedType::MAP),
                        Group("key_value", kRepeated, 3), Leaf("a", kRequired, PhysicalType::INT32),
                        Leaf("b", kRequired, PhysicalType::INT32),
                        Leaf("c", kRequired, PhysicalType::INT32)})
          .status()
          .code(),
      StatusCode::kCorruption);
}

TEST(SchemaTest, VariantGroupIsAVariantAndShreddingIsNotImplemented) {
  format::LogicalType variant;
  variant.__set_VARIANT(format::VariantType());
  format::SchemaElement group = Group("v", kOptional, 2);
  group.__set_logicalType(variant);
  Result<FileSchema> schema =
      FileSchema::Make({Root(1), group, Leaf("metadata", kRequired, PhysicalType::BYTE_ARRAY),
                        Leaf("value", kRequired, PhysicalType::BYTE_ARRAY)});
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema()->field(0).type->id(), TypeId::kVariant);
  EXPECT_EQ(schema->columns()[0].kind, FieldKind::kVariant);

  group.__set_num_children(3);
  Result<FileSchema> shredded =
      FileSchema::Make({Root(1), group, Leaf("metadata", kRequired, PhysicalType::BYTE_ARRAY),
                        Leaf("value", kOptional, PhysicalType::BYTE_ARRAY),
                        Leaf("typed_value", kOptional, PhysicalType::INT64)});
  EXPECT_EQ(shredded.status().code(), StatusCode::kNotImplemented);
  EXPECT_NE(shredded.status().message().find("shredded variant"), std::string::npos);
}

TEST(SchemaTest, RejectsBrokenTrees) {
  auto code = [](const std::vector<format::SchemaElement>& elements) {
    return FileSchema::Make(elements).status();
  };
  EXPECT_EQ(code({}).code(), StatusCode::kCorruption);
  // The root is a primitive.
  EXPECT_EQ(code({Leaf("root", kRequired, PhysicalType::INT32)}).code(), StatusCode::kCorruption);
  // A negative number of children.
  EXPECT_EQ(code({Root(1), Group("g", kOptional, -21)}).code(), StatusCode::kCorruption);
  // More children declared than elements.
  Status overrun = code({Root(2), Leaf("a", kOptional, PhysicalType::INT32)});
  EXPECT_EQ(overrun.code(), StatusCode::kCorruption);
  EXPECT_NE(overrun.message().find("ends inside group"), std::string::npos) << overrun.ToString();
  // Elements left over after the tree.
  EXPECT_EQ(code({Root(1), Leaf("a", kOptional, PhysicalType::INT32),
                  Leaf("b", kOptional, PhysicalType::INT32)})
                .code(),
            StatusCode::kCorruption);
  // A leaf without a physical type.
  format::SchemaElement untyped;
  untyped.__set_name("tags");
  Status no_type = code({Root(1), untyped});
  EXPECT_EQ(no_type.code(), StatusCode::kCorruption);
  EXPECT_NE(no_type.message().find("tags"), std::string::npos);
  // FIXED_LEN_BYTE_ARRAY without a length.
  format::SchemaElement fixed = Leaf("f", kOptional, PhysicalType::FIXED_LEN_BYTE_ARRAY);
  fixed.__set_type_length(0);
  EXPECT_EQ(code({Root(1), fixed}).code(), StatusCode::kCorruption);
}

TEST(SchemaTest, RejectsNestingDeeperThanTheLimit) {
  std::vector<format::SchemaElement> elements = {Root(1)};
  for (int i = 0; i < FileSchema::kMaxDepth; ++i) {
    elements.push_back(Group("g" + std::to_string(i), kOptional, 1));
  }
  elements.push_back(Leaf("leaf", kOptional, PhysicalType::INT32));
  Status status = FileSchema::Make(elements).status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("deeper than 64"), std::string::npos) << status.ToString();
  elements.erase(elements.begin() + 1);
  EXPECT_TRUE(FileSchema::Make(elements).ok());
}

TEST(SchemaTest, GroupWithoutLeavesIsNotImplemented) {
  Status status = FileSchema::Make({Root(2), Leaf("id", kOptional, PhysicalType::INT64),
                                    Group("nested", kOptional, 1), Group("inner", kOptional, 0)})
                      .status();
  EXPECT_EQ(status.code(), StatusCode::kNotImplemented);
  EXPECT_NE(status.message().find("nested"), std::string::npos);
}

TEST(SchemaTest, EmptySchemaHasNoColumns) {
  Result<FileSchema> schema = FileSchema::Make({Root(0)});
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema()->num_fields(), 0);
  EXPECT_EQ(schema->num_leaves(), 0);
}

TEST(SchemaTest, FieldIdsBecomeFieldMetadataAtEveryLevel) {
  auto with_id = [](format::SchemaElement element, int32_t id) {
    element.__set_field_id(id);
    return element;
  };
  Result<FileSchema> schema = FileSchema::Make({
      Root(4),
      with_id(Leaf("a", kOptional, PhysicalType::INT32), 1),
      with_id(Group("s", kOptional, 2), 2),
      with_id(Leaf("x", kRequired, PhysicalType::INT64), -3),
      Leaf("y", kOptional, PhysicalType::DOUBLE),
      with_id(Group("l", kOptional, 1, ConvertedType::LIST), 4),
      Group("list", kRepeated, 1),
      with_id(Group("element", kOptional, 1), 5),
      with_id(Leaf("z", kOptional, PhysicalType::BOOLEAN), 6),
      Leaf("plain", kOptional, PhysicalType::INT32),
  });
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  const Schema& sluice_schema = *schema->schema();
  const FieldMetadata id1 = {{"parquet.field.id", "1"}};
  EXPECT_EQ(sluice_schema.field(0).metadata, id1);
  const Field& s = sluice_schema.field(1);
  EXPECT_EQ(s.metadata, (FieldMetadata{{"parquet.field.id", "2"}}));
  EXPECT_EQ(s.type->field(0).metadata, (FieldMetadata{{"parquet.field.id", "-3"}}));
  EXPECT_TRUE(s.type->field(1).metadata.empty());
  const Field& l = sluice_schema.field(2);
  EXPECT_EQ(l.metadata, (FieldMetadata{{std::string(kFieldIdMetadataKey), "4"}}));
  // The element of an array is not a field; the members of a struct element are.
  EXPECT_EQ(l.type->element_type()->field(0).metadata, (FieldMetadata{{"parquet.field.id", "6"}}));
  EXPECT_TRUE(sluice_schema.field(3).metadata.empty());
  // The assembled vectors' types are the schema's, metadata included.
  EXPECT_TRUE(schema->columns()[1].type->Equals(*s.type));
}

TEST(SchemaTest, FormatsLikeParquetJava) {
  format::SchemaElement date = Leaf("a", kOptional, PhysicalType::INT32, ConvertedType::DATE);
  date.__set_field_id(7);
  format::SchemaElement price =
      WithLogical(Leaf("price", kRequired, PhysicalType::FIXED_LEN_BYTE_ARRAY), Decimal(10, 2));
  price.__set_type_length(5);
  Result<FileSchema> schema = FileSchema::Make({
      Root(4, "spark_schema"),
      date,
      Group("b", kRequired, 1, ConvertedType::LIST),
      Group("list", kRepeated, 1),
      Leaf("element", kOptional, PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
      price,
      WithLogical(Leaf("ts", kOptional, PhysicalType::INT64), Timestamp(false, 'n')),
  });
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(FormatParquetSchema(*schema),
            "message spark_schema {\n"
            "  optional int32 a (DATE) = 7;\n"
            "  required group b (LIST) {\n"
            "    repeated group list {\n"
            "      optional binary element (STRING);\n"
            "    }\n"
            "  }\n"
            "  required fixed_len_byte_array(5) price (DECIMAL(10,2));\n"
            "  optional int64 ts (TIMESTAMP(NANOS,false));\n"
            "}\n");
}

TEST(SchemaTest, FormatsABrokenTreeAsFarAsItGoes) {
  EXPECT_EQ(FormatParquetSchema(
                {Root(2), Group("g", kOptional, 3), Leaf("x", kOptional, PhysicalType::INT32)}),
            "message schema {\n"
            "  optional group g {\n"
            "    optional int32 x;\n"
            "  }\n"
            "}\n");
}

}  // namespace
}  // namespace sluice::parquet
