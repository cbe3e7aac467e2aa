// SPDX-License-Identifier: Apache-2.0
//
// Writes the Delta table of the Delta interop test (read_delta.mjs checks it with DuckDB)
// and says what sluice sees in it. The table, OUT_DIR/table, is partitioned by
// region (string: plain, with a space and a slash that Hive escaping turns into %2F, and
// null) and day (date), has a data column of every flat type the stats cover (id long
// with values beyond 2^53, qty int, amount double, name string with non-ASCII and a
// 40-character value beyond the 32-character stats prefix that is often the maximum, ts
// timestamp with microseconds, ok boolean, price decimal(10,2)), nulls in each, and
// delta.checkpointInterval = 3. Its history:
//   v0 append (creates the table), v1 append, v2 append split into files of at most 2
//   rows, v3 overwrite (every file removed, new ones added; checkpoint), v4 append,
//   v5 append split into files of at most 3 rows, v6 append (checkpoint).
// Then it loads the latest snapshot, reads it back through delta::Scan and writes:
//   OUT_DIR/manifest.json  {table_root, version, schema (Spark's JSON), partition_columns,
//                           checkpoint: {version, files: [absolute paths]},
//                           files: [{path (absolute, URI-decoded), add_path (as in the
//                           log), partition_values: {column: text|null}, size, stats
//                           (the add's stats JSON text)}], rows: number of rows}
//   OUT_DIR/sluice_rows.jsonl  one JSON object per row read by the scan, keyed by column,
//                           values in the canonical form of read_parquet.mjs:
//                           null; true/false; integers as strings; doubles as
//                           "f64:<IEEE bits in hex>"; decimals as plain strings with
//                           `scale` fraction digits; strings as they are; dates as days
//                           since 1970-01-01 (numbers); timestamps as microseconds
//                           since the epoch (strings).
//
// Usage: delta_interop_writer OUT_DIR

#include <fmt/format.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/vector.h"
#include "common/file_system.h"
#include "common/json.h"
#include "delta/actions.h"
#include "delta/log_files.h"
#include "delta/partition_values.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "delta/writer.h"
#include "types/data_type.h"
#include "types/decimal.h"
#include "types/schema_json.h"

