// SPDX-License-Identifier: Apache-2.0
#include "delta/conform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "columnar/printer.h"
#include "common/file_system.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/tests/writer_fixtures.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

using parquet::AppendJson;

/// Returns a vector of `type` from a JSON array of values (the writer tests' notation:
/// structs as arrays of field values, maps as arrays of [key, value], decimals as
/// strings, dates as days, timestamps as microseconds).
VectorPtr Values(const TypePtr& type, std::string_view json) {
  Result<JsonValue> values = JsonValue::Parse(json);
  SLUICE_CHECK(values.ok(), "bad test JSON: {}", values.status().ToString());
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  for (const JsonValue& value : values->items()) {
    AppendJson(value, builder.get());
  }
  return builder->Finish();
}

/// Returns the rows of `vector` as Spark shows them: "[1, NULL, {a, 2}]".
std::string Show(const Vector& vector) {
  std::string out = "[";
  for (int64_t row = 0; row < vector.length(); ++row) {
    out += (row > 0 ? ", " : "") + FormatCell(vector, row);
  }
  return out + "]";
}

Field WithMetadata(Field field, FieldMetadata metadata) {
  field.metadata = std::move(metadata);
  return field;
}

/// A table field with column mapping metadata.
Field Mapped(std::string name, TypePtr type, int32_t id, const std::string& physical) {
  return WithMetadata(MakeField(std::move(name), std::move(type)),
                      {{std::string(kColumnIdKey), std::to_string(id)},
                       {std::string(kPhysicalNameKey), "\"" + physical + "\""}});
}

/// A data file field carrying a Parquet field id.
Field WithFieldId(std::string name, TypePtr type, int32_t id) {
  return WithMetadata(MakeField(std::move(name), std::move(type)),
                      {{"parquet.field.id", std::to_string(id)}});
}

/// Conforms `file` (of `file_type`) to `table_type` under `mode`.
Result<VectorPtr> Conform(const VectorPtr& file, const TypePtr& table_type,
                          ColumnMappingMode mode = ColumnMappingMode::kNone) {
  return ConformVector(file, MakeField("c", file->type()), MakeField("c", table_type), mode);
}

/// Conforms and returns Show of the result, or the error.
std::string ConformShow(const VectorPtr& file, const TypePtr& table_type,
                        ColumnMappingMode mode = ColumnMappingMode::kNone) {
  Result<VectorPtr> out = Conform(file, table_type, mode);
  if (!out.ok()) {
    return out.status().ToString();
  }
  EXPECT_TRUE((*out)->type()->Equals(*table_type))
      << (*out)->type()->ToString() << " vs " << table_type->ToString();
  return Show(**out);
}

TEST(ConformTest, SameTypeIsReturnedAsIs) {
  const VectorPtr ints = Values(IntType(), "[1, null, 3]");
  Result<VectorPtr> out = Conform(ints, IntType());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->get(), ints.get());
  const TypePtr nested = StructType(
      {MakeField("a", ArrayType(LongType())), MakeField("m", MapType(StringType(), IntType()))});
  const VectorPtr structs = Values(nested, R"([[[1, 2], [["k", 1]]], null])");
  out = Conform(structs, nested, ColumnMappingMode::kNone);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->get(), structs.get());
}

TEST(ConformTest, StructMembersMatchByNameIgnoringCaseInModeNone) {
  const TypePtr file_type = StructType({MakeField("B", StringType()), MakeField("a", IntType()),
                                        MakeField("dropped", DoubleType())});
  const VectorPtr file = Values(file_type, R"([["x", 1, 0.5], null, ["y", null, 1.5]])");
  // Reordered, renamed in case, one member dropped and one added (nulls).
  const TypePtr table_type = StructType(
      {MakeField("A", IntType()), MakeField("b", StringType()), MakeField("added", LongType())});
  Result<VectorPtr> out = Conform(file, table_type);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE((*out)->type()->Equals(*table_type));
  EXPECT_EQ(Show(**out), "[{1, x, NULL}, NULL, {NULL, y, NULL}]");
  // The members and the struct's validity are the file's, not copies.
  EXPECT_EQ((*out)->child(0).get(), file->child(1).get());
  EXPECT_EQ((*out)->child(1).get(), file->child(0).get());
  EXPECT_EQ((*out)->validity_buffer(), file->validity_buffer());

  // An exact match wins over a case-insensitive one; two case-insensitive ones and no
  // exact one are ambiguous.
  const TypePtr twins = StructType({MakeField("x", IntType()), MakeField("X", IntType())});
  const VectorPtr twin_values = Values(twins, "[[1, 2]]");
  EXPECT_EQ(ConformShow(twin_values, StructType({MakeField("X", IntType())})), "[{2}]");
  const TypePtr folded_twins = StructType({MakeField("xy", IntType()), MakeField("XY", IntType())});
  Result<VectorPtr> ambiguous =
      Conform(Values(folded_twins, "[[1, 2]]"), StructType({MakeField("Xy", IntType())}));
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kCorruption);
  EXPECT_NE(ambiguous.status().message().find("c.Xy"), std::string::npos)
      << ambiguous.status().message();
}

