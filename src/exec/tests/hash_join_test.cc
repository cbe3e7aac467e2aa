// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <limits>

#include "exec/tests/test_util.h"

namespace sluice::exec {
namespace {

using sql::JoinKind;
using testing::Cell;
using testing::Col;
using testing::Compare;
using testing::Lit;
using testing::LongBatch;
using testing::LongValues;
using testing::RunBoth;
using testing::RunBothOrdered;
using testing::Sorted;

constexpr Cell kNull = std::nullopt;

sql::PlanPtr Left() {
  // Two batches so that probes run on several threads.
  return testing::Values({LongBatch({"id", "lk"}, {{1, 1}, {2, 2}, {3, kNull}}),
                          LongBatch({"id", "lk"}, {{4, 4}, {5, 2}})});
}

sql::PlanPtr Right() {
  return testing::Values({LongBatch({"rk", "rv"}, {{1, 10}, {2, 20}, {2, 21}}),
                          LongBatch({"rk", "rv"}, {{kNull, 30}, {7, 70}})});
}

std::shared_ptr<sql::JoinNode> Join(JoinKind kind, bool build_left, bool null_safe = false,
                                    expr::ExprPtr residual = nullptr) {
  auto left = Left();
  auto right = Right();
  std::vector<Field> fields = left->schema()->fields();
  if (kind != JoinKind::kLeftSemi && kind != JoinKind::kLeftAnti) {
    for (const Field& f : right->schema()->fields())
      fields.push_back(f);
  }
  auto join = std::make_shared<sql::JoinNode>(MakeSchema(fields), left, right, kind);
  if (kind != JoinKind::kCross) {
    join->left_keys = {Col(1)};
    join->right_keys = {Col(0)};
    join->null_safe = {null_safe};
  }
  join->residual = std::move(residual);
  join->build_left = build_left;
  return join;
}

/// Runs the join building either side, single- and multi-threaded; all four must agree.
std::vector<std::string> RunJoin(JoinKind kind, bool null_safe = false,
                                 expr::ExprPtr residual = nullptr) {
  auto right_built = Sorted(RunBoth(Join(kind, false, null_safe, residual)));
  auto left_built = Sorted(RunBoth(Join(kind, true, null_safe, residual)));
  EXPECT_EQ(right_built, left_built);
  return right_built;
}

const std::vector<std::string> kInner = {"1|1|1|10", "2|2|2|20", "2|2|2|21", "5|2|2|20",
                                         "5|2|2|21"};

std::vector<std::string> With(std::vector<std::string> rows, std::vector<std::string> more) {
  rows.insert(rows.end(), more.begin(), more.end());
  return Sorted(rows);
}

TEST(HashJoinTest, InnerJoinNeverMatchesNullKeys) {
  EXPECT_EQ(RunJoin(JoinKind::kInner), Sorted(kInner));
}

TEST(HashJoinTest, NullSafeKeysMatchNulls) {
  EXPECT_EQ(RunJoin(JoinKind::kInner, true), With(kInner, {"3|NULL|NULL|30"}));
}

TEST(HashJoinTest, LeftJoinKeepsUnmatchedLeftRows) {
  EXPECT_EQ(RunJoin(JoinKind::kLeft), With(kInner, {"3|NULL|NULL|NULL", "4|4|NULL|NULL"}));
}

TEST(HashJoinTest, RightJoinKeepsUnmatchedRightRows) {
  EXPECT_EQ(RunJoin(JoinKind::kRight), With(kInner, {"NULL|NULL|NULL|30", "NULL|NULL|7|70"}));
}

TEST(HashJoinTest, FullJoinKeepsBothSides) {
  EXPECT_EQ(RunJoin(JoinKind::kFull), With(kInner, {"3|NULL|NULL|NULL", "4|4|NULL|NULL",
                                                    "NULL|NULL|NULL|30", "NULL|NULL|7|70"}));
}

TEST(HashJoinTest, SemiAndAntiJoins) {
  EXPECT_EQ(RunJoin(JoinKind::kLeftSemi), (std::vector<std::string>{"1|1", "2|2", "5|2"}));
  EXPECT_EQ(RunJoin(JoinKind::kLeftAnti), (std::vector<std::string>{"3|NULL", "4|4"}));
}

TEST(HashJoinTest, ResidualFiltersCandidatesBeforeOuterRowsAreDecided) {
  auto residual = Compare(">", Col(3), Lit(20));
  EXPECT_EQ(RunJoin(JoinKind::kInner, false, residual),
            (std::vector<std::string>{"2|2|2|21", "5|2|2|21"}));
  EXPECT_EQ(RunJoin(JoinKind::kLeft, false, residual),
            (std::vector<std::string>{"1|1|NULL|NULL", "2|2|2|21", "3|NULL|NULL|NULL",
                                      "4|4|NULL|NULL", "5|2|2|21"}));
  EXPECT_EQ(RunJoin(JoinKind::kLeftAnti, false, residual),
            (std::vector<std::string>{"1|1", "3|NULL", "4|4"}));
}

TEST(HashJoinTest, CrossJoinPairsEveryRow) {
  auto rows = RunJoin(JoinKind::kCross);
  EXPECT_EQ(rows.size(), 25u);
  EXPECT_EQ(rows.front(), "1|1|1|10");
}

TEST(HashJoinTest, NestedLoopInnerJoinWithResidualOnly) {
  auto join = Join(JoinKind::kInner, false, false, Compare("<", Col(0), Col(2)));
  join->left_keys.clear();
  join->right_keys.clear();
  join->null_safe.clear();
  EXPECT_EQ(Sorted(RunBoth(join)),
            (std::vector<std::string>{"1|1|2|20", "1|1|2|21", "1|1|7|70", "2|2|7|70", "3|NULL|7|70",
                                      "4|4|7|70", "5|2|7|70"}));
}

TEST(HashJoinTest, EmptyBuildSide) {
  auto left = Left();
  auto empty = std::make_shared<sql::ValuesNode>(Right()->schema(), std::vector<BatchPtr>{});
  std::vector<Field> fields = left->schema()->fields();
  for (const Field& f : empty->schema()->fields())
    fields.push_back(f);
  auto join = std::make_shared<sql::JoinNode>(MakeSchema(fields), left, empty, JoinKind::kLeft);
  join->left_keys = {Col(1)};
  join->right_keys = {Col(0)};
  join->null_safe = {false};
  EXPECT_EQ(RunBoth(join).size(), 5u);
  auto inner = std::make_shared<sql::JoinNode>(*join);
  inner->join_kind = JoinKind::kInner;
  EXPECT_TRUE(RunBoth(inner).empty());
}

TEST(HashJoinTest, BuildSideOverMemoryLimitFails) {
  ExecOptions options;
  options.memory_limit_bytes = 64;
  auto result = ExecuteToBatches(Join(JoinKind::kInner, false), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(result.status().message().find("HashJoin"), std::string::npos);
}

// The typed paths (one integer key compared raw; unique build keys emitted without
// pairs; semi/anti joins without pairs) against a nested-loop reference over the
// printed cells, for many key types, join kinds, and build sides.

/// A test column: name, type, and one long per row converted to the type.
struct TestColumn {
  std::string name;
  TypePtr type;
  std::vector<Cell> cells;
};

void AppendCell(VectorBuilder* builder, TypeId id, const Cell& cell) {
  if (!cell.has_value()) {
    builder->AppendNull();
    return;
  }
  const int64_t v = *cell;
  switch (id) {
    case TypeId::kByte:
      return static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(v));
    case TypeId::kShort:
      return static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(v));
    case TypeId::kInt:
    case TypeId::kDate:
      return static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(v));
    case TypeId::kString:
    case TypeId::kBinary:
      return static_cast<StringBuilder*>(builder)->Append("s" + std::to_string(v));
    case TypeId::kDouble:
      return static_cast<DoubleBuilder*>(builder)->Append(static_cast<double>(v) / 4);
    case TypeId::kDecimal:
      return static_cast<DecimalBuilder*>(builder)->Append(static_cast<Int128>(v));
    case TypeId::kBoolean:
      return static_cast<BooleanBuilder*>(builder)->Append(v % 2 != 0);
    default:
      return static_cast<Int64Builder*>(builder)->Append(v);
  }
}