namespace sluice::interop {
namespace {

constexpr int kCheckpointInterval = 3;

SchemaPtr TableSchema() {
  return MakeSchema({MakeField("id", DataType::MakePrimitive(TypeId::kLong)),
                     MakeField("qty", DataType::MakePrimitive(TypeId::kInt)),
                     MakeField("amount", DataType::MakePrimitive(TypeId::kDouble)),
                     MakeField("name", DataType::MakePrimitive(TypeId::kString)),
                     MakeField("ts", TimestampType()),
                     MakeField("ok", DataType::MakePrimitive(TypeId::kBoolean)),
                     MakeField("price", DataType::MakeDecimal(10, 2)),
                     MakeField("day", DataType::MakePrimitive(TypeId::kDate)),
                     MakeField("region", DataType::MakePrimitive(TypeId::kString))});
}

// Rows of TableSchema() for one write: `count` rows from id `first`, deterministic, with
// nulls in every data column and the partition values cycling through three regions
// (one null) and two days.
BatchPtr MakeRows(int64_t first, int64_t count) {
  static const char* const kNames[] = {
      "alpha", "Ünïcødé ✓", "", "zeta", "龘 is a name of forty characters, ok!!!!!", "Ω", "日本語"};
  static const char* const kRegions[] = {"eu", "us west/2", nullptr};
  BatchBuilder builder(TableSchema());
  for (int64_t i = first; i < first + count; ++i) {
    const bool null_row = i % 11 == 5;
    auto* id = static_cast<Int64Builder*>(builder.column(0));
    // Around 2^62 for some rows: stats must keep every digit.
    id->Append(i % 13 == 0 ? (int64_t{1} << 62) + i : i * 7 - 100);
    auto* qty = static_cast<Int32Builder*>(builder.column(1));
    null_row ? qty->AppendNull() : qty->Append(static_cast<int32_t>(i % 17) - 8);
    auto* amount = static_cast<DoubleBuilder*>(builder.column(2));
    null_row ? amount->AppendNull() : amount->Append(static_cast<double>(i) * 1.25 - 40.5);
    auto* name = static_cast<StringBuilder*>(builder.column(3));
    i % 9 == 4 ? name->AppendNull() : name->Append(kNames[i % 7]);
    auto* ts = static_cast<Int64Builder*>(builder.column(4));
    // 2024-03-10T12:00:00Z plus i seconds and some microseconds.
    null_row ? ts->AppendNull() : ts->Append(1710072000000000 + i * 1000000 + (i * 7919) % 1000000);
    auto* ok = static_cast<BooleanBuilder*>(builder.column(5));
    i % 10 == 3 ? ok->AppendNull() : ok->Append(i % 3 == 0);
    auto* price = static_cast<DecimalBuilder*>(builder.column(6));
    null_row ? price->AppendNull() : price->Append(Int128(i * 137 - 999));
    auto* day = static_cast<Int32Builder*>(builder.column(7));
    day->Append(19792 + static_cast<int32_t>(i % 2));  // 2024-03-10, 2024-03-11
    auto* region = static_cast<StringBuilder*>(builder.column(8));
    const char* value = kRegions[(i / 2) % 3];
    value == nullptr ? region->AppendNull() : region->Append(value);
  }
  return builder.Finish();
}

// ---------------------------------------------------------------------------------------
// Canonical values.

JsonValue Canonical(const Vector& vector, int64_t row) {
  if (vector.IsNull(row))
    return JsonValue::Null();
  const DataType& type = *vector.type();
  switch (type.id()) {
    case TypeId::kBoolean:
      return JsonValue::Bool(vector.BoolValue(row));
    case TypeId::kInt:
      return JsonValue::String(std::to_string(vector.Value<int32_t>(row)));
    case TypeId::kLong:
      return JsonValue::String(std::to_string(vector.Value<int64_t>(row)));
    case TypeId::kDouble:
      return JsonValue::String(
          fmt::format("f64:{:016x}", std::bit_cast<uint64_t>(vector.Value<double>(row))));
    case TypeId::kDecimal:
      return JsonValue::String(FormatDecimal(vector.DecimalValue(row), type.scale()));
    case TypeId::kString:
      return JsonValue::String(std::string(vector.StringValue(row)));
    case TypeId::kDate:
      return JsonValue::Int(vector.Value<int32_t>(row));
    case TypeId::kTimestamp:
      return JsonValue::String(std::to_string(vector.Value<int64_t>(row)));
    default:
      return JsonValue::String(fmt::format("<no canonical form for {}>", type.ToString()));
  }
}

Status Run(const std::string& out_dir) {
  FileSystem& fs = LocalFileSystem::Default();
  SLUICE_RETURN_IF_ERROR(fs.DeleteRecursively(out_dir));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(out_dir));
  const std::string root = out_dir + "/table";

