// SPDX-License-Identifier: Apache-2.0
#include "delta/partition_values.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "columnar/builder.h"
#include "common/file_system.h"
#include "common/json.h"
#include "delta/actions.h"
#include "delta/conform.h"
#include "types/datetime.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

std::string TestTable(const std::string& relative) {
  return std::string(SLUICE_TESTDATA_DIR) + "/" + relative;
}

// The actions of every commit file of a table, in version order.
std::vector<Action> ReadLog(const std::string& table) {
  std::vector<Action> actions;
  Result<std::vector<FileInfo>> listing =
      LocalFileSystem::Default().ListDirectory(table + "/_delta_log");
  EXPECT_TRUE(listing.ok()) << listing.status().ToString();
  if (!listing.ok()) {
    return actions;
  }
  for (const FileInfo& file : *listing) {
    if (file.name.size() != 25 || file.name.substr(20) != ".json") {
      continue;
    }
    Result<std::string> text = LocalFileSystem::Default().ReadFile(file.path);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    Result<std::vector<Action>> parsed = ParseActions(*text, file.name);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    for (Action& action : *parsed) {
      actions.push_back(std::move(action));
    }
  }
  return actions;
}

std::vector<AddFile> Adds(const std::vector<Action>& actions) {
  std::vector<AddFile> adds;
  for (const Action& action : actions) {
    if (const auto* add = std::get_if<AddFile>(&action)) {
      adds.push_back(*add);
    }
  }
  return adds;
}

parquet::Literal Parse(const TypePtr& type, const std::string& text) {
  Result<parquet::Literal> literal = ParsePartitionValue(type, text);
  EXPECT_TRUE(literal.ok()) << text << ": " << literal.status().ToString();
  return literal.ok() ? *literal : parquet::Literal{};
}

int64_t Micros(const std::string& text) {
  int64_t micros = 0;
  EXPECT_TRUE(ParseTimestamp(text, &micros)) << text;
  return micros;
}

