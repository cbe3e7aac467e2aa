// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "expr/function.h"
#include "expr/tests/more_test_util.h"

namespace sluice::expr {
namespace {

using test_util::CallScalar;
using test_util::Eval;

VectorPtr Int(int32_t value) {
  return MakeIntScalar(value);
}
VectorPtr Str(std::string_view value) {
  return MakeStringScalar(value);
}
VectorPtr Null(TypePtr type) {
  return MakeNullScalar(type);
}
// Builds a value with a collection function itself (array(...), map(...), ...).
VectorPtr Make(std::string_view name, const std::vector<VectorPtr>& args) {
  Result<VectorPtr> value = CallScalar(name, args);
  EXPECT_TRUE(value.ok()) << value.status().ToString();
  return value.ok() ? *value : MakeNullScalar(NullType());
}
VectorPtr IntArray(const std::vector<std::optional<int32_t>>& values) {
  std::vector<VectorPtr> args;
  for (const auto& value : values) {
    args.push_back(value.has_value() ? Int(*value) : Null(IntType()));
  }
  return Make("array", args);
}

TEST(CollectionFunctionsTest, Constructors) {
  EXPECT_EQ(Eval("array", {Int(1), Int(2), Int(3)}), "[1, 2, 3]");
  EXPECT_EQ(Eval("array", {Int(1), Null(IntType())}), "[1, NULL]");
  EXPECT_EQ(Eval("named_struct", {Str("a"), Int(1), Str("b"), Int(2)}), "{1, 2}");
  EXPECT_EQ(CallScalar("named_struct", {Str("a"), Int(1)}).value()->type()->ToDdl(),
            "STRUCT<a: INT>");
  EXPECT_EQ(CallScalar("struct", {Int(1), Str("x")}).value()->type()->ToDdl(),
            "STRUCT<col1: INT, col2: STRING>");
  EXPECT_EQ(Eval("map", {Int(1), Str("a"), Int(2), Str("b")}), "{1 -> a, 2 -> b}");
  EXPECT_NE(Eval("map", {Int(1), Str("a"), Int(1), Str("b")}).find("[DUPLICATED_MAP_KEY]"),
            std::string::npos);
  EXPECT_NE(Eval("map", {Null(IntType()), Str("a")}).find("[NULL_MAP_KEY]"), std::string::npos);
  EXPECT_EQ(Eval("map_from_arrays", {IntArray({1, 3}), Make("array", {Str("2"), Str("4")})}),
            "{1 -> 2, 3 -> 4}");
}

TEST(CollectionFunctionsTest, ElementAccess) {
  VectorPtr array = IntArray({1, 2, 3});
  EXPECT_EQ(Eval("element_at", {array, Int(2)}), "2");
  EXPECT_EQ(Eval("element_at", {array, Int(-1)}), "3");
  EXPECT_EQ(Eval("element_at", {array, Int(5)}), "NULL");
  EXPECT_NE(Eval("element_at", {array, Int(0)}).find("[INVALID_INDEX_OF_ZERO]"), std::string::npos);
  EvalContext ansi;
  ansi.ansi = true;
  EXPECT_NE(Eval("element_at", {array, Int(5)}, ansi).find("[INVALID_ARRAY_INDEX_IN_ELEMENT_AT]"),
            std::string::npos);
  VectorPtr map = Make("map", {Int(1), Str("a"), Int(2), Str("b")});
  EXPECT_EQ(Eval("element_at", {map, Int(2)}), "b");
  EXPECT_EQ(Eval("subscript", {map, Int(3)}), "NULL");
  EXPECT_EQ(Eval("subscript", {array, Int(0)}), "1");
  EXPECT_EQ(Eval("subscript", {array, Int(3)}), "NULL");
  VectorPtr record = Make("named_struct", {Str("a"), Int(1), Str("Bee"), Str("x")});
  EXPECT_EQ(Eval("get_field", {record, Str("bee")}), "x");
  EXPECT_NE(Eval("get_field", {record, Str("c")})
                .find("[FIELD_NOT_FOUND] No such struct field "
                      "`c` in `a`, `Bee`."),
            std::string::npos);
  EXPECT_EQ(Eval("size", {Make("array", {Str("b"), Str("d"), Str("c"), Str("a")})}), "4");
  EXPECT_EQ(Eval("cardinality", {map}), "2");
  EXPECT_EQ(Eval("size", {Null(ArrayType(IntType()))}), "-1");
  EXPECT_EQ(Eval("size", {Null(ArrayType(IntType()))}, ansi), "NULL");
  EXPECT_EQ(Eval("map_keys", {map}), "[1, 2]");
  EXPECT_EQ(Eval("map_values", {map}), "[a, b]");
}

TEST(CollectionFunctionsTest, ArraySearchAndOrder) {
  EXPECT_EQ(Eval("array_contains", {IntArray({1, 2, 3}), Int(2)}), "true");
  EXPECT_EQ(Eval("array_contains", {IntArray({1, std::nullopt}), Int(2)}), "NULL");
  EXPECT_EQ(Eval("array_contains", {IntArray({1, 3}), Int(2)}), "false");
  EXPECT_EQ(Eval("array_position", {IntArray({312, 773, 708, 708}), Int(708)}), "3");
  EXPECT_EQ(Eval("array_position", {IntArray({312}), Int(1)}), "0");
  EXPECT_EQ(Eval("array_distinct", {IntArray({1, 2, 3, std::nullopt, 3})}), "[1, 2, 3, NULL]");
  VectorPtr letters = Make("array", {Str("b"), Str("d"), Null(StringType()), Str("c"), Str("a")});
  EXPECT_EQ(Eval("array_sort", {letters}), "[a, b, c, d, NULL]");
  EXPECT_EQ(Eval("sort_array", {letters, MakeBooleanScalar(true)}), "[NULL, a, b, c, d]");
  EXPECT_EQ(Eval("sort_array", {letters, MakeBooleanScalar(false)}), "[d, c, b, a, NULL]");
  EXPECT_EQ(Eval("array_max", {IntArray({1, 20, std::nullopt, 3})}), "20");
  EXPECT_EQ(Eval("array_min", {IntArray({1, 20, std::nullopt, 3})}), "1");
  EXPECT_EQ(Eval("array_min", {IntArray({std::nullopt})}), "NULL");
}

TEST(CollectionFunctionsTest, ArrayReshaping) {
  EXPECT_EQ(Eval("array_join", {Make("array", {Str("hello"), Str("world")}), Str(" ")}),
            "hello world");
  VectorPtr with_null = Make("array", {Str("hello"), Null(StringType()), Str("world")});
  EXPECT_EQ(Eval("array_join", {with_null, Str(" ")}), "hello world");
  EXPECT_EQ(Eval("array_join", {with_null, Str(" "), Str(",")}), "hello , world");
  VectorPtr four = IntArray({1, 2, 3, 4});
  EXPECT_EQ(Eval("slice", {four, Int(2), Int(2)}), "[2, 3]");
  EXPECT_EQ(Eval("slice", {four, Int(-2), Int(2)}), "[3, 4]");
  EXPECT_EQ(Eval("slice", {four, Int(9), Int(2)}), "[]");
  EXPECT_NE(Eval("slice", {four, Int(0), Int(2)}).find("[INVALID_PARAMETER_VALUE.START]"),
            std::string::npos);
  EXPECT_EQ(Eval("flatten", {Make("array", {IntArray({1, 2}), IntArray({3, 4})})}), "[1, 2, 3, 4]");
  EXPECT_EQ(Eval("sequence", {Int(1), Int(5)}), "[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("sequence", {Int(5), Int(1)}), "[5, 4, 3, 2, 1]");
  EXPECT_EQ(Eval("sequence", {Int(1), Int(9), Int(4)}), "[1, 5, 9]");
  EXPECT_NE(Eval("sequence", {Int(1), Int(9), Int(-1)}).find("[INVALID_SEQUENCE_BOUNDARIES]"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::expr