TEST(ConformTest, StructMembersMatchByPhysicalNameInModeName) {
  const TypePtr file_type =
      StructType({MakeField("col-2", StringType()), MakeField("col-1", IntType())});
  const VectorPtr file = Values(file_type, R"([["x", 1], ["y", 2]])");
  const TypePtr table_type = StructType({Mapped("first", IntType(), 1, "col-1"),
                                         Mapped("second", StringType(), 2, "col-2"),
                                         Mapped("col-1", IntType(), 3, "col-3")});
  EXPECT_EQ(ConformShow(file, table_type, ColumnMappingMode::kName),
            "[{1, x, NULL}, {2, y, NULL}]");
  // Mode none would match the logical names instead.
  EXPECT_EQ(ConformShow(file, table_type, ColumnMappingMode::kNone),
            "[{NULL, NULL, 1}, {NULL, NULL, 2}]");
  // A table member without a physical name cannot be resolved in mode name.
  Result<VectorPtr> unnamed =
      Conform(file, StructType({MakeField("first", IntType())}), ColumnMappingMode::kName);
  EXPECT_EQ(unnamed.status().code(), StatusCode::kCorruption);
  EXPECT_NE(unnamed.status().message().find("c.first"), std::string::npos);
}

TEST(ConformTest, StructMembersMatchByFieldIdInModeId) {
  // The file's names are stale (say, physical names were reassigned): ids decide.
  const TypePtr file_type =
      StructType({WithFieldId("col-b", StringType(), 2), WithFieldId("col-a", IntType(), 1),
                  WithFieldId("col-z", IntType(), 9)});
  const VectorPtr file = Values(file_type, R"([["x", 1, 7], ["y", 2, 8]])");
  const TypePtr table_type =
      StructType({Mapped("a", IntType(), 1, "col-z"), Mapped("b", StringType(), 2, "col-b"),
                  Mapped("new", IntType(), 5, "col-a")});
  EXPECT_EQ(ConformShow(file, table_type, ColumnMappingMode::kId), "[{1, x, NULL}, {2, y, NULL}]");

  // A file without field ids falls back to physical names.
  const TypePtr no_ids =
      StructType({MakeField("col-z", IntType()), MakeField("col-b", StringType())});
  EXPECT_EQ(ConformShow(Values(no_ids, R"([[7, "x"]])"), table_type, ColumnMappingMode::kId),
            "[{7, x, NULL}]");

  // Two file fields with one id are corruption.
  const TypePtr twice =
      StructType({WithFieldId("p", IntType(), 1), WithFieldId("q", IntType(), 1)});
  Result<VectorPtr> duplicate =
      Conform(Values(twice, "[[1, 2]]"), table_type, ColumnMappingMode::kId);
  EXPECT_EQ(duplicate.status().code(), StatusCode::kCorruption);
  EXPECT_NE(duplicate.status().message().find("c.a"), std::string::npos);
}

TEST(ConformTest, FindFileColumnAppliesTheModeAtTheTopLevel) {
  const Schema file({WithFieldId("col-1", IntType(), 1), WithFieldId("Other", IntType(), 2)});
  const Field by_id = Mapped("x", IntType(), 2, "col-1");
  EXPECT_EQ(*FindFileColumn(file, by_id, ColumnMappingMode::kId), 1);
  EXPECT_EQ(*FindFileColumn(file, by_id, ColumnMappingMode::kName), 0);
  EXPECT_EQ(*FindFileColumn(file, by_id, ColumnMappingMode::kNone), std::nullopt);
  EXPECT_EQ(*FindFileColumn(file, MakeField("OTHER", IntType()), ColumnMappingMode::kNone), 1);
  EXPECT_EQ(*FindFileColumn(file, Mapped("y", IntType(), 3, "Other"), ColumnMappingMode::kId),
            std::nullopt);
}

