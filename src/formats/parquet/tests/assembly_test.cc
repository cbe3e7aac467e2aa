// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/assembly.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "columnar/buffer.h"
#include "columnar/builder.h"
#include "columnar/printer.h"
#include "formats/parquet/schema.h"
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

format::SchemaElement StringLeaf(const std::string& name, FieldRepetitionType::type repetition) {
  format::SchemaElement element = Leaf(name, repetition, PhysicalType::BYTE_ARRAY);
  element.__set_converted_type(ConvertedType::UTF8);
  return element;
}

VectorPtr Ints(const std::vector<int32_t>& values) {
  auto builder = VectorBuilder::Make(IntType());
  auto* ints = static_cast<FixedWidthBuilder<int32_t>*>(builder.get());
  for (int32_t value : values) {
    ints->Append(value);
  }
  return builder->Finish();
}

VectorPtr Longs(const std::vector<int64_t>& values) {
  auto builder = VectorBuilder::Make(LongType());
  auto* longs = static_cast<FixedWidthBuilder<int64_t>*>(builder.get());
  for (int64_t value : values) {
    longs->Append(value);
  }
  return builder->Finish();
}

VectorPtr Strings(const std::vector<std::string>& values) {
  auto builder = VectorBuilder::Make(StringType());
  auto* strings = static_cast<StringBuilder*>(builder.get());
  for (const std::string& value : values) {
    strings->Append(value);
  }
  return builder->Finish();
}

VectorPtr Bools(const std::vector<bool>& values) {
  auto builder = VectorBuilder::Make(BooleanType());
  auto* bools = static_cast<BooleanBuilder*>(builder.get());
  for (bool value : values) {
    bools->Append(value);
  }
  return builder->Finish();
}

LeafData MakeLeaf(std::vector<int16_t> def, std::vector<int16_t> rep, VectorPtr values) {
  LeafData leaf;
  leaf.num_levels = static_cast<int64_t>(std::max(def.size(), rep.size()));
  if (def.empty() && rep.empty()) {
    leaf.num_levels = values->length();
  }
  leaf.definition_levels = std::move(def);
  leaf.repetition_levels = std::move(rep);
  leaf.values = std::move(values);
  return leaf;
}

/// A flat leaf whose definition levels (0 or 1) come as a bitmap.
LeafData MakeBitmapLeaf(const std::vector<int>& def, VectorPtr values) {
  LeafData leaf;
  leaf.num_levels = static_cast<int64_t>(def.size());
  leaf.definition_bitmap = true;
  auto validity = std::make_shared<Buffer>(bits::BytesFor(leaf.num_levels));
  for (size_t i = 0; i < def.size(); ++i) {
    if (def[i] == 1) {
      bits::Set(validity->mutable_data(), static_cast<int64_t>(i));
    } else {
      ++leaf.null_count;
    }
  }
  if (leaf.null_count > 0) {
    leaf.validity = std::move(validity);
  }
  leaf.values = std::move(values);
  return leaf;
}

/// Assembles top-level column `index` of the schema from `leaves` (that column's only).
Result<VectorPtr> AssembleOf(const std::vector<format::SchemaElement>& elements, int index,
                             const std::vector<LeafData>& leaves, int64_t num_rows) {
  SLUICE_ASSIGN_OR_RETURN(FileSchema schema, FileSchema::Make(elements));
  return AssembleColumn(schema.columns()[index], leaves, num_rows);
}

std::vector<std::string> Rows(const Vector& vector) {
  std::vector<std::string> rows;
  for (int64_t i = 0; i < vector.length(); ++i) {
    rows.push_back(FormatCell(vector, i));
  }
  return rows;
}

std::vector<std::string> RowsOf(const Result<VectorPtr>& result) {
  if (!result.ok()) {
    return {result.status().ToString()};
  }
  return Rows(**result);
}