/// Rows [from, to) of `columns` as a batch; with `sliced`, built with a row before and
/// after and sliced, so the vectors have an offset.
BatchPtr MakeBatch(const std::vector<TestColumn>& columns, size_t from, size_t to, bool sliced) {
  std::vector<Field> fields;
  for (const TestColumn& column : columns)
    fields.push_back(MakeField(column.name, column.type));
  BatchBuilder builder(MakeSchema(fields));
  const size_t pad = sliced ? 1 : 0;
  for (size_t r = from; r < to + 2 * pad; ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const bool padding = r < from + pad || r >= to + pad;
      const Cell cell = padding ? Cell(99) : columns[c].cells[r - pad];
      AppendCell(builder.column(static_cast<int>(c)), columns[c].type->id(), cell);
    }
  }
  BatchPtr batch = builder.Finish();
  return sliced ? batch->Slice(1, static_cast<int64_t>(to - from)) : batch;
}

/// The columns as a plan of two batches, the second one sliced.
sql::PlanPtr TablePlan(const std::vector<TestColumn>& columns) {
  const size_t rows = columns[0].cells.size();
  return testing::Values(
      {MakeBatch(columns, 0, rows / 2, false), MakeBatch(columns, rows / 2, rows, true)});
}

/// Every row's cells as printed.
std::vector<std::vector<std::string>> Cells(const sql::PlanPtr& plan) {
  std::vector<std::vector<std::string>> rows;
  for (const BatchPtr& batch : static_cast<const sql::ValuesNode&>(*plan).batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < batch->num_columns(); ++c)
        row.push_back(FormatCell(*batch->column(c), r));
      rows.push_back(row);
    }
  }
  return rows;
}