TEST(PartitionValuesTest, ParsesEveryPrimitiveType) {
  EXPECT_EQ(Parse(BooleanType(), "true").value, (decltype(parquet::Literal::value)(true)));
  EXPECT_EQ(Parse(BooleanType(), "FALSE").value, (decltype(parquet::Literal::value)(false)));
  EXPECT_EQ(std::get<int64_t>(Parse(ByteType(), "-128").value), -128);
  EXPECT_EQ(std::get<int64_t>(Parse(ShortType(), "+32767").value), 32767);
  EXPECT_EQ(std::get<int64_t>(Parse(IntType(), "-5").value), -5);
  EXPECT_EQ(std::get<int64_t>(Parse(LongType(), "9223372036854775807").value),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(std::get<double>(Parse(DoubleType(), "1.0E10").value), 1e10);
  EXPECT_EQ(std::get<double>(Parse(DoubleType(), "-.5").value), -0.5);
  EXPECT_EQ(std::get<double>(Parse(FloatType(), "3.14").value), static_cast<double>(3.14f));
  EXPECT_TRUE(std::isnan(std::get<double>(Parse(DoubleType(), "NaN").value)));
  EXPECT_EQ(std::get<double>(Parse(FloatType(), "-Infinity").value),
            -std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::get<Int128>(Parse(DecimalType(10, 5), "234.00000").value), 23400000);
  EXPECT_EQ(std::get<Int128>(Parse(DecimalType(12, 5), "-2342342.23423").value), -234234223423);
  EXPECT_EQ(std::get<Int128>(Parse(DecimalType(5, 2), "1e2").value), 10000);
  EXPECT_EQ(std::get<std::string>(Parse(StringType(), "null").value), "null");
  EXPECT_EQ(std::get<std::string>(Parse(BinaryType(), "\x01\xF0\x9F\x98\x88").value),
            "\x01\xF0\x9F\x98\x88");
  EXPECT_EQ(std::get<int64_t>(Parse(DateType(), "1970-01-02").value), 1);
  EXPECT_EQ(std::get<int64_t>(Parse(DateType(), "2021-09-08").value), DaysFromCivil(2021, 9, 8));
  const parquet::Literal literal = Parse(IntType(), "7");
  EXPECT_TRUE(literal.type->Equals(*IntType()));
}

TEST(PartitionValuesTest, ParsesTimestampsInSparkAndIsoForms) {
  const int64_t expected = Micros("2021-09-08T11:11:11Z");
  EXPECT_EQ(std::get<int64_t>(Parse(TimestampType(), "2021-09-08 11:11:11").value), expected);
  EXPECT_EQ(std::get<int64_t>(Parse(TimestampType(), "2021-09-08 11:11:11.000001").value),
            expected + 1);
  // delta-kernel-rs/timestamp-partitioned-table and the golden ISO-8601 table.
  EXPECT_EQ(std::get<int64_t>(Parse(TimestampType(), "1971-07-22T03:06:40.000000Z").value),
            int64_t{49000000} * 1000000);
  EXPECT_EQ(std::get<int64_t>(Parse(TimestampType(), "2024-01-01T10:00:00.000000Z").value),
            Micros("2024-01-01 10:00:00"));
  EXPECT_EQ(std::get<int64_t>(Parse(TimestampType(), "2024-01-01T02:00:00-08:00").value),
            Micros("2024-01-01 10:00:00"));
  EXPECT_EQ(std::get<int64_t>(Parse(TimestampNtzType(), "2021-11-18 02:30:00.123456").value),
            Micros("2021-11-18 02:30:00.123456"));
  EXPECT_EQ(
      ParsePartitionValue(TimestampNtzType(), std::string("2021-11-18T02:30:00Z")).status().code(),
      StatusCode::kCorruption);
}

TEST(PartitionValuesTest, AbsentJsonNullAndEmptyAreNull) {
  for (const TypePtr& type : {IntType(), StringType(), BinaryType(), DateType(), TimestampType(),
                              DecimalType(5, 2), BooleanType(), NullType()}) {
    Result<parquet::Literal> absent = ParsePartitionValue(type, std::nullopt);
    ASSERT_TRUE(absent.ok()) << type->ToString();
    EXPECT_TRUE(absent->is_null());
    EXPECT_TRUE(absent->type->Equals(*type));
    Result<parquet::Literal> empty = ParsePartitionValue(type, std::string());
    ASSERT_TRUE(empty.ok()) << type->ToString();
    EXPECT_TRUE(empty->is_null()) << type->ToString();
  }
}

TEST(PartitionValuesTest, MalformedValuesAreCorruptionNamingValueAndType) {
  const std::vector<std::pair<TypePtr, std::string>> cases = {
      {IntType(), "1.5"},          {IntType(), "2147483648"},  {ByteType(), "128"},
      {LongType(), " 1"},          {LongType(), "0x10"},       {BooleanType(), "yes"},
      {DoubleType(), "1.0.0"},     {DoubleType(), "e5"},       {FloatType(), "0x1p3"},
      {DecimalType(3, 1), "1234"}, {DecimalType(3, 1), "abc"}, {DateType(), "2021-13-01"},
      {TimestampType(), "noon"},   {NullType(), "x"}};
  for (const auto& [type, text] : cases) {
    Result<parquet::Literal> literal = ParsePartitionValue(type, text);
    ASSERT_FALSE(literal.ok()) << type->ToString() << " " << text;
    EXPECT_EQ(literal.status().code(), StatusCode::kCorruption) << text;
    EXPECT_NE(literal.status().message().find(text), std::string::npos)
        << literal.status().ToString();
    EXPECT_NE(literal.status().message().find(type->ToString()), std::string::npos)
        << literal.status().ToString();
  }
  EXPECT_EQ(ParsePartitionValue(ArrayType(IntType()), std::string("1")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParsePartitionValue(StructType({MakeField("a", IntType())}), std::nullopt).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(PartitionValuesTest, ParsesAndReformatsEveryValueOfTheGoldenPartitionedTable) {
  const std::vector<Action> actions =
      ReadLog(TestTable("delta-golden/data-reader-partition-values"));
  SchemaPtr schema;
  for (const Action& action : actions) {
    if (const auto* metadata = std::get_if<Metadata>(&action)) {
      Result<SchemaPtr> parsed = SchemaFromJson(metadata->schema_string);
      ASSERT_TRUE(parsed.ok());
      schema = *parsed;
    }
  }
  ASSERT_NE(schema, nullptr);
  const std::vector<AddFile> adds = Adds(actions);
  ASSERT_EQ(adds.size(), 3u);
  int nulls = 0;
  for (const AddFile& add : adds) {
    ASSERT_EQ(add.partition_values.size(), 12u);
    for (const auto& [column, value] : add.partition_values) {
      const int index = schema->FieldIndex(column);
      ASSERT_GE(index, 0) << column;
      Result<parquet::Literal> literal = ParsePartitionValue(schema->field(index).type, value);
      ASSERT_TRUE(literal.ok()) << column << ": " << literal.status().ToString();
      Result<std::optional<std::string>> text = FormatPartitionLiteral(*literal);
      ASSERT_TRUE(text.ok());
      EXPECT_EQ(*text, value) << column;  // Spark's own text comes back
      nulls += literal->is_null() ? 1 : 0;
    }
  }
  EXPECT_EQ(nulls, 12);
}

TEST(PartitionValuesTest, FormatsVectorRowsAsSparkWritesThem) {
  const auto format = [](const TypePtr& type, const parquet::Literal& literal) {
    Result<VectorPtr> vector = MakeConstantVector(type, literal, 1);
    EXPECT_TRUE(vector.ok()) << vector.status().ToString();
    Result<std::optional<std::string>> text = FormatPartitionValue(**vector, 0);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    return text.ok() ? *text : std::optional<std::string>("<error>");
  };
  const auto lit = [](const TypePtr& type, auto value) { return parquet::Literal{type, value}; };
  EXPECT_EQ(format(BooleanType(), lit(BooleanType(), true)), "true");
  EXPECT_EQ(format(ByteType(), lit(ByteType(), int64_t{-3})), "-3");
  EXPECT_EQ(format(FloatType(), lit(FloatType(), 1.0)), "1.0");
  EXPECT_EQ(format(FloatType(), lit(FloatType(), static_cast<double>(3.14f))), "3.14");
  EXPECT_EQ(format(DoubleType(), lit(DoubleType(), 1e10)), "1.0E10");
  EXPECT_EQ(format(DecimalType(5, 2), lit(DecimalType(5, 2), Int128{150})), "1.50");
  EXPECT_EQ(format(DateType(), lit(DateType(), int64_t{0})), "1970-01-01");
  EXPECT_EQ(format(TimestampType(), lit(TimestampType(), Micros("2020-01-01 08:09:10.001"))),
            "2020-01-01 08:09:10.001");
  EXPECT_EQ(format(TimestampNtzType(), lit(TimestampNtzType(), Micros("2021-11-18 02:30:00"))),
            "2021-11-18 02:30:00");
  EXPECT_EQ(format(StringType(), lit(StringType(), std::string("a b"))), "a b");
  EXPECT_EQ(format(StringType(), lit(StringType(), std::string())), std::nullopt);
  EXPECT_EQ(format(IntType(), parquet::Literal{IntType(), {}}), std::nullopt);

  const VectorPtr list = MakeNullVector(ArrayType(IntType()), 1);
  EXPECT_EQ(FormatPartitionValue(*list, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(PartitionValuesTest, ParseFormatRoundTripsValuesOfEveryType) {
  const std::vector<std::pair<TypePtr, std::string>> cases = {
      {LongType(), "-9223372036854775808"},
      {DoubleType(), "1.0E-4"},
      {DoubleType(), "-Infinity"},
      {FloatType(), "1.2345678E7"},
      {DecimalType(38, 10), "-1234567890123456789012345678.0123456789"},
      {DateType(), "0001-01-01"},
      {TimestampType(), "1969-12-31 23:59:59.999999"},
      {BinaryType(), "\xF0\x9F\x98\x88"}};
  for (const auto& [type, text] : cases) {
    Result<std::optional<std::string>> back = FormatPartitionLiteral(Parse(type, text));
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(*back, text);
  }
}

TEST(PartitionValuesTest, ConstantVectorsRepeatTheValue) {
  Result<VectorPtr> ints = MakeConstantVector(IntType(), Parse(IntType(), "42"), 5);
  ASSERT_TRUE(ints.ok());
  ASSERT_EQ((*ints)->length(), 5);
  EXPECT_EQ((*ints)->null_count(), 0);
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_EQ((*ints)->Value<int32_t>(i), 42);
  }
  Result<VectorPtr> strings = MakeConstantVector(StringType(), Parse(StringType(), "héllo"), 3);
  ASSERT_TRUE(strings.ok());
  EXPECT_EQ((*strings)->StringValue(2), "héllo");
  Result<VectorPtr> decimals =
      MakeConstantVector(DecimalType(1, 0), Parse(DecimalType(1, 0), "1"), 2);
  ASSERT_TRUE(decimals.ok());
  EXPECT_EQ((*decimals)->DecimalValue(1), 1);
  Result<VectorPtr> booleans = MakeConstantVector(BooleanType(), Parse(BooleanType(), "true"), 9);
  ASSERT_TRUE(booleans.ok());
  EXPECT_TRUE((*booleans)->BoolValue(8));
  Result<VectorPtr> timestamps =
      MakeConstantVector(TimestampType(), Parse(TimestampType(), "2021-09-08 11:11:11"), 2);
  ASSERT_TRUE(timestamps.ok());
  EXPECT_EQ((*timestamps)->Value<int64_t>(1), Micros("2021-09-08 11:11:11"));
  Result<VectorPtr> floats = MakeConstantVector(FloatType(), Parse(FloatType(), "0.1"), 1);
  ASSERT_TRUE(floats.ok());
  EXPECT_EQ((*floats)->Value<float>(0), 0.1f);
  Result<VectorPtr> empty = MakeConstantVector(LongType(), Parse(LongType(), "1"), 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->length(), 0);
}

TEST(PartitionValuesTest, NullConstantsWorkForEveryTypeAndMismatchesAreRejected) {
  const TypePtr nested = StructType(
      {MakeField("a", ArrayType(IntType())), MakeField("m", MapType(StringType(), LongType()))});
  for (const TypePtr& type : {IntType(), StringType(), nested, NullType(), VariantType()}) {
    Result<VectorPtr> nulls = MakeConstantVector(type, parquet::Literal{type, {}}, 4);
    ASSERT_TRUE(nulls.ok()) << type->ToString();
    EXPECT_EQ((*nulls)->length(), 4);
    EXPECT_EQ((*nulls)->null_count(), 4);
    EXPECT_TRUE((*nulls)->type()->Equals(*type));
    EXPECT_TRUE((*nulls)->IsNull(3));
  }
  EXPECT_EQ(MakeConstantVector(IntType(), parquet::Literal{IntType(), {}}, -1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeConstantVector(IntType(), Parse(StringType(), "1"), 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeConstantVector(ByteType(), Parse(IntType(), "300"), 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeConstantVector(nested, Parse(IntType(), "1"), 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      MakeConstantVector(DecimalType(2, 0), Parse(DecimalType(3, 0), "100"), 1).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(PartitionValuesTest, EscapesDirectoryNamesAsSpark) {
  EXPECT_EQ(EscapePartitionPathName("a=b/c"), "a%3Db%2Fc");
  EXPECT_EQ(EscapePartitionPathName("2021-09-08 11:11:11"), "2021-09-08 11%3A11%3A11");
  EXPECT_EQ(EscapePartitionPathName("/%20%f"), "%2F%2520%25f");
  EXPECT_EQ(EscapePartitionPathName("bar+%21"), "bar+%2521");
  EXPECT_EQ(EscapePartitionPathName("\"#'*?\\{[]^\x7F\n"), "%22%23%27%2A%3F%5C%7B%5B%5D%5E%7F%0A");
  EXPECT_EQ(EscapePartitionPathName("😈 <>|}~"), "😈 <>|}~");
  for (const std::string name : {"a=b/c", "/%20%f", "x%", "%4", "%%41", "\x01:é"}) {
    EXPECT_EQ(UnescapePartitionPathName(EscapePartitionPathName(name)), name);
  }
  EXPECT_EQ(UnescapePartitionPathName("%zz%4"), "%zz%4");
  EXPECT_EQ(UnescapePartitionPathName("%e9"), "\xE9");
}

TEST(PartitionValuesTest, PartitionDirectoryUsesHiveDefaultForNulls) {
  EXPECT_EQ(PartitionDirectory({}), "");
  EXPECT_EQ(PartitionDirectory({{"letter", "/%20%f"}, {"date", "1970-01-01"}, {"data", "hello"}}),
            "letter=%2F%2520%25f/date=1970-01-01/data=hello");
  EXPECT_EQ(PartitionDirectory({{"a", "1"}, {"b", std::nullopt}, {"c=d", ""}}),
            "a=1/b=__HIVE_DEFAULT_PARTITION__/c%3Dd=__HIVE_DEFAULT_PARTITION__");
}

TEST(PartitionValuesTest, UriDecodingIsStrict) {
  EXPECT_EQ(*DecodeUriPath("a%20b%2fc+d@%23"), "a b/c+d@#");
  EXPECT_EQ(*DecodeUriPath("%252F"), "%2F");
  for (const char* bad : {"%", "a%2", "%zz", "a%g0", "%2%41"}) {
    EXPECT_EQ(DecodeUriPath(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(PartitionValuesTest, UriEncodingMatchesWhatWritersPutInTheLog) {
  EXPECT_EQ(EncodeUriPath("a b/%/#?/é😈"), "a%20b/%25/%23%3F/é😈");
  EXPECT_EQ(EncodeUriPath("x=1/p@$&+,;=!~*'().parquet"), "x=1/p@$&+,;=!~*'().parquet");
  EXPECT_EQ(EncodeUriPath("\"<>[]\\^`{|}\x7F\x01"), "%22%3C%3E%5B%5D%5C%5E%60%7B%7C%7D%7F%01");
  EXPECT_EQ(EncodeUriPath("a:b/c:d"), "a%3Ab/c:d");
  // A no-break space, a C1 control and a byte that is not UTF-8 are encoded byte-wise.
  EXPECT_EQ(EncodeUriPath("\xC2\xA0\xC2\x85\xFF"), "%C2%A0%C2%85%FF");
  for (const std::string path : {"a b", "\xFF\xFE", "%", "é/ü", "a:b"}) {
    EXPECT_EQ(*DecodeUriPath(EncodeUriPath(path)), path);
  }
  // Every add of tables with special characters in their partition values; Spark's
  // directories are what PartitionDirectory makes of the values (old delta-rs and the
  // ISO-8601 table name theirs differently).
  const std::vector<std::pair<std::string, bool>> tables = {
      {"delta-golden/data-reader-escaped-chars", true},
      {"delta-golden/data-reader-partition-values", true},
      {"delta-dat/multi_partitioned/delta", true},
      {"delta-golden/kernel-timestamp-partition-col-ISO8601", false},
      {"delta-rs/delta-0.8.0-special-partition", false}};
  for (const auto& [table, spark_directories] : tables) {
    const std::string root = TestTable(table);
    const std::vector<Action> actions = ReadLog(root);
    std::vector<std::string> partition_columns;
    for (const Action& action : actions) {
      if (const auto* metadata = std::get_if<Metadata>(&action)) {
        partition_columns = metadata->partition_columns;
      }
    }
    const std::vector<AddFile> adds = Adds(actions);
    ASSERT_FALSE(adds.empty()) << table;
    for (const AddFile& add : adds) {
      Result<std::string> decoded = DecodeUriPath(add.path);
      ASSERT_TRUE(decoded.ok()) << add.path;
      EXPECT_EQ(EncodeUriPath(*decoded), add.path);
      Result<std::string> local = ResolveDataPath(root, add.path);
      ASSERT_TRUE(local.ok()) << local.status().ToString();
      EXPECT_TRUE(std::filesystem::exists(*local)) << *local;
      if (spark_directories) {
        PartitionValues ordered;
        for (const std::string& column : partition_columns) {
          const std::optional<std::string>* value = FindValue(add.partition_values, column);
          ASSERT_NE(value, nullptr) << column;
          ordered.emplace_back(column, *value);
        }
        EXPECT_EQ(decoded->substr(0, decoded->rfind('/')), PartitionDirectory(ordered)) << add.path;
      }
    }
  }
}

TEST(PartitionValuesTest, ResolvesRelativeAbsoluteAndFileUriPaths) {
  EXPECT_EQ(*ResolveDataPath("/t", "a%20b/c.parquet"), "/t/a b/c.parquet");
  EXPECT_EQ(*ResolveDataPath("/t/", "./x//y.parquet"), "/t/x/y.parquet");
  EXPECT_EQ(*ResolveDataPath("rel/t", "p=%2F/f"), "rel/t/p=/f");
  EXPECT_EQ(*ResolveDataPath("", "a%20b"), "a b");
  EXPECT_EQ(*ResolveDataPath("file:///t%201", "f"), "/t 1/f");
  EXPECT_EQ(*ResolveDataPath("/t", "/abs/p@%23h"), "/abs/p@#h");
  EXPECT_EQ(*ResolveDataPath("/t", "file:/abs/with%20space"), "/abs/with space");
  EXPECT_EQ(*ResolveDataPath("/t", "file:///abs/x"), "/abs/x");
  EXPECT_EQ(*ResolveDataPath("/t", "FILE://localhost/abs/x"), "/abs/x");
  Result<std::string> remote = ResolveDataPath("/t", "file://server/abs/x");
  EXPECT_EQ(remote.status().code(), StatusCode::kNotImplemented);
  EXPECT_NE(remote.status().message().find("server"), std::string::npos);
  for (const std::string scheme : {"s3", "abfss", "gs"}) {
    Result<std::string> path = ResolveDataPath("/t", scheme + "://bucket/x.parquet");
    EXPECT_EQ(path.status().code(), StatusCode::kNotImplemented);
    EXPECT_NE(path.status().message().find(scheme + ":"), std::string::npos);
  }
  EXPECT_EQ(ResolveDataPath("/t", "bad%zz").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ResolveDataPath("/t", "file:relative").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ResolveDataPath("s3://bucket/t", "x").status().code(), StatusCode::kNotImplemented);
}

TEST(PartitionValuesTest, CanonicalPathsMatchAddsAndRemovesOfTheGoldenTables) {
  for (const std::string table :
       {"canonicalized-paths-normal-a", "canonicalized-paths-normal-b",
        "canonicalized-paths-special-a", "canonicalized-paths-special-b",
        "log-replay-special-characters", "log-replay-special-characters-a"}) {
    // Read the paths alone: these log-only tables have no valid metaData.
    const std::string root = TestTable("delta-golden/" + table);
    std::vector<std::string> adds;
    std::vector<std::string> removes;
    for (const std::string version : {"0", "1"}) {
      Result<std::string> text = LocalFileSystem::Default().ReadFile(
          root + "/_delta_log/0000000000000000000" + version + ".json");
      ASSERT_TRUE(text.ok()) << text.status().ToString();
      size_t start = 0;
      while (start < text->size()) {
        size_t end = text->find('\n', start);
        end = end == std::string::npos ? text->size() : end;
        Result<JsonValue> line =
            JsonValue::Parse(std::string_view(*text).substr(start, end - start));
        start = end + 1;
        if (!line.ok()) {
          continue;
        }
        for (const char* kind : {"add", "remove"}) {
          if (const JsonValue* action = line->Find(kind); action != nullptr) {
            const std::string canonical = CanonicalizePath(root, action->Find("path")->text());
            (std::string(kind) == "add" ? adds : removes).push_back(canonical);
          }
        }
      }
    }
    ASSERT_EQ(adds.size(), 1u) << table;
    ASSERT_EQ(removes.size(), 1u) << table;
    EXPECT_EQ(adds[0], removes[0]) << table;
  }
  EXPECT_EQ(CanonicalizePath("/t", "/some/with%20space/p@%23h"), "/some/with space/p@#h");
  EXPECT_EQ(CanonicalizePath("/t/", "a%20b"), CanonicalizePath("/t", "file:///t/a%20b"));
  EXPECT_EQ(CanonicalizePath("/t", "a//./b"), "/t/a/b");
  EXPECT_NE(CanonicalizePath("/t", "a"), CanonicalizePath("/t", "b"));
  EXPECT_EQ(CanonicalizePath("/t", "S3://bucket/a%20b"), "s3://bucket/a b");
  EXPECT_EQ(CanonicalizePath("s3://bucket/t", "a%20b"), "s3://bucket/t/a b");
  EXPECT_EQ(CanonicalizePath("/t", "bad%zz"), "bad%zz");
}

}  // namespace
}  // namespace sluice::delta
