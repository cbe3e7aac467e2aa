// SPDX-License-Identifier: Apache-2.0
//
// Writes the Parquet files of the interop test (read_parquet.mjs reads them back with
// DuckDB and hyparquet): every sluice type, flat and nested, with nulls at every level,
// under several codecs, page versions, dictionary and value encodings and row group
// layouts. Beside each file it writes the values it holds as JSON lines in the
// canonical form both readers are converted to:
//   null                      null (at any depth; void columns are always null)
//   boolean                   true / false
//   byte, short, int, long    the integer as a string ("-128")
//   float, double             "NaN", or the IEEE bits as hex: "f32:3fc00000",
//                             "f64:3ff8000000000000" (so -0.0 and every digit count)
//   decimal(p,s)              the plain decimal string with s fraction digits ("-1.50")
//   string                    the string
//   binary                    lowercase hex of the bytes
//   date                      days since 1970-01-01 (a number)
//   timestamp, timestamp_ntz  microseconds since the epoch as a string
//   struct                    an object of the fields
//   array                     an array
//   map                       an array of [key, value] pairs sorted by the key's text
//                             (hyparquet returns maps as objects keyed by the key's text,
//                             so the order of entries cannot be compared)
//   variant                   the JSON value of the variant (Spark's to_json)
// and a manifest.json listing {name, file, expected, rows, row_groups, known_unsupported,
// schema} (schema: Spark's JSON; known_unsupported: reader -> the error it is known to
// give for this file).
//
// Usage: parquet_interop_writer OUT_DIR

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "common/file_system.h"
#include "common/json.h"
#include "formats/parquet/writer.h"
#include "types/decimal.h"
#include "types/schema_json.h"
#include "types/variant.h"

namespace sluice::interop {
namespace {

using parquet::DataPageVersion;
using parquet::ParquetWriteOptions;
namespace format = parquet::format;

// ---------------------------------------------------------------------------------------
// Rows as JSON: a row is an array with one value per column; structs are arrays of their
// field values, maps arrays of [key, value] pairs, decimals strings, dates days,
// timestamps microseconds, floats numbers or "NaN" / "Infinity" / "-Infinity", binary
// strings of bytes, variants any JSON.

Status AppendJson(const JsonValue& json, VectorBuilder* builder) {
  if (json.is_null()) {
    builder->AppendNull();
    return Status::Ok();
  }
  const DataType& type = *builder->type();
  switch (type.id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(json.bool_value());
      return Status::Ok();
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz: {
      SLUICE_ASSIGN_OR_RETURN(const int64_t value, json.AsInt64());
      if (type.id() == TypeId::kByte) {
        static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(value));
      } else if (type.id() == TypeId::kShort) {
        static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(value));
      } else if (type.id() == TypeId::kInt || type.id() == TypeId::kDate) {
        static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(value));
      } else {
        static_cast<Int64Builder*>(builder)->Append(value);
      }
      return Status::Ok();
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double value = 0;
      if (json.is_string()) {
        value = json.text() == "NaN"        ? std::nan("")
                : json.text() == "Infinity" ? HUGE_VAL
                                            : -HUGE_VAL;
      } else {
        SLUICE_ASSIGN_OR_RETURN(value, json.AsDouble());
      }
      if (type.id() == TypeId::kFloat) {
        static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(value));
      } else {
        static_cast<DoubleBuilder*>(builder)->Append(value);
      }
      return Status::Ok();
    }
    case TypeId::kDecimal: {
      Int128 unscaled = 0;
      if (!ParseDecimal(json.text(), type.precision(), type.scale(), &unscaled)) {
        return Status::InvalidArgument(fmt::format("bad decimal {}", json.text()));
      }
      static_cast<DecimalBuilder*>(builder)->Append(unscaled);
      return Status::Ok();
    }
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<StringBuilder*>(builder)->Append(json.text());
      return Status::Ok();
    case TypeId::kStruct: {
      auto* struct_builder = static_cast<StructBuilder*>(builder);
      for (int i = 0; i < struct_builder->num_children(); ++i) {
        SLUICE_RETURN_IF_ERROR(AppendJson(json.items()[i], struct_builder->child(i)));
      }
      struct_builder->Append();
      return Status::Ok();
    }
    case TypeId::kArray: {
      auto* array = static_cast<ArrayBuilder*>(builder);
      for (const JsonValue& item : json.items()) {
        SLUICE_RETURN_IF_ERROR(AppendJson(item, array->element()));
      }
      array->Append();
      return Status::Ok();
    }
    case TypeId::kMap: {
      auto* map = static_cast<MapBuilder*>(builder);
      for (const JsonValue& entry : json.items()) {
        SLUICE_RETURN_IF_ERROR(AppendJson(entry.items()[0], map->keys()));
        SLUICE_RETURN_IF_ERROR(AppendJson(entry.items()[1], map->values()));
      }
      map->Append();
      return Status::Ok();
    }
    case TypeId::kNull:
      builder->AppendNull();
      return Status::Ok();
    case TypeId::kVariant: {
      std::string metadata;
      std::string value;
      SLUICE_RETURN_IF_ERROR(JsonToVariant(json, &metadata, &value));
      static_cast<VariantBuilder*>(builder)->Append(metadata, value);
      return Status::Ok();
    }
  }
  return Status::Internal("unreachable");
}