TEST(ConformTest, ArraysAndMapsRecurseIntoElementsKeysAndValues) {
  const TypePtr file_type = StructType({
      MakeField("arr", ArrayType(StructType({MakeField("x", IntType())}))),
      MakeField("m", MapType(IntType(), FloatType())),
  });
  const VectorPtr file =
      Values(file_type, R"([[[[1], null, [3]], [[1, 0.5], [2, null]]], [null, []], null])");
  const TypePtr table_type = StructType({
      MakeField("arr",
                ArrayType(StructType({MakeField("x", LongType()), MakeField("y", StringType())}))),
      MakeField("m", MapType(LongType(), DoubleType())),
  });
  EXPECT_EQ(ConformShow(file, table_type),
            "[{[{1, NULL}, NULL, {3, NULL}], {1 -> 0.5, 2 -> NULL}}, {NULL, {}}, NULL]");

  // A mismatch names the path through the collections.
  const TypePtr wrong = StructType({
      MakeField("arr", ArrayType(StructType({MakeField("x", StringType())}))),
      MakeField("m", MapType(IntType(), FloatType())),
  });
  Result<VectorPtr> out = Conform(file, wrong);
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
  EXPECT_NE(out.status().message().find("c.arr.element.x is int in the file, string in the table"),
            std::string::npos)
      << out.status().message();
  out = Conform(file, StructType({MakeField("m", MapType(StringType(), FloatType()))}));
  EXPECT_NE(out.status().message().find("c.m.key is int in the file, string in the table"),
            std::string::npos)
      << out.status().message();
  out = Conform(file, StructType({MakeField("arr", LongType())}));
  EXPECT_NE(out.status().message().find("c.arr is array<struct<x:int>> in the file, bigint"),
            std::string::npos)
      << out.status().message();
}

TEST(ConformTest, IntegersWidenToWiderIntegersDoubleAndDecimal) {
  const VectorPtr bytes = Values(ByteType(), "[-128, null, 127]");
  EXPECT_EQ(ConformShow(bytes, ShortType()), "[-128, NULL, 127]");
  EXPECT_EQ(ConformShow(bytes, IntType()), "[-128, NULL, 127]");
  EXPECT_EQ(ConformShow(bytes, LongType()), "[-128, NULL, 127]");
  EXPECT_EQ(ConformShow(bytes, DoubleType()), "[-128.0, NULL, 127.0]");
  EXPECT_EQ(ConformShow(bytes, DecimalType(10, 0)), "[-128, NULL, 127]");
  const VectorPtr shorts = Values(ShortType(), "[-32768, 32767]");
  EXPECT_EQ(ConformShow(shorts, IntType()), "[-32768, 32767]");
  EXPECT_EQ(ConformShow(shorts, DecimalType(12, 2)), "[-32768.00, 32767.00]");
  const VectorPtr ints = Values(IntType(), "[-2147483648, null, 2147483647]");
  EXPECT_EQ(ConformShow(ints, LongType()), "[-2147483648, NULL, 2147483647]");
  EXPECT_EQ(ConformShow(ints, DoubleType()), "[-2.147483648E9, NULL, 2.147483647E9]");
  EXPECT_EQ(ConformShow(ints, DecimalType(11, 1)), "[-2147483648.0, NULL, 2147483647.0]");
  const VectorPtr longs = Values(LongType(), "[-9223372036854775808, 9223372036854775807]");
  EXPECT_EQ(ConformShow(longs, DecimalType(20, 0)), "[-9223372036854775808, 9223372036854775807]");
  EXPECT_EQ(ConformShow(longs, DecimalType(38, 18)),
            "[-9223372036854775808.000000000000000000, 9223372036854775807.000000000000000000]");
  // The widened vector shares the file's validity.
  Result<VectorPtr> widened = Conform(ints, LongType());
  ASSERT_TRUE(widened.ok());
  EXPECT_EQ((*widened)->validity_buffer(), ints->validity_buffer());
  EXPECT_EQ((*widened)->null_count(), 1);
}

TEST(ConformTest, FloatsDatesAndDecimalsWiden) {
  EXPECT_EQ(ConformShow(Values(FloatType(), "[1.5, null, \"NaN\"]"), DoubleType()),
            "[1.5, NULL, NaN]");
  // A TIMESTAMP(isAdjustedToUTC=false) file column of a timestamp table column (delta-rs
  // http_requests): the same microseconds.
  EXPECT_EQ(ConformShow(Values(TimestampNtzType(), "[0, null]"), TimestampType()),
            ConformShow(Values(TimestampType(), "[0, null]"), TimestampType()));
  // 2024-09-09 is day 19975; timestamp_ntz counts microseconds of the local date-time.
  EXPECT_EQ(ConformShow(Values(DateType(), "[19975, null, -1]"), TimestampNtzType()),
            "[2024-09-09 00:00:00, NULL, 1969-12-31 00:00:00]");
  const VectorPtr decimals = Values(DecimalType(5, 2), R"(["-999.99", null, "1.05"])");
  EXPECT_EQ(ConformShow(decimals, DecimalType(8, 4)), "[-999.9900, NULL, 1.0500]");
  // A wider precision at the same scale keeps the unscaled values: zero-copy.
  Result<VectorPtr> same_scale = Conform(decimals, DecimalType(20, 2));
  ASSERT_TRUE(same_scale.ok());
  EXPECT_EQ(Show(**same_scale), "[-999.99, NULL, 1.05]");
  EXPECT_EQ((*same_scale)->values_buffer(), decimals->values_buffer());
  EXPECT_EQ(ConformShow(Values(DecimalType(38, 0), R"(["1"])"), DecimalType(38, 0)), "[1]");
}

