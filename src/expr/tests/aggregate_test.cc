// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <numeric>

#include "expr/function.h"
#include "expr/tests/more_test_util.h"

namespace sluice::expr {
namespace {

using test_util::Bools;
using test_util::Cells;
using test_util::ColumnArgs;
using test_util::Dates;
using test_util::Decimals;
using test_util::Doubles;
using test_util::Ints;
using test_util::Longs;
using test_util::Strings;

Result<BoundAggregateFunction> Bind(std::string_view name, const std::vector<ExprPtr>& args,
                                    AggregateCallOptions options = {}, bool ansi = false) {
  const FunctionEntry* entry = FunctionRegistry::Default().Find(name);
  if (entry == nullptr || entry->kind != FunctionKind::kAggregate) {
    return Status::NotFound(std::string(name));
  }
  BindContext ctx;
  ctx.ansi = ansi;
  ctx.call_sql = std::string(name);
  return entry->aggregate(args, options, ctx);
}

// Runs `name` over `columns` with rows in groups `groups`; with `split` the rows go to two
// states (first half, second half) that are merged, the second one's groups in reverse.
std::string RunAggregate(std::string_view name, const std::vector<VectorPtr>& columns,
                         const std::vector<int64_t>& groups, int64_t num_groups,
                         AggregateCallOptions options = {}, bool split = false,
                         std::vector<ExprPtr> args = {}) {
  if (args.empty()) {
    args = ColumnArgs(columns);
  }
  Result<BoundAggregateFunction> bound = Bind(name, args, options);
  if (!bound.ok()) {
    return bound.status().ToString();
  }
  const auto num_rows = static_cast<int64_t>(groups.size());
  std::unique_ptr<GroupedAggregateState> state = bound->make_state();
  state->Resize(num_groups);
  if (!split) {
    Status status = state->Update(columns, groups.data(), num_rows);
    if (!status.ok()) {
      return status.ToString();
    }
  } else {
    const int64_t half = num_rows / 2;
    std::vector<VectorPtr> first;
    std::vector<VectorPtr> second;
    for (const VectorPtr& column : columns) {
      first.push_back(column->length() == 1 ? column : column->Slice(0, half));
      second.push_back(column->length() == 1 ? column : column->Slice(half, num_rows - half));
    }
    EXPECT_TRUE(state->Update(first, groups.data(), half).ok());
    std::unique_ptr<GroupedAggregateState> other = bound->make_state();
    other->Resize(num_groups);
    std::vector<int64_t> reversed;
    std::vector<int64_t> map(num_groups);
    for (int64_t g = 0; g < num_groups; ++g) {
      map[g] = num_groups - 1 - g;
    }
    for (int64_t r = half; r < num_rows; ++r) {
      reversed.push_back(num_groups - 1 - groups[r]);
    }
    EXPECT_TRUE(other->Update(second, reversed.data(), num_rows - half).ok());
    Status status = state->Merge(*other, map.data());
    if (!status.ok()) {
      return status.ToString();
    }
  }
  EvalContext ctx;
  Result<VectorPtr> result = state->Finalize(ctx);
  if (!result.ok()) {
    return result.status().ToString();
  }
  EXPECT_EQ((*result)->type()->ToDdl(), bound->return_type->ToDdl());
  return Cells(*result);
}

TEST(AggregateTest, CountStarCountsRowsAndCountSkipsNulls) {
  VectorPtr x = Longs({1, std::nullopt, 3, std::nullopt, 5});
  const std::vector<int64_t> groups = {0, 0, 1, 1, 1};
  EXPECT_EQ(RunAggregate("count", {}, groups, 3), "2 | 3 | 0");
  EXPECT_EQ(RunAggregate("count", {x}, groups, 3), "1 | 2 | 0");
  EXPECT_EQ(RunAggregate("count", {x}, groups, 3, {}, true), "1 | 2 | 0");
  VectorPtr y = Strings({"a", "b", std::nullopt, "c", "d"});
  EXPECT_EQ(RunAggregate("count", {x, y}, groups, 2), "1 | 1");
}

TEST(AggregateTest, CountDistinctCountsEachTupleOnce) {
  VectorPtr x = Longs({1, 1, 2, 2, 2, 3, std::nullopt, 3});
  const std::vector<int64_t> groups = {0, 0, 0, 1, 1, 1, 1, 0};
  AggregateCallOptions distinct;
  distinct.distinct = true;
  EXPECT_EQ(RunAggregate("count", {x}, groups, 2, distinct), "3 | 2");
  EXPECT_EQ(RunAggregate("count", {x}, groups, 2, distinct, true), "3 | 2");
  EXPECT_EQ(RunAggregate("sum", {x}, groups, 2, distinct, true), "6 | 5");
  VectorPtr y = Strings({"a", "a", "b", "b", "b", "c", "c", "c"});
  EXPECT_EQ(RunAggregate("count", {x, y}, groups, 2, distinct, true), "3 | 2");
}

TEST(AggregateTest, SumTypesFollowSpark) {
  const std::vector<int64_t> groups = {0, 0, 1};
  EXPECT_EQ(RunAggregate("sum", {Longs({5, 10, std::nullopt})}, groups, 2), "15 | NULL");
  EXPECT_EQ(RunAggregate("sum", {Doubles({0.5, 0.25, 1})}, groups, 2), "0.75 | 1.0");
  EXPECT_EQ(RunAggregate("sum", {Decimals(5, 2, {"1.10", "2.25", "-3.00"})}, groups, 2),
            "3.35 | -3.00");
  Result<BoundAggregateFunction> bound = Bind("sum", ColumnArgs({Decimals(5, 2, {"1.00"})}));
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(bound->return_type->ToDdl(), "DECIMAL(15,2)");
  EXPECT_NE(RunAggregate("sum", {Bools({true})}, {0}, 1).find("[DATATYPE_MISMATCH"),
            std::string::npos);
}

TEST(AggregateTest, SumOfLongsWrapsUnlessAnsi) {
  VectorPtr x = Longs({INT64_MAX, 1});
  EXPECT_EQ(RunAggregate("sum", {x}, {0, 0}, 1), std::to_string(INT64_MIN));
  Result<BoundAggregateFunction> bound = Bind("sum", ColumnArgs({x}), {}, true);
  ASSERT_TRUE(bound.ok());
  auto state = bound->make_state();
  state->Resize(1);
  const std::vector<int64_t> groups = {0, 0};
  Status status = state->Update({x}, groups.data(), 2);
  EXPECT_NE(status.message().find("[ARITHMETIC_OVERFLOW]"), std::string::npos);
}

TEST(AggregateTest, AvgIsDoubleOrWiderDecimal) {
  // Spark docs: avg(col) FROM VALUES (1), (2), (3) -> 2.0; with a NULL -> 1.5.
  EXPECT_EQ(RunAggregate("avg", {Longs({1, 2, 3})}, {0, 0, 0}, 1), "2.0");
  EXPECT_EQ(RunAggregate("avg", {Longs({1, 2, std::nullopt})}, {0, 0, 0}, 1, {}, true), "1.5");
  EXPECT_EQ(RunAggregate("mean", {Decimals(3, 2, {"1.00", "2.00", "2.00"})}, {0, 0, 0}, 2),
            "1.666667 | NULL");
}

TEST(AggregateTest, MinMaxOrderAnyPrimitive) {
  VectorPtr s = Strings({"b", "a", std::nullopt, "c", "ab"});
  const std::vector<int64_t> groups = {0, 0, 1, 1, 0};
  EXPECT_EQ(RunAggregate("min", {s}, groups, 2), "a | c");
  EXPECT_EQ(RunAggregate("max", {s}, groups, 2, {}, true), "b | c");
  VectorPtr d = Doubles({1.5, std::nan(""), -2, 0, 3});
  EXPECT_EQ(RunAggregate("max", {d}, groups, 2), "NaN | 0.0");
  EXPECT_EQ(RunAggregate("min", {d}, groups, 2, {}, true), "1.5 | -2.0");
}

TEST(AggregateTest, TypedMinMaxWithAndWithoutNullsSlicesAndConstants) {
  const std::vector<int64_t> groups = {0, 1, 0, 1, 0, 2};
  // No nulls (the raw loop), with nulls, and a slice with an offset.
  VectorPtr longs = Longs({4, -7, 9, 3, -1, 0});
  EXPECT_EQ(RunAggregate("max", {longs}, groups, 4), "9 | 3 | 0 | NULL");
  EXPECT_EQ(RunAggregate("min", {longs}, groups, 4, {}, true), "-1 | -7 | 0 | NULL");
  VectorPtr nullable = Longs({std::nullopt, -7, 9, std::nullopt, -1, std::nullopt});
  EXPECT_EQ(RunAggregate("max", {nullable}, groups, 3), "9 | -7 | NULL");
  EXPECT_EQ(RunAggregate("min", {nullable}, groups, 3, {}, true), "-1 | -7 | NULL");
  VectorPtr sliced = Longs({100, 100, 4, -7, 9, 3, -1, 0})->Slice(2, 6);
  EXPECT_EQ(RunAggregate("max", {sliced}, groups, 3, {}, true), "9 | 3 | 0");
  // A length-1 constant stands for every row.
  EXPECT_EQ(RunAggregate("min", {Longs({5})}, groups, 4), "5 | 5 | 5 | NULL");
  EXPECT_EQ(RunAggregate("max", {Longs({std::nullopt})}, groups, 3), "NULL | NULL | NULL");
  // Other fixed-width types.
  EXPECT_EQ(RunAggregate("max", {Ints({1, 2, 3, 4, 5, 6})}, groups, 3), "5 | 4 | 6");
  EXPECT_EQ(RunAggregate("min", {Dates({10, 20, 5, std::nullopt, 7, 0})}, groups, 3, {}, true),
            "1970-01-06 | 1970-01-21 | 1970-01-01");
  EXPECT_EQ(RunAggregate(
                "max", {Decimals(10, 2, {"1.50", "-2.00", "3.25", "0.01", "-9.99", std::nullopt})},
                groups, 3, {}, true),
            "3.25 | 0.01 | NULL");
}

TEST(AggregateTest, TypedMinMaxOrderFloatsAsSpark) {
  // NaN is above everything; -0.0 equals 0.0 (the first one seen stays).
  const std::vector<int64_t> groups = {0, 0, 0, 1, 1, 1};
  VectorPtr d = Doubles({1.0, std::nan(""), 2.0, -0.0, 0.0, -1.0});
  EXPECT_EQ(RunAggregate("max", {d}, groups, 2), "NaN | -0.0");
  EXPECT_EQ(RunAggregate("min", {d}, groups, 2, {}, true), "1.0 | -1.0");
  VectorPtr all_nan = Doubles({std::nan(""), std::nan(""), std::nan(""), 3, std::nullopt, 2});
  EXPECT_EQ(RunAggregate("min", {all_nan}, groups, 2), "NaN | 2.0");
  EXPECT_EQ(RunAggregate("max", {all_nan}, groups, 2, {}, true), "NaN | 3.0");
}

TEST(AggregateTest, TypedSumAndCountWithAndWithoutNulls) {
  const std::vector<int64_t> groups = {0, 1, 0, 1, 0, 2};
  VectorPtr longs = Longs({1, 2, 3, 4, 5, 6});
  EXPECT_EQ(RunAggregate("sum", {longs}, groups, 4), "9 | 6 | 6 | NULL");
  EXPECT_EQ(RunAggregate("sum", {longs->Slice(0, 6)}, groups, 4, {}, true), "9 | 6 | 6 | NULL");
  VectorPtr nullable = Longs({1, std::nullopt, 3, std::nullopt, 5, 6});
  EXPECT_EQ(RunAggregate("sum", {nullable}, groups, 3), "9 | NULL | 6");
  EXPECT_EQ(RunAggregate("count", {nullable}, groups, 3, {}, true), "3 | 0 | 1");
  EXPECT_EQ(RunAggregate("count", {longs}, groups, 3), "3 | 2 | 1");
  VectorPtr sliced = Longs({9, 9, 1, std::nullopt, 3, std::nullopt, 5, 6})->Slice(2, 6);
  EXPECT_EQ(RunAggregate("sum", {sliced}, groups, 3, {}, true), "9 | NULL | 6");
  EXPECT_EQ(RunAggregate("count", {sliced}, groups, 3), "3 | 0 | 1");
  VectorPtr doubles = Doubles({0.5, std::nullopt, 0.25, 1, 1, 2});
  EXPECT_EQ(RunAggregate("sum", {doubles}, groups, 3), "1.75 | 1.0 | 2.0");
  EXPECT_EQ(RunAggregate("avg", {doubles}, groups, 3, {}, true), "0.5833333333333334 | 1.0 | 2.0");
  EXPECT_EQ(RunAggregate("sum", {Longs({3})}, groups, 3), "9 | 6 | 3");
}

TEST(AggregateTest, FirstLastHonourIgnoreNulls) {
  VectorPtr x = Longs({std::nullopt, 5, 20, std::nullopt});
  const std::vector<int64_t> groups = {0, 0, 0, 0};
  EXPECT_EQ(RunAggregate("first", {x}, groups, 1), "NULL");
  AggregateCallOptions ignore;
  ignore.ignore_nulls = true;
  EXPECT_EQ(RunAggregate("first", {x}, groups, 1, ignore), "5");
  EXPECT_EQ(RunAggregate("last", {x}, groups, 1), "NULL");
  EXPECT_EQ(RunAggregate("last", {x}, groups, 1, ignore, true), "20");
  std::vector<ExprPtr> args = ColumnArgs({x});
  args.push_back(Expression::Literal(MakeBooleanScalar(true)));
  EXPECT_EQ(RunAggregate("last_value", {x, Bools({true})}, groups, 1, {}, false, args), "20");
  EXPECT_NE(RunAggregate("last", {x, Bools({true})}, groups, 1).find("[DATATYPE_MISMATCH"),
            std::string::npos);
  EXPECT_EQ(RunAggregate("any_value", {Longs({10, 5, 20, 1})}, groups, 1), "10");
}

TEST(AggregateTest, MinByMaxByFollowTheOrderingColumn) {
  // Spark docs: max_by(x, y) FROM VALUES ('a', 10), ('b', 50), ('c', 20) -> b; min_by -> a.
  VectorPtr x = Strings({"a", "b", "c"});
  VectorPtr y = Longs({10, 50, 20});
  EXPECT_EQ(RunAggregate("max_by", {x, y}, {0, 0, 0}, 1), "b");
  EXPECT_EQ(RunAggregate("min_by", {x, y}, {0, 0, 0}, 1, {}, true), "a");
  EXPECT_EQ(RunAggregate("max_by", {x, Longs({std::nullopt, std::nullopt, 1})}, {0, 0, 0}, 1), "c");
}

TEST(AggregateTest, BooleanAggregatesAndCountIf) {
  VectorPtr b = Bools({true, false, std::nullopt, true, true});
  const std::vector<int64_t> groups = {0, 0, 1, 1, 2};
  EXPECT_EQ(RunAggregate("bool_and", {b}, groups, 4), "false | true | true | NULL");
  EXPECT_EQ(RunAggregate("every", {b}, groups, 4, {}, true), "false | true | true | NULL");
  EXPECT_EQ(RunAggregate("bool_or", {b}, groups, 4), "true | true | true | NULL");
  EXPECT_EQ(RunAggregate("count_if", {b}, groups, 4), "1 | 1 | 1 | 0");
}

TEST(AggregateTest, VarianceAndStddev) {
  VectorPtr x = Longs({1, 2, 3, 7});
  const std::vector<int64_t> groups = {0, 0, 0, 1};
  EXPECT_EQ(RunAggregate("stddev_samp", {x}, groups, 3), "1.0 | NULL | NULL");
  EXPECT_EQ(RunAggregate("var_pop", {x}, groups, 2, {}, true), "0.6666666666666666 | 0.0");
  EXPECT_EQ(RunAggregate("variance", {x}, groups, 2), "1.0 | NULL");
  EXPECT_EQ(RunAggregate("stddev_pop", {x}, groups, 2), "0.816496580927726 | 0.0");
}

TEST(AggregateTest, CollectListAndSet) {
  // Spark docs: collect_list(col) FROM VALUES (1), (2), (1) -> [1,2,1]; collect_set -> [1,2].
  VectorPtr x = Longs({1, 2, std::nullopt, 1});
  const std::vector<int64_t> groups = {0, 0, 0, 0};
  EXPECT_EQ(RunAggregate("collect_list", {x}, groups, 2), "[1, 2, 1] | []");
  EXPECT_EQ(RunAggregate("collect_set", {x}, groups, 1, {}, true), "[1, 2]");
  EXPECT_EQ(RunAggregate("array_agg", {Strings({"b", "a", "b", "c"})}, {0, 0, 0, 0}, 1, {}, true),
            "[b, a, b, c]");
}

TEST(AggregateTest, ApproxCountDistinctEstimates) {
  EXPECT_EQ(RunAggregate("approx_count_distinct", {Longs({1, 1, 2, 2, 3})}, {0, 0, 0, 0, 0}, 1),
            "3");
  std::vector<std::optional<int64_t>> values;
  for (int64_t i = 0; i < 20000; ++i) {
    values.push_back(i % 5000);
  }
  std::vector<int64_t> groups(values.size(), 0);
  const int64_t estimate =
      std::stoll(RunAggregate("approx_count_distinct", {Longs(values)}, groups, 1, {}, true));
  EXPECT_NEAR(static_cast<double>(estimate), 5000, 5000 * 0.15);
}

TEST(AggregateTest, PercentileApproxUsesSparksRank) {
  VectorPtr x = Longs({0, 1, 2, 10});
  const std::vector<int64_t> groups = {0, 0, 0, 0};
  std::vector<ExprPtr> args = ColumnArgs({x});
  ArrayBuilder percentages(ArrayType(DoubleType()));
  for (double p : {0.5, 0.4, 0.1}) {
    static_cast<DoubleBuilder*>(percentages.element())->Append(p);
  }
  percentages.Append();
  args.push_back(Expression::Literal(percentages.Finish()));
  args.push_back(Expression::Literal(MakeIntScalar(100)));
  EXPECT_EQ(RunAggregate("percentile_approx", {x}, groups, 1, {}, false, args), "[1, 1, 0]");
  VectorPtr y = Longs({0, 6, 7, 9, 10});
  std::vector<ExprPtr> half = ColumnArgs({y});
  half.push_back(Expression::Literal(MakeDoubleScalar(0.5)));
  EXPECT_EQ(RunAggregate("approx_percentile", {y}, {0, 0, 0, 0, 0}, 1, {}, true, half), "7");
  half[1] = Expression::Literal(MakeDoubleScalar(1.5));
  EXPECT_NE(RunAggregate("percentile_approx", {y}, {0, 0, 0, 0, 0}, 1, {}, false, half)
                .find("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE]"),
            std::string::npos);
}

}  // namespace
}  // namespace sluice::expr

