// SPDX-License-Identifier: Apache-2.0
#include "delta/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "columnar/builder.h"
#include "columnar/concat.h"
#include "common/file_system.h"
#include "common/json.h"
#include "delta/actions.h"
#include "delta/column_mapping.h"
#include "delta/conform.h"
#include "delta/partition_values.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"
#include "types/datetime.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

using parquet::CompareOp;
using parquet::Literal;

std::string TestTable(const std::string& relative) {
  return std::string(SLUICE_TESTDATA_DIR) + "/" + relative;
}

struct TableLog {
  SchemaPtr schema;
  StringMap configuration;
  std::vector<AddFile> adds;
};

// The latest schema and every add of a table's commit files.
TableLog ReadLog(const std::string& table) {
  TableLog log;
  Result<std::vector<FileInfo>> listing =
      LocalFileSystem::Default().ListDirectory(table + "/_delta_log");
  EXPECT_TRUE(listing.ok()) << listing.status().ToString();
  if (!listing.ok()) {
    return log;
  }
  for (const FileInfo& file : *listing) {
    if (file.name.size() != 25 || file.name.substr(20) != ".json") {
      continue;
    }
    Result<std::string> text = LocalFileSystem::Default().ReadFile(file.path);
    Result<std::vector<Action>> actions = ParseActions(*text, file.name);
    EXPECT_TRUE(actions.ok()) << actions.status().ToString();
    for (const Action& action : *actions) {
      if (const auto* metadata = std::get_if<Metadata>(&action)) {
        Result<SchemaPtr> schema = SchemaFromJson(metadata->schema_string);
        EXPECT_TRUE(schema.ok()) << schema.status().ToString();
        log.schema = *schema;
        log.configuration = metadata->configuration;
      } else if (const auto* add = std::get_if<AddFile>(&action)) {
        log.adds.push_back(*add);
      }
    }
  }
  return log;
}

// The schema the table's statistics are keyed by: the physical schema under column
// mapping.
Schema StatsSchema(const TableLog& log) {
  Result<ColumnMappingMode> mode = GetColumnMappingMode(log.configuration);
  EXPECT_TRUE(mode.ok()) << mode.status().ToString();
  Result<SchemaPtr> physical = PhysicalSchema(*log.schema, *mode);
  EXPECT_TRUE(physical.ok()) << physical.status().ToString();
  return **physical;
}

Literal Lit(const TypePtr& type, const std::string& text) {
  return *ParsePartitionValue(type, text);
}

// Checks that `stats` bound `batches`: every non-null value of every column with
// statistics lies within [min, max], null counts are right for tight bounds, and
// numRecords is the row count. Returns the values checked.
int64_t ExpectStatsBoundData(const FileStats& stats, const std::vector<BatchPtr>& batches,
                             const std::string& label) {
  int64_t rows = 0;
  for (const BatchPtr& batch : batches) {
    rows += batch->num_rows();
  }
  EXPECT_EQ(stats.num_records(), rows) << label;
  int64_t checked = 0;
  for (const auto& [name, column] : stats.columns()) {
    int64_t nulls = 0;
    for (const BatchPtr& batch : batches) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        // Walk the path; a null struct makes the leaf null.
        const Vector* vector = nullptr;
        int64_t index = row;
        bool is_null = false;
        for (size_t depth = 0; depth < column.path.size() && !is_null; ++depth) {
          const TypePtr& parent = depth == 0 ? batch->schema()->struct_type() : vector->type();
          const int field = parent->FieldIndex(column.path[depth]);
          if (field < 0) {
            ADD_FAILURE() << name << " not in the data of " << label;
            return checked;
          }
          if (depth == 0) {
            vector = batch->column(field).get();
          } else {
            index += vector->offset();
            vector = vector->child(field).get();
          }
          is_null = vector->IsNull(index);
        }
        if (is_null) {
          ++nulls;
          continue;
        }
        Result<Literal> value = LiteralAt(*vector, index);
        if (!value.ok()) {
          ADD_FAILURE() << value.status().ToString();
          return checked;
        }
        if (column.min.has_value()) {
          EXPECT_LE(parquet::CompareLiterals(*column.min, *value), 0)
              << name << " min " << parquet::FormatLiteral(*column.min) << " value "
              << parquet::FormatLiteral(*value) << " in " << label;
        }
        if (column.max.has_value()) {
          EXPECT_GE(parquet::CompareLiterals(*column.max, *value), 0)
              << name << " max " << parquet::FormatLiteral(*column.max) << " value "
              << parquet::FormatLiteral(*value) << " in " << label;
        }
        ++checked;
      }
    }
    if (column.null_count.has_value() && stats.tight_bounds()) {
      EXPECT_EQ(*column.null_count, nulls) << name << " in " << label;
    }
  }
  return checked;
}