TEST(ConformTest, DateBeyondTheTimestampRangeIsAnError) {
  Result<VectorPtr> out = Conform(Values(DateType(), "[0, 2147483647]"), TimestampNtzType());
  EXPECT_EQ(out.status().code(), StatusCode::kCorruption);
  EXPECT_NE(out.status().message().find("c row 1"), std::string::npos) << out.status().message();
}

TEST(ConformTest, ListsTheSupportedWideningsOnly) {
  struct Case {
    TypePtr from;
    TypePtr to;
    bool supported;
  };
  const Case cases[] = {
      {ByteType(), ShortType(), true},
      {ShortType(), LongType(), true},
      {IntType(), LongType(), true},
      {LongType(), IntType(), false},
      {ShortType(), ByteType(), false},
      {IntType(), IntType(), false},
      {IntType(), DoubleType(), true},
      {LongType(), DoubleType(), false},
      {IntType(), FloatType(), false},
      {FloatType(), DoubleType(), true},
      {DoubleType(), FloatType(), false},
      {DateType(), TimestampNtzType(), true},
      {DateType(), TimestampType(), false},
      {TimestampType(), TimestampNtzType(), false},
      {ByteType(), DecimalType(10, 0), true},
      {ByteType(), DecimalType(9, 0), true},
      {ByteType(), DecimalType(4, 1), true},  // Delta Spark widens byte this far
      {ByteType(), DecimalType(3, 1), false},
      {ShortType(), DecimalType(6, 1), true},
      {ShortType(), DecimalType(5, 1), false},
      {IntType(), DecimalType(10, 1), false},
      {IntType(), DecimalType(12, 2), true},
      {IntType(), DecimalType(12, 3), false},
      {LongType(), DecimalType(20, 0), true},
      {LongType(), DecimalType(21, 2), false},
      {DecimalType(10, 2), DecimalType(12, 4), true},
      {DecimalType(10, 2), DecimalType(12, 2), true},
      {DecimalType(10, 2), DecimalType(11, 3), true},
      {DecimalType(10, 2), DecimalType(12, 5), false},
      {DecimalType(10, 2), DecimalType(12, 1), false},
      {DecimalType(10, 2), DecimalType(10, 2), false},
      {DecimalType(10, 2), DoubleType(), false},
      {StringType(), BinaryType(), false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsSupportedTypeWidening(*c.from, *c.to), c.supported)
        << c.from->ToString() << " -> " << c.to->ToString();
  }
  Result<VectorPtr> narrowing = Conform(Values(LongType(), "[1]"), IntType());
  EXPECT_EQ(narrowing.status().code(), StatusCode::kCorruption);
  EXPECT_NE(narrowing.status().message().find("c is bigint in the file, int in the table"),
            std::string::npos)
      << narrowing.status().message();
}