namespace sluice::expr {
namespace {

TEST(AggregateTest, ManyBatchesKeepTheRightValuesAfterCompaction) {
  Result<BoundAggregateFunction> max = Bind("max", ColumnArgs({test_util::Strings({"x"})}));
  Result<BoundAggregateFunction> last = Bind("last", ColumnArgs({test_util::Strings({"x"})}));
  ASSERT_TRUE(max.ok() && last.ok());
  auto max_state = max->make_state();
  auto last_state = last->make_state();
  max_state->Resize(2);
  last_state->Resize(2);
  for (int batch = 0; batch < 600; ++batch) {
    const std::string a = "v" + std::to_string(1000 + batch);
    const std::string b = "w" + std::to_string(5000 - batch);
    VectorPtr values = test_util::Strings({a, b});
    const std::vector<int64_t> groups = {0, 1};
    ASSERT_TRUE(max_state->Update({values}, groups.data(), 2).ok());
    ASSERT_TRUE(last_state->Update({values}, groups.data(), 2).ok());
  }
  EvalContext ctx;
  EXPECT_EQ(test_util::Cells(*max_state->Finalize(ctx)), "v1599 | w5000");
  EXPECT_EQ(test_util::Cells(*last_state->Finalize(ctx)), "v1599 | w4401");
  EXPECT_LT(max_state->memory_bytes(), 100000);
}

}  // namespace
}  // namespace sluice::expr