std::string JoinCells(const std::vector<std::string>& left, const std::vector<std::string>& right) {
  std::string row;
  for (const auto* side : {&left, &right}) {
    for (const std::string& cell : *side)
      row += (row.empty() ? "" : "|") + cell;
  }
  return row;
}

/// The join by nested loops over printed cells: keys (column indexes) equal when both
/// are non-null and print the same, or, null-safe, both null.
std::vector<std::string> ReferenceJoin(JoinKind kind, const sql::PlanPtr& left,
                                       const sql::PlanPtr& right, const std::vector<int>& lkeys,
                                       const std::vector<int>& rkeys,
                                       const std::vector<bool>& null_safe) {
  auto l = Cells(left);
  auto r = Cells(right);
  auto matches = [&](size_t i, size_t j) {
    for (size_t k = 0; k < lkeys.size(); ++k) {
      const std::string& a = l[i][lkeys[k]];
      const std::string& b = r[j][rkeys[k]];
      if (a == "NULL" || b == "NULL") {
        if (!(null_safe[k] && a == b))
          return false;
      } else if (a != b) {
        return false;
      }
    }
    return true;
  };
  const std::vector<std::string> left_nulls(l.empty() ? 0 : l[0].size(), "NULL");
  const std::vector<std::string> right_nulls(r.empty() ? 0 : r[0].size(), "NULL");
  std::vector<std::string> rows;
  std::vector<bool> right_matched(r.size(), false);
  for (size_t i = 0; i < l.size(); ++i) {
    bool matched = false;
    for (size_t j = 0; j < r.size(); ++j) {
      if (!matches(i, j))
        continue;
      matched = true;
      right_matched[j] = true;
      if (kind != JoinKind::kLeftSemi && kind != JoinKind::kLeftAnti)
        rows.push_back(JoinCells(l[i], r[j]));
    }
    if ((kind == JoinKind::kLeftSemi && matched) || (kind == JoinKind::kLeftAnti && !matched))
      rows.push_back(JoinCells(l[i], {}));
    if ((kind == JoinKind::kLeft || kind == JoinKind::kFull) && !matched)
      rows.push_back(JoinCells(l[i], right_nulls));
  }
  for (size_t j = 0; j < r.size(); ++j) {
    if ((kind == JoinKind::kRight || kind == JoinKind::kFull) && !right_matched[j])
      rows.push_back(JoinCells(left_nulls, r[j]));
  }
  return Sorted(rows);
}

std::shared_ptr<sql::JoinNode> KeyedJoin(JoinKind kind, const sql::PlanPtr& left,
                                         const sql::PlanPtr& right, const std::vector<int>& lkeys,
                                         const std::vector<int>& rkeys,
                                         const std::vector<bool>& null_safe) {
  std::vector<Field> fields = left->schema()->fields();
  if (kind != JoinKind::kLeftSemi && kind != JoinKind::kLeftAnti) {
    for (const Field& f : right->schema()->fields())
      fields.push_back(f);
  }
  auto join = std::make_shared<sql::JoinNode>(MakeSchema(fields), left, right, kind);
  for (size_t k = 0; k < lkeys.size(); ++k) {
    join->left_keys.push_back(Col(lkeys[k], left->schema()->field(lkeys[k]).type));
    join->right_keys.push_back(Col(rkeys[k], right->schema()->field(rkeys[k]).type));
  }
  join->null_safe = null_safe;
  return join;
}