Result<BatchPtr> RowsToBatch(const SchemaPtr& schema, const std::string& rows_json) {
  SLUICE_ASSIGN_OR_RETURN(JsonValue rows, JsonValue::Parse(rows_json));
  BatchBuilder builder(schema);
  for (const JsonValue& row : rows.items()) {
    for (int i = 0; i < schema->num_fields(); ++i) {
      SLUICE_RETURN_IF_ERROR(AppendJson(row.items()[i], builder.column(i)));
    }
  }
  return builder.Finish();
}

// ---------------------------------------------------------------------------------------
// The canonical JSON of the values (see the file comment).

void AppendCanonical(const Vector& vector, int64_t row, std::string* out) {
  if (vector.IsNull(row)) {
    out->append("null");
    return;
  }
  const DataType& type = *vector.type();
  switch (type.id()) {
    case TypeId::kBoolean:
      out->append(vector.BoolValue(row) ? "true" : "false");
      return;
    case TypeId::kByte:
      *out += fmt::format("\"{}\"", vector.Value<int8_t>(row));
      return;
    case TypeId::kShort:
      *out += fmt::format("\"{}\"", vector.Value<int16_t>(row));
      return;
    case TypeId::kInt:
      *out += fmt::format("\"{}\"", vector.Value<int32_t>(row));
      return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      *out += fmt::format("\"{}\"", vector.Value<int64_t>(row));
      return;
    case TypeId::kDate:
      *out += fmt::format("{}", vector.Value<int32_t>(row));
      return;
    case TypeId::kFloat: {
      const float value = vector.Value<float>(row);
      *out += std::isnan(value) ? std::string("\"NaN\"")
                                : fmt::format("\"f32:{:08x}\"", std::bit_cast<uint32_t>(value));
      return;
    }
    case TypeId::kDouble: {
      const double value = vector.Value<double>(row);
      *out += std::isnan(value) ? std::string("\"NaN\"")
                                : fmt::format("\"f64:{:016x}\"", std::bit_cast<uint64_t>(value));
      return;
    }
    case TypeId::kDecimal:
      AppendJsonString(FormatDecimal(vector.DecimalValue(row), type.scale()), out);
      return;
    case TypeId::kString:
      AppendJsonString(vector.StringValue(row), out);
      return;
    case TypeId::kBinary: {
      out->push_back('"');
      for (const char byte : vector.StringValue(row)) {
        *out += fmt::format("{:02x}", static_cast<uint8_t>(byte));
      }
      out->push_back('"');
      return;
    }
    case TypeId::kStruct: {
      out->push_back('{');
      for (int i = 0; i < type.num_fields(); ++i) {
        if (i > 0) {
          out->push_back(',');
        }
        AppendJsonString(type.field(i).name, out);
        out->push_back(':');
        AppendCanonical(*vector.child(i), vector.offset() + row, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kArray: {
      out->push_back('[');
      for (int64_t i = vector.ListStart(row); i < vector.ListEnd(row); ++i) {
        if (i > vector.ListStart(row)) {
          out->push_back(',');
        }
        AppendCanonical(*vector.child(0), i, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      std::vector<std::pair<std::string, std::string>> entries;
      for (int64_t i = vector.ListStart(row); i < vector.ListEnd(row); ++i) {
        std::string key;
        AppendCanonical(*vector.child(0), i, &key);
        std::string value;
        AppendCanonical(*vector.child(1), i, &value);
        entries.emplace_back(std::move(key), std::move(value));
      }
      // Sort by the key's text: a string key's own text, else its JSON.
      auto key_text = [](const std::string& key) {
        Result<JsonValue> parsed = JsonValue::Parse(key);
        return parsed.ok() && parsed->is_string() ? parsed->text() : key;
      };
      std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
        return key_text(a.first) < key_text(b.first);
      });
      out->push_back('[');
      for (size_t i = 0; i < entries.size(); ++i) {
        *out += fmt::format("{}[{},{}]", i > 0 ? "," : "", entries[i].first, entries[i].second);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kNull:
      out->append("null");
      return;
    case TypeId::kVariant: {
      Result<std::string> json =
          VariantToJson(vector.VariantMetadata(row), vector.VariantValue(row));
      out->append(json.ok() ? *json : "\"<bad variant>\"");
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
// The data sets.

SchemaPtr AllTypesSchema() {
  return MakeSchema({
      MakeField("id", IntType(), false),
      MakeField("bool", BooleanType()),
      MakeField("byte", ByteType()),
      MakeField("short", ShortType()),
      MakeField("int", IntType()),
      MakeField("long", LongType()),
      MakeField("float", FloatType()),
      MakeField("double", DoubleType()),
      MakeField("dec9", DecimalType(9, 2)),
      MakeField("dec18", DecimalType(18, 4)),
      MakeField("dec38", DecimalType(38, 10)),
      MakeField("dec_small_flba", DecimalType(20, 0)),
      MakeField("string", StringType()),
      MakeField("binary", BinaryType()),
      MakeField("date", DateType()),
      MakeField("ts", TimestampType()),
      MakeField("ts_ntz", TimestampNtzType()),
      MakeField("struct",
                StructType({MakeField("a", IntType()), MakeField("b", StringType(), false),
                            MakeField("c", StructType({MakeField("d", DoubleType())}))})),
      MakeField("array", ArrayType(LongType(), true)),
      MakeField("array_required", ArrayType(StringType(), false), false),
      MakeField("nested_array", ArrayType(ArrayType(IntType(), true), true)),
      MakeField("array_of_struct",
                ArrayType(StructType({MakeField("x", IntType()), MakeField("y", StringType())}))),
      MakeField("map", MapType(StringType(), IntType(), true)),
      MakeField("map_of_array", MapType(IntType(), ArrayType(StringType()), true)),
      MakeField("struct_of_map",
                StructType({MakeField("m", MapType(StringType(), StringType(), false))})),
      MakeField("void", NullType()),
      MakeField("variant", VariantType()),
  });
}

// Hand-written rows: extremes, nulls at every level, empty containers.
constexpr std::string_view kAllTypesRows = R"([
  [0, true, -128, -32768, -2147483648, -9223372036854775808, -1.5, "NaN", "-9999999.99",
   "-99999999999999.9999", "-9999999999999999999999999999.9999999999",
   "-99999999999999999999", "héllo wörld ☃ 𝄞", "\u0000\u0001\u007f", -719162,
   -62135596800000000, 253402300799999999, [1, "x", [2.5]], [1, null, 3], ["a", "b"],
   [[1, 2], null, [], [null]], [[1, "p"], null, [null, null]], [["k", 1], ["l", null]],
   [[1, ["a", null]], [2, null], [3, []]], [[["a", "b"], ["c", ""]]], null,
   {"a": [1, {"b": null}], "c": "d", "e": true}],
  [1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
   null, null, null, [], null, null, null, null, null, null, null],
  [2, false, 127, 32767, 2147483647, 9223372036854775807, "Infinity", -0.0, "0.01", "0.0001",
   "1E-10", "99999999999999999999", "", "", 0, 0, 0, [null, "", null], [], [], [[]], [],
   [], [], [[]], null, 12],
  [3, true, 0, 0, 0, 0, "-Infinity", 1e300, "9999999.99", "99999999999999.9999",
   "9999999999999999999999999999.9999999999", "0", "x", "\u00ff", 2932896,
   -1, -1, [null, "y", null], [null], ["c"], [null, [null]], [null],
   [["m", 7]], [[-5, ["z"]]], null, null, "a string"],
  [4, false, 1, 2, 3, 4, 3.4028234663852886e38, 5e-324, "-0.05", "-0.0001", "0", "-1",
   "line\nbreak \"quoted\" \\ tab\t", "bytes", 20000, 1700000000123456, 1700000000123456,
   [7, "s", null], [9223372036854775807, -9223372036854775808], ["d", "e", "f"],
   [[3], [4, 5, 6]], [[null, null]], [["z", 0], ["a", -1]], [], [[]], null,
   [1, "two", 3.5, null, false]]
])";

// Deterministic generated rows of the same schema (xorshift), for multiple pages, row
// groups and dictionary fallbacks.
class RowGenerator {
 public:
  explicit RowGenerator(uint64_t seed) : state_(seed) {}

  std::string Rows(int first_id, int count) {
    std::string out = "[";
    for (int i = 0; i < count; ++i) {
      out += i > 0 ? ",\n" : "";
      out += Row(first_id + i);
    }
    out += "]";
    return out;
  }

 private:
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  int64_t Below(int64_t bound) {
    return static_cast<int64_t>(Next() % static_cast<uint64_t>(bound));
  }
  bool Null() { return Below(10) == 0; }
  std::string Or(std::string value) { return Null() ? "null" : value; }
  std::string Word() {
    static const char* const kWords[] = {"alpha", "beta", "gamma", "delta", "epsilon",
                                         "zeta",  "eta",  "theta", "iota",  "kappa"};
    // Mostly repeated words (dictionary-friendly), sometimes a unique one.
    if (Below(4) == 0) {
      return fmt::format("\"w{}-{}\"", Below(1000000), std::string(Below(40), 'x'));
    }
    return fmt::format("\"{}\"", kWords[Below(10)]);
  }
  std::string Decimal(int integer_digits, int scale) {
    std::string digits;
    for (int i = 0; i < integer_digits; ++i) {
      digits.push_back(static_cast<char>('0' + Below(10)));
    }
    std::string fraction;
    for (int i = 0; i < scale; ++i) {
      fraction.push_back(static_cast<char>('0' + Below(10)));
    }
    return fmt::format("\"{}{}{}{}\"", Below(2) ? "-" : "", digits, scale > 0 ? "." : "", fraction);
  }
  std::string List(int max, const std::function<std::string()>& element) {
    if (Null()) {
      return "null";
    }
    std::string out = "[";
    const int64_t count = Below(max + 1);
    for (int64_t i = 0; i < count; ++i) {
      out += (i > 0 ? "," : "") + element();
    }
    return out + "]";
  }
  std::string Row(int id) {
    std::vector<std::string> values;
    values.push_back(fmt::format("{}", id));
    values.push_back(Or(Below(2) ? "true" : "false"));
    values.push_back(Or(fmt::format("{}", Below(256) - 128)));
    values.push_back(Or(fmt::format("{}", Below(65536) - 32768)));
    values.push_back(Or(fmt::format("{}", static_cast<int32_t>(Next()))));
    values.push_back(
        Or(fmt::format("{}", Below(100) == 0 ? static_cast<int64_t>(Next()) : Below(5000) - 2500)));
    values.push_back(Or(fmt::format("{}", static_cast<double>(Below(2000000)) / 64 - 10000)));
    values.push_back(
        Or(fmt::format("{:.17g}", std::ldexp(static_cast<double>(Next() >> 11), -40) - 1e3)));
    values.push_back(Or(Decimal(7, 2)));
    values.push_back(Or(Decimal(14, 4)));
    values.push_back(Or(Decimal(28, 10)));
    values.push_back(Or(Decimal(20, 0)));
    values.push_back(Or(Word()));
    values.push_back(Or(Word()));
    values.push_back(Or(fmt::format("{}", Below(40000) - 10000)));
    values.push_back(Or(fmt::format(
        "{}", static_cast<int64_t>(Next() % 4000000000000000000ULL) - 1000000000000000000)));
    values.push_back(Or(fmt::format("{}", Below(4000000000000000))));
    values.push_back(Or(fmt::format("[{}, {}, {}]", Or(fmt::format("{}", Below(100))), Word(),
                                    Or(fmt::format("[{}]", Or(fmt::format("{}", Below(7))))))));
    values.push_back(List(4, [&] { return Or(fmt::format("{}", Below(1000))); }));
    std::string required = List(3, [&] { return Word(); });  // non-nullable
    values.push_back(required == "null" ? "[]" : required);
    values.push_back(
        List(3, [&] { return List(3, [&] { return Or(fmt::format("{}", Below(50))); }); }));
    values.push_back(List(2, [&] {
      return Or(fmt::format("[{}, {}]", Or(fmt::format("{}", Below(9))), Or(Word())));
    }));
    int key = 0;
    values.push_back(List(
        3, [&] { return fmt::format("[\"k{}\", {}]", key++, Or(fmt::format("{}", Below(100)))); }));
    key = 0;
    values.push_back(List(
        2, [&] { return fmt::format("[{}, {}]", key++, List(2, [&] { return Or(Word()); })); }));
    key = 0;
    values.push_back(Or(
        fmt::format("[{}]", List(2, [&] { return fmt::format("[\"m{}\", {}]", key++, Word()); }))));
    values.push_back("null");
    values.push_back(Or(fmt::format("{{\"n\": {}, \"s\": {}, \"l\": [{}, true]}}", Below(1000),
                                    Word(), Below(50))));
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i) {
      out += (i > 0 ? ", " : "") + values[i];
    }
    return out + "]";
  }

  uint64_t state_;
};

// Floats and doubles only (flat, in a list, a struct and a map's values): DuckDB reads
// BYTE_STREAM_SPLIT of FLOAT and DOUBLE but not of the other types.
SchemaPtr FloatsSchema() {
  return MakeSchema({
      MakeField("float", FloatType()),
      MakeField("double", DoubleType()),
      MakeField("floats", ArrayType(FloatType())),
      MakeField("struct", StructType({MakeField("d", DoubleType())})),
      MakeField("map", MapType(StringType(), DoubleType())),
  });
}

std::string FloatRows(int count) {
  std::string out =
      "[[\"NaN\", \"-Infinity\", [0.0, -0.0, \"Infinity\"], [1e-300], [[\"a\", 2.5]]]";
  uint64_t state = 0xF10A7;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  auto number = [&] {
    return next() % 10 == 0 ? std::string("null")
                            : fmt::format("{}", static_cast<double>(next() % 100000) / 16 - 3000);
  };
  for (int i = 0; i < count; ++i) {
    out += fmt::format(",\n[{}, {}, [{}, {}], [{}], [[\"k{}\", {}]]]", number(), number(), number(),
                       number(), number(), i % 7, number());
  }
  return out + "]";
}

struct DataSet {
  std::string name;
  SchemaPtr schema;
  // Each element is the JSON rows of one batch.
  std::vector<std::string> batches;
  ParquetWriteOptions options;
  // Readers known not to read the file, with the error they give (checked).
  std::vector<std::pair<std::string, std::string>> known_unsupported;
};

// The hand-written rows, an empty batch, then `generated_rows` generated ones in batches
// of 1000.
std::vector<std::string> AllTypesBatches(int generated_rows) {
  std::vector<std::string> batches = {std::string(kAllTypesRows), "[]"};
  RowGenerator generator(0x5EED + static_cast<uint64_t>(generated_rows));
  for (int first = 0; first < generated_rows; first += 1000) {
    batches.push_back(generator.Rows(100 + first, std::min(1000, generated_rows - first)));
  }
  return batches;
}

Status WriteDataSet(const std::string& dir, const DataSet& data_set, std::string* manifest) {
  const SchemaPtr& schema = data_set.schema;
  const std::string file = data_set.name + ".parquet";
  const std::string expected = data_set.name + ".jsonl";
  SLUICE_ASSIGN_OR_RETURN(
      std::unique_ptr<parquet::ParquetWriter> writer,
      parquet::ParquetWriter::Open(JoinPath(dir, file), schema, data_set.options));
  std::string lines;
  for (const std::string& rows : data_set.batches) {
    SLUICE_ASSIGN_OR_RETURN(BatchPtr batch, RowsToBatch(schema, rows));
    SLUICE_RETURN_IF_ERROR(writer->Write(*batch));
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      lines.push_back('{');
      for (int i = 0; i < batch->num_columns(); ++i) {
        if (i > 0) {
          lines.push_back(',');
        }
        AppendJsonString(schema->field(i).name, &lines);
        lines.push_back(':');
        AppendCanonical(*batch->column(i), row, &lines);
      }
      lines += "}\n";
    }
  }
  SLUICE_ASSIGN_OR_RETURN(parquet::ParquetWriteResult result, writer->Close());
  SLUICE_RETURN_IF_ERROR(
      LocalFileSystem::Default().WriteFileAtomic(JoinPath(dir, expected), lines));
  std::string unsupported = "{";
  for (const auto& [reader, error] : data_set.known_unsupported) {
    if (unsupported.size() > 1) {
      unsupported.push_back(',');
    }
    AppendJsonString(reader, &unsupported);
    unsupported.push_back(':');
    AppendJsonString(error, &unsupported);
  }
  unsupported.push_back('}');
  *manifest += fmt::format(
      "{}{{\"name\":\"{}\",\"file\":\"{}\",\"expected\":\"{}\",\"rows\":{},"
      "\"row_groups\":{},\"known_unsupported\":{},\"schema\":{}}}",
      manifest->size() > 1 ? ",\n" : "", data_set.name, file, expected, result.num_rows,
      result.num_row_groups, unsupported, SchemaToJson(*schema));
  std::printf("wrote %s: %lld rows, %d row groups, %lld bytes\n", file.c_str(),
              static_cast<long long>(result.num_rows), result.num_row_groups,
              static_cast<long long>(result.file_size));
  return Status::Ok();
}

std::vector<DataSet> DataSets() {
  std::vector<DataSet> sets;
  auto add = [&](std::string name, int rows, auto configure) -> DataSet& {
    DataSet set;
    set.name = std::move(name);
    set.schema = AllTypesSchema();
    set.batches = AllTypesBatches(rows);
    configure(set.options);
    sets.push_back(std::move(set));
    return sets.back();
  };
  using format::CompressionCodec;
  using format::Encoding;
  add("snappy_v1_dictionary", 3000, [](ParquetWriteOptions& o) {
    o.row_group_row_limit = 1000;
    o.data_page_row_limit = 300;
  });
  add("zstd_v2_plain", 3000, [](ParquetWriteOptions& o) {
    o.compression = CompressionCodec::ZSTD;
    o.compression_level = 7;
    o.data_page_version = DataPageVersion::kV2;
    o.dictionary = false;
    o.data_page_size = 4096;
  });
  add("gzip_v1_plain", 500, [](ParquetWriteOptions& o) {
    o.compression = CompressionCodec::GZIP;
    o.dictionary = false;
  });
  add("lz4raw_v2_dictionary", 500, [](ParquetWriteOptions& o) {
    o.compression = CompressionCodec::LZ4_RAW;
    o.data_page_version = DataPageVersion::kV2;
  });
  add("lz4raw_v1_plain", 500, [](ParquetWriteOptions& o) {
    o.compression = CompressionCodec::LZ4_RAW;
    o.dictionary = false;
  });
  add("brotli_v1_dictionary", 200,
      [](ParquetWriteOptions& o) { o.compression = CompressionCodec::BROTLI; });
  add("uncompressed_v1_fallback", 6000, [](ParquetWriteOptions& o) {
    o.compression = CompressionCodec::UNCOMPRESSED;
    o.dictionary_page_size_limit = 2048;
    o.data_page_size = 8192;
    o.row_group_size = 256 * 1024;
  });
  for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    const std::string suffix = version == DataPageVersion::kV1 ? "v1" : "v2";
    for (const auto& [encoding, name] : std::vector<std::pair<Encoding::type, std::string>>{
             {Encoding::DELTA_BINARY_PACKED, "delta_binary_packed"},
             {Encoding::DELTA_LENGTH_BYTE_ARRAY, "delta_length_byte_array"},
             {Encoding::DELTA_BYTE_ARRAY, "delta_byte_array"},
             {Encoding::BYTE_STREAM_SPLIT, "byte_stream_split"},
             {Encoding::RLE, "rle_boolean"}}) {
      DataSet& set =
          add(name + "_" + suffix, 2000, [&, encoding = encoding](ParquetWriteOptions& o) {
            o.dictionary = false;
            o.value_encoding = encoding;
            o.data_page_version = version;
            o.data_page_size = 8192;
            o.row_group_row_limit = 1500;
          });
      if (encoding == Encoding::BYTE_STREAM_SPLIT) {
        set.known_unsupported.emplace_back(
            "duckdb", "BYTE_STREAM_SPLIT encoding is only supported for FLOAT or DOUBLE");
      }
    }
    DataSet floats;
    floats.name = "byte_stream_split_floats_" + suffix;
    floats.schema = FloatsSchema();
    floats.batches = {FloatRows(3000)};
    floats.options.dictionary = false;
    floats.options.value_encoding = Encoding::BYTE_STREAM_SPLIT;
    floats.options.data_page_version = version;
    floats.options.data_page_size = 4096;
    sets.push_back(std::move(floats));
  }
  // The dictionary until it falls back to a delta encoding mid-chunk.
  add("snappy_v2_fallback_to_delta", 5000, [](ParquetWriteOptions& o) {
    o.data_page_version = DataPageVersion::kV2;
    o.dictionary_page_size_limit = 1024;
    o.value_encoding = Encoding::DELTA_BYTE_ARRAY;
  });
  return sets;
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parquet_interop_writer OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  Status status = LocalFileSystem::Default().CreateDirectories(dir);
  std::string manifest = "[";
  for (const DataSet& data_set : DataSets()) {
    if (!status.ok()) {
      break;
    }
    status = WriteDataSet(dir, data_set, &manifest);
  }
  manifest += "]\n";
  if (status.ok()) {
    status = LocalFileSystem::Default().WriteFileAtomic(JoinPath(dir, "manifest.json"), manifest);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "parquet_interop_writer: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace sluice::interop

int main(int argc, char** argv) {
  return sluice::interop::Main(argc, argv);
}
