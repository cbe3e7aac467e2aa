// SPDX-License-Identifier: Apache-2.0
#include "delta/column_mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "common/file_system.h"
#include "formats/parquet/reader.h"
#include "types/schema_json.h"

namespace sluice::delta {
namespace {

/// A field with Delta column mapping metadata.
Field Mapped(std::string name, TypePtr type, int32_t id, const std::string& physical) {
  Field field = MakeField(std::move(name), std::move(type));
  field.metadata = {{std::string(kColumnIdKey), std::to_string(id)},
                    {std::string(kPhysicalNameKey), "\"" + physical + "\""}};
  return field;
}

/// A schema that nests structs in a struct, an array and a map, all mapped.
SchemaPtr NestedMappedSchema() {
  return MakeSchema({
      Mapped("id", LongType(), 1, "col-1"),
      Mapped("s", StructType({Mapped("x", IntType(), 3, "col-3")}), 2, "col-2"),
      Mapped("arr", ArrayType(StructType({Mapped("y", StringType(), 5, "col-5")})), 4, "col-4"),
      Mapped("m",
             MapType(StructType({Mapped("k", IntType(), 7, "col-7")}),
                     StructType({Mapped("v", DoubleType(), 8, "col-8")})),
             6, "col-6"),
  });
}

/// Reads the metaData action of commit 0 of the table at `table` under the test data.
Metadata ReadMetadata(const std::string& table) {
  const std::string path =
      std::string(SLUICE_TESTDATA_DIR) + "/" + table + "/_delta_log/00000000000000000000.json";
  Result<std::string> text = LocalFileSystem::Default().ReadFile(path);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  Result<std::vector<Action>> actions = ParseActions(text.ok() ? *text : "", path);
  EXPECT_TRUE(actions.ok()) << actions.status().ToString();
  for (const Action& action : *actions) {
    if (const auto* metadata = std::get_if<Metadata>(&action)) {
      return *metadata;
    }
  }
  ADD_FAILURE() << "no metaData in " << path;
  return {};
}

TEST(ColumnMappingTest, ReadsTheModeFromTheTableConfiguration) {
  EXPECT_EQ(*GetColumnMappingMode(StringMap{}), ColumnMappingMode::kNone);
  EXPECT_EQ(*GetColumnMappingMode(StringMap{{"delta.columnMapping.mode", "name"}}),
            ColumnMappingMode::kName);
  EXPECT_EQ(*GetColumnMappingMode(StringMap{{"delta.columnMapping.mode", "ID"}}),
            ColumnMappingMode::kId);
  EXPECT_EQ(*GetColumnMappingMode(StringMap{{"delta.columnMapping.mode", "None"}}),
            ColumnMappingMode::kNone);
  Result<ColumnMappingMode> unknown =
      GetColumnMappingMode(StringMap{{"delta.columnMapping.mode", "position"}});
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotImplemented);
  EXPECT_NE(unknown.status().message().find("'position'"), std::string::npos);
  EXPECT_EQ(ColumnMappingModeName(ColumnMappingMode::kId), "id");
}

TEST(ColumnMappingTest, HonorsTheModeOnlyWhenTheProtocolSupportsIt) {
  Metadata metadata;
  metadata.configuration = {{"delta.columnMapping.mode", "name"}};
  Protocol protocol;
  protocol.min_reader_version = 1;
  EXPECT_FALSE(ProtocolSupportsColumnMapping(protocol));
  EXPECT_EQ(*GetColumnMappingMode(protocol, metadata), ColumnMappingMode::kNone);
  protocol.min_reader_version = 2;
  EXPECT_EQ(*GetColumnMappingMode(protocol, metadata), ColumnMappingMode::kName);
  protocol.min_reader_version = 3;
  protocol.reader_features = std::vector<std::string>{"deletionVectors"};
  EXPECT_EQ(*GetColumnMappingMode(protocol, metadata), ColumnMappingMode::kNone);
  protocol.reader_features->push_back("columnMapping");
  EXPECT_EQ(*GetColumnMappingMode(protocol, metadata), ColumnMappingMode::kName);
}

TEST(ColumnMappingTest, PhysicalNameAndIdComeFromFieldMetadata) {
  const Field field = Mapped("Display Name", IntType(), 12, "col-abc");
  EXPECT_EQ(*PhysicalName(field, ColumnMappingMode::kNone), "Display Name");
  EXPECT_EQ(*PhysicalName(field, ColumnMappingMode::kName), "col-abc");
  EXPECT_EQ(*PhysicalName(field, ColumnMappingMode::kId), "col-abc");
  EXPECT_EQ(FieldId(field), 12);

  const Field plain = MakeField("p", IntType());
  EXPECT_EQ(*PhysicalName(plain, ColumnMappingMode::kNone), "p");
  Result<std::string> missing = PhysicalName(plain, ColumnMappingMode::kName, "outer.p");
  EXPECT_EQ(missing.status().code(), StatusCode::kCorruption);
  EXPECT_NE(missing.status().message().find("outer.p"), std::string::npos);
  EXPECT_EQ(FieldId(plain), std::nullopt);

  Field odd = plain;
  odd.metadata = {{std::string(kPhysicalNameKey), "7"}, {std::string(kColumnIdKey), "1.5"}};
  EXPECT_EQ(PhysicalName(odd, ColumnMappingMode::kName).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(FieldId(odd), std::nullopt);
  odd.metadata = {{std::string(kColumnIdKey), "4294967296"}};
  EXPECT_EQ(FieldId(odd), std::nullopt);

  Field parquet_field = plain;
  parquet_field.metadata = {{"parquet.field.id", "-4"}};
  EXPECT_EQ(ParquetFieldId(parquet_field), -4);
  EXPECT_EQ(ParquetFieldId(plain), std::nullopt);
}

TEST(ColumnMappingTest, PhysicalSchemaRenamesEveryLevelAndSetsParquetFieldIdsInIdMode) {
  const SchemaPtr logical = NestedMappedSchema();
  Result<SchemaPtr> by_id = PhysicalSchema(*logical, ColumnMappingMode::kId);
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  EXPECT_EQ((*by_id)->ToString(),
            "struct<col-1:bigint,col-2:struct<col-3:int>,col-4:array<struct<col-5:string>>,"
            "col-6:map<struct<col-7:int>,struct<col-8:double>>>");
  // Metadata is kept, with the Parquet field id added.
  const Field& map_key_field = (*by_id)->field(3).type->key_type()->field(0);
  EXPECT_EQ(map_key_field.metadata,
            (FieldMetadata{{"delta.columnMapping.id", "7"},
                           {"delta.columnMapping.physicalName", "\"col-7\""},
                           {"parquet.field.id", "7"}}));
  EXPECT_EQ(ParquetFieldId((*by_id)->field(2).type->element_type()->field(0)), 5);

  // Mode name renames the same way, and sets field ids where the columns have ids (as
  // Delta Spark, whose name-mode files carry them too).
  std::vector<Field> fields = logical->fields();
  fields[0].metadata.push_back({"parquet.field.id", "99"});
  fields[1].metadata = {{std::string(kPhysicalNameKey), "\"col-2\""}, {"parquet.field.id", "98"}};
  Result<SchemaPtr> by_name = PhysicalSchema(Schema(fields), ColumnMappingMode::kName);
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_EQ((*by_name)->ToString(), (*by_id)->ToString());
  EXPECT_EQ(ParquetFieldId((*by_name)->field(0)), 1);
  EXPECT_EQ(ParquetFieldId((*by_name)->field(1)), std::nullopt);
  EXPECT_EQ(ParquetFieldId((*by_name)->field(1).type->field(0)), 3);

  // Mode none changes nothing.
  Result<SchemaPtr> unchanged = PhysicalSchema(*logical, ColumnMappingMode::kNone);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_TRUE((*unchanged)->Equals(*logical));
}

TEST(ColumnMappingTest, PhysicalSchemaNamesTheColumnWithoutPhysicalNameOrId) {
  const SchemaPtr missing_name = MakeSchema(
      {Mapped("arr", ArrayType(StructType({MakeField("inner", IntType())})), 1, "col-1")});
  Result<SchemaPtr> schema = PhysicalSchema(*missing_name, ColumnMappingMode::kName);
  EXPECT_EQ(schema.status().code(), StatusCode::kCorruption);
  EXPECT_NE(schema.status().message().find("arr.element.inner"), std::string::npos)
      << schema.status().message();

  Field no_id = MakeField("a", IntType());
  no_id.metadata = {{std::string(kPhysicalNameKey), "\"col-a\""}};
  EXPECT_TRUE(PhysicalSchema(Schema({no_id}), ColumnMappingMode::kName).ok());
  schema = PhysicalSchema(Schema({no_id}), ColumnMappingMode::kId);
  EXPECT_EQ(schema.status().code(), StatusCode::kCorruption);
  EXPECT_NE(schema.status().message().find("delta.columnMapping.id"), std::string::npos);
}

/// Renders the names, Parquet field ids and types of `type`'s fields at every level:
/// "struct<a#1:int,b:array<struct<c#3:string>>>".
std::string Describe(const DataType& type) {
  switch (type.id()) {
    case TypeId::kStruct: {
      std::string out = "struct<";
      for (int i = 0; i < type.num_fields(); ++i) {
        const Field& field = type.field(i);
        const std::optional<int32_t> id = ParquetFieldId(field);
        out += (i > 0 ? "," : "") + field.name + (id ? "#" + std::to_string(*id) : "") + ":" +
               Describe(*field.type);
      }
      return out + ">";
    }
    case TypeId::kArray:
      return "array<" + Describe(*type.element_type()) + ">";
    case TypeId::kMap:
      return "map<" + Describe(*type.key_type()) + "," + Describe(*type.value_type()) + ">";
    default:
      return type.ToString();
  }
}

TEST(ColumnMappingTest, PhysicalSchemaOfGoldenTablesIsTheSchemaOfTheirDataFiles) {
  // Spark wrote the files of these tables with the physical schema: physical names and
  // field ids at every level, in both modes.
  for (const std::string table : {"delta-golden/table-with-columnmapping-mode-id",
                                  "delta-golden/table-with-columnmapping-mode-name",
                                  "delta-kernel-rs/stats-writing-all-types/delta"}) {
    SCOPED_TRACE(table);
    const Metadata metadata = ReadMetadata(table);
    Result<ColumnMappingMode> mode = GetColumnMappingMode(metadata.configuration);
    ASSERT_TRUE(mode.ok()) << mode.status().ToString();
    EXPECT_NE(*mode, ColumnMappingMode::kNone);
    Result<SchemaPtr> logical = SchemaFromJson(metadata.schema_string);
    ASSERT_TRUE(logical.ok()) << logical.status().ToString();
    Result<SchemaPtr> physical = PhysicalSchema(**logical, *mode);
    ASSERT_TRUE(physical.ok()) << physical.status().ToString();

    const std::string dir = std::string(SLUICE_TESTDATA_DIR) + "/" + table;
    Result<std::vector<FileInfo>> entries = LocalFileSystem::Default().ListDirectory(dir);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    int files = 0;
    for (const FileInfo& entry : *entries) {
      if (!entry.name.ends_with(".parquet")) {
        continue;
      }
      ++files;
      Result<std::unique_ptr<parquet::ParquetReader>> reader =
          parquet::ParquetReader::Open(JoinPath(dir, entry.name));
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      EXPECT_EQ(Describe(*(*reader)->schema()->struct_type()),
                Describe(*(*physical)->struct_type()));
    }
    EXPECT_GT(files, 0);
  }
}

TEST(ColumnMappingTest, PartitionColumnsMapToTheKeysOfPartitionValues) {
  const std::string table = "delta-kernel-java/data-reader-partition-values-column-mapping-name";
  const std::string path =
      std::string(SLUICE_TESTDATA_DIR) + "/" + table + "/_delta_log/00000000000000000000.json";
  Result<std::string> text = LocalFileSystem::Default().ReadFile(path);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Result<std::vector<Action>> actions = ParseActions(*text, path);
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  const Metadata metadata = ReadMetadata(table);
  Result<SchemaPtr> logical = SchemaFromJson(metadata.schema_string);
  ASSERT_TRUE(logical.ok()) << logical.status().ToString();
  ASSERT_FALSE(metadata.partition_columns.empty());
  int adds = 0;
  for (const Action& action : *actions) {
    const auto* add = std::get_if<AddFile>(&action);
    if (add == nullptr) {
      continue;
    }
    ++adds;
    for (const std::string& column : metadata.partition_columns) {
      Result<std::string> key =
          PhysicalPartitionColumn(**logical, column, ColumnMappingMode::kName);
      ASSERT_TRUE(key.ok()) << key.status().ToString();
      EXPECT_NE(*key, column);
      EXPECT_NE(FindValue(add->partition_values, *key), nullptr) << column << " -> " << *key;
      EXPECT_EQ(FindValue(add->partition_values, column), nullptr) << column;
    }
  }
  EXPECT_EQ(adds, 3);

  // Names resolve case-insensitively; an unknown column is corruption.
  const SchemaPtr schema = NestedMappedSchema();
  EXPECT_EQ(*PhysicalPartitionColumn(*schema, "ID", ColumnMappingMode::kName), "col-1");
  EXPECT_EQ(*PhysicalPartitionColumn(*schema, "ID", ColumnMappingMode::kNone), "id");
  EXPECT_EQ(PhysicalPartitionColumn(*schema, "nope", ColumnMappingMode::kName).status().code(),
            StatusCode::kCorruption);
}

TEST(ColumnMappingTest, PhysicalColumnPathFollowsNestedStructs) {
  const SchemaPtr schema = NestedMappedSchema();
  EXPECT_EQ(*PhysicalColumnPath(*schema, {"s", "x"}, ColumnMappingMode::kId),
            (std::vector<std::string>{"col-2", "col-3"}));
  EXPECT_EQ(*PhysicalColumnPath(*schema, {"S", "X"}, ColumnMappingMode::kNone),
            (std::vector<std::string>{"s", "x"}));
  EXPECT_EQ(PhysicalColumnPath(*schema, {"s", "nope"}, ColumnMappingMode::kName).status().code(),
            StatusCode::kNotFound);
  // Arrays are not walked: statistics only describe struct members.
  Result<std::vector<std::string>> through_array =
      PhysicalColumnPath(*schema, {"arr", "y"}, ColumnMappingMode::kName);
  EXPECT_EQ(through_array.status().code(), StatusCode::kNotFound);
  EXPECT_NE(through_array.status().message().find("arr.y"), std::string::npos);
}

TEST(ColumnMappingTest, FindFieldByNamePrefersExactThenUniqueCaseInsensitiveMatch) {
  const std::vector<Field> fields = {MakeField("a", IntType()), MakeField("A", IntType()),
                                     MakeField("Bb", IntType())};
  EXPECT_EQ(*FindFieldByName(fields, "A"), 1);
  EXPECT_EQ(*FindFieldByName(fields, "a"), 0);
  EXPECT_EQ(*FindFieldByName(fields, "bB"), 2);
  EXPECT_EQ(*FindFieldByName(fields, "c"), std::nullopt);
  const std::vector<Field> twins = {MakeField("ab", IntType()), MakeField("AB", IntType())};
  Result<std::optional<int>> ambiguous = FindFieldByName(twins, "Ab");
  EXPECT_EQ(ambiguous.status().code(), StatusCode::kCorruption);
  EXPECT_NE(ambiguous.status().message().find("ab, AB"), std::string::npos);
}

}  // namespace
}  // namespace sluice::delta