namespace sluice::expr {
namespace {

std::string Agg(std::string_view name, const std::vector<VectorPtr>& columns, bool split,
                std::vector<ExprPtr> args = {}) {
  std::vector<int64_t> groups(columns[0]->length(), 0);
  return RunAggregate(name, columns, groups, 1, {}, split, std::move(args));
}

TEST(AggregateTest, ExactPercentileMedianAndMode) {
  // Spark docs: percentile(col, 0.5) and median(col) over (0), (10) -> 5.0.
  VectorPtr x = test_util::Doubles({0, 10});
  std::vector<ExprPtr> args = test_util::ColumnArgs({x});
  args.push_back(Expression::Literal(MakeDoubleScalar(0.5)));
  EXPECT_EQ(Agg("percentile", {x}, false, args), "5.0");
  EXPECT_EQ(Agg("median", {x}, true), "5.0");
  EXPECT_EQ(Agg("median", {test_util::Doubles({1, 2, 3, 4})}, true), "2.5");
  // Spark docs: mode(col) over (0), (10), (10) -> 10.
  EXPECT_EQ(Agg("mode", {test_util::Longs({0, 10, 10, std::nullopt})}, true), "10");
}

TEST(AggregateTest, BitwiseCovarianceAndHigherMoments) {
  EXPECT_EQ(Agg("bit_and", {test_util::Ints({3, 5})}, true), "1");
  EXPECT_EQ(Agg("bit_or", {test_util::Ints({3, 5})}, true), "7");
  EXPECT_EQ(Agg("bit_xor", {test_util::Ints({3, 5})}, true), "6");
  // Spark docs examples.
  EXPECT_EQ(Agg("corr", {test_util::Doubles({3, 3, 6}), test_util::Doubles({2, 3, 4})}, false),
            "0.8660254037844387");
  VectorPtr one_two_three = test_util::Doubles({1, 2, 3});
  EXPECT_EQ(Agg("covar_pop", {one_two_three, one_two_three}, true), "0.6666666666666666");
  EXPECT_EQ(Agg("covar_samp", {one_two_three, one_two_three}, false), "1.0");
  VectorPtr skewed = test_util::Doubles({-10, -20, 100, 1000});
  // Spark's digits come from two partitions of two rows each, merged.
  EXPECT_EQ(Agg("skewness", {skewed}, true), "1.1135657469022011");
  EXPECT_EQ(Agg("kurtosis", {skewed}, true), "-0.7014368047529627");
  EXPECT_EQ(Agg("skewness", {test_util::Doubles({1, 1})}, false), "NULL");
}

}  // namespace
}  // namespace sluice::expr