// ExpectStatsBoundData for the data file of `add`.
int64_t ExpectAddStatsBoundData(const std::string& root, const AddFile& add,
                                const Schema& stats_schema) {
  Result<std::string> path = ResolveDataPath(root, add.path);
  EXPECT_TRUE(path.ok());
  Result<std::unique_ptr<parquet::ParquetReader>> reader = parquet::ParquetReader::Open(*path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) {
    return 0;
  }
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  return ExpectStatsBoundData(ParseFileStats(*add.stats, stats_schema), *batches, add.path);
}

TEST(DeltaStatsTest, BoundsOfRealTablesHoldTheirData) {
  const std::vector<std::string> tables = {
      "delta-kernel-rs/timestamp-truncation-stats",
      "delta-kernel-rs/stats-writing-all-types/delta",
      "delta-golden/data-skipping-basic-stats-all-types",
      "delta-golden/data-skipping-basic-stats-all-types-columnmapping-name",
      "delta-golden/kernel-timestamp-PST",
      "delta-golden/kernel-timestamp-TIMESTAMP_MICROS",
      "delta-golden/decimal-various-scale-precision",
      "delta-golden/data-skipping-partition-and-data-column",
      "delta-kernel-rs/mixed-nulls",
      "delta-golden/basic-decimal-table",
      "delta-golden/kernel-timestamp-TIMESTAMP_MILLIS",
      "delta-golden/data-reader-timestamp_ntz",
      "delta-golden/data-reader-timestamp_ntz-name-mode",
      "delta-rs/delta-2.2.0-partitioned-types",
      "delta-rs/table_with_edge_timestamps",
      "delta-kernel-rs/table-with-dv-small",
      "delta-dat/multi_partitioned/delta"};
  for (const std::string& table : tables) {
    const std::string root = TestTable(table);
    const TableLog log = ReadLog(root);
    ASSERT_NE(log.schema, nullptr) << table;
    const Schema physical = StatsSchema(log);
    int64_t checked = 0;
    for (const AddFile& add : log.adds) {
      Result<std::string> path = ResolveDataPath(root, add.path);
      if (!add.stats.has_value() || !path.ok() || !std::filesystem::exists(*path)) {
        continue;  // removed later or never shipped
      }
      checked += ExpectAddStatsBoundData(root, add, physical);
    }
    EXPECT_GT(checked, 0) << table;
  }
}