TEST(ConformTest, CheckTypeChangesRefusesChangesItCannotApply) {
  const auto with_changes = [](const std::string& changes, TypePtr type) {
    return MakeSchema(
        {MakeField("top", StructType({WithMetadata(MakeField("e", std::move(type)),
                                                   {{std::string(kTypeChangesKey), changes}})}))});
  };
  EXPECT_TRUE(
      CheckTypeChanges(
          *with_changes(
              R"([{"fromType":"short","toType":"integer"},{"fromType":"integer","toType":"long"}])",
              LongType()))
          .ok());
  EXPECT_TRUE(
      CheckTypeChanges(
          *with_changes(
              R"j([{"fromType":"decimal(6, 2)","toType":"decimal(10, 4)","fieldPath":"element.value"}])j",
              ArrayType(MapType(StringType(), DecimalType(10, 4)))))
          .ok());
  Status unsupported = CheckTypeChanges(
      *with_changes(R"([{"fromType":"double","toType":"float","fieldPath":"key"}])",
                    MapType(FloatType(), IntType())));
  EXPECT_EQ(unsupported.code(), StatusCode::kNotImplemented);
  EXPECT_NE(unsupported.message().find("top.e.key from double to float"), std::string::npos)
      << unsupported.message();
  EXPECT_EQ(CheckTypeChanges(*with_changes(R"({"fromType":"short"})", IntType())).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(CheckTypeChanges(*with_changes(R"([{"fromType":"short"}])", IntType())).code(),
            StatusCode::kCorruption);
  EXPECT_EQ(CheckTypeChanges(*with_changes(R"([{"fromType":"shorty","toType":"int"}])", IntType()))
                .code(),
            StatusCode::kCorruption);
}

TEST(ConformTest, VoidColumnsReadAsNulls) {
  const VectorPtr ints = Values(IntType(), "[1, 2]");
  Result<VectorPtr> out = Conform(ints, NullType());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->type_id(), TypeId::kNull);
  EXPECT_EQ((*out)->length(), 2);
  EXPECT_EQ((*out)->null_count(), 2);
  // A void file column reads as nulls of whatever the table says, nested ones too.
  const TypePtr nested = StructType({MakeField("a", ArrayType(IntType()))});
  EXPECT_EQ(ConformShow(Values(NullType(), "[null, null]"), nested), "[NULL, NULL]");
  EXPECT_EQ(ConformShow(Values(StructType({MakeField("v", NullType())}), "[[null], null]"),
                        StructType({MakeField("v", StringType())})),
            "[{NULL}, NULL]");
}

TEST(ConformTest, BinaryAndStringReadAsEachOther) {
  const VectorPtr binary = Values(BinaryType(), R"(["h\u00e9", null])");
  Result<VectorPtr> text = Conform(binary, StringType());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(Show(**text), "[hé, NULL]");
  EXPECT_EQ((*text)->data_buffer(), binary->data_buffer());
  EXPECT_EQ(ConformShow(Values(StringType(), R"(["ab"])"), BinaryType()), "[[61 62]]");

  StringBuilder bad(BinaryType());
  bad.Append("ok");
  bad.Append(std::string("\xff\xfe", 2));
  Result<VectorPtr> invalid = Conform(bad.Finish(), StringType());
  EXPECT_EQ(invalid.status().code(), StatusCode::kCorruption);
  EXPECT_NE(invalid.status().message().find("c row 1"), std::string::npos);
}

TEST(ConformTest, SlicedVectorsKeepTheirRows) {
  const TypePtr file_type = StructType({MakeField("a", IntType()), MakeField("b", DateType())});
  const VectorPtr file =
      Values(file_type, R"([[1, 0], [2, 1], null, [4, 3], [5, null]])")->Slice(1, 3);
  const TypePtr table_type = StructType(
      {MakeField("b", TimestampNtzType()), MakeField("a", LongType()), MakeField("n", IntType())});
  EXPECT_EQ(ConformShow(file, table_type),
            "[{1970-01-02 00:00:00, 2, NULL}, NULL, {1970-01-04 00:00:00, 4, NULL}]");
  const VectorPtr ints = Values(IntType(), "[1, null, 3, 4]")->Slice(1, 2);
  EXPECT_EQ(ConformShow(ints, DoubleType()), "[NULL, 3.0]");
  EXPECT_EQ(ConformShow(Values(DecimalType(4, 1), R"(["1.5", "2.5", null])")->Slice(1, 2),
                        DecimalType(6, 3)),
            "[2.500, NULL]");
}

TEST(ConformTest, ConformBatchFillsMissingColumnsWithNulls) {
  const SchemaPtr file_schema =
      MakeSchema({MakeField("b", IntType()), MakeField("extra", StringType())});
  const BatchPtr file = parquet::Rows(file_schema, R"([[1, "x"], [null, "y"]])");
  const SchemaPtr table = MakeSchema(
      {MakeField("a", StringType()), MakeField("B", LongType()), MakeField("v", NullType())});
  Result<BatchPtr> out = ConformBatch(*file, table, ColumnMappingMode::kNone);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)->schema(), table);
  EXPECT_EQ((*out)->num_rows(), 2);
  EXPECT_EQ(Show(*(*out)->column(0)), "[NULL, NULL]");
  EXPECT_EQ(Show(*(*out)->column(1)), "[1, NULL]");
  EXPECT_EQ((*out)->column(2)->type_id(), TypeId::kNull);
}