TEST(AssemblyTest, RequiredFlatColumnIsTheValuesVectorItself) {
  LeafData leaf = MakeLeaf({}, {}, Ints({1, 2, 3}));
  const VectorPtr values = leaf.values;
  Result<VectorPtr> column =
      AssembleOf({Root(1), Leaf("a", kRequired, PhysicalType::INT32)}, 0, {leaf}, 3);
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  EXPECT_EQ(column->get(), values.get());
}

TEST(AssemblyTest, OptionalFlatColumnWithoutNullsIsTheValuesVectorItself) {
  LeafData leaf = MakeLeaf({1, 1}, {}, Strings({"x", "y"}));
  const VectorPtr values = leaf.values;
  Result<VectorPtr> column = AssembleOf({Root(1), StringLeaf("s", kOptional)}, 0, {leaf}, 2);
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  EXPECT_EQ(column->get(), values.get());
}

TEST(AssemblyTest, OptionalFlatColumnsScatterValuesByTheDefinitionLevels) {
  const std::vector<int16_t> def = {1, 0, 0, 1, 1, 0};
  Result<VectorPtr> ints = AssembleOf({Root(1), Leaf("a", kOptional, PhysicalType::INT32)}, 0,
                                      {MakeLeaf(def, {}, Ints({1, 2, 3}))}, 6);
  EXPECT_EQ(RowsOf(ints), (std::vector<std::string>{"1", "NULL", "NULL", "2", "3", "NULL"}));
  ASSERT_TRUE(ints.ok());
  EXPECT_EQ((*ints)->null_count(), 3);

  Result<VectorPtr> strings = AssembleOf({Root(1), StringLeaf("s", kOptional)}, 0,
                                         {MakeLeaf(def, {}, Strings({"ab", "", "cde"}))}, 6);
  EXPECT_EQ(RowsOf(strings), (std::vector<std::string>{"ab", "NULL", "NULL", "", "cde", "NULL"}));

  Result<VectorPtr> bools = AssembleOf({Root(1), Leaf("b", kOptional, PhysicalType::BOOLEAN)}, 0,
                                       {MakeLeaf(def, {}, Bools({true, false, true}))}, 6);
  EXPECT_EQ(RowsOf(bools),
            (std::vector<std::string>{"true", "NULL", "NULL", "false", "true", "NULL"}));

  Result<VectorPtr> longs = AssembleOf({Root(1), Leaf("l", kOptional, PhysicalType::INT64)}, 0,
                                       {MakeLeaf({0, 1}, {}, Longs({-7}))}, 2);
  EXPECT_EQ(RowsOf(longs), (std::vector<std::string>{"NULL", "-7"}));
}

TEST(AssemblyTest, ScattersASlicedValuesVector) {
  VectorPtr values = Ints({100, 1, 2})->Slice(1, 2);
  Result<VectorPtr> column = AssembleOf({Root(1), Leaf("a", kOptional, PhysicalType::INT32)}, 0,
                                        {MakeLeaf({0, 1, 1}, {}, values)}, 3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"NULL", "1", "2"}));
}

TEST(AssemblyTest, AllNullStructHasNullChildren) {
  // nulls.snappy.parquet: optional group b_struct { optional int32 b_c_int; }, all null.
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("b_struct", kOptional, 1), Leaf("b_c_int", kOptional, PhysicalType::INT32)};
  Result<VectorPtr> column = AssembleOf(schema, 0, {MakeLeaf({0, 0, 0}, {}, Ints({}))}, 3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"NULL", "NULL", "NULL"}));
  ASSERT_TRUE(column.ok());
  EXPECT_EQ((*column)->null_count(), 3);
  EXPECT_EQ((*column)->child(0)->null_count(), 3);

  // Some structs present, one with a null member.
  Result<VectorPtr> mixed = AssembleOf(schema, 0, {MakeLeaf({2, 0, 1}, {}, Ints({5}))}, 3);
  EXPECT_EQ(RowsOf(mixed), (std::vector<std::string>{"{5}", "NULL", "{NULL}"}));
}