TEST(DeltaStatsTest, ReadsColumnMappedStatsUnderLogicalNames) {
  const TableLog log = ReadLog(TestTable("delta-kernel-rs/stats-writing-all-types/delta"));
  ASSERT_EQ(log.adds.size(), 1u);
  const Schema physical = StatsSchema(log);
  const FileStats stats = ParseFileStats(*log.adds[0].stats, physical, log.schema.get());
  EXPECT_EQ(stats.num_rows(), 4);
  EXPECT_TRUE(stats.tight_bounds());
  const parquet::ColumnStatistics* bytes = stats.FindColumn("BYTE_COL");
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(bytes->min, Lit(ByteType(), "1"));
  EXPECT_EQ(bytes->max, Lit(ByteType(), "5"));
  EXPECT_EQ(bytes->null_count, 1);
  EXPECT_EQ(bytes->num_values, 4);
  EXPECT_EQ(stats.FindColumn("float_col")->max, Lit(FloatType(), "3.14"));
  EXPECT_EQ(stats.FindColumn("decimal_col")->max, Lit(DecimalType(10, 2), "999.99"));
  EXPECT_EQ(stats.FindColumn("date_col")->min, Lit(DateType(), "2023-01-15"));
  EXPECT_EQ(stats.FindColumn("string_col")->max, Lit(StringType(), "gamma"));
  EXPECT_TRUE(stats.FindColumn("string_col")->max_exact);
  const parquet::ColumnStatistics* timestamps = stats.FindColumn("timestamp_col");
  EXPECT_EQ(timestamps->min, Lit(TimestampType(), "2023-06-15 12:30:00"));
  EXPECT_EQ(timestamps->max, Lit(TimestampType(), "2024-12-25 00:00:00.000999"));
  EXPECT_FALSE(timestamps->max_exact);
  EXPECT_EQ(stats.FindColumn("timestamp_ntz_col")->max,
            Lit(TimestampNtzType(), "2024-12-25 00:00:00.000999"));
  const parquet::ColumnStatistics* inner = stats.FindColumn("nested_struct.inner_string");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->path, (std::vector<std::string>{"nested_struct", "inner_string"}));
  EXPECT_EQ(inner->min, Lit(StringType(), "nested_a"));
  EXPECT_EQ(inner->null_count, 2);
  // Booleans and binary: null counts only; arrays and maps are not leaves.
  EXPECT_FALSE(stats.FindColumn("boolean_col")->min.has_value());
  EXPECT_EQ(stats.FindColumn("binary_col")->null_count, 1);
  EXPECT_EQ(stats.FindColumn("array_col"), nullptr);
  EXPECT_EQ(stats.FindColumn("map_col"), nullptr);
  // Physical names are not what predicates use.
  EXPECT_EQ(stats.FindColumn("col-042fadad-0f76-466d-a94d-e1159c2a9ed6"), nullptr);

  const auto may_match = [&](parquet::PredicatePtr predicate) {
    return parquet::MayMatch(*predicate, stats);
  };
  EXPECT_FALSE(may_match(parquet::Compare("int_col", CompareOp::kGt, Lit(IntType(), "5000"))));
  EXPECT_TRUE(may_match(parquet::Compare("int_col", CompareOp::kGtEq, Lit(IntType(), "5000"))));
  EXPECT_FALSE(
      may_match(parquet::Compare("string_col", CompareOp::kEq, Lit(StringType(), "zeta"))));
  EXPECT_FALSE(
      may_match(parquet::Compare("nested_struct.inner_int", CompareOp::kLt, Lit(IntType(), "10"))));
  // The max is widened: a value 500 us after the written max may be in the file.
  EXPECT_TRUE(may_match(parquet::Compare("timestamp_col", CompareOp::kGt,
                                         Lit(TimestampType(), "2024-12-25 00:00:00.0005"))));
  EXPECT_FALSE(may_match(parquet::Compare("timestamp_col", CompareOp::kGt,
                                          Lit(TimestampType(), "2024-12-25 00:00:00.001"))));
  EXPECT_TRUE(may_match(parquet::IsNull("boolean_col")));
}

TEST(DeltaStatsTest, StatsWithoutLogicalSchemaUseTheStatsNames) {
  const TableLog log = ReadLog(TestTable("delta-kernel-rs/stats-writing-all-types/delta"));
  const Schema physical = StatsSchema(log);
  const FileStats stats = ParseFileStats(*log.adds[0].stats, physical);
  EXPECT_NE(stats.FindColumn("col-042fadad-0f76-466d-a94d-e1159c2a9ed6"), nullptr);
  EXPECT_EQ(stats.FindColumn("byte_col"), nullptr);
  // A logical schema of another shape falls back to the stats names.
  const Schema other({MakeField("only", IntType())});
  EXPECT_NE(ParseFileStats(*log.adds[0].stats, physical, &other)
                .FindColumn("col-042fadad-0f76-466d-a94d-e1159c2a9ed6"),
            nullptr);
}

TEST(DeltaStatsTest, TimestampsWithOffsetsAndMicrosecondsParse) {
  const Schema schema({MakeField("ts", TimestampType()), MakeField("ntz", TimestampNtzType())});
  const FileStats stats = ParseFileStats(
      R"({"numRecords":2,"minValues":{"ts":"2000-01-01T00:00:00.000-08:00","ntz":"2021-01-01T00:00:00.123456"},)"
      R"("maxValues":{"ts":"2000-01-01T09:00:00.123456Z","ntz":"2021-01-01T00:00:00Z"}})",
      schema);
  const parquet::ColumnStatistics* ts = stats.FindColumn("ts");
  ASSERT_NE(ts, nullptr);
  EXPECT_EQ(ts->min, Lit(TimestampType(), "2000-01-01 08:00:00"));
  EXPECT_FALSE(ts->min_exact);
  EXPECT_EQ(ts->max, Lit(TimestampType(), "2000-01-01 09:00:00.123456"));  // not widened
  EXPECT_TRUE(ts->max_exact);
  const parquet::ColumnStatistics* ntz = stats.FindColumn("ntz");
  ASSERT_NE(ntz, nullptr);
  EXPECT_TRUE(ntz->min_exact);
  EXPECT_FALSE(ntz->max.has_value());  // a zone is wrong for timestamp_ntz
}