constexpr JoinKind kAllKinds[] = {JoinKind::kInner, JoinKind::kLeft,     JoinKind::kRight,
                                  JoinKind::kFull,  JoinKind::kLeftSemi, JoinKind::kLeftAnti};

/// Checks every join kind, null-safe or not, building either side, against the reference.
void ExpectJoinsMatchReference(const sql::PlanPtr& left, const sql::PlanPtr& right,
                               const std::vector<int>& lkeys, const std::vector<int>& rkeys) {
  for (JoinKind kind : kAllKinds) {
    for (bool null_safe : {false, true}) {
      const std::vector<bool> safe(lkeys.size(), null_safe);
      auto expected = ReferenceJoin(kind, left, right, lkeys, rkeys, safe);
      for (bool build_left : {false, true}) {
        auto join = KeyedJoin(kind, left, right, lkeys, rkeys, safe);
        join->build_left = build_left;
        EXPECT_EQ(Sorted(RunBoth(join)), expected)
            << "kind " << static_cast<int>(kind) << " null_safe " << null_safe << " build_left "
            << build_left;
      }
    }
  }
}

// Probe keys: matches, misses, repeats and nulls. Build keys: `unique` has each key
// once (and one null), otherwise some keys and the null repeat.
std::vector<Cell> ProbeKeys() {
  return {1, 2, kNull, 4, 2, 7, 3, kNull, 1, 100};
}
std::vector<Cell> BuildKeys(bool unique) {
  if (unique)
    return {2, 1, kNull, 7, 5, 3};
  return {2, 1, kNull, 2, 7, kNull, 1, 5};
}

/// A probe table keyed by `type` with a long payload, and a build table keyed by `type`
/// with string, decimal, boolean and long payloads (so that every gather path runs).
void ExpectTypedKeyJoins(const TypePtr& type) {
  for (bool unique : {true, false}) {
    SCOPED_TRACE(type->ToString() + (unique ? " unique" : " repeated"));
    auto probe_keys = ProbeKeys();
    std::vector<Cell> ids;
    for (size_t i = 0; i < probe_keys.size(); ++i)
      ids.push_back(static_cast<int64_t>(i));
    auto left = TablePlan({{"id", LongType(), ids}, {"lk", type, probe_keys}});
    auto build_keys = BuildKeys(unique);
    std::vector<Cell> payload;
    for (size_t i = 0; i < build_keys.size(); ++i)
      payload.push_back(i == 3 ? kNull : Cell(static_cast<int64_t>(10 + i)));
    auto right = TablePlan({{"rk", type, build_keys},
                            {"rs", StringType(), payload},
                            {"rd", DecimalType(12, 2), payload},
                            {"rb", BooleanType(), payload},
                            {"rv", LongType(), payload}});
    ExpectJoinsMatchReference(left, right, {1}, {0});
  }
}

TEST(HashJoinTest, IntegerKeysOfEveryWidthMatchTheReference) {
  for (const TypePtr& type : {ByteType(), ShortType(), IntType(), LongType(), DateType(),
                              TimestampType(), TimestampNtzType()}) {
    ExpectTypedKeyJoins(type);
  }
}

TEST(HashJoinTest, SparseIntegerKeysMatchTheReference) {
  // Key ranges far wider than the row count (hashed, not a direct array), extremes
  // included so that a range computation would overflow.
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  for (const TypePtr& type : {ShortType(), IntType(), LongType()}) {
    SCOPED_TRACE(type->ToString());
    const bool is_long = type->id() == TypeId::kLong;
    const Cell low = is_long ? Cell(kMin) : Cell(-30000);
    const Cell high = is_long ? Cell(kMax) : Cell(30000);
    auto left = TablePlan({{"id", LongType(), {0, 1, 2, 3, 4, 5, 6, 7}},
                           {"lk", type, {low, 5000, kNull, high, -7, 5000, 0, 12345}}});
    for (bool unique : {true, false}) {
      std::vector<Cell> keys = {high, -7, 5000, kNull, low, 9999};
      if (!unique)
        keys.push_back(5000);
      std::vector<Cell> payload;
      for (size_t i = 0; i < keys.size(); ++i)
        payload.push_back(static_cast<int64_t>(10 + i));
      auto right = TablePlan({{"rk", type, keys}, {"rv", LongType(), payload}});
      ExpectJoinsMatchReference(left, right, {1}, {0});
    }
  }
}