TEST(AssemblyTest, RequiredMemberOfANullStructHasNoNulls) {
  const std::vector<format::SchemaElement> schema = {Root(1), Group("s", kOptional, 2),
                                                     Leaf("a", kRequired, PhysicalType::INT32),
                                                     StringLeaf("b", kRequired)};
  Result<VectorPtr> column = AssembleOf(
      schema, 0,
      {MakeLeaf({1, 0, 1}, {}, Ints({1, 2})), MakeLeaf({1, 0, 1}, {}, Strings({"x", "y"}))}, 3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"{1, x}", "NULL", "{2, y}"}));
  ASSERT_TRUE(column.ok());
  EXPECT_EQ((*column)->child(0)->null_count(), 0);
  EXPECT_EQ((*column)->child(1)->null_count(), 0);
}

TEST(AssemblyTest, ListsDistinguishNullEmptyAndNullElements) {
  // optional group a (LIST) { repeated group list { optional int32 element; } }
  // Rows: [1, NULL, 2], [], NULL, [3].
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("a", kOptional, 1, ConvertedType::LIST), Group("list", kRepeated, 1),
      Leaf("element", kOptional, PhysicalType::INT32)};
  Result<VectorPtr> column =
      AssembleOf(schema, 0, {MakeLeaf({3, 2, 3, 1, 0, 3}, {0, 1, 1, 0, 0, 0}, Ints({1, 2, 3}))}, 4);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"[1, NULL, 2]", "[]", "NULL", "[3]"}));
  ASSERT_TRUE(column.ok());
  EXPECT_EQ((*column)->null_count(), 1);
  EXPECT_EQ((*column)->ListStart(1), (*column)->ListEnd(1));
}

TEST(AssemblyTest, RequiredListOfRequiredElementsHasNoValidity) {
  // map_no_value.parquet's my_list: [1, 2, 3], [4, 5, 6], [7, 8, 9].
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("my_list", kRequired, 1, ConvertedType::LIST), Group("list", kRepeated, 1),
      Leaf("element", kRequired, PhysicalType::INT32)};
  Result<VectorPtr> column =
      AssembleOf(schema, 0,
                 {MakeLeaf({1, 1, 1, 1, 1, 1, 1, 1, 1}, {0, 1, 1, 0, 1, 1, 0, 1, 1},
                           Ints({1, 2, 3, 4, 5, 6, 7, 8, 9}))},
                 3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"[1, 2, 3]", "[4, 5, 6]", "[7, 8, 9]"}));
  ASSERT_TRUE(column.ok());
  EXPECT_EQ((*column)->validity_buffer(), nullptr);
  EXPECT_EQ((*column)->child(0)->validity_buffer(), nullptr);
}

TEST(AssemblyTest, ListsOfLists) {
  // nested_lists.snappy.parquet's shape, two levels: optional list of optional lists of
  // optional strings. Rows: [[a, b], NULL, [], [NULL]], NULL, [[c]].
  const std::vector<format::SchemaElement> schema = {
      Root(1),
      Group("a", kOptional, 1, ConvertedType::LIST),
      Group("list", kRepeated, 1),
      Group("element", kOptional, 1, ConvertedType::LIST),
      Group("list", kRepeated, 1),
      StringLeaf("element", kOptional)};
  Result<VectorPtr> column = AssembleOf(
      schema, 0, {MakeLeaf({5, 5, 2, 3, 4, 0, 5}, {0, 2, 1, 1, 1, 0, 0}, Strings({"a", "b", "c"}))},
      3);
  EXPECT_EQ(RowsOf(column),
            (std::vector<std::string>{"[[a, b], NULL, [], [NULL]]", "NULL", "[[c]]"}));
}