TEST(DeltaStatsTest, TruncatedStringsStayBounds) {
  const Schema schema({MakeField("s", StringType())});
  const std::string prefix(32, 'a');
  // Delta Spark: a 32-character prefix and a U+FFFD tie breaker.
  const FileStats spark =
      ParseFileStats(R"({"numRecords":1,"minValues":{"s":")" + prefix + R"("},"maxValues":{"s":")" +
                         prefix + "\xEF\xBF\xBD" + R"("}})",
                     schema);
  const parquet::ColumnStatistics* column = spark.FindColumn("s");
  ASSERT_NE(column, nullptr);
  EXPECT_FALSE(column->min_exact);
  EXPECT_FALSE(column->max_exact);
  EXPECT_EQ(column->max, Lit(StringType(), prefix + "\xF4\x8F\xBF\xBF"));
  // A value whose 33rd character is beyond U+FFFD is still within the bounds.
  const Literal emoji = Lit(StringType(), prefix + "\xF0\x9F\x98\x88");
  EXPECT_TRUE(parquet::MayMatch(*parquet::Compare("s", CompareOp::kEq, emoji), spark));
  // A writer that cuts the max without a tie breaker.
  const FileStats plain = ParseFileStats(
      R"({"numRecords":1,"minValues":{"s":"a"},"maxValues":{"s":")" + prefix + R"("}})", schema);
  EXPECT_TRUE(plain.FindColumn("s")->min_exact);
  EXPECT_TRUE(parquet::MayMatch(
      *parquet::Compare("s", CompareOp::kEq, Lit(StringType(), prefix + "zzz")), plain));
  EXPECT_FALSE(
      parquet::MayMatch(*parquet::Compare("s", CompareOp::kEq, Lit(StringType(), "b")), plain));
}

TEST(DeltaStatsTest, BadStatsAreUnknownNotErrors) {
  const Schema schema({MakeField("a", IntType()), MakeField("d", DecimalType(5, 2)),
                       MakeField("s", StructType({MakeField("b", LongType())}))});
  for (const std::string text : {"", "not json", "[1]", "{\"numRecords\":"}) {
    const FileStats stats = ParseFileStats(text, schema);
    EXPECT_FALSE(stats.num_records().has_value()) << text;
    EXPECT_TRUE(stats.columns().empty()) << text;
  }
  for (const std::string records : {"-1", "1.5", "\"3\"", "null", "1e400"}) {
    const FileStats stats = ParseFileStats(
        R"({"numRecords":)" + records + R"(,"minValues":{"a":1},"maxValues":{"a":2}})", schema);
    EXPECT_FALSE(stats.num_rows().has_value()) << records;
    ASSERT_NE(stats.FindColumn("a"), nullptr) << records;  // the bounds still count
    EXPECT_FALSE(
        parquet::MayMatch(*parquet::Compare("a", CompareOp::kGt, Lit(IntType(), "2")), stats));
  }
  // Bounds that do not fit their type are dropped one by one.
  const FileStats stats = ParseFileStats(
      R"({"numRecords":3,"minValues":{"a":"x","d":1.234,"s":{"b":1.5}},)"
      R"("maxValues":{"a":3000000000,"d":9.5,"s":{"b":7}},"nullCount":{"a":4,"d":-1,"s":{"b":3}}})",
      schema);
  EXPECT_EQ(stats.FindColumn("a"), nullptr);
  const parquet::ColumnStatistics* decimal = stats.FindColumn("d");
  ASSERT_NE(decimal, nullptr);
  EXPECT_FALSE(decimal->min.has_value());
  EXPECT_EQ(decimal->max, Lit(DecimalType(5, 2), "9.50"));
  EXPECT_FALSE(decimal->null_count.has_value());
  const parquet::ColumnStatistics* nested = stats.FindColumn("s.b");
  ASSERT_NE(nested, nullptr);
  EXPECT_FALSE(nested->min.has_value());
  EXPECT_EQ(nested->max, Lit(LongType(), "7"));
  EXPECT_EQ(nested->null_count, 3);
  EXPECT_FALSE(parquet::MayMatch(*parquet::IsNotNull("s.b"), stats));
  // Contradictory bounds are dropped.
  EXPECT_EQ(ParseFileStats(R"({"minValues":{"a":5},"maxValues":{"a":1}})", schema).FindColumn("a"),
            nullptr);
}

