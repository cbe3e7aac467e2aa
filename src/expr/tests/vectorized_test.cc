// SPDX-License-Identifier: Apache-2.0
// The batch-at-a-time paths of evaluation (raw-buffer kernels, word-wise AND/OR and
// filtering, widening casts) checked row by row against the values they were built from,
// over more than 64 rows, with nulls, sliced inputs (offsets not a multiple of 8) and
// constants on either side.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "expr/tests/test_util.h"

namespace sluice::expr {
namespace {

using testing::Bools;
using testing::Cells;
using testing::Col;
using testing::Doubles;
using testing::Eval;
using testing::Ints;
using testing::Lit;
using testing::Longs;
using testing::MakeBatch;
using testing::MustBind;
using testing::Strings;

constexpr int64_t kRows = 203;  // several words and a partial one
constexpr int64_t kSkip = 5;    // the slice offset

template <typename T>
using Column = std::vector<std::optional<T>>;

// `values` with kSkip extra values in front, made into a vector and sliced past them.
template <typename T>
VectorPtr Sliced(const Column<T>& values, VectorPtr (*make)(const Column<T>&)) {
  Column<T> padded(kSkip, values.empty() ? std::nullopt : values[0]);
  padded.insert(padded.end(), values.begin(), values.end());
  return make(padded)->Slice(kSkip, static_cast<int64_t>(values.size()));
}

template <typename T, typename Gen>
Column<T> Random(std::mt19937_64& rng, bool with_nulls, Gen&& gen) {
  Column<T> values;
  for (int64_t i = 0; i < kRows; ++i) {
    if (with_nulls && rng() % 4 == 0) {
      values.push_back(std::nullopt);
    } else {
      values.push_back(gen());
    }
  }
  return values;
}

std::string Text(std::optional<bool> value) {
  return value.has_value() ? (*value ? "true" : "false") : "NULL";
}

// Spark's ordering of doubles: NaN largest and equal to itself, -0.0 == 0.0.
int Order(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) {
    return std::isnan(a) == std::isnan(b) ? 0 : (std::isnan(a) ? 1 : -1);
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}
template <typename T>
int Order(const T& a, const T& b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

bool Holds(std::string_view op, int c) {
  if (op == "=") {
    return c == 0;
  }
  if (op == "!=") {
    return c != 0;
  }
  if (op == "<") {
    return c < 0;
  }
  if (op == "<=") {
    return c <= 0;
  }
  if (op == ">") {
    return c > 0;
  }
  return c >= 0;
}

// Checks every comparison operator on (column, column), (column, constant) and
// (constant, column) against the row values.
template <typename T>
void CheckComparisons(const Column<T>& left, const Column<T>& right,
                      VectorPtr (*make)(const Column<T>&)) {
  BatchPtr batch = MakeBatch({Sliced(left, make), Sliced(right, make)});
  const std::optional<T> constant = right[1].has_value() ? right[1] : right[2];
  ASSERT_TRUE(constant.has_value());
  ExprPtr literal = Lit(make({constant}));
  for (std::string_view op : {"=", "!=", "<", "<=", ">", ">="}) {
    std::vector<std::string> both;
    std::vector<std::string> const_right;
    std::vector<std::string> const_left;
    for (int64_t i = 0; i < kRows; ++i) {
      const auto& a = left[i];
      const auto& b = right[i];
      both.push_back(a && b ? Text(Holds(op, Order(*a, *b))) : "NULL");
      const_right.push_back(a ? Text(Holds(op, Order(*a, *constant))) : "NULL");
      const_left.push_back(a ? Text(Holds(op, Order(*constant, *a))) : "NULL");
    }
    EXPECT_EQ(Eval(MustBind(op, {Col(batch, 0), Col(batch, 1)}), batch), both) << op;
    EXPECT_EQ(Eval(MustBind(op, {Col(batch, 0), literal}), batch), const_right) << op;
    EXPECT_EQ(Eval(MustBind(op, {literal, Col(batch, 0)}), batch), const_left) << op;
  }
}

TEST(VectorizedEvalTest, ComparisonsOfLongsMatchRowByRow) {
  std::mt19937_64 rng(1);
  auto gen = [&] { return static_cast<int64_t>(rng() % 7) - 3; };
  CheckComparisons<int64_t>(Random<int64_t>(rng, true, gen), Random<int64_t>(rng, true, gen),
                            Longs);
  CheckComparisons<int64_t>(Random<int64_t>(rng, false, gen), Random<int64_t>(rng, false, gen),
                            Longs);
}

TEST(VectorizedEvalTest, ComparisonsOfDoublesOrderNanAndNegativeZeroAsSpark) {
  std::mt19937_64 rng(2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double choices[] = {-1.5, -0.0, 0.0, 2.0, nan, std::numeric_limits<double>::infinity()};
  auto gen = [&] { return choices[rng() % 6]; };
  Column<double> right = Random<double>(rng, true, gen);
  right[1] = nan;  // the constant
  CheckComparisons<double>(Random<double>(rng, true, gen), right, Doubles);
  right[1] = -0.0;
  CheckComparisons<double>(Random<double>(rng, false, gen), right, Doubles);
}

TEST(VectorizedEvalTest, ComparisonsOfStringsCompareUnsignedBytes) {
  std::mt19937_64 rng(3);
  const std::string choices[] = {"", "a", "ab", "b", "Google", "Goog", "\xc3\xa9", "zz"};
  auto gen = [&] { return choices[rng() % 8]; };
  CheckComparisons<std::string>(Random<std::string>(rng, true, gen),
                                Random<std::string>(rng, true, gen), Strings);
  CheckComparisons<std::string>(Random<std::string>(rng, false, gen),
                                Random<std::string>(rng, false, gen), Strings);
}

TEST(VectorizedEvalTest, ComparisonWithNullConstantIsAllNull) {
  BatchPtr batch = MakeBatch({Longs({1, 2, 3})});
  EXPECT_EQ(Eval(MustBind("<", {Col(batch, 0), Lit(Longs({std::nullopt}))}), batch),
            (std::vector<std::string>{"NULL", "NULL", "NULL"}));
}

std::optional<bool> And3(std::optional<bool> a, std::optional<bool> b) {
  if ((a.has_value() && !*a) || (b.has_value() && !*b)) {
    return false;
  }
  if (!a.has_value() || !b.has_value()) {
    return std::nullopt;
  }
  return true;
}

std::optional<bool> Or3(std::optional<bool> a, std::optional<bool> b) {
  if ((a.has_value() && *a) || (b.has_value() && *b)) {
    return true;
  }
  if (!a.has_value() || !b.has_value()) {
    return std::nullopt;
  }
  return false;
}

TEST(VectorizedEvalTest, AndOrOverSlicesAndConstantsFollowThreeValuedLogic) {
  std::mt19937_64 rng(4);
  auto gen = [&] { return rng() % 2 == 0; };
  const Column<bool> left = Random<bool>(rng, true, gen);
  const Column<bool> right = Random<bool>(rng, true, gen);
  BatchPtr batch = MakeBatch({Sliced(left, Bools), Sliced(right, Bools)});
  const std::optional<bool> constants[] = {true, false, std::nullopt};
  for (bool is_and : {true, false}) {
    auto combine = is_and ? And3 : Or3;
    auto make = is_and ? Expression::And : Expression::Or;
    std::vector<std::string> expected;
    for (int64_t i = 0; i < kRows; ++i) {
      expected.push_back(Text(combine(left[i], right[i])));
    }
    EXPECT_EQ(Eval(make(Col(batch, 0), Col(batch, 1)), batch), expected);
    for (const std::optional<bool>& constant : constants) {
      ExprPtr literal = Lit(Bools({constant}));
      std::vector<std::string> with_right;
      std::vector<std::string> with_left;
      for (int64_t i = 0; i < kRows; ++i) {
        with_right.push_back(Text(combine(left[i], constant)));
        with_left.push_back(Text(combine(constant, right[i])));
      }
      EXPECT_EQ(Eval(make(Col(batch, 0), literal), batch), with_right) << Text(constant);
      EXPECT_EQ(Eval(make(literal, Col(batch, 1)), batch), with_left) << Text(constant);
    }
  }
}

TEST(VectorizedEvalTest, AndOfComparisonsIsEvaluatedOverWholeBatch) {
  // price > 5000 AND channel = 'Google', as the benchmark's filter.
  std::mt19937_64 rng(5);
  const Column<int64_t> price =
      Random<int64_t>(rng, true, [&] { return static_cast<int64_t>(rng() % 10000); });
  const std::string channels[] = {"Google", "Apple", "Facebook", "Baidu"};
  const Column<std::string> channel =
      Random<std::string>(rng, true, [&] { return channels[rng() % 4]; });
  BatchPtr batch = MakeBatch({Sliced(price, Longs), Sliced(channel, Strings)});
  ExprPtr predicate = Expression::And(MustBind(">", {Col(batch, 0), testing::LongLit(5000)}),
                                      MustBind("=", {Col(batch, 1), testing::StrLit("Google")}));
  std::vector<std::string> expected;
  std::vector<std::string> kept_prices;
  for (int64_t i = 0; i < kRows; ++i) {
    const std::optional<bool> high =
        price[i] ? std::optional<bool>(*price[i] > 5000) : std::nullopt;
    const std::optional<bool> google =
        channel[i] ? std::optional<bool>(*channel[i] == "Google") : std::nullopt;
    const std::optional<bool> both = And3(high, google);
    expected.push_back(Text(both));
    if (both.value_or(false)) {
      kept_prices.push_back(std::to_string(*price[i]));
    }
  }
  Result<VectorPtr> mask = Evaluate(*predicate, *batch, {});
  ASSERT_TRUE(mask.ok()) << mask.status().ToString();
  EXPECT_EQ(Cells(**mask), expected);
  Result<BatchPtr> filtered = FilterBatch(*batch, **mask);
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  EXPECT_EQ(Cells(*(*filtered)->column(0)), kept_prices);
  EXPECT_EQ((*filtered)->column(1)->length(), static_cast<int64_t>(kept_prices.size()));
}

TEST(VectorizedEvalTest, RightSideThatCanFailStillSeesOnlyUndecidedRows) {
  // An ANSI cast of 'x' fails, but only rows where the left side is undecided reach it.
  Column<std::string> text;
  Column<bool> guard;
  for (int64_t i = 0; i < kRows; ++i) {
    const bool bad = i % 3 == 0;
    text.push_back(bad ? std::string("x") : std::to_string(i));
    guard.push_back(!bad);
  }
  BatchPtr batch = MakeBatch({Sliced(guard, Bools), Sliced(text, Strings)});
  ExprPtr positive =
      MustBind(">", {Expression::Cast(Col(batch, 1), IntType(), false), testing::IntLit(0)});
  EvalContext ansi;
  ansi.ansi = true;
  std::vector<std::string> and_expected;
  std::vector<std::string> or_expected;
  for (int64_t i = 0; i < kRows; ++i) {
    and_expected.push_back(i % 3 == 0 ? "false" : "true");
    or_expected.push_back("true");
  }
  EXPECT_EQ(Eval(Expression::And(Col(batch, 0), positive), batch, ansi), and_expected);
  ExprPtr bad = MustBind("not", {Col(batch, 0)});
  EXPECT_EQ(Eval(Expression::Or(bad, positive), batch, ansi), or_expected);
  // Without the guard the cast fails.
  std::vector<std::string> error = Eval(positive, batch, ansi);
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].rfind("ERROR: [CAST_INVALID_INPUT]", 0), 0u) << error[0];
}

TEST(VectorizedEvalTest, FilterBatchOfSlicedColumnsKeepsTrueRows) {
  std::mt19937_64 rng(6);
  const Column<bool> keep = Random<bool>(rng, true, [&] { return rng() % 3 != 0; });
  const Column<int32_t> ints =
      Random<int32_t>(rng, true, [&] { return static_cast<int32_t>(rng() % 100); });
  const Column<std::string> strings =
      Random<std::string>(rng, true, [&] { return std::string(rng() % 5, 'a'); });
  const Column<bool> flags = Random<bool>(rng, true, [&] { return rng() % 2 == 0; });
  BatchPtr batch = MakeBatch({Sliced(ints, Ints), Sliced(strings, Strings), Sliced(flags, Bools)});
  std::vector<std::vector<std::string>> expected(3);
  const std::vector<std::string> all_ints = Cells(*batch->column(0));
  const std::vector<std::string> all_strings = Cells(*batch->column(1));
  const std::vector<std::string> all_flags = Cells(*batch->column(2));
  for (int64_t i = 0; i < kRows; ++i) {
    if (keep[i].value_or(false)) {
      expected[0].push_back(all_ints[i]);
      expected[1].push_back(all_strings[i]);
      expected[2].push_back(all_flags[i]);
    }
  }
  Result<BatchPtr> filtered = FilterBatch(*batch, *Sliced(keep, Bools));
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(Cells(*(*filtered)->column(c)), expected[c]) << c;
  }
  Result<BatchPtr> none = FilterBatch(*batch, *Lit(Bools({std::nullopt}))->literal());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->num_rows(), 0);
}