TEST(AssemblyTest, LegacyTwoLevelListOfLists) {
  // old_list_structure.parquet: required group a (LIST) { repeated group array (LIST) {
  // repeated int32 array; } } holding [[1, 2], [3, 4]].
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("a", kRequired, 1, ConvertedType::LIST),
      Group("array", kRepeated, 1, ConvertedType::LIST),
      Leaf("array", kRepeated, PhysicalType::INT32)};
  Result<VectorPtr> column =
      AssembleOf(schema, 0, {MakeLeaf({2, 2, 2, 2}, {0, 2, 1, 2}, Ints({1, 2, 3, 4}))}, 1);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"[[1, 2], [3, 4]]"}));
}

TEST(AssemblyTest, ArraysOfStructs) {
  // optional group a (LIST) { repeated group list { optional group element {
  //   required int32 x; optional binary y (STRING); } } }
  // Rows: [{1, p}, NULL, {2, NULL}], [], NULL.
  const std::vector<format::SchemaElement> schema = {Root(1),
                                                     Group("a", kOptional, 1, ConvertedType::LIST),
                                                     Group("list", kRepeated, 1),
                                                     Group("element", kOptional, 2),
                                                     Leaf("x", kRequired, PhysicalType::INT32),
                                                     StringLeaf("y", kOptional)};
  Result<VectorPtr> column =
      AssembleOf(schema, 0,
                 {MakeLeaf({3, 2, 3, 1, 0}, {0, 1, 1, 0, 0}, Ints({1, 2})),
                  MakeLeaf({4, 2, 3, 1, 0}, {0, 1, 1, 0, 0}, Strings({"p"}))},
                 3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"[{1, p}, NULL, {2, NULL}]", "[]", "NULL"}));
}

TEST(AssemblyTest, MapsWithNullValuesAndMapsOfArrays) {
  // optional group m (MAP) { repeated group key_value { required binary key (STRING);
  //   optional group value (LIST) { repeated group list { optional int32 element; } } } }
  // Rows: {a -> [1, 2], b -> NULL, c -> []}, NULL, {}.
  const std::vector<format::SchemaElement> schema = {
      Root(1),
      Group("m", kOptional, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 2),
      StringLeaf("key", kRequired),
      Group("value", kOptional, 1, ConvertedType::LIST),
      Group("list", kRepeated, 1),
      Leaf("element", kOptional, PhysicalType::INT32)};
  Result<VectorPtr> column =
      AssembleOf(schema, 0,
                 {MakeLeaf({2, 2, 2, 0, 1}, {0, 1, 1, 0, 0}, Strings({"a", "b", "c"})),
                  MakeLeaf({5, 5, 2, 3, 0, 1}, {0, 2, 1, 1, 0, 0}, Ints({1, 2}))},
                 3);
  EXPECT_EQ(RowsOf(column),
            (std::vector<std::string>{"{a -> [1, 2], b -> NULL, c -> []}", "NULL", "{}"}));
}

TEST(AssemblyTest, NestedMaps) {
  // nested_maps.snappy.parquet's shape: map<string, map<int, boolean>>.
  // Rows: {a -> {1 -> true, 2 -> false}}, {b -> NULL, c -> {}}.
  const std::vector<format::SchemaElement> schema = {
      Root(1),
      Group("a", kOptional, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 2),
      StringLeaf("key", kRequired),
      Group("value", kOptional, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 2),
      Leaf("key", kRequired, PhysicalType::INT32),
      Leaf("value", kRequired, PhysicalType::BOOLEAN)};
  const std::vector<int16_t> def = {4, 4, 2, 3};
  const std::vector<int16_t> rep = {0, 2, 0, 1};
  Result<VectorPtr> column =
      AssembleOf(schema, 0,
                 {MakeLeaf({2, 2, 2}, {0, 0, 1}, Strings({"a", "b", "c"})),
                  MakeLeaf(def, rep, Ints({1, 2})), MakeLeaf(def, rep, Bools({true, false}))},
                 2);
  EXPECT_EQ(RowsOf(column),
            (std::vector<std::string>{"{a -> {1 -> true, 2 -> false}}", "{b -> NULL, c -> {}}"}));
}