TEST(DeltaStatsTest, WideBoundsKeepOnlyNoneAndAllNullCounts) {
  const Schema schema(
      {MakeField("a", IntType()), MakeField("b", IntType()), MakeField("c", IntType())});
  const FileStats stats = ParseFileStats(
      R"({"numRecords":4,"tightBounds":false,"minValues":{"a":1},"maxValues":{"a":9},)"
      R"("nullCount":{"a":2,"b":0,"c":4}})",
      schema);
  EXPECT_FALSE(stats.tight_bounds());
  EXPECT_FALSE(stats.FindColumn("a")->null_count.has_value());
  EXPECT_FALSE(stats.FindColumn("a")->min_exact);
  EXPECT_EQ(stats.FindColumn("b")->null_count, 0);
  EXPECT_EQ(stats.FindColumn("c")->null_count, 4);
  EXPECT_FALSE(parquet::MayMatch(*parquet::IsNull("b"), stats));
  EXPECT_FALSE(parquet::MayMatch(*parquet::IsNotNull("c"), stats));
  EXPECT_TRUE(parquet::MayMatch(*parquet::IsNull("a"), stats));
}

TEST(DeltaStatsTest, PartitionValuesPrunePredicates) {
  FileStats stats = ParseFileStats(R"({"numRecords":5,"nullCount":{"v":0}})",
                                   Schema({MakeField("v", IntType())}));
  stats.AddPartitionValue("p", Lit(IntType(), "2"));
  stats.AddPartitionValue("q", Literal{StringType(), {}});
  stats.AddPartitionValue("P", Lit(IntType(), "3"));  // replaces "p"
  EXPECT_EQ(stats.columns().size(), 3u);
  const auto may_match = [&](parquet::PredicatePtr predicate) {
    return parquet::MayMatch(*predicate, stats);
  };
  EXPECT_TRUE(may_match(parquet::Compare("p", CompareOp::kEq, Lit(IntType(), "3"))));
  EXPECT_FALSE(may_match(parquet::Compare("p", CompareOp::kEq, Lit(IntType(), "2"))));
  EXPECT_FALSE(may_match(parquet::Compare("p", CompareOp::kNotEq, Lit(IntType(), "3"))));
  EXPECT_TRUE(may_match(parquet::IsNull("q")));
  EXPECT_FALSE(may_match(parquet::IsNotNull("q")));
  EXPECT_FALSE(may_match(parquet::Compare("q", CompareOp::kEq, Lit(StringType(), "x"))));
  EXPECT_FALSE(may_match(parquet::IsNull("v")));

  FileStats unknown;
  unknown.AddPartitionValue("f", Lit(DoubleType(), "NaN"));
  EXPECT_TRUE(
      parquet::MayMatch(*parquet::Compare("f", CompareOp::kGt, Lit(DoubleType(), "1.0")), unknown));
  EXPECT_FALSE(
      parquet::MayMatch(*parquet::Compare("f", CompareOp::kLt, Lit(DoubleType(), "1.0")), unknown));
}

