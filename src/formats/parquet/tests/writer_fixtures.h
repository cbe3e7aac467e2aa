// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "common/check.h"
#include "common/json.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/thrift_io.h"
#include "formats/parquet/writer.h"
#include "types/decimal.h"
#include "types/variant.h"

// What the writer tests share: batches from JSON rows, and reading back a written
// file's footer and pages without the reader.

namespace sluice::parquet {

using format::Encoding;
using format::PageType;

// ---------------------------------------------------------------------------------------
// Batches from JSON rows: a row is an array with one value per column. Structs are
// arrays of their field values, maps arrays of [key, value] pairs, decimals strings,
// dates days, timestamps microseconds, floats numbers or "NaN"/"Infinity"/"-Infinity",
// binary strings of bytes, variants any JSON.

inline void AppendJson(const JsonValue& json, VectorBuilder* builder) {
  if (json.is_null()) {
    builder->AppendNull();
    return;
  }
  const DataType& type = *builder->type();
  switch (type.id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(json.bool_value());
      break;
    case TypeId::kByte:
      static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(*json.AsInt64()));
      break;
    case TypeId::kShort:
      static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(*json.AsInt64()));
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(*json.AsInt64()));
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      static_cast<Int64Builder*>(builder)->Append(*json.AsInt64());
      break;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double value;
      if (json.is_string()) {
        value = json.text() == "NaN"        ? std::nan("")
                : json.text() == "Infinity" ? HUGE_VAL
                                            : -HUGE_VAL;
      } else {
        value = *json.AsDouble();
      }
      if (type.id() == TypeId::kFloat) {
        static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(value));
      } else {
        static_cast<DoubleBuilder*>(builder)->Append(value);
      }
      break;
    }
    case TypeId::kDecimal: {
      Int128 unscaled = 0;
      ASSERT_TRUE(ParseDecimal(json.text(), type.precision(), type.scale(), &unscaled))
          << json.text();
      static_cast<DecimalBuilder*>(builder)->Append(unscaled);
      break;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      static_cast<StringBuilder*>(builder)->Append(json.text());
      break;
    case TypeId::kStruct: {
      auto* struct_builder = static_cast<StructBuilder*>(builder);
      for (int i = 0; i < struct_builder->num_children(); ++i) {
        AppendJson(json.items()[i], struct_builder->child(i));
      }
      struct_builder->Append();
      break;
    }
    case TypeId::kArray: {
      auto* array = static_cast<ArrayBuilder*>(builder);
      for (const JsonValue& item : json.items()) {
        AppendJson(item, array->element());
      }
      array->Append();
      break;
    }
    case TypeId::kMap: {
      auto* map = static_cast<MapBuilder*>(builder);
      for (const JsonValue& entry : json.items()) {
        AppendJson(entry.items()[0], map->keys());
        AppendJson(entry.items()[1], map->values());
      }
      map->Append();
      break;
    }
    case TypeId::kNull:
      builder->AppendNull();
      break;
    case TypeId::kVariant: {
      std::string metadata;
      std::string value;
      ASSERT_TRUE(JsonToVariant(json, &metadata, &value).ok());
      static_cast<VariantBuilder*>(builder)->Append(metadata, value);
      break;
    }
  }
}

inline BatchPtr Rows(const SchemaPtr& schema, std::string_view rows_json) {
  Result<JsonValue> rows = JsonValue::Parse(rows_json);
  SLUICE_CHECK(rows.ok(), "bad test JSON: {}", rows.status().ToString());
  BatchBuilder builder(schema);
  for (const JsonValue& row : rows->items()) {
    for (int i = 0; i < schema->num_fields(); ++i) {
      AppendJson(row.items()[i], builder.column(i));
    }
  }
  return builder.Finish();
}

// ---------------------------------------------------------------------------------------
// Reading back what the writer wrote, without the reader.

inline format::FileMetaData ReadFooter(const std::string& file) {
  format::FileMetaData metadata;
  EXPECT_GE(file.size(), 12u);
  EXPECT_EQ(file.substr(0, 4), "PAR1");
  EXPECT_EQ(file.substr(file.size() - 4), "PAR1");
  uint32_t length = 0;
  std::memcpy(&length, file.data() + file.size() - 8, 4);
  EXPECT_LE(length + 12u, file.size());
  const Status status = DeserializeThrift(
      std::string_view(file).substr(file.size() - 8 - length, length), "footer", &metadata);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return metadata;
}

struct WrittenPage {
  format::PageHeader header;
  int64_t offset = 0;      // of the header
  int64_t total_size = 0;  // header and body
  std::string body;        // decompressed (v2: levels, then values)
};