TEST(AssemblyTest, NullMapKeyIsCorruption) {
  // Presto's optional keys are accepted while no key is null.
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("m", kOptional, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 2, ConvertedType::MAP_KEY_VALUE), StringLeaf("key", kOptional),
      StringLeaf("value", kOptional)};
  Result<VectorPtr> good = AssembleOf(schema, 0,
                                      {MakeLeaf({3, 3}, {0, 1}, Strings({"name", "parent"})),
                                       MakeLeaf({3, 3}, {0, 1}, Strings({"report", "another"}))},
                                      1);
  EXPECT_EQ(RowsOf(good), (std::vector<std::string>{"{name -> report, parent -> another}"}));
  Result<VectorPtr> bad = AssembleOf(
      schema, 0, {MakeLeaf({2}, {0}, Strings({})), MakeLeaf({3}, {0}, Strings({"v"}))}, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status().message().find("map key is null"), std::string::npos);
}

TEST(AssemblyTest, MapWithoutValuesIsAnArrayOfKeys) {
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("my_map_no_v", kRequired, 1, ConvertedType::MAP),
      Group("key_value", kRepeated, 1), Leaf("key", kRequired, PhysicalType::INT32)};
  Result<VectorPtr> column =
      AssembleOf(schema, 0, {MakeLeaf({1, 1, 1, 0}, {0, 1, 1, 0}, Ints({1, 2, 3}))}, 2);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"[1, 2, 3]", "[]"}));
}

TEST(AssemblyTest, UnannotatedRepeatedGroupInsideAnOptionalStruct) {
  // repeated_no_annotation.parquet: optional group phoneNumbers { repeated group phone {
  //   required int64 number; optional binary kind (STRING); } }
  // Rows: NULL, {[]}, {[{1, home}, {2, NULL}]}.
  const std::vector<format::SchemaElement> schema = {
      Root(1), Group("phoneNumbers", kOptional, 1), Group("phone", kRepeated, 2),
      Leaf("number", kRequired, PhysicalType::INT64), StringLeaf("kind", kOptional)};
  Result<VectorPtr> column = AssembleOf(schema, 0,
                                        {MakeLeaf({0, 1, 2, 2}, {0, 0, 0, 1}, Longs({1, 2})),
                                         MakeLeaf({0, 1, 3, 2}, {0, 0, 0, 1}, Strings({"home"}))},
                                        3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"NULL", "{[]}", "{[{1, home}, {2, NULL}]}"}));
}

TEST(AssemblyTest, DremelPaperExample) {
  // The Document records r1 and r2 of the Dremel paper, with its column stripes.
  const std::vector<format::SchemaElement> schema = {
      Root(3),
      Leaf("DocId", kRequired, PhysicalType::INT64),
      Group("Links", kOptional, 2),
      Leaf("Backward", kRepeated, PhysicalType::INT64),
      Leaf("Forward", kRepeated, PhysicalType::INT64),
      Group("Name", kRepeated, 2),
      Group("Language", kRepeated, 2),
      StringLeaf("Code", kRequired),
      StringLeaf("Country", kOptional),
      StringLeaf("Url", kOptional)};
  Result<VectorPtr> doc_id = AssembleOf(schema, 0, {MakeLeaf({}, {}, Longs({10, 20}))}, 2);
  EXPECT_EQ(RowsOf(doc_id), (std::vector<std::string>{"10", "20"}));

  Result<VectorPtr> links =
      AssembleOf(schema, 1,
                 {MakeLeaf({1, 2, 2}, {0, 0, 1}, Longs({10, 30})),
                  MakeLeaf({2, 2, 2, 2}, {0, 1, 1, 0}, Longs({20, 40, 60, 80}))},
                 2);
  EXPECT_EQ(RowsOf(links), (std::vector<std::string>{"{[], [20, 40, 60]}", "{[10, 30], [80]}"}));

  Result<VectorPtr> name = AssembleOf(
      schema, 2,
      {MakeLeaf({2, 2, 1, 2, 1}, {0, 2, 1, 1, 0}, Strings({"en-us", "en", "en-gb"})),
       MakeLeaf({3, 2, 1, 3, 1}, {0, 2, 1, 1, 0}, Strings({"us", "gb"})),
       MakeLeaf({2, 2, 1, 2}, {0, 1, 1, 0}, Strings({"http://A", "http://B", "http://C"}))},
      2);
  EXPECT_EQ(RowsOf(name),
            (std::vector<std::string>{
                "[{[{en-us, us}, {en, NULL}], http://A}, {[], http://B}, {[{en-gb, gb}], NULL}]",
                "[{[], http://C}]"}));
}