TEST(DeltaStatsTest, NumIndexedColsComesFromTheTableProperty) {
  EXPECT_EQ(*NumIndexedCols({}), 32);
  EXPECT_EQ(*NumIndexedCols({{"delta.dataSkippingNumIndexedCols", "-1"}}), -1);
  EXPECT_EQ(*NumIndexedCols({{"delta.dataSkippingNumIndexedCols", "5"}}), 5);
  for (const char* bad : {"-2", "x", "1.5", ""}) {
    EXPECT_EQ(NumIndexedCols({{"delta.dataSkippingNumIndexedCols", bad}}).status().code(),
              StatusCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------------------
// Writing

// Writes `batch` to a Parquet file in memory and returns what the writer reports.
parquet::ParquetWriteResult WriteFile(const BatchPtr& batch) {
  Result<std::unique_ptr<parquet::ParquetWriter>> writer = parquet::ParquetWriter::Open(
      std::make_unique<parquet::MemoryOutputStream>(), batch->schema());
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->Write(*batch).ok());
  Result<parquet::ParquetWriteResult> result = (*writer)->Close();
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return *result;
}

// Appends `literal` (or a null) to a builder of its type.
void Append(VectorBuilder* builder, const std::optional<Literal>& literal) {
  if (!literal.has_value() || literal->is_null()) {
    builder->AppendNull();
    return;
  }
  Result<VectorPtr> one = MakeConstantVector(builder->type(), *literal, 1);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  AppendValue(**one, 0, builder);
}

// A vector of `type` holding the values `texts` parse to (nullopt: null).
VectorPtr Column(const TypePtr& type, const std::vector<std::optional<std::string>>& texts) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  for (const std::optional<std::string>& text : texts) {
    Append(builder.get(),
           text.has_value() ? std::optional<Literal>(Lit(type, *text)) : std::nullopt);
  }
  return builder->Finish();
}

BatchPtr MakeBatch(std::vector<Field> fields, std::vector<VectorPtr> columns) {
  const int64_t rows = columns.empty() ? 0 : columns[0]->length();
  Result<BatchPtr> batch = Batch::Make(MakeSchema(std::move(fields)), std::move(columns), rows);
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return *batch;
}

TEST(DeltaStatsTest, BuildsTheStatsSparkWroteForEveryType) {
  // delta-kernel-rs/stats-writing-all-types: Spark 3.5.8 / Delta 3.3.2 wrote these stats
  // for 4 rows with one null per column; rebuild rows with the same extremes.
  const TableLog log = ReadLog(TestTable("delta-kernel-rs/stats-writing-all-types/delta"));
  ASSERT_EQ(log.adds.size(), 1u);
  const Schema physical = StatsSchema(log);
  const auto type = [&](int i) { return physical.field(i).type; };
  std::vector<VectorPtr> columns = {
      Column(type(0), {"1", "5", "3", std::nullopt}),
      Column(type(1), {"100", "500", "300", std::nullopt}),
      Column(type(2), {"1000", "5000", "3000", std::nullopt}),
      Column(type(3), {"10000", "50000", "30000", std::nullopt}),
      Column(type(4), {"1.5", "3.14", "2.0", std::nullopt}),
      Column(type(5), {"2.5", "6.28", "4.0", std::nullopt}),
      Column(type(6), {"2023-01-15", "2024-06-15", "2023-07-01", std::nullopt}),
      Column(type(7), {"2023-06-15 12:30:00", "2024-12-25 00:00:00", "2024-01-01 00:00:00.000999",
                       std::nullopt}),
      Column(type(8),
             {"2023-06-15 12:30:00", "2024-12-25 00:00:00", "2024-01-01 00:00:00", std::nullopt}),
      Column(type(9), {"alpha", "gamma", "beta", std::nullopt}),
      Column(type(10), {"123.45", "999.99", "500.00", std::nullopt}),
      Column(type(11), {"true", "false", "true", std::nullopt}),
      Column(type(12), {"a", "b", "c", std::nullopt})};
  {
    auto builder = VectorBuilder::Make(type(13));
    auto* list = static_cast<ArrayBuilder*>(builder.get());
    auto* element = static_cast<Int32Builder*>(list->element());
    element->Append(1);
    list->Append();
    element->Append(2);
    element->AppendNull();
    list->Append();
    list->Append();
    list->AppendNull();
    columns.push_back(list->Finish());
  }
  {
    auto builder = VectorBuilder::Make(type(14));
    auto* map = static_cast<MapBuilder*>(builder.get());
    static_cast<StringBuilder*>(map->keys())->Append("a");
    static_cast<Int32Builder*>(map->values())->Append(1);
    map->Append();
    map->Append();
    map->Append();
    map->AppendNull();
    columns.push_back(map->Finish());
  }
  {
    auto builder = VectorBuilder::Make(type(15));
    auto* nested = static_cast<StructBuilder*>(builder.get());
    const std::vector<std::vector<std::optional<std::string>>> rows = {
        {"10", "nested_a", "1.1"}, {"50", "nested_c", "5.5"}, {"30", std::nullopt, "3.3"}};
    for (const auto& row : rows) {
      for (int i = 0; i < 3; ++i) {
        VectorBuilder* child = nested->child(i);
        Append(child, row[i].has_value() ? std::optional<Literal>(Lit(child->type(), *row[i]))
                                         : std::nullopt);
      }
      nested->Append();
    }
    nested->AppendNull();
    columns.push_back(nested->Finish());
  }
  const BatchPtr batch = MakeBatch(physical.fields(), columns);
  std::vector<int64_t> null_counts;
  for (const VectorPtr& column : batch->columns()) {
    null_counts.push_back(column->null_count());
  }
  const parquet::ParquetWriteResult result = WriteFile(batch);
  EXPECT_EQ(BuildStatsJson(result, physical, kDefaultNumIndexedCols, null_counts),
            *log.adds[0].stats);
  // Without the top-level counts, arrays and maps have no nullCount.
  const std::string without = BuildStatsJson(result, physical);
  EXPECT_EQ(without.find("col-57618ab3-6362-439f-b211-f1c164a8988a"), std::string::npos);
  EXPECT_NE(without.find("col-cbe103e8-96dc-4fd7-821e-602cf8902e6b\":1"), std::string::npos);
}

TEST(DeltaStatsTest, IndexesTheFirstLeafColumnsInSchemaOrder) {
  const std::vector<Field> fields = {
      MakeField("s", StructType({MakeField("b", IntType()), MakeField("c", BooleanType())})),
      MakeField("d", IntType()), MakeField("e", StringType())};
  const BatchPtr batch = MakeBatch(fields, {MakeNullVector(fields[0].type, 1),
                                            Column(IntType(), {"7"}), Column(StringType(), {"x"})});
  const parquet::ParquetWriteResult result = WriteFile(batch);
  const Schema schema(fields);
  EXPECT_EQ(BuildStatsJson(result, schema, 0), R"({"numRecords":1})");
  EXPECT_EQ(
      BuildStatsJson(result, schema, 1),
      R"({"numRecords":1,"minValues":{"s":{}},"maxValues":{"s":{}},"nullCount":{"s":{"b":1}}})");
  // A struct whose indexed leaves get no bounds (a boolean) is left out of min/max.
  EXPECT_EQ(
      BuildStatsJson(result, Schema({fields[0]}), 2),
      R"({"numRecords":1,"minValues":{"s":{}},"maxValues":{"s":{}},"nullCount":{"s":{"b":1,"c":1}}})");
  EXPECT_EQ(BuildStatsJson(result, schema, 3),
            R"({"numRecords":1,"minValues":{"s":{},"d":7},"maxValues":{"s":{},"d":7},)"
            R"("nullCount":{"s":{"b":1,"c":1},"d":0}})");
  EXPECT_EQ(BuildStatsJson(result, schema, -1), BuildStatsJson(result, schema, 4));
  EXPECT_NE(BuildStatsJson(result, schema, -1).find(R"("e":"x")"), std::string::npos);

  // delta-golden/data-skipping-change-stats-collected-across-versions.
  const std::vector<Field> two = {MakeField("col1", IntType()), MakeField("col2", IntType())};
  const parquet::ParquetWriteResult zeros =
      WriteFile(MakeBatch(two, {Column(IntType(), {"0"}), Column(IntType(), {"0"})}));
  EXPECT_EQ(BuildStatsJson(zeros, Schema(two), 32),
            R"({"numRecords":1,"minValues":{"col1":0,"col2":0},"maxValues":{"col1":0,"col2":0},)"
            R"("nullCount":{"col1":0,"col2":0}})");
  EXPECT_EQ(
      BuildStatsJson(zeros, Schema(two), 1),
      R"({"numRecords":1,"minValues":{"col1":0},"maxValues":{"col1":0},"nullCount":{"col1":0}})");
}

TEST(DeltaStatsTest, TruncatesStringsAndTimestampsAsDelta) {
  const std::string prefix(32, 'x');
  const std::vector<Field> fields = {MakeField("s", StringType()), MakeField("t", TimestampType()),
                                     MakeField("n", TimestampNtzType())};
  const BatchPtr batch = MakeBatch(
      fields, {Column(StringType(), {prefix + "\xF0\x9F\x98\x88zz", prefix + "a"}),
               Column(TimestampType(), {"1969-12-31 23:59:59.999999", "1970-01-01 00:00:00.0005"}),
               Column(TimestampNtzType(), {"2021-11-18 02:30:00.123456", std::nullopt})});
  const parquet::ParquetWriteResult written = WriteFile(batch);
  const std::string json = BuildStatsJson(written, Schema(fields));
  EXPECT_EQ(json, R"({"numRecords":2,"minValues":{"s":")" + prefix +
                      R"(","t":"1969-12-31T23:59:59.999Z","n":"2021-11-18T02:30:00.123"},)"
                      R"("maxValues":{"s":")" +
                      prefix + "\xF0\x9F\x98\x88\xEF\xBF\xBD" +
                      R"(","t":"1970-01-01T00:00:00.000Z","n":"2021-11-18T02:30:00.123"},)"
                      R"("nullCount":{"s":0,"t":0,"n":1}})");
  // Read back, the bounds hold the data again (the max widened by 999 us).
  EXPECT_GT(ExpectStatsBoundData(ParseFileStats(json, Schema(fields)), {batch}, "truncated"), 0);
}