TEST(ConformTest, MakeNullVectorBuildsAllNullVectorsOfAnyType) {
  const TypePtr type = StructType(
      {MakeField("a", ArrayType(IntType())), MakeField("m", MapType(StringType(), IntType())),
       MakeField("v", VariantType()), MakeField("d", DecimalType(5, 1))});
  const VectorPtr nulls = MakeNullVector(type, 3);
  EXPECT_TRUE(nulls->type()->Equals(*type));
  EXPECT_EQ(nulls->length(), 3);
  EXPECT_EQ(nulls->null_count(), 3);
  EXPECT_EQ(Show(*nulls), "[NULL, NULL, NULL]");
  EXPECT_EQ(MakeNullVector(IntType(), 0)->length(), 0);
}

// ---------------------------------------------------------------------------------------
// Tables written by Spark and delta-kernel: their data files read as the table schema.

/// What a test needs of a table: the latest schema, the mode, and the live data files.
struct Table {
  std::string dir;
  SchemaPtr schema;
  ColumnMappingMode mode = ColumnMappingMode::kNone;
  std::vector<std::string> partition_columns;
  std::vector<std::string> files;
};

Table LoadTable(const std::string& name) {
  Table table;
  table.dir = std::string(SLUICE_TESTDATA_DIR) + "/" + name;
  const std::string log = JoinPath(table.dir, "_delta_log");
  Result<std::vector<FileInfo>> entries = LocalFileSystem::Default().ListDirectory(log);
  EXPECT_TRUE(entries.ok()) << entries.status().ToString();
  Protocol protocol;
  Metadata metadata;
  std::vector<std::string> files;
  for (const FileInfo& entry : entries.ok() ? *entries : std::vector<FileInfo>{}) {
    if (!entry.name.ends_with(".json")) {
      continue;
    }
    Result<std::string> text = LocalFileSystem::Default().ReadFile(entry.path);
    EXPECT_TRUE(text.ok()) << text.status().ToString();
    Result<std::vector<Action>> actions = ParseActions(*text, entry.name);
    EXPECT_TRUE(actions.ok()) << actions.status().ToString();
    for (const Action& action : *actions) {
      if (const auto* p = std::get_if<Protocol>(&action)) {
        protocol = *p;
      } else if (const auto* m = std::get_if<Metadata>(&action)) {
        metadata = *m;
      } else if (const auto* add = std::get_if<AddFile>(&action)) {
        files.push_back(add->path);
      } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
        std::erase(files, remove->path);
      }
    }
  }
  Result<SchemaPtr> schema = SchemaFromJson(metadata.schema_string);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  table.schema = schema.ok() ? *schema : MakeSchema({});
  Result<ColumnMappingMode> mode = GetColumnMappingMode(protocol, metadata);
  EXPECT_TRUE(mode.ok()) << mode.status().ToString();
  table.mode = mode.ok() ? *mode : ColumnMappingMode::kNone;
  table.partition_columns = metadata.partition_columns;
  std::sort(files.begin(), files.end());
  table.files = std::move(files);
  return table;
}