TEST(HashJoinTest, NonIntegerKeysMatchTheReference) {
  for (const TypePtr& type : {StringType(), BinaryType(), DecimalType(12, 2), DoubleType()})
    ExpectTypedKeyJoins(type);
}

sql::PlanPtr DoubleValues(const std::string& name, const std::vector<double>& values) {
  BatchBuilder builder(MakeSchema({MakeField(name, DoubleType())}));
  for (double v : values)
    static_cast<DoubleBuilder*>(builder.column(0))->Append(v);
  return testing::Values({builder.Finish()});
}

TEST(HashJoinTest, DoubleKeysMatchNegativeZeroAndNaNAsSpark) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto left = DoubleValues("l", {-0.0, nan, 1.5, 2.5});
  auto right = DoubleValues("r", {0.0, -nan, 1.5});
  for (bool build_left : {false, true}) {
    auto join = KeyedJoin(JoinKind::kInner, left, right, {0}, {0}, {false});
    join->build_left = build_left;
    EXPECT_EQ(Sorted(RunBoth(join)), (std::vector<std::string>{"-0.0|0.0", "1.5|1.5", "NaN|NaN"}));
  }
}

TEST(HashJoinTest, TwoKeysMatchTheReference) {
  auto left = TablePlan({{"a", LongType(), {1, 1, 2, kNull, 3, 2, kNull}},
                         {"b", StringType(), {1, 2, 2, 1, kNull, 2, kNull}}});
  auto right = TablePlan({{"c", StringType(), {1, 2, kNull, 2, kNull}},
                          {"d", LongType(), {1, 1, 3, 2, kNull}},
                          {"e", LongType(), {10, 11, 12, 13, 14}}});
  ExpectJoinsMatchReference(left, right, {0, 1}, {1, 0});
}

TEST(HashJoinTest, UniqueBuildKeysWithResidual) {
  auto left = Left();
  auto right = LongValues({"rk", "rv"}, {{1, 10}, {2, 20}, {kNull, 30}, {7, 70}});
  auto join = KeyedJoin(JoinKind::kLeft, left, right, {1}, {0}, {false});
  join->residual = Compare(">", Col(3), Lit(10));
  EXPECT_EQ(Sorted(RunBoth(join)),
            (std::vector<std::string>{"1|1|NULL|NULL", "2|2|2|20", "3|NULL|NULL|NULL",
                                      "4|4|NULL|NULL", "5|2|2|20"}));
  join = KeyedJoin(JoinKind::kLeftSemi, left, right, {1}, {0}, {false});
  join->residual = Compare(">", Col(3), Lit(10));
  EXPECT_EQ(Sorted(RunBoth(join)), (std::vector<std::string>{"2|2", "5|2"}));
}

TEST(HashJoinTest, ProbeBatchWhoseRowsAllMatchPassesThrough) {
  auto left = LongValues({"k", "v"}, {{1, 100}, {2, 200}, {1, 300}});
  auto right = LongValues({"rk", "rv"}, {{1, 10}, {2, 20}, {3, 30}});
  auto join = KeyedJoin(JoinKind::kInner, left, right, {0}, {0}, {false});
  EXPECT_EQ(RunBothOrdered(join),
            (std::vector<std::string>{"1|100|1|10", "2|200|2|20", "1|300|1|10"}));
  // Two keys, string and decimal, in a sliced probe batch: the build keys of the output
  // are the probe keys.
  auto sliced_left = TablePlan({{"s", StringType(), {1, 2, 1, 2}},
                                {"d", DecimalType(12, 2), {5, 6, 5, 6}},
                                {"v", LongType(), {100, 200, 300, 400}}});
  auto two_keys = TablePlan({{"rd", DecimalType(12, 2), {6, 5, 5}},
                             {"rv", LongType(), {20, 10, 30}},
                             {"rs", StringType(), {2, 1, 2}}});
  auto join2 = KeyedJoin(JoinKind::kInner, sliced_left, two_keys, {0, 1}, {2, 0}, {false, false});
  EXPECT_EQ(Sorted(RunBoth(join2)),
            (std::vector<std::string>{"s1|0.05|100|0.05|10|s1", "s1|0.05|300|0.05|10|s1",
                                      "s2|0.06|200|0.06|20|s2", "s2|0.06|400|0.06|20|s2"}));
}

}  // namespace
}  // namespace sluice::exec