TEST(DeltaStatsTest, FloatBoundsAreWrittenOnlyWhenFinite) {
  const std::vector<Field> fields = {MakeField("f", FloatType()), MakeField("d", DoubleType()),
                                     MakeField("z", DoubleType())};
  const BatchPtr batch = MakeBatch(fields, {Column(FloatType(), {"NaN", "0.1", "-2.5E-5"}),
                                            Column(DoubleType(), {"-Infinity", "1.0E10", "3"}),
                                            Column(DoubleType(), {"-0.0", "0.0", "0.0"})});
  EXPECT_EQ(BuildStatsJson(WriteFile(batch), Schema(fields)),
            R"({"numRecords":3,"minValues":{"f":-2.5E-5,"z":0.0},)"
            R"("maxValues":{"d":1.0E10,"z":0.0},"nullCount":{"f":0,"d":0,"z":0}})");
}

TEST(DeltaStatsTest, EmptyFilesHaveEmptyObjects) {
  const std::vector<Field> fields = {MakeField("a", IntType())};
  const BatchPtr batch = MakeBatch(fields, {Column(IntType(), {})});
  EXPECT_EQ(BuildStatsJson(WriteFile(batch), Schema(fields)),
            R"({"numRecords":0,"minValues":{},"maxValues":{},"nullCount":{}})");
}