TEST(VectorizedEvalTest, WideningCastsKeepValuesAndNulls) {
  std::mt19937_64 rng(7);
  const Column<int64_t> longs = Random<int64_t>(
      rng, true, [&] { return static_cast<int64_t>(rng() >> 1) * (rng() % 2 == 0 ? 1 : -1); });
  const Column<int32_t> ints =
      Random<int32_t>(rng, true, [&] { return static_cast<int32_t>(rng()); });
  BatchPtr batch = MakeBatch({Sliced(longs, Longs), Sliced(ints, Ints)});
  std::vector<std::string> as_double;
  std::vector<std::string> as_long;
  for (int64_t i = 0; i < kRows; ++i) {
    as_double.push_back(longs[i] ? FormatCell(*Doubles({static_cast<double>(*longs[i])}), 0)
                                 : "NULL");
    as_long.push_back(ints[i] ? std::to_string(*ints[i]) : "NULL");
  }
  EXPECT_EQ(Eval(Expression::Cast(Col(batch, 0), DoubleType(), false), batch), as_double);
  EXPECT_EQ(Eval(Expression::Cast(Col(batch, 1), LongType(), false), batch), as_long);
}

TEST(VectorizedEvalTest, KernelErrorOfFirstFailingValidRowIsRaised) {
  // abs(INT_MIN) overflows in ANSI mode; a null INT_MIN-free row before it is skipped.
  Column<int32_t> values;
  for (int64_t i = 0; i < kRows; ++i) {
    values.push_back(i % 7 == 0 ? std::nullopt : std::optional<int32_t>(-static_cast<int32_t>(i)));
  }
  BatchPtr ok_batch = MakeBatch({Sliced(values, Ints)});
  std::vector<std::string> expected;
  for (int64_t i = 0; i < kRows; ++i) {
    expected.push_back(values[i] ? std::to_string(-*values[i]) : "NULL");
  }
  EvalContext ansi;
  ansi.ansi = true;
  EXPECT_EQ(Eval(MustBind("abs", {Col(ok_batch, 0)}, true), ok_batch, ansi), expected);
  values[100] = std::numeric_limits<int32_t>::min();
  BatchPtr bad_batch = MakeBatch({Sliced(values, Ints)});
  std::vector<std::string> error =
      Eval(MustBind("abs", {Col(bad_batch, 0)}, true), bad_batch, ansi);
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].rfind("ERROR: [ARITHMETIC_OVERFLOW]", 0), 0u) << error[0];
}