// Walks the pages of a chunk, checking that they fill exactly the chunk's bytes and
// decompress to the announced size.
inline std::vector<WrittenPage> ReadPages(const std::string& file,
                                          const format::ColumnChunk& chunk) {
  const format::ColumnMetaData& meta = chunk.meta_data;
  const int64_t start =
      meta.__isset.dictionary_page_offset ? meta.dictionary_page_offset : meta.data_page_offset;
  const int64_t end = start + meta.total_compressed_size;
  EXPECT_LE(end, static_cast<int64_t>(file.size()));
  std::vector<WrittenPage> pages;
  int64_t position = start;
  int64_t uncompressed_total = 0;
  while (position < end) {
    WrittenPage page;
    page.offset = position;
    uint32_t consumed = 0;
    const Status status = DeserializeThrift(std::string_view(file).substr(position, end - position),
                                            "page header", &page.header, &consumed);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok()) {
      break;
    }
    const int64_t body_start = position + consumed;
    const std::string_view stored =
        std::string_view(file).substr(body_start, page.header.compressed_page_size);
    int64_t levels_size = 0;
    if (page.header.type == PageType::DATA_PAGE_V2) {
      levels_size = page.header.data_page_header_v2.definition_levels_byte_length +
                    page.header.data_page_header_v2.repetition_levels_byte_length;
    }
    page.body.assign(stored.substr(0, levels_size));
    std::string values(page.header.uncompressed_page_size - levels_size, '\0');
    const bool compressed =
        page.header.type != PageType::DATA_PAGE_V2 || page.header.data_page_header_v2.is_compressed;
    if (compressed) {
      const Status decompressed = Decompress(meta.codec, stored.substr(levels_size),
                                             reinterpret_cast<uint8_t*>(values.data()),
                                             static_cast<int64_t>(values.size()));
      EXPECT_TRUE(decompressed.ok()) << decompressed.ToString();
    } else {
      EXPECT_EQ(stored.size(), page.header.uncompressed_page_size);
      values.assign(stored.substr(levels_size));
    }
    page.body += values;
    page.total_size = consumed + page.header.compressed_page_size;
    uncompressed_total += consumed + page.header.uncompressed_page_size;
    position += page.total_size;
    pages.push_back(std::move(page));
  }
  EXPECT_EQ(position, end);
  EXPECT_EQ(uncompressed_total, meta.total_uncompressed_size);
  return pages;
}

template <typename T>
inline std::string Plain(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

inline std::string WriteOrDie(const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                              const ParquetWriteOptions& options = {}) {
  Result<std::string> file = WriteParquetToString(schema, batches, options);
  SLUICE_CHECK(file.ok(), "write failed: {}", file.status().ToString());
  return *file;
}

inline std::map<std::pair<PageType::type, Encoding::type>, int> EncodingStats(
    const format::ColumnMetaData& meta) {
  std::map<std::pair<PageType::type, Encoding::type>, int> counts;
  for (const format::PageEncodingStats& stats : meta.encoding_stats) {
    counts[{stats.page_type, stats.encoding}] += stats.count;
  }
  return counts;
}

inline SchemaPtr EveryTypeSchema() {
  return MakeSchema({
      MakeField("bool", BooleanType()),
      MakeField("byte", ByteType()),
      MakeField("short", ShortType()),
      MakeField("int", IntType(), false),
      MakeField("long", LongType()),
      MakeField("float", FloatType()),
      MakeField("double", DoubleType()),
      MakeField("dec9", DecimalType(9, 2)),
      MakeField("dec18", DecimalType(18, 4)),
      MakeField("dec38", DecimalType(38, 10)),
      MakeField("string", StringType()),
      MakeField("binary", BinaryType()),
      MakeField("date", DateType()),
      MakeField("ts", TimestampType()),
      MakeField("ts_ntz", TimestampNtzType()),
      MakeField("struct",
                StructType({MakeField("a", IntType()), MakeField("b", StringType(), false)})),
      MakeField("array", ArrayType(LongType(), true)),
      MakeField("array_req", ArrayType(StringType(), false), false),
      MakeField("map", MapType(StringType(), IntType(), true)),
      MakeField("void", NullType()),
      MakeField("variant", VariantType()),
  });
}

// Rows of every type with nulls at every level.
inline std::vector<BatchPtr> EveryTypeBatches(const SchemaPtr& schema) {
  return {
      Rows(schema, R"([
        [true, -128, -32768, -2147483648, -9223372036854775808, -1.5, "NaN", "-9999999.99",
         "-99999999999999.9999", "-9999999999999999999999999999.9999999999", "héllo",
         "\u0000\u00ff", -719162, -62135596800000000, 253402300799999999,
         [1, "x"], [1, null, 3], ["a", "b"], [["k", 1], ["l", null]], null,
         {"a": [1, {"b": null}], "c": "d"}],
        [null, null, null, 0, null, null, null, null, null, null, null, null, null, null, null,
         null, null, [], null, null, null],
        [false, 127, 32767, 2147483647, 9223372036854775807, "Infinity", -0.0, "0.01", "0.0001",
         "1E-10", "", "", 0, 0, 0, [null, ""], [], [], [], null, 12]
      ])"),
      Batch::MakeEmpty(schema),
      Rows(schema, R"([
        [true, 1, 2, 3, 4, 5.5, 6.25, "7.00", "8.0000", "9.0000000000", "text", "bin", 20000,
         1700000000000000, 1700000000000001, [null, "y"], [null], ["c"], [["m", 7]], null,
         "str"]
      ])"),
  };
}

/// Calls `check(options)` for every layout: each of `codecs` x data page v1 and v2 x
/// dictionary on and off x every value encoding, with row groups of 3 rows, under a
/// SCOPED_TRACE naming the layout.
template <typename Check>
void ForEachLayout(const std::vector<Codec>& codecs, Check check) {
  for (const Codec codec : codecs) {
    for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
      for (const bool dictionary : {true, false}) {
        for (const Encoding::type value_encoding :
             {Encoding::PLAIN, Encoding::DELTA_BINARY_PACKED, Encoding::DELTA_LENGTH_BYTE_ARRAY,
              Encoding::DELTA_BYTE_ARRAY, Encoding::BYTE_STREAM_SPLIT, Encoding::RLE}) {
          SCOPED_TRACE(fmt::format("{} v{} dictionary={} {}", CodecName(codec),
                                   version == DataPageVersion::kV1 ? 1 : 2, dictionary,
                                   format::to_string(value_encoding)));
          ParquetWriteOptions options;
          options.compression = codec;
          options.data_page_version = version;
          options.dictionary = dictionary;
          options.value_encoding = value_encoding;
          options.row_group_row_limit = 3;
          check(options);
        }
      }
    }
  }
}

}  // namespace sluice::parquet