TEST(DeltaStatsTest, WrittenStatsParseBackToBoundsThatHoldTheData) {
  const std::vector<Field> fields = {
      MakeField("b", ByteType()),
      MakeField("i", IntType()),
      MakeField("l", LongType()),
      MakeField("f", FloatType()),
      MakeField("d", DoubleType()),
      MakeField("m", DecimalType(38, 6)),
      MakeField("dt", DateType()),
      MakeField("ts", TimestampType()),
      MakeField("s", StringType()),
      MakeField("bin", BinaryType()),
      MakeField("st", StructType({MakeField("x", LongType()), MakeField("y", StringType())}))};
  std::vector<std::optional<std::string>> bytes, ints, longs, floats, doubles, decimals, dates,
      timestamps, strings, binaries;
  for (int i = 0; i < 200; ++i) {
    const bool null = i % 17 == 3;
    const auto value = [&](std::string text) {
      return null ? std::nullopt : std::optional<std::string>(std::move(text));
    };
    bytes.push_back(value(std::to_string(i % 256 - 128)));
    ints.push_back(value(std::to_string(i * 7919 - 500000)));
    longs.push_back(value(std::to_string(static_cast<int64_t>(i) * 1000000007LL - 99)));
    floats.push_back(value(i == 5 ? "NaN" : std::to_string(i * 0.37 - 20)));
    doubles.push_back(value(std::to_string(i * 1.1e-3)));
    decimals.push_back(value(std::to_string(i) + "." + std::to_string(100000 + i * 37)));
    dates.push_back(value(FormatDate(i * 300 - 30000)));
    timestamps.push_back(value(FormatTimestamp(static_cast<int64_t>(i) * 123456789 + i % 999)));
    std::string text = std::string(static_cast<size_t>(i % 50), static_cast<char>('a' + i % 26));
    text += i % 3 == 0 ? "é😈" : "\xEF\xBF\xBF";
    strings.push_back(value(text));
    binaries.push_back(value(text));
  }
  auto nested = VectorBuilder::Make(fields[10].type);
  auto* st = static_cast<StructBuilder*>(nested.get());
  for (int i = 0; i < 200; ++i) {
    if (i % 11 == 0) {
      st->AppendNull();
      continue;
    }
    Append(st->child(0), Lit(LongType(), std::to_string(i * 3)));
    Append(st->child(1), i % 5 == 0
                             ? std::nullopt
                             : std::optional<Literal>(Lit(StringType(), strings[i].value_or("n"))));
    st->Append();
  }
  const BatchPtr batch = MakeBatch(
      fields, {Column(ByteType(), bytes), Column(IntType(), ints), Column(LongType(), longs),
               Column(FloatType(), floats), Column(DoubleType(), doubles),
               Column(DecimalType(38, 6), decimals), Column(DateType(), dates),
               Column(TimestampType(), timestamps), Column(StringType(), strings),
               Column(BinaryType(), binaries), st->Finish()});
  const Schema schema(fields);
  const std::string json = BuildStatsJson(WriteFile(batch), schema, -1);
  const FileStats stats = ParseFileStats(json, schema);
  EXPECT_EQ(stats.columns().size(), 12u) << json;
  EXPECT_GT(ExpectStatsBoundData(stats, {batch}, json), 2000);
  // The bounds are tight enough to skip: nothing is above the max.
  EXPECT_FALSE(
      parquet::MayMatch(*parquet::Compare("st.x", CompareOp::kGt, Lit(LongType(), "597")), stats));
  EXPECT_TRUE(
      parquet::MayMatch(*parquet::Compare("st.x", CompareOp::kGt, Lit(LongType(), "596")), stats));
}

}  // namespace
}  // namespace sluice::delta