/// Reads every live file of `table` as `schema` (default: the table's data columns) and
/// returns its rows, one "v1, v2, ..." string each, sorted.
std::vector<std::string> ReadRows(const Table& table, SchemaPtr schema = nullptr) {
  if (schema == nullptr) {
    std::vector<Field> data_fields;
    for (const Field& field : table.schema->fields()) {
      if (std::find(table.partition_columns.begin(), table.partition_columns.end(), field.name) ==
          table.partition_columns.end()) {
        data_fields.push_back(field);
      }
    }
    schema = MakeSchema(std::move(data_fields));
  }
  std::vector<std::string> rows;
  for (const std::string& file : table.files) {
    Result<std::unique_ptr<parquet::ParquetReader>> reader =
        parquet::ParquetReader::Open(JoinPath(table.dir, file));
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) {
      continue;
    }
    Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    for (const BatchPtr& batch : *batches) {
      Result<BatchPtr> conformed = ConformBatch(*batch, schema, table.mode);
      EXPECT_TRUE(conformed.ok()) << file << ": " << conformed.status().ToString();
      if (!conformed.ok()) {
        continue;
      }
      for (int64_t row = 0; row < (*conformed)->num_rows(); ++row) {
        std::string text;
        for (int column = 0; column < (*conformed)->num_columns(); ++column) {
          text += (column > 0 ? ", " : "") + FormatCell(*(*conformed)->column(column), row);
        }
        rows.push_back(std::move(text));
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

TEST(ConformTest, TypeWideningTableReadsFilesOfBeforeAndAfterTheWidening) {
  const Table table = LoadTable("delta-golden/type-widening");
  EXPECT_TRUE(CheckTypeChanges(*table.schema).ok());
  EXPECT_EQ(table.schema->ToString(),
            "struct<byte_long:bigint,int_long:bigint,float_double:double,byte_double:double,"
            "short_double:double,int_double:double,decimal_decimal_same_scale:decimal(20,2),"
            "decimal_decimal_greater_scale:decimal(20,5),byte_decimal:decimal(11,1),"
            "short_decimal:decimal(11,1),int_decimal:decimal(11,1),long_decimal:decimal(21,1),"
            "date_timestamp_ntz:timestamp_ntz>");
  EXPECT_EQ(
      ReadRows(table),
      (std::vector<std::string>{
          "1, 2, 3.4000000953674316, 5.0, 6.0, 7.0, 123.45, 67.89000, 1.0, 2.0, 3.0, 4.0, "
          "2024-09-09 00:00:00",
          "9223372036854775807, 9223372036854775807, 1.234567890123, 1.234567890123, "
          "1.234567890123, 1.234567890123, 12345678901234.56, 12345678901.23456, 123.4, 12345.6, "
          "1234567890.1, 123456789012345678.9, 2024-09-09 12:34:56.123456"}));
}

TEST(ConformTest, TypeWideningInsideStructsMapsAndArrays) {
  const Table table = LoadTable("delta-golden/type-widening-nested");
  EXPECT_TRUE(CheckTypeChanges(*table.schema).ok());
  EXPECT_EQ(table.schema->ToString(),
            "struct<struct:struct<a:bigint>,map:map<bigint,bigint>,array:array<bigint>>");
  EXPECT_EQ(ReadRows(table),
            (std::vector<std::string>{
                "{1}, {2 -> 3}, [4, 5]",
                "{9223372036854775807}, {9223372036854775807 -> 9223372036854775807}, "
                "[9223372036854775807, -9223372036854775808]"}));
}

TEST(ConformTest, ColumnMappingTablesReadTheirLogicalSchema) {
  const Table by_id = LoadTable("delta-golden/table-with-columnmapping-mode-id");
  const Table by_name = LoadTable("delta-golden/table-with-columnmapping-mode-name");
  ASSERT_EQ(by_id.mode, ColumnMappingMode::kId);
  ASSERT_EQ(by_name.mode, ColumnMappingMode::kName);
  const std::vector<std::string> rows = ReadRows(by_id);
  const auto row = [](int i) {
    return fmt::format(
        "{0}, {0}, {0}, {0}, {0}.0, {0}.0, {0}.00, {1}, {0}, [3{0}], 2021-11-18, "
        "1970-01-01 00:00:00{2}, {{{0}, {{{0}}}}}, [{0}, {3}], [[{0}, {3}], [{4}, {5}]], "
        "[{{{0} -> [2, 3], {3} -> [4, 5]}}], [{{{0}}}, {{{0}}}], {{[{0}, {3}], {{[{0}, {3}] -> "
        "{{{4}}}}}}}, {{{0} -> {3}, {4} -> {5}}}, {{{3} -> {{{6}}}}}, {{{0} -> [{0}, NULL, {3}], "
        "{3} -> []}}, {{{0} -> {{{0} -> {0}}}, {3} -> {{{4} -> {0}}}}}",
        i, i % 2 == 0 ? "true" : "false", i == 0 ? "" : fmt::format(".00{}", i), i + 1, i + 2,
        i + 3, i * 20);
  };
  EXPECT_EQ(rows, (std::vector<std::string>{row(0), row(1), row(2), row(3), row(4),
                                            "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                                            "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                                            "NULL, NULL, NULL, NULL, NULL, NULL"}));
  // The name-mode table holds the same rows under other physical names.
  EXPECT_EQ(ReadRows(by_name), rows);
}

TEST(ConformTest, IdModeMatchesByFieldIdNotByPhysicalName) {
  // Give every top-level column of the id-mode table another column's physical name:
  // id mode still finds each by its field id, name mode then finds the wrong columns.
  Table table = LoadTable("delta-golden/table-with-columnmapping-mode-id");
  const std::vector<std::string> rows = ReadRows(table);
  std::vector<Field> fields = table.schema->fields();
  std::vector<Field> shuffled = fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& donor = fields[(i + 1) % fields.size()];
    for (auto& [key, value] : shuffled[i].metadata) {
      if (key == kPhysicalNameKey) {
        value = *FindFieldMetadata(donor, kPhysicalNameKey);
      }
    }
  }
  EXPECT_EQ(ReadRows(table, MakeSchema(shuffled)), rows);
  // In mode name the same schema reads each column from its donor's column: "decimal"
  // now has BooleanType's physical name and reads the booleans (declared boolean here).
  table.mode = ColumnMappingMode::kName;
  ASSERT_EQ(shuffled[6].name, "decimal");
  Field decimal = shuffled[6];
  decimal.type = BooleanType();
  EXPECT_EQ(ReadRows(table, MakeSchema({decimal})),
            (std::vector<std::string>{"NULL", "false", "false", "true", "true", "true"}));
}

TEST(ConformTest, VoidColumnOfTheTableReadsAsNulls) {
  const Table table = LoadTable("delta-kernel-rs/void-column");
  EXPECT_EQ(table.schema->ToString(), "struct<id:bigint,void_col:void>");
  EXPECT_EQ(ReadRows(table), (std::vector<std::string>{"1, NULL", "2, NULL", "3, NULL"}));
}

TEST(ConformTest, NameModeTableOfEveryTypeReads) {
  const Table table = LoadTable("delta-kernel-rs/stats-writing-all-types/delta");
  ASSERT_EQ(table.mode, ColumnMappingMode::kName);
  EXPECT_EQ(ReadRows(table),
            (std::vector<std::string>{
                "1, 100, 1000, 10000, 1.5, 2.5, 2023-01-15, 2023-06-15 12:30:00, "
                "2023-06-15 12:30:00, alpha, 123.45, true, [01 02 03], [1, 2, 3], "
                "{key1 -> 100}, {10, nested_a, 1.1}",
                "3, 300, 3000, 30000, 2.0, 4.0, 2023-12-31, 2023-12-31 23:59:59, "
                "2023-12-31 23:59:59, beta, 456.78, true, [07 08 09], [6], {key4 -> 400}, "
                "{30, NULL, 3.3}",
                "5, 500, 5000, 50000, 3.14, 6.28, 2024-06-15, 2024-12-25 00:00:00, "
                "2024-12-25 00:00:00, gamma, 999.99, false, [04 05 06], [4, 5], "
                "{key2 -> 200, key3 -> 300}, {50, nested_c, 5.5}",
                "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                "NULL, NULL, NULL"}));
}

TEST(ConformTest, FileWrittenWithThePhysicalSchemaReadsBackAfterRenameDropAndAdd) {
  // Write a file as a Delta writer in mode id does: the physical schema, whose field ids
  // the Parquet writer stores and the reader reports back.
  const SchemaPtr logical = MakeSchema({
      Mapped("id", LongType(), 1, "col-a"),
      Mapped("info",
             StructType(
                 {Mapped("score", IntType(), 3, "col-c"), Mapped("tag", StringType(), 4, "col-d")}),
             2, "col-b"),
      Mapped("gone", StringType(), 5, "col-e"),
  });
  Result<SchemaPtr> physical = PhysicalSchema(*logical, ColumnMappingMode::kId);
  ASSERT_TRUE(physical.ok()) << physical.status().ToString();
  const std::string bytes = parquet::WriteOrDie(
      *physical, {parquet::Rows(*physical, R"([[1, [10, "x"], "a"], [2, null, "b"]])")});
  Result<std::unique_ptr<parquet::ParquetReader>> reader = parquet::ParquetReader::Open(
      parquet::MakeBufferFile("written.parquet", std::make_shared<const std::string>(bytes)));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 1u);

  // Later the table renamed id and score, widened score, dropped gone and tag, added
  // note and info.extra.
  const SchemaPtr evolved = MakeSchema({
      Mapped("note", StringType(), 6, "col-f"),
      Mapped("key", LongType(), 1, "col-a"),
      Mapped("info",
             StructType({Mapped("extra", IntType(), 7, "col-g"),
                         Mapped("points", LongType(), 3, "col-c")}),
             2, "col-b"),
  });
  for (ColumnMappingMode mode : {ColumnMappingMode::kId, ColumnMappingMode::kName}) {
    SCOPED_TRACE(ColumnMappingModeName(mode));
    Result<BatchPtr> out = ConformBatch(*batches->front(), evolved, mode);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(Show(*(*out)->column(0)), "[NULL, NULL]");
    EXPECT_EQ(Show(*(*out)->column(1)), "[1, 2]");
    EXPECT_EQ(Show(*(*out)->column(2)), "[{NULL, 10}, NULL]");
  }
  // Read by logical names (mode none), nothing matches.
  Result<BatchPtr> unmapped = ConformBatch(*batches->front(), evolved, ColumnMappingMode::kNone);
  ASSERT_TRUE(unmapped.ok()) << unmapped.status().ToString();
  EXPECT_EQ(Show(*(*unmapped)->column(1)), "[NULL, NULL]");
}

}  // namespace
}  // namespace sluice::delta
