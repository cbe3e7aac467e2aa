// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/predicate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "formats/parquet/schema.h"
#include "formats/parquet/tests/test_util.h"

namespace sluice::parquet {
namespace {

using test_util::Binary;
using test_util::Date;
using test_util::Decimal;
using test_util::Double;
using test_util::Float;
using test_util::Int;
using test_util::Long;
using test_util::Null;
using test_util::String;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Literal Timestamp(int64_t micros) {
  return Literal{TimestampType(), micros};
}

ColumnStatistics Stats(TypePtr type, std::optional<Literal> min, std::optional<Literal> max,
                       int64_t num_values = 100, std::optional<int64_t> null_count = 0,
                       std::optional<int64_t> nan_count = std::nullopt) {
  ColumnStatistics stats;
  stats.type = std::move(type);
  stats.num_values = num_values;
  stats.null_count = null_count;
  stats.min = std::move(min);
  stats.max = std::move(max);
  stats.nan_count = nan_count;
  return stats;
}

// Whether `predicate` may match a unit of 100 rows whose column "a" has `stats`.
bool May(const PredicatePtr& predicate, const ColumnStatistics& stats) {
  const MapStatsProvider provider(stats.num_values, {{"a", stats}});
  return MayMatch(*predicate, provider);
}

PredicatePtr A(CompareOp op, Literal literal) {
  return Compare("a", op, std::move(literal));
}

constexpr CompareOp kEq = CompareOp::kEq;
constexpr CompareOp kNotEq = CompareOp::kNotEq;
constexpr CompareOp kLt = CompareOp::kLt;
constexpr CompareOp kLtEq = CompareOp::kLtEq;
constexpr CompareOp kGt = CompareOp::kGt;
constexpr CompareOp kGtEq = CompareOp::kGtEq;

// ---------------------------------------------------------------------------------------
// Building and printing

TEST(PredicateTest, PrintsAsSqlLikeText) {
  EXPECT_EQ(ToString(*And({Compare("a", kGt, Int(5)), IsNull("b")})), "(a > 5 AND b IS NULL)");
  EXPECT_EQ(
      ToString(*Or({Compare("s.x", kLtEq, Decimal(-125, 5, 2)), IsNotNull("c"),
                    And({Compare("d", kNotEq, Double(1.5)), Compare("e", kEq, Null(IntType()))})})),
      "(s.x <= -1.25 OR c IS NOT NULL OR (d != 1.5 AND e = NULL))");
  EXPECT_EQ(ToString(*In("name", {String("it's"), String("b"), Null(StringType())})),
            "name IN ('it''s', 'b', NULL)");
  EXPECT_EQ(ToString(*Compare("d", kGtEq, Date(19753))), "d >= DATE '2024-01-31'");
  EXPECT_EQ(ToString(*Compare("t", kLt, Timestamp(1706695200000000))),
            "t < TIMESTAMP '2024-01-31 10:00:00'");
  EXPECT_EQ(ToString(*Compare("t", kLt, Literal{TimestampNtzType(), int64_t{0}})),
            "t < TIMESTAMP_NTZ '1970-01-01 00:00:00'");
  EXPECT_EQ(ToString(*Compare("b", kEq, Binary("\x01\xAB"))), "b = X'01AB'");
  EXPECT_EQ(ToString(*Compare("f", kEq, Literal{BooleanType(), true})), "f = true");
  EXPECT_EQ(ToString(*And({})), "TRUE");
  EXPECT_EQ(ToString(*Or({})), "FALSE");
  EXPECT_EQ(ToString(*In("a", {})), "a IN ()");
  // A single operand is the operand itself.
  const PredicatePtr only = IsNull("a");
  EXPECT_EQ(And({only}), only);
  EXPECT_EQ(Or({only}), only);
}

TEST(PredicateTest, ExposesItsParts) {
  const PredicatePtr compare = Compare("S.X", kLt, Long(3));
  EXPECT_EQ(compare->kind(), Predicate::Kind::kCompare);
  EXPECT_EQ(compare->column(), "S.X");
  EXPECT_EQ(compare->op(), kLt);
  ASSERT_EQ(compare->values().size(), 1u);
  const PredicatePtr both = And({compare, IsNull("b")});
  EXPECT_EQ(both->kind(), Predicate::Kind::kAnd);
  EXPECT_EQ(both->children().size(), 2u);
  EXPECT_TRUE(both->column().empty());
  EXPECT_EQ(ReferencedColumns(*Or({both, In("s.x", {Long(1)}), IsNotNull("c")})),
            (std::vector<std::string>{"S.X", "b", "c"}));
  EXPECT_EQ(CompareOpSymbol(kNotEq), "!=");
}

// ---------------------------------------------------------------------------------------
// Evaluation against statistics

TEST(PredicateTest, ComparisonsSkipOutsideTheBounds) {
  const ColumnStatistics stats = Stats(IntType(), Int(10), Int(20));
  struct Case {
    CompareOp op;
    int64_t literal;
    bool may_match;
  };
  const Case cases[] = {
      {kEq, 5, false},   {kEq, 10, true},    {kEq, 15, true},    {kEq, 20, true},
      {kEq, 25, false},  {kLt, 10, false},   {kLt, 11, true},    {kLtEq, 9, false},
      {kLtEq, 10, true}, {kGt, 20, false},   {kGt, 19, true},    {kGtEq, 21, false},
      {kGtEq, 20, true}, {kNotEq, 15, true}, {kNotEq, 10, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(May(A(c.op, Int(c.literal)), stats), c.may_match)
        << "a " << CompareOpSymbol(c.op) << " " << c.literal;
  }
  // One bound known: only that side can skip.
  const ColumnStatistics low_only = Stats(IntType(), Int(10), std::nullopt);
  EXPECT_FALSE(May(A(kLt, Int(10)), low_only));
  EXPECT_TRUE(May(A(kGt, Int(1000)), low_only));
}

TEST(PredicateTest, NotEqualSkipsOnlyAChunkOfOneExactValue) {
  ColumnStatistics stats = Stats(LongType(), Long(7), Long(7));
  EXPECT_FALSE(May(A(kNotEq, Long(7)), stats));
  EXPECT_TRUE(May(A(kNotEq, Long(8)), stats));
  stats.max_exact = false;  // a truncated bound: values may differ
  EXPECT_TRUE(May(A(kNotEq, Long(7)), stats));
}

TEST(PredicateTest, MissingStatisticsNeverSkip) {
  const ColumnStatistics stats = Stats(IntType(), Int(10), Int(20));
  const MapStatsProvider provider(100, {{"a", stats}});
  for (const PredicatePtr& predicate :
       {Compare("b", kEq, Int(0)), IsNull("b"), IsNotNull("b"), In("b", {Int(1)})}) {
    EXPECT_TRUE(MayMatch(*predicate, provider)) << ToString(*predicate);
  }
  const ColumnStatistics nothing = Stats(IntType(), std::nullopt, std::nullopt, 100, std::nullopt);
  for (const PredicatePtr& predicate : {A(kEq, Int(0)), A(kNotEq, Int(0)), A(kLt, Int(0)),
                                        IsNull("a"), IsNotNull("a"), In("a", {Int(1)})}) {
    EXPECT_TRUE(May(predicate, nothing)) << ToString(*predicate);
  }
  // Unknown row count, unknown everything.
  const MapStatsProvider empty(std::nullopt, {});
  EXPECT_TRUE(MayMatch(*A(kEq, Int(0)), empty));
}

TEST(PredicateTest, NullRules) {
  const ColumnStatistics no_nulls = Stats(IntType(), Int(1), Int(9), 100, 0);
  EXPECT_FALSE(May(IsNull("a"), no_nulls));
  EXPECT_TRUE(May(IsNotNull("a"), no_nulls));
  const ColumnStatistics some_nulls = Stats(IntType(), Int(1), Int(9), 100, 3);
  EXPECT_TRUE(May(IsNull("a"), some_nulls));
  EXPECT_TRUE(May(IsNotNull("a"), some_nulls));
  // Every value null: only IS NULL can match, whatever the bounds claim.
  const ColumnStatistics all_null = Stats(IntType(), Int(1), Int(9), 100, 100);
  EXPECT_TRUE(May(IsNull("a"), all_null));
  EXPECT_FALSE(May(IsNotNull("a"), all_null));
  EXPECT_FALSE(May(A(kEq, Int(5)), all_null));
  EXPECT_FALSE(May(A(kNotEq, Int(5)), all_null));
  EXPECT_FALSE(May(In("a", {Int(5)}), all_null));
  // A null literal matches no row; IN ignores its null entries.
  EXPECT_FALSE(May(A(kEq, Null(IntType())), some_nulls));
  EXPECT_FALSE(May(A(kNotEq, Null(IntType())), some_nulls));
  EXPECT_FALSE(May(In("a", {Null(IntType())}), some_nulls));
  EXPECT_FALSE(May(In("a", {}), some_nulls));
  EXPECT_TRUE(May(In("a", {Null(IntType()), Int(4)}), some_nulls));
}

TEST(PredicateTest, UnitWithoutRowsMatchesNothing) {
  const MapStatsProvider provider(0, {});
  EXPECT_FALSE(MayMatch(*IsNull("a"), provider));
  EXPECT_FALSE(MayMatch(*And({}), provider));
}

TEST(PredicateTest, InMatchesWhenAnyValueMay) {
  const ColumnStatistics stats = Stats(StringType(), String("b"), String("d"));
  EXPECT_FALSE(May(In("a", {String("a"), String("e")}), stats));
  EXPECT_TRUE(May(In("a", {String("a"), String("c")}), stats));
}

TEST(PredicateTest, AndAndOr) {
  const MapStatsProvider provider(100,
                                  {{"a", Stats(IntType(), Int(10), Int(20))},
                                   {"b", Stats(IntType(), std::nullopt, std::nullopt, 100, 100)}});
  const auto may = [&](const PredicatePtr& predicate) { return MayMatch(*predicate, provider); };
  EXPECT_TRUE(may(And({A(kGt, Int(5)), IsNull("b")})));
  EXPECT_FALSE(may(And({A(kGt, Int(25)), IsNull("b")})));
  EXPECT_FALSE(may(And({A(kGt, Int(5)), IsNotNull("b")})));
  EXPECT_FALSE(may(Or({A(kGt, Int(25)), IsNotNull("b")})));
  EXPECT_TRUE(may(Or({A(kGt, Int(25)), IsNull("b")})));
  EXPECT_TRUE(may(Or({A(kGt, Int(25)), Compare("unknown", kEq, Int(1))})));
  EXPECT_TRUE(may(And({})));
  EXPECT_FALSE(may(Or({})));
}

TEST(PredicateTest, NaNMayHideAboveTheBounds) {
  // Spark: NaN = NaN, and NaN is above every number, so `a > 10` matches a NaN row.
  const ColumnStatistics unknown_nans = Stats(DoubleType(), Double(1), Double(5));
  EXPECT_TRUE(May(A(kGt, Double(10)), unknown_nans));
  EXPECT_TRUE(May(A(kGtEq, Double(10)), unknown_nans));
  EXPECT_TRUE(May(A(kNotEq, Double(3)), unknown_nans));
  EXPECT_FALSE(May(A(kLt, Double(0)), unknown_nans));
  EXPECT_FALSE(May(A(kEq, Double(10)), unknown_nans));
  EXPECT_TRUE(May(A(kEq, Double(kNaN)), unknown_nans));
  const ColumnStatistics no_nans = Stats(DoubleType(), Double(1), Double(5), 100, 0, 0);
  EXPECT_FALSE(May(A(kGt, Double(10)), no_nans));
  EXPECT_FALSE(May(A(kEq, Double(kNaN)), no_nans));
  EXPECT_FALSE(May(A(kGt, Double(kNaN)), no_nans));
  EXPECT_TRUE(May(A(kLt, Double(kNaN)), no_nans));  // every number is below NaN
  EXPECT_TRUE(May(A(kNotEq, Double(kNaN)), no_nans));
  // Only NaN (and nulls): no number.
  const ColumnStatistics only_nans = Stats(FloatType(), std::nullopt, std::nullopt, 100, 40, 60);
  EXPECT_FALSE(May(A(kLt, Float(100)), only_nans));
  EXPECT_FALSE(May(A(kEq, Float(1)), only_nans));
  EXPECT_TRUE(May(A(kGt, Float(100)), only_nans));
  EXPECT_TRUE(May(A(kEq, Double(kNaN)), only_nans));
  EXPECT_FALSE(May(A(kLt, Double(kNaN)), only_nans));
  EXPECT_FALSE(May(A(kEq, Double(1)), Stats(DoubleType(), Double(1), Double(1), 100, 0, 100)));
  // A NaN literal against an integer column: every integer is below it.
  const ColumnStatistics ints = Stats(IntType(), Int(1), Int(2));
  EXPECT_TRUE(May(A(kLt, Double(kNaN)), ints));
  EXPECT_FALSE(May(A(kGtEq, Double(kNaN)), ints));
}

TEST(PredicateTest, ZerosCompareEqual) {
  // As DecodeStatistics widens them: -0.0 .. +0.0 for a chunk of zeros.
  const ColumnStatistics zeros = Stats(DoubleType(), Double(-0.0), Double(0.0), 100, 0, 0);
  EXPECT_TRUE(May(A(kEq, Double(0.0)), zeros));
  EXPECT_TRUE(May(A(kEq, Double(-0.0)), zeros));
  EXPECT_FALSE(May(A(kGt, Double(0.0)), zeros));
  EXPECT_FALSE(May(A(kLt, Double(-0.0)), zeros));
  EXPECT_FALSE(May(A(kNotEq, Double(0.0)), zeros));
  EXPECT_TRUE(May(A(kLtEq, Int(0)), zeros));
}

TEST(PredicateTest, ComparesAcrossNumericTypes) {
  const ColumnStatistics ints = Stats(IntType(), Int(10), Int(20));
  EXPECT_FALSE(May(A(kGt, Decimal(2050, 5, 2)), ints));
  EXPECT_TRUE(May(A(kGt, Decimal(1950, 5, 2)), ints));
  EXPECT_FALSE(May(A(kLt, Double(9.5)), ints));
  EXPECT_TRUE(May(A(kLt, Double(10.5)), ints));
  EXPECT_FALSE(May(A(kEq, Long(int64_t{1} << 40)), ints));
  // Decimals against doubles: skip only where certain.
  const ColumnStatistics decimals = Stats(DecimalType(5, 2), Decimal(10, 5, 2), Decimal(20, 5, 2));
  EXPECT_FALSE(May(A(kGt, Double(0.5)), decimals));
  EXPECT_TRUE(May(A(kLt, Double(0.1)), decimals));  // 0.1 is not exactly 0.10
  EXPECT_FALSE(May(A(kLt, Double(0.09)), decimals));
  // Dates against timestamps (midnight UTC), and back.
  const ColumnStatistics dates = Stats(DateType(), Date(0), Date(1));
  EXPECT_FALSE(May(A(kGt, Timestamp(86400000000)), dates));
  EXPECT_TRUE(May(A(kGtEq, Timestamp(86400000000)), dates));
  const ColumnStatistics times = Stats(TimestampType(), Timestamp(0), Timestamp(10));
  EXPECT_FALSE(May(A(kGtEq, Date(1)), times));
}

TEST(PredicateTest, IncomparableTypesNeverSkip) {
  const ColumnStatistics ints = Stats(IntType(), Int(10), Int(20));
  EXPECT_TRUE(May(A(kEq, String("99")), ints));
  EXPECT_TRUE(May(A(kEq, Literal{BooleanType(), true}), ints));
  const ColumnStatistics strings = Stats(StringType(), String("a"), String("b"));
  EXPECT_TRUE(May(A(kEq, Int(5)), strings));
  const ColumnStatistics ntz = Stats(TimestampNtzType(), Literal{TimestampNtzType(), int64_t{0}},
                                     Literal{TimestampNtzType(), int64_t{0}});
  EXPECT_TRUE(May(A(kGt, Timestamp(100)), ntz));
  // A malformed literal (the value does not match its type).
  EXPECT_TRUE(May(A(kEq, Literal{IntType(), std::string("x")}), ints));
}

TEST(PredicateTest, TruncatedBoundsStillBound) {
  ColumnStatistics stats = Stats(StringType(), String("Al"), String("Kf"));
  stats.min_exact = false;
  stats.max_exact = false;
  EXPECT_TRUE(May(A(kEq, String("Kevin Bacon")), stats));
  EXPECT_TRUE(May(A(kEq, String("Al")), stats));
  EXPECT_FALSE(May(A(kEq, String("A")), stats));
  EXPECT_FALSE(May(A(kEq, String("Z")), stats));
  EXPECT_FALSE(May(A(kGtEq, String("Kg")), stats));
  ColumnStatistics prefix = Stats(StringType(), String("Al"), String("Al"));
  EXPECT_FALSE(May(A(kNotEq, String("Al")), prefix));
  prefix.min_exact = false;  // values start with "Al" and may go on
  EXPECT_TRUE(May(A(kNotEq, String("Al")), prefix));
  // Unsigned bytes: "é" (0xC3 0xA9) sorts after "z".
  EXPECT_FALSE(May(A(kEq, String("\xC3\xA9")), Stats(StringType(), String("a"), String("z"))));
  EXPECT_TRUE(May(A(kEq, String("\xC3\xA9")), Stats(BinaryType(), Binary("a"), Binary("\xFF"))));
}

TEST(PredicateTest, ColumnsMatchWithoutCase) {
  const ColumnStatistics stats = Stats(IntType(), Int(10), Int(20));
  const MapStatsProvider provider(100, {{"Amount", stats}});
  EXPECT_FALSE(MayMatch(*Compare("amount", kGt, Int(30)), provider));
  EXPECT_FALSE(MayMatch(*Compare("AMOUNT", kGt, Int(30)), provider));
  // Two columns that differ only in case are ambiguous: unknown.
  const MapStatsProvider ambiguous(100, {{"a", stats}, {"A", stats}});
  EXPECT_TRUE(MayMatch(*Compare("a", kGt, Int(30)), ambiguous));
}

// ---------------------------------------------------------------------------------------
// Validation against a schema

TEST(PredicateTest, ValidatesColumnsAndTypes) {
  const Schema schema({MakeField("id", LongType()), MakeField("name", StringType()),
                       MakeField("day", DateType()), MakeField("at", TimestampType()),
                       MakeField("s", StructType({MakeField("x", DecimalType(10, 2)),
                                                  MakeField("y.z", BooleanType())})),
                       MakeField("tags", ArrayType(StringType())), MakeField("Dup", IntType()),
                       MakeField("dup", IntType())});
  const auto valid = [&](const PredicatePtr& predicate) { return Validate(*predicate, schema); };
  EXPECT_TRUE(valid(And({Compare("ID", kGt, Int(5)), Compare("s.x", kLt, Double(1.5)),
                         Compare("S.Y.Z", kEq, Literal{BooleanType(), true}),
                         Compare("day", kGtEq, Timestamp(0)), Compare("at", kLt, Date(3)),
                         In("name", {String("a"), Binary("b"), Null(StringType())}), IsNull("tags"),
                         IsNotNull("s"), Compare("id", kEq, Null(StringType()))}))
                  .ok());
  const auto message = [&](const PredicatePtr& predicate) {
    const Status status = valid(predicate);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << ToString(*predicate);
    return status.message();
  };
  EXPECT_NE(message(Compare("nope", kEq, Int(1))).find("not found: nope"), std::string::npos);
  EXPECT_NE(message(IsNull("s.w")).find("not found"), std::string::npos);
  EXPECT_NE(message(IsNull("dup")).find("ambiguous: dup"), std::string::npos);
  EXPECT_NE(message(Compare("s", kEq, Int(1))).find("not of a primitive type"), std::string::npos);
  EXPECT_NE(message(Compare("tags", kEq, String("x"))).find("not of a primitive type"),
            std::string::npos);
  EXPECT_NE(message(Compare("name", kEq, Int(1))).find("incompatible types: name string with int"),
            std::string::npos);
  EXPECT_NE(message(Or({IsNull("id"), Compare("at", kEq, Literal{TimestampNtzType(), int64_t{0}})}))
                .find("incompatible"),
            std::string::npos);
  EXPECT_NE(message(In("id", {Int(1), String("2")})).find("incompatible"), std::string::npos);
  EXPECT_NE(
      message(Compare("id", kEq, Literal{IntType(), std::string("1")})).find("value of its type"),
      std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Leaves of a file

format::SchemaElement Element(const std::string& name, format::FieldRepetitionType::type repetition,
                              int num_children = 0) {
  format::SchemaElement element;
  element.__set_name(name);
  element.__set_repetition_type(repetition);
  if (num_children > 0) {
    element.__set_num_children(num_children);
  } else {
    element.__set_type(format::Type::INT32);
  }
  return element;
}

TEST(PredicateTest, FindsNonRepeatedLeavesByPath) {
  using format::FieldRepetitionType;
  format::SchemaElement root;
  root.__set_name("schema");
  root.__set_num_children(3);
  format::SchemaElement list = Element("l", FieldRepetitionType::OPTIONAL, 1);
  list.__set_converted_type(format::ConvertedType::LIST);
  const std::vector<format::SchemaElement> elements = {
      root,
      Element("a", FieldRepetitionType::OPTIONAL),
      Element("S", FieldRepetitionType::OPTIONAL, 1),
      Element("x", FieldRepetitionType::REQUIRED),
      list,
      Element("list", FieldRepetitionType::REPEATED, 1),
      Element("element", FieldRepetitionType::OPTIONAL),
  };
  Result<FileSchema> schema = FileSchema::Make(elements);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  const std::vector<LeafDescriptor>& leaves = schema->leaves();
  EXPECT_EQ(FindLeaf(leaves, "a"), 0);
  EXPECT_EQ(FindLeaf(leaves, "A"), 0);
  EXPECT_EQ(FindLeaf(leaves, "s.X"), 1);
  EXPECT_EQ(FindLeaf(leaves, "S"), -1);               // a group
  EXPECT_EQ(FindLeaf(leaves, "l.list.element"), -1);  // under a list
  EXPECT_EQ(FindLeaf(leaves, "b"), -1);
  std::vector<LeafDescriptor> twice = leaves;
  twice.push_back(leaves[0]);
  twice.back().path = "A";
  EXPECT_EQ(FindLeaf(twice, "a"), -1);  // ambiguous
}

// ---------------------------------------------------------------------------------------
// Real files

struct TestFile {
  std::unique_ptr<RandomAccessFile> file;
  format::FileMetaData metadata;
  std::vector<LeafDescriptor> leaves;
};

/// Opens a test file: footer and leaves, and its bytes for the page indexes.
Status Load(const std::string& path, TestFile* out) {
  SLUICE_RETURN_IF_ERROR(test_util::LoadFooter(path, &out->metadata, &out->leaves));
  SLUICE_ASSIGN_OR_RETURN(out->file, OpenLocalFile(path));
  return Status::Ok();
}

TestFile LoadOrFail(const std::string& path) {
  TestFile file;
  const Status status = Load(path, &file);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return file;
}

std::string Data(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/parquet-testing/data/" + name;
}
std::string DuckDb(const std::string& name) {
  return std::string(SLUICE_TESTDATA_DIR) + "/parquet-duckdb/" + name;
}

bool RowGroupMay(const TestFile& file, const PredicatePtr& predicate, int row_group = 0) {
  Result<bool> may = RowGroupMayMatch(*predicate, file.leaves, file.metadata, row_group);
  EXPECT_TRUE(may.ok()) << may.status().ToString();
  return may.ok() && *may;
}

std::vector<RowRange> Ranges(const TestFile& file, const PredicatePtr& predicate,
                             int row_group = 0) {
  Result<std::vector<RowRange>> ranges =
      SelectRowRanges(*predicate, file.leaves, *file.file, file.metadata, row_group);
  EXPECT_TRUE(ranges.ok()) << ranges.status().ToString();
  return ranges.ok() ? *ranges : std::vector<RowRange>{};
}

int64_t Rows(const std::vector<RowRange>& ranges) {
  int64_t rows = 0;
  for (const RowRange& range : ranges) {
    rows += range.end - range.begin;
  }
  return rows;
}

bool Covers(const std::vector<RowRange>& ranges, int64_t row) {
  for (const RowRange& range : ranges) {
    if (range.begin <= row && row < range.end) {
      return true;
    }
  }
  return false;
}

// Sorted, disjoint, not adjacent, not empty, inside [0, num_rows).
void ExpectWellFormed(const std::vector<RowRange>& ranges, int64_t num_rows) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    EXPECT_LT(ranges[i].begin, ranges[i].end);
    EXPECT_GE(ranges[i].begin, 0);
    EXPECT_LE(ranges[i].end, num_rows);
    if (i > 0) {
      EXPECT_LT(ranges[i - 1].end, ranges[i].begin);
    }
  }
}

TEST(PredicateTest, RowGroupSkippingOnTinyPages) {
  const TestFile file = LoadOrFail(Data("alltypes_tiny_pages.parquet"));
  EXPECT_TRUE(RowGroupMay(file, Compare("id", kEq, Int(5000))));
  EXPECT_FALSE(RowGroupMay(file, Compare("id", kLt, Int(0))));
  EXPECT_FALSE(RowGroupMay(file, Compare("ID", kGt, Int(7299))));
  EXPECT_TRUE(RowGroupMay(file, Compare("id", kGtEq, Long(7299))));
  EXPECT_FALSE(RowGroupMay(file, IsNull("id")));
  EXPECT_FALSE(RowGroupMay(file, Compare("tinyint_col", kGt, Decimal(95, 3, 1))));
  EXPECT_FALSE(RowGroupMay(file, Compare("date_string_col", kLt, String("01/01/09"))));
  // INT96 has no usable bounds; an unknown column is unknown.
  EXPECT_TRUE(RowGroupMay(file, Compare("timestamp_col", kLt, Timestamp(0))));
  EXPECT_TRUE(RowGroupMay(file, Compare("no_such_column", kEq, Int(1))));
  EXPECT_FALSE(RowGroupMay(file, Or({Compare("year", kLt, Int(2009)), IsNull("month")})));
  EXPECT_EQ(RowGroupMayMatch(*IsNull("id"), file.leaves, file.metadata, 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RowGroupMayMatch(*IsNull("id"), file.leaves, file.metadata, -1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(PredicateTest, PageIndexSelectsFewRowsOfTinyPages) {
  const TestFile file = LoadOrFail(Data("alltypes_tiny_pages.parquet"));
  // id = 5000 is on row 5885 (read with DuckDB).
  std::vector<RowRange> ranges = Ranges(file, Compare("id", kEq, Int(5000)));
  ExpectWellFormed(ranges, 7300);
  EXPECT_TRUE(Covers(ranges, 5885));
  EXPECT_GT(Rows(ranges), 0);
  EXPECT_LT(Rows(ranges), 7300 / 20) << Rows(ranges);
  EXPECT_TRUE(Ranges(file, Compare("id", kLt, Int(0))).empty());
  EXPECT_TRUE(Ranges(file, IsNull("id")).empty());
  EXPECT_EQ(Ranges(file, Compare("id", kGtEq, Int(0))), (std::vector<RowRange>{{0, 7300}}));
  // ids 100..199 sit on rows 0-23, 26-96 and 276-280.
  ranges = Ranges(file, And({Compare("id", kGtEq, Int(100)), Compare("id", kLtEq, Int(199))}));
  ExpectWellFormed(ranges, 7300);
  for (int64_t row = 0; row < 281; ++row) {
    if (row < 24 || (row >= 26 && row < 97) || row >= 276) {
      EXPECT_TRUE(Covers(ranges, row)) << row;
    }
  }
  EXPECT_LT(Rows(ranges), 1000);
  // OR unites, AND intersects ranges of columns with other page layouts.
  const std::vector<RowRange> id_5 = Ranges(file, Compare("id", kEq, Int(5)));
  const std::vector<RowRange> id_7000 = Ranges(file, Compare("id", kEq, Int(7000)));
  EXPECT_TRUE(Covers(id_5, 154));
  EXPECT_TRUE(Covers(id_7000, 4815));
  const std::vector<RowRange> either =
      Ranges(file, Or({Compare("id", kEq, Int(5)), Compare("id", kEq, Int(7000))}));
  ExpectWellFormed(either, 7300);
  EXPECT_EQ(Rows(either), Rows(id_5) + Rows(id_7000));
  EXPECT_TRUE(Covers(either, 154) && Covers(either, 4815));
  const std::vector<RowRange> with_int =
      Ranges(file, And({Compare("id", kEq, Int(5000)), Compare("int_col", kEq, Int(0))}));
  ExpectWellFormed(with_int, 7300);
  EXPECT_TRUE(Covers(with_int, 5885));
  EXPECT_LE(Rows(with_int), Rows(Ranges(file, Compare("id", kEq, Int(5000)))));
  EXPECT_TRUE(
      Ranges(file, And({Compare("id", kEq, Int(5000)), Compare("int_col", kGt, Int(9))})).empty());
  // A column without bounds (INT96) or unknown keeps the whole row group.
  EXPECT_EQ(Ranges(file, Compare("timestamp_col", kEq, Timestamp(0))),
            (std::vector<RowRange>{{0, 7300}}));
  EXPECT_EQ(Ranges(file, Or({Compare("id", kLt, Int(0)), IsNotNull("nope")})),
            (std::vector<RowRange>{{0, 7300}}));
  EXPECT_EQ(
      SelectRowRanges(*IsNull("id"), file.leaves, *file.file, file.metadata, 1).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(PredicateTest, NullPagesAndNullCounts) {
  const TestFile file = LoadOrFail(Data("int32_with_null_pages.parquet"));
  // Rows with a null value (read with DuckDB): a run 151..349 and 80 scattered ones.
  const std::vector<int64_t> scattered_nulls = {
      4,   13,  33,  46,  56,  66,  79,  82,  101, 115, 116, 124, 137, 141, 354, 356,
      401, 405, 408, 411, 439, 445, 446, 451, 460, 462, 464, 476, 478, 479, 486, 495,
      500, 514, 521, 523, 525, 526, 531, 541, 557, 574, 584, 588, 612, 628, 638, 640,
      648, 767, 776, 779, 786, 789, 791, 795, 801, 802, 823, 838, 852, 854, 880, 897,
      912, 920, 922, 928, 938, 940, 953, 954, 969, 972, 978, 986};
  const std::vector<RowRange> nulls = Ranges(file, IsNull("int32_field"));
  ExpectWellFormed(nulls, 1000);
  for (int64_t row = 151; row < 350; ++row) {
    EXPECT_TRUE(Covers(nulls, row)) << row;
  }
  for (int64_t row : scattered_nulls) {
    EXPECT_TRUE(Covers(nulls, row)) << row;
  }
  // Rows that are not null; the null page is skipped.
  const std::vector<RowRange> not_null = Ranges(file, IsNotNull("int32_field"));
  ExpectWellFormed(not_null, 1000);
  for (int64_t row : {0, 1, 150, 350, 499, 501, 999}) {
    EXPECT_TRUE(Covers(not_null, row)) << row;
  }
  EXPECT_LT(Rows(not_null), 1000);
  // Values above 2.1e9 are on rows 30, 40, 438, 647, 755, 769, 781; below -2.1e9 on 52,
  // 96, 108, 350, 355, 381, 629, 630, 669, 748.
  const std::vector<RowRange> big = Ranges(file, Compare("int32_field", kGt, Int(2100000000)));
  ExpectWellFormed(big, 1000);
  for (int64_t row : {30, 40, 438, 647, 755, 769, 781}) {
    EXPECT_TRUE(Covers(big, row)) << row;
  }
  EXPECT_FALSE(Covers(big, 200));  // the null page
  const std::vector<RowRange> small = Ranges(file, Compare("int32_field", kLt, Int(-2100000000)));
  for (int64_t row : {52, 96, 108, 350, 355, 381, 629, 630, 669, 748}) {
    EXPECT_TRUE(Covers(small, row)) << row;
  }
  EXPECT_TRUE(Covers(Ranges(file, Compare("int32_field", kEq, Int(1074352862))), 499));
  EXPECT_TRUE(Covers(Ranges(file, In("int32_field", {Int(-654807448), Int(303403251)})), 0));
  EXPECT_TRUE(Covers(Ranges(file, In("int32_field", {Int(-654807448), Int(303403251)})), 999));
}

TEST(PredicateTest, MissingOrCorruptPageIndexKeepsTheRowGroup) {
  TestFile file = LoadOrFail(Data("alltypes_tiny_pages.parquet"));
  const PredicatePtr predicate = Compare("id", kEq, Int(5000));
  const std::vector<RowRange> whole = {{0, 7300}};
  format::ColumnChunk& chunk = file.metadata.row_groups[0].columns[0];
  const format::ColumnChunk original = chunk;
  // Out of the file, negative, empty, or pointing at bytes that are not an index.
  chunk.__set_column_index_offset(file.file->size() - 4);
  EXPECT_EQ(Ranges(file, predicate), whole);
  chunk.__set_column_index_offset(-5);
  EXPECT_EQ(Ranges(file, predicate), whole);
  chunk = original;
  chunk.__set_offset_index_length(0);
  EXPECT_EQ(Ranges(file, predicate), whole);
  chunk = original;
  chunk.__set_offset_index_length(std::numeric_limits<int32_t>::max());
  EXPECT_EQ(Ranges(file, predicate), whole);
  chunk = original;
  chunk.__set_offset_index_offset(4);  // page data
  EXPECT_EQ(Ranges(file, predicate), whole);
  chunk = original;
  std::swap(chunk.offset_index_offset, chunk.column_index_offset);
  std::swap(chunk.offset_index_length, chunk.column_index_length);
  EXPECT_EQ(Ranges(file, predicate), whole);
  chunk = original;
  chunk.__isset.column_index_offset = false;
  EXPECT_EQ(Ranges(file, predicate), whole);
  // Chunk statistics still apply without a page index.
  EXPECT_TRUE(Ranges(file, Compare("id", kLt, Int(0))).empty());
  // Statistics that contradict the schema are ignored.
  chunk = original;
  chunk.meta_data.__set_type(format::Type::DOUBLE);
  EXPECT_TRUE(RowGroupMay(file, Compare("id", kLt, Int(0))));
  // A file without any page index.
  const TestFile plain = LoadOrFail(DuckDb("signed_stats.parquet"));
  EXPECT_EQ(Ranges(plain, Compare("CAST(-128 AS TINYINT)", kEq, Int(0))),
            (std::vector<RowRange>{{0, 2}}));
  EXPECT_TRUE(Ranges(plain, Compare("CAST(-128 AS TINYINT)", kGt, Int(127))).empty());
}

// Row groups holding a row equal to each value must never be skipped, for =, <=, >= and
// IN of that value.
void ExpectNeverSkipped(const TestFile& file, const std::string& column, const Literal& value,
                        int row_group = 0) {
  SCOPED_TRACE(column + " " + FormatLiteral(value) + " in row group " + std::to_string(row_group));
  for (CompareOp op : {kEq, kLtEq, kGtEq}) {
    EXPECT_TRUE(RowGroupMay(file, Compare(column, op, value), row_group)) << CompareOpSymbol(op);
    EXPECT_FALSE(Ranges(file, Compare(column, op, value), row_group).empty())
        << CompareOpSymbol(op);
  }
  EXPECT_TRUE(RowGroupMay(file, In(column, {value}), row_group));
}

TEST(PredicateTest, DuckDbStatisticsFilesNeverSkipMatchingRowGroups) {
  // Values read with DuckDB.
  TestFile file = LoadOrFail(DuckDb("signed_stats.parquet"));
  for (int64_t value : {-128, 127}) {
    ExpectNeverSkipped(file, "CAST(-128 AS TINYINT)", Literal{ByteType(), value});
  }
  ExpectNeverSkipped(file, "CAST(-9223372036854775808 AS BIGINT)",
                     Long(std::numeric_limits<int64_t>::min()));
  EXPECT_FALSE(RowGroupMay(file, Compare("CAST(-128 AS TINYINT)", kGt, Int(127))));

  file = LoadOrFail(DuckDb("unsigned_stats.parquet"));
  ExpectNeverSkipped(file, "utiny", Int(255));
  ExpectNeverSkipped(file, "usmall", Int(65535));
  ExpectNeverSkipped(file, "uint", Long(4294967295));
  ExpectNeverSkipped(file, "ubig", Decimal(static_cast<Int128>(18446744073709551615u), 20, 0));
  ExpectNeverSkipped(file, "ubig", Long(0));
  EXPECT_FALSE(RowGroupMay(file, Compare("ubig", kGt, Double(1.9e19))));

  file = LoadOrFail(DuckDb("decimal_stats.parquet"));
  ExpectNeverSkipped(file, "dec4", Decimal(-9999, 4, 1));
  ExpectNeverSkipped(file, "dec18", Decimal(999999999999999999, 18, 5));
  ExpectNeverSkipped(file, "dec9", Double(999999.999));
  EXPECT_FALSE(RowGroupMay(file, Compare("dec4", kGt, Int(1000))));

  file = LoadOrFail(DuckDb("date_stats.parquet"));
  ExpectNeverSkipped(file, "date_val", Date(-25567));  // 1900-01-01
  ExpectNeverSkipped(file, "date_val", Date(22279));   // 2030-12-31
  ExpectNeverSkipped(file, "timestamp_val", Literal{TimestampNtzType(), int64_t{631152000000000}});
  ExpectNeverSkipped(file, "timestamps_val",
                     Literal{TimestampNtzType(), int64_t{-2208988800000000}});
  EXPECT_FALSE(RowGroupMay(file, Compare("date_val", kLt, Date(-25567))));

  file = LoadOrFail(DuckDb("varchar_stats.parquet"));
  ExpectNeverSkipped(file, "str_val", String("hello world"));
  ExpectNeverSkipped(file, "str_val", String("world hello"));
  ExpectNeverSkipped(file, "hello\\x00world", Binary(std::string("world\0hello", 11)));
  EXPECT_FALSE(RowGroupMay(file, Compare("str_val", kEq, String("zebra"))));

  file = LoadOrFail(DuckDb("out_of_range_stats.parquet"));
  ExpectNeverSkipped(file, "hcol0", Int(255));

  file = LoadOrFail(DuckDb("timetz_4byte_stats.parquet"));
  ExpectNeverSkipped(file, "col1", Int(0));

  file = LoadOrFail(DuckDb("bug10148-wide-decimal-stats.parquet"));
  ExpectNeverSkipped(file, "CDYMD8", Decimal(19500105, 8, 0));
  ExpectNeverSkipped(file, "CDDIVI", String(""));
  EXPECT_FALSE(RowGroupMay(file, Compare("CDYMD8", kGt, Int(19500110))));

  // corrupt_stats.parquet: Parquet.Net wrote bounds (04:00) 8 hours off the values
  // (12:00), and nothing says so: skipping from them loses those rows, as in other readers.
  file = LoadOrFail(DuckDb("corrupt_stats.parquet"));
  EXPECT_TRUE(
      RowGroupMay(file, Compare("A", kEq, Literal{TimestampNtzType(), int64_t{1609473600000000}})));
  EXPECT_TRUE(RowGroupMay(file, IsNull("B")));
}

TEST(PredicateTest, FloatingOrderFileNeverSkipsMatchingRowGroups) {
  const TestFile file = LoadOrFail(Data("floating_orders_nan_count.parquet"));
  ASSERT_EQ(file.metadata.row_groups.size(), 5u);
  // The values of every column, per row group (read with DuckDB).
  const std::vector<std::vector<double>> values = {
      {-2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0},
      {-kNaN, -2.0, -kNaN, -1.0, -0.0, 0.0, 1.0, kNaN, 3.0, kNaN},
      {-kNaN, -kNaN, kNaN, kNaN, -kNaN, -kNaN, kNaN, kNaN, -kNaN, kNaN},
      {0.0, 0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0},
      {-5.0, -4.0, -3.0, -2.0, -1.5, -1.0, -0.5, -0.0, -0.0, -0.0},
  };
  const std::vector<std::string> columns = {"float_ieee754",  "float_typedef",   "double_ieee754",
                                            "double_typedef", "float16_ieee754", "float16_typedef"};
  for (const std::string& column : columns) {
    for (int group = 0; group < 5; ++group) {
      for (double value : values[group]) {
        ExpectNeverSkipped(file, column, Double(value), group);
      }
    }
    // What the statistics allow skipping.
    EXPECT_FALSE(RowGroupMay(file, Compare(column, kLt, Double(-2.0)), 0)) << column;
    EXPECT_FALSE(RowGroupMay(file, Compare(column, kEq, Double(kNaN)), 0)) << column;
    EXPECT_TRUE(RowGroupMay(file, Compare(column, kEq, Double(kNaN)), 1)) << column;
    EXPECT_FALSE(RowGroupMay(file, Compare(column, kLt, Double(100)), 2)) << column;
    EXPECT_TRUE(RowGroupMay(file, Compare(column, kGt, Double(100)), 2)) << column;
    EXPECT_FALSE(RowGroupMay(file, Compare(column, kLt, Double(0)), 3)) << column;
    EXPECT_FALSE(RowGroupMay(file, Compare(column, kGt, Double(0)), 4)) << column;
  }
  // The bounds of numbers amid NaN survive under IEEE 754 total order.
  EXPECT_FALSE(RowGroupMay(file, Compare("double_ieee754", kLt, Double(-2.0)), 1));
  EXPECT_TRUE(RowGroupMay(file, Compare("double_typedef", kLt, Double(-2.0)), 1));
}

TEST(PredicateTest, NaNMaxInStatsIsIgnored) {
  const TestFile file = LoadOrFail(Data("nan_in_stats.parquet"));
  // Values 1.0 and NaN.
  ExpectNeverSkipped(file, "x", Double(1.0));
  ExpectNeverSkipped(file, "x", Double(kNaN));
  EXPECT_TRUE(RowGroupMay(file, Compare("x", kGt, Double(5))));
  EXPECT_FALSE(RowGroupMay(file, Compare("x", kLt, Double(1))));
}

TEST(PredicateTest, TruncatedBinaryBoundsFile) {
  const TestFile file = LoadOrFail(Data("binary_truncated_min_max.parquet"));
  // Bounds "Al" .. "Kf" truncated; the longest value starts "Kevin".
  EXPECT_TRUE(RowGroupMay(file, Compare("utf8_full_truncation", kEq, String("Kevin Bacon"))));
  EXPECT_FALSE(RowGroupMay(file, Compare("utf8_full_truncation", kEq, String("Zed"))));
  EXPECT_FALSE(RowGroupMay(file, Compare("utf8_full_truncation", kLt, String("Al"))));
  EXPECT_TRUE(
      RowGroupMay(file, Compare("binary_partial_truncation", kEq, Binary("\xFF\xFF\x01\x02"))));
  EXPECT_TRUE(RowGroupMay(file, Compare("utf8_no_truncation", kNotEq, String("Al"))));
}

}  // namespace
}  // namespace sluice::parquet
