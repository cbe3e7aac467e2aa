// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/function.h"
#include "expr/tests/more_test_util.h"

namespace sluice::expr {
namespace {

using test_util::Cells;

// Binds generator `name` (length-1 values as literals) and prints its output as
// "fields: ...; rows: ...; col: ..." lines.
std::string Generate(std::string_view name, const std::vector<VectorPtr>& args,
                     int64_t num_rows = -1) {
  const FunctionEntry* entry = FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != FunctionKind::kGenerator) {
    return "not a generator";
  }
  std::vector<ExprPtr> exprs;
  for (size_t i = 0; i < args.size(); ++i) {
    exprs.push_back(args[i]->length() == 1 && num_rows < 0
                        ? Expression::Literal(args[i])
                        : Expression::Column(static_cast<int>(i), args[i]->type()));
  }
  BindContext bind;
  bind.call_sql = std::string(name);
  Result<BoundGenerator> generator = entry->generator(exprs, bind);
  if (!generator.ok()) {
    return generator.status().ToString();
  }
  Result<GeneratorOutput> output =
      generator->generate(args, num_rows < 0 ? 1 : num_rows, EvalContext{});
  if (!output.ok()) {
    return output.status().ToString();
  }
  std::string text = "fields:";
  for (const Field& field : generator->output_fields) {
    text += " " + field.name + " " + field.type->ToDdl();
  }
  text += "; rows:";
  for (int64_t row : output->source_rows) {
    text += " " + std::to_string(row);
  }
  for (size_t c = 0; c < output->columns.size(); ++c) {
    EXPECT_TRUE(output->columns[c]->type()->Equals(*generator->output_fields[c].type));
    text += "; " + Cells(output->columns[c]);
  }
  return text;
}

VectorPtr IntArrays(const std::vector<std::optional<std::vector<int32_t>>>& rows) {
  ArrayBuilder builder(ArrayType(IntType()));
  for (const auto& row : rows) {
    if (!row.has_value()) {
      builder.AppendNull();
      continue;
    }
    for (int32_t value : *row) {
      static_cast<Int32Builder*>(builder.element())->Append(value);
    }
    builder.Append();
  }
  return builder.Finish();
}

TEST(GeneratorTest, ExplodeArraysAndMaps) {
  // Spark docs: explode(array(10, 20)) -> 10, 20; posexplode -> (0, 10), (1, 20).
  VectorPtr arrays = IntArrays({std::vector<int32_t>{10, 20}, std::nullopt, std::vector<int32_t>{},
                                std::vector<int32_t>{30}});
  EXPECT_EQ(Generate("explode", {arrays}, 4), "fields: col INT; rows: 0 0 3; 10 | 20 | 30");
  EXPECT_EQ(Generate("posexplode_outer", {arrays}, 4),
            "fields: pos INT col INT; rows: 0 0 3; 0 | 1 | 0; 10 | 20 | 30");
  MapBuilder map(MapType(StringType(), IntType()));
  static_cast<StringBuilder*>(map.keys())->Append("a");
  static_cast<Int32Builder*>(map.values())->Append(1);
  static_cast<StringBuilder*>(map.keys())->Append("b");
  static_cast<Int32Builder*>(map.values())->AppendNull();
  map.Append();
  EXPECT_EQ(Generate("explode", {map.Finish()}, 1),
            "fields: key STRING value INT; rows: 0 0; a | b; 1 | NULL");
  EXPECT_NE(Generate("explode", {test_util::Ints({1})}, 1).find("DATATYPE_MISMATCH"),
            std::string::npos);
}

TEST(GeneratorTest, InlineTurnsStructsIntoRows) {
  // Spark docs: inline(array(struct(1, 'a'), struct(2, 'b'))) -> (1, a), (2, b).
  TypePtr element = StructType({MakeField("col1", IntType()), MakeField("col2", StringType())});
  ArrayBuilder builder(ArrayType(element));
  auto* structs = static_cast<StructBuilder*>(builder.element());
  for (int i = 1; i <= 2; ++i) {
    static_cast<Int32Builder*>(structs->child(0))->Append(i);
    static_cast<StringBuilder*>(structs->child(1))->Append(i == 1 ? "a" : "b");
    structs->Append();
  }
  structs->AppendNull();
  builder.Append();
  EXPECT_EQ(Generate("inline", {builder.Finish()}, 1),
            "fields: col1 INT col2 STRING; rows: 0 0 0; 1 | 2 | NULL; a | b | NULL");
}

TEST(GeneratorTest, StackSpreadsValuesOverRows) {
  // Spark docs: stack(2, 1, 2, 3) -> (1, 2), (3, NULL).
  EXPECT_EQ(
      Generate("stack", {MakeIntScalar(2), MakeIntScalar(1), MakeIntScalar(2), MakeIntScalar(3)}),
      "fields: col0 INT col1 INT; rows: 0 0; 1 | 3; 2 | NULL");
}

TEST(GeneratorTest, JsonTupleReadsTopLevelFields) {
  // Spark docs: json_tuple('{"a":1, "b":2}', 'a', 'b') -> 1, 2.
  VectorPtr json =
      test_util::Strings({R"({"a":1, "b":{"c":[true]}, "d":"x"})", std::nullopt, "not json"});
  VectorPtr a = test_util::Strings({"a", "a", "a"});
  VectorPtr b = test_util::Strings({"b", "b", "b"});
  VectorPtr d = test_util::Strings({"d", "d", "d"});
  EXPECT_EQ(Generate("json_tuple", {json, a, b, d}, 3),
            "fields: c0 STRING c1 STRING c2 STRING; rows: 0 1 2; 1 | NULL | NULL; "
            "{\"c\":[true]} | NULL | NULL; x | NULL | NULL");
}

}  // namespace
}  // namespace sluice::expr