TEST(VectorizedEvalTest, NullTestsReadTheValidityOfSlicesAndConstants) {
  std::mt19937_64 rng(8);
  const Column<int32_t> values =
      Random<int32_t>(rng, true, [&] { return static_cast<int32_t>(rng() % 10); });
  BatchPtr batch = MakeBatch({Sliced(values, Ints), Ints(Column<int32_t>(kRows, 1))});
  std::vector<std::string> is_null;
  std::vector<std::string> is_not_null;
  for (int64_t i = 0; i < kRows; ++i) {
    is_null.push_back(Text(!values[i].has_value()));
    is_not_null.push_back(Text(values[i].has_value()));
  }
  EXPECT_EQ(Eval(MustBind("isnull", {Col(batch, 0)}), batch), is_null);
  EXPECT_EQ(Eval(MustBind("isnotnull", {Col(batch, 0)}), batch), is_not_null);
  EXPECT_EQ(Eval(MustBind("isnull", {Col(batch, 1)}), batch),
            std::vector<std::string>(kRows, "false"));
  EXPECT_EQ(Eval(MustBind("isnull", {testing::NullLit()}), batch),
            std::vector<std::string>(kRows, "true"));
  EXPECT_EQ(Eval(MustBind("isnotnull", {testing::IntLit(3)}), batch),
            std::vector<std::string>(kRows, "true"));
}

}  // namespace
}  // namespace sluice::expr