TEST(AssemblyTest, VariantTakesItsBinaryParts) {
  format::LogicalType variant;
  variant.__set_VARIANT(format::VariantType());
  format::SchemaElement group = Group("v", kOptional, 2);
  group.__set_logicalType(variant);
  const std::vector<format::SchemaElement> schema = {
      Root(1), group, Leaf("metadata", kRequired, PhysicalType::BYTE_ARRAY),
      Leaf("value", kRequired, PhysicalType::BYTE_ARRAY)};
  // Metadata: version 1, empty dictionary; values: the integers 1 and 2 as int8.
  const std::string metadata("\x01\x00\x00", 3);
  Result<VectorPtr> column = AssembleOf(
      schema, 0,
      {MakeLeaf({1, 0, 1}, {}, Strings({metadata, metadata})),
       MakeLeaf({1, 0, 1}, {}, Strings({std::string("\x0c\x01", 2), std::string("\x0c\x02", 2)}))},
      3);
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  EXPECT_EQ((*column)->type_id(), TypeId::kVariant);
  EXPECT_EQ(Rows(**column), (std::vector<std::string>{"1", "NULL", "2"}));
  EXPECT_EQ((*column)->child(0)->null_count(), 0);
  EXPECT_EQ((*column)->child(0)->type_id(), TypeId::kBinary);
}

TEST(AssemblyTest, VoidColumnIsAllNull) {
  format::LogicalType unknown;
  unknown.__set_UNKNOWN(format::NullType());
  format::SchemaElement leaf = Leaf("n", kOptional, PhysicalType::INT32);
  leaf.__set_logicalType(unknown);
  auto builder = VectorBuilder::Make(NullType());
  Result<VectorPtr> column =
      AssembleOf({Root(1), leaf}, 0, {MakeLeaf({0, 0}, {}, builder->Finish())}, 2);
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  EXPECT_EQ((*column)->type_id(), TypeId::kNull);
  EXPECT_EQ((*column)->null_count(), 2);
}

TEST(AssemblyTest, StructMembersOfDifferentLengthsAreCorruption) {
  const std::vector<format::SchemaElement> schema = {Root(1), Group("s", kOptional, 2),
                                                     Leaf("a", kOptional, PhysicalType::INT32),
                                                     Leaf("b", kOptional, PhysicalType::INT32)};
  Result<VectorPtr> column = AssembleOf(
      schema, 0, {MakeLeaf({2, 2}, {}, Ints({1, 2})), MakeLeaf({2, 2, 2}, {}, Ints({1, 2, 3}))}, 2);
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.status().code(), StatusCode::kCorruption);
  EXPECT_NE(column.status().message().find("different lengths"), std::string::npos)
      << column.status().ToString();
}

TEST(AssemblyTest, RowCountOtherThanTheRowGroupsIsCorruption) {
  Result<VectorPtr> column = AssembleOf({Root(1), Leaf("a", kOptional, PhysicalType::INT32)}, 0,
                                        {MakeLeaf({1, 1}, {}, Ints({1, 2}))}, 3);
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.status().code(), StatusCode::kCorruption);
  EXPECT_NE(column.status().message().find("2 rows where the row group has 3"), std::string::npos)
      << column.status().ToString();
}