  delta::WriteOptions options;
  options.partition_columns = {"region", "day"};
  options.configuration = {{"delta.checkpointInterval", std::to_string(kCheckpointInterval)}};
  int64_t next_id = 0;
  const auto write = [&](bool overwrite, int64_t rows, int64_t max_records_per_file) -> Status {
    delta::WriteOptions write_options = options;
    write_options.files.max_records_per_file = max_records_per_file;
    const std::vector<BatchPtr> batches{MakeRows(next_id, rows)};
    next_id += rows;
    SLUICE_ASSIGN_OR_RETURN(delta::WriteResult result,
                            overwrite ? delta::Overwrite(root, batches, write_options, fs)
                                      : delta::Append(root, batches, write_options, fs));
    std::printf("delta_interop_writer: v%lld %s, %zu files added, %lld removed\n",
                static_cast<long long>(result.commit.version), overwrite ? "overwrite" : "append",
                result.added.size(), static_cast<long long>(result.num_removed_files));
    return result.commit.post_commit_status;
  };
  SLUICE_RETURN_IF_ERROR(write(false, 40, 0));  // v0
  SLUICE_RETURN_IF_ERROR(write(false, 25, 0));  // v1
  SLUICE_RETURN_IF_ERROR(write(false, 30, 2));  // v2
  SLUICE_RETURN_IF_ERROR(write(true, 50, 0));   // v3, checkpoint
  SLUICE_RETURN_IF_ERROR(write(false, 33, 0));  // v4
  SLUICE_RETURN_IF_ERROR(write(false, 21, 3));  // v5
  SLUICE_RETURN_IF_ERROR(write(false, 12, 0));  // v6, checkpoint

  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, delta::Snapshot::Load(root, fs));
  const delta::LogSegment& segment = snapshot->segment();
  if (!segment.checkpoint || segment.checkpoint->version != snapshot->version()) {
    return Status::Internal(fmt::format(
        "expected a checkpoint at the latest version {} (delta.checkpointInterval = {})",
        snapshot->version(), kCheckpointInterval));
  }

  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<delta::Scan> scan,
                          delta::Scan::Make(snapshot, delta::ScanOptions{}, fs));
  SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, scan->ReadAll());
  std::string rows_text;
  int64_t rows = 0;
  const Schema& schema = *scan->schema();
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::vector<JsonValue::Member> members;
      for (int c = 0; c < batch->num_columns(); ++c)
        members.emplace_back(schema.field(c).name, Canonical(*batch->column(c), row));
      JsonValue::Object(std::move(members)).SerializeTo(&rows_text);
      rows_text += '\n';
      ++rows;
    }
  }
  SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(out_dir + "/sluice_rows.jsonl", rows_text));

  std::vector<JsonValue> files;
  for (const delta::AddFile& add : snapshot->files()) {
    SLUICE_ASSIGN_OR_RETURN(std::string path, delta::ResolveDataPath(root, add.path));
    std::vector<JsonValue::Member> partition_values;
    for (const auto& [column, value] : add.partition_values)
      partition_values.emplace_back(column, value ? JsonValue::String(*value) : JsonValue::Null());
    files.push_back(JsonValue::Object({
        {"path", JsonValue::String(path)},
        {"add_path", JsonValue::String(add.path)},
        {"partition_values", JsonValue::Object(std::move(partition_values))},
        {"size", JsonValue::Int(add.size)},
        {"stats", add.stats ? JsonValue::String(*add.stats) : JsonValue::Null()},
    }));
  }
  std::vector<JsonValue> checkpoint_files;
  for (const delta::LogFile& file : segment.checkpoint->files)
    checkpoint_files.push_back(JsonValue::String(file.path));
  std::vector<JsonValue> partition_columns;
  for (const std::string& column : snapshot->partition_columns())
    partition_columns.push_back(JsonValue::String(column));
  SLUICE_ASSIGN_OR_RETURN(JsonValue schema_json, JsonValue::Parse(SchemaToJson(schema)));
  const JsonValue manifest = JsonValue::Object({
      {"table_root", JsonValue::String(root)},
      {"version", JsonValue::Int(snapshot->version())},
      {"schema", std::move(schema_json)},
      {"partition_columns", JsonValue::Array(std::move(partition_columns))},
      {"checkpoint", JsonValue::Object({{"version", JsonValue::Int(segment.checkpoint->version)},
                                        {"files", JsonValue::Array(std::move(checkpoint_files))}})},
      {"files", JsonValue::Array(std::move(files))},
      {"rows", JsonValue::Int(rows)},
  });
  SLUICE_RETURN_IF_ERROR(fs.WriteFileAtomic(out_dir + "/manifest.json", manifest.Serialize()));
  std::printf("delta_interop_writer: version %lld, %zu live files, %lld rows read by the scan\n",
              static_cast<long long>(snapshot->version()), snapshot->files().size(),
              static_cast<long long>(rows));
  return Status::Ok();
}

}  // namespace
}  // namespace sluice::interop

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: delta_interop_writer OUT_DIR\n");
    return 2;
  }
  const sluice::Status status = sluice::interop::Run(argv[1]);
  if (!status.ok()) {
    std::fprintf(stderr, "delta_interop_writer: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