TEST(AssemblyTest, InconsistentLevelsAreCorruption) {
  const std::vector<format::SchemaElement> list = {
      Root(1), Group("a", kOptional, 1, ConvertedType::LIST), Group("list", kRepeated, 1),
      Leaf("element", kOptional, PhysicalType::INT32)};
  auto status_of = [&](LeafData leaf, int64_t rows) {
    return AssembleOf(list, 0, {std::move(leaf)}, rows).status();
  };
  // An element continuing a null list.
  Status continues = status_of(MakeLeaf({0, 3}, {0, 1}, Ints({1})), 1);
  EXPECT_EQ(continues.code(), StatusCode::kCorruption);
  EXPECT_NE(continues.message().find("continues a null or empty list"), std::string::npos)
      << continues.ToString();
  // Repetition levels that start with 1 (ARROW-GH-45185).
  EXPECT_EQ(status_of(MakeLeaf({3, 3}, {1, 0}, Ints({1, 2})), 1).code(), StatusCode::kCorruption);
  // A definition level above the maximum.
  EXPECT_EQ(status_of(MakeLeaf({4}, {0}, Ints({1})), 1).code(), StatusCode::kCorruption);
  // A repetition level above the maximum.
  EXPECT_EQ(status_of(MakeLeaf({3, 3}, {0, 2}, Ints({1, 2})), 1).code(), StatusCode::kCorruption);
  // More values than slots at the maximum definition level.
  EXPECT_EQ(status_of(MakeLeaf({3, 2}, {0, 1}, Ints({1, 2})), 1).code(), StatusCode::kCorruption);
  // Level arrays of different sizes.
  EXPECT_EQ(status_of(MakeLeaf({3, 3}, {0}, Ints({1, 2})), 1).code(), StatusCode::kCorruption);
  // Levels missing although the maximum is above 0.
  LeafData no_levels = MakeLeaf({}, {}, Ints({1}));
  EXPECT_EQ(status_of(no_levels, 1).code(), StatusCode::kCorruption);
}

TEST(AssemblyTest, BitmapLeafWithoutNullsIsTheValuesVectorItself) {
  LeafData leaf = MakeBitmapLeaf({1, 1, 1}, Longs({4, 5, 6}));
  const VectorPtr values = leaf.values;
  Result<VectorPtr> column =
      AssembleOf({Root(1), Leaf("l", kOptional, PhysicalType::INT64)}, 0, {leaf}, 3);
  ASSERT_TRUE(column.ok()) << column.status().ToString();
  EXPECT_EQ(column->get(), values.get());
}

TEST(AssemblyTest, BitmapLeavesScatterValuesAndShareTheBitmap) {
  const std::vector<int> def = {1, 0, 0, 1, 1, 0, 1, 1, 0};
  LeafData ints_leaf = MakeBitmapLeaf(def, Ints({1, 2, 3, 4, 5}));
  const BufferPtr validity = ints_leaf.validity;
  Result<VectorPtr> ints =
      AssembleOf({Root(1), Leaf("a", kOptional, PhysicalType::INT32)}, 0, {ints_leaf}, 9);
  EXPECT_EQ(RowsOf(ints),
            (std::vector<std::string>{"1", "NULL", "NULL", "2", "3", "NULL", "4", "5", "NULL"}));
  ASSERT_TRUE(ints.ok());
  EXPECT_EQ((*ints)->null_count(), 4);
  EXPECT_EQ((*ints)->validity_buffer().get(), validity.get());

  Result<VectorPtr> strings =
      AssembleOf({Root(1), StringLeaf("s", kOptional)}, 0,
                 {MakeBitmapLeaf(def, Strings({"ab", "", "cde", "f", "g"}))}, 9);
  EXPECT_EQ(RowsOf(strings),
            (std::vector<std::string>{"ab", "NULL", "NULL", "", "cde", "NULL", "f", "g", "NULL"}));
  Result<VectorPtr> bools =
      AssembleOf({Root(1), Leaf("b", kOptional, PhysicalType::BOOLEAN)}, 0,
                 {MakeBitmapLeaf(def, Bools({true, false, true, true, false}))}, 9);
  EXPECT_EQ(RowsOf(bools), (std::vector<std::string>{"true", "NULL", "NULL", "false", "true",
                                                     "NULL", "true", "false", "NULL"}));
  Result<VectorPtr> all_null = AssembleOf({Root(1), Leaf("l", kOptional, PhysicalType::INT64)}, 0,
                                          {MakeBitmapLeaf({0, 0}, Longs({}))}, 2);
  EXPECT_EQ(RowsOf(all_null), (std::vector<std::string>{"NULL", "NULL"}));
}

TEST(AssemblyTest, BitmapLeavesOfAnOptionalStructWithRequiredMembers) {
  const std::vector<format::SchemaElement> schema = {Root(1), Group("s", kOptional, 2),
                                                     Leaf("a", kRequired, PhysicalType::INT32),
                                                     StringLeaf("b", kRequired)};
  Result<VectorPtr> column = AssembleOf(
      schema, 0,
      {MakeBitmapLeaf({1, 0, 1}, Ints({1, 2})), MakeBitmapLeaf({1, 0, 1}, Strings({"x", "y"}))}, 3);
  EXPECT_EQ(RowsOf(column), (std::vector<std::string>{"{1, x}", "NULL", "{2, y}"}));
  ASSERT_TRUE(column.ok());
  EXPECT_EQ((*column)->null_count(), 1);
  EXPECT_EQ((*column)->child(0)->null_count(), 0);
}

TEST(AssemblyTest, InconsistentBitmapLeavesAreCorruption) {
  const std::vector<format::SchemaElement> flat = {Root(1),
                                                   Leaf("a", kOptional, PhysicalType::INT32)};
  auto status_of = [](const std::vector<format::SchemaElement>& schema, LeafData leaf,
                      int64_t rows) {
    return AssembleOf(schema, 0, {std::move(leaf)}, rows).status();
  };
  // More or fewer values than set bits.
  EXPECT_EQ(status_of(flat, MakeBitmapLeaf({1, 0}, Ints({1, 2})), 2).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(status_of(flat, MakeBitmapLeaf({1, 1}, Ints({1})), 2).code(), StatusCode::kCorruption);
  // A null count the bitmap cannot hold, or a bitmap too short for the slots.
  LeafData count = MakeBitmapLeaf({1, 0}, Ints({1}));
  count.null_count = 3;
  EXPECT_EQ(status_of(flat, count, 2).code(), StatusCode::kCorruption);
  LeafData missing = MakeBitmapLeaf({1, 0}, Ints({1}));
  missing.validity = nullptr;
  EXPECT_EQ(status_of(flat, missing, 2).code(), StatusCode::kCorruption);
  LeafData shorter = MakeBitmapLeaf(std::vector<int>(9, 1), Ints({1, 2, 3, 4, 5, 6, 7, 8}));
  shorter.null_count = 1;
  shorter.validity = std::make_shared<Buffer>(1);
  EXPECT_EQ(status_of(flat, shorter, 9).code(), StatusCode::kCorruption);
  // A bitmap for a leaf whose maximum definition level is 2.
  const std::vector<format::SchemaElement> nested = {Root(1), Group("s", kOptional, 1),
                                                     Leaf("a", kOptional, PhysicalType::INT32)};
  const Status two = status_of(nested, MakeBitmapLeaf({1, 1}, Ints({1, 2})), 2);
  EXPECT_EQ(two.code(), StatusCode::kCorruption);
  EXPECT_NE(two.message().find("not flat and optional"), std::string::npos) << two.ToString();
}

}  // namespace
}  // namespace sluice::parquet
