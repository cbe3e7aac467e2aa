// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "columnar/builder.h"
#include "columnar/printer.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/tests/writer_fixtures.h"
#include "formats/parquet/writer.h"

// Files the writer writes, read back by ParquetReader.

namespace sluice::parquet {
namespace {

// Returns every cell of `batches` as Spark's show() prints it, row by row.
std::vector<std::string> Cells(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> cells;
  for (const BatchPtr& batch : batches) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::string line;
      for (int i = 0; i < batch->num_columns(); ++i) {
        line += FormatCell(*batch->column(i), row) + " | ";
      }
      cells.push_back(std::move(line));
    }
  }
  return cells;
}

// Writes `batches` into `*file`, reads them back with ParquetReader and expects the
// same types and values.
void ExpectRoundTrip(const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
                     const ParquetWriteOptions& options, std::string* file_out = nullptr) {
  const std::string file = WriteOrDie(schema, batches, options);
  if (file_out != nullptr) {
    *file_out = file;
  }
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(
      MakeBufferFile("round_trip.parquet", std::make_shared<const std::string>(file)));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_EQ((*reader)->schema()->num_fields(), schema->num_fields());
  for (int i = 0; i < schema->num_fields(); ++i) {
    EXPECT_EQ((*reader)->schema()->field(i).type->ToString(), schema->field(i).type->ToString());
  }
  Result<std::vector<BatchPtr>> read = (*reader)->ReadAll();
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  const std::vector<std::string> expected = Cells(batches);
  const std::vector<std::string> actual = Cells(*read);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t row = 0; row < expected.size(); ++row) {
    ASSERT_EQ(actual[row], expected[row]) << "row " << row;
  }
}

TEST(WriterRoundTripTest, RoundTripsEveryTypeThroughTheReaderWithEveryLayout) {
  const SchemaPtr schema = EveryTypeSchema();
  const std::vector<BatchPtr> batches = EveryTypeBatches(schema);
  ForEachLayout(
      {format::CompressionCodec::UNCOMPRESSED, format::CompressionCodec::SNAPPY,
       format::CompressionCodec::ZSTD},
      [&](const ParquetWriteOptions& options) { ExpectRoundTrip(schema, batches, options); });
}

// Deterministic rows with nulls and containers of every size, built without JSON.
std::vector<BatchPtr> GeneratedNestedBatches(const SchemaPtr& schema, int64_t rows) {
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<BatchPtr> batches;
  BatchBuilder builder(schema);
  for (int64_t row = 0; row < rows; ++row) {
    auto* id = static_cast<Int64Builder*>(builder.column(0));
    id->Append(row);
    auto* text = static_cast<StringBuilder*>(builder.column(1));
    if (next() % 7 == 0) {
      text->AppendNull();
    } else {
      text->Append(fmt::format("value-{}", next() % (row < rows / 2 ? 50 : 100000)));
    }
    auto* items = static_cast<ArrayBuilder*>(builder.column(2));
    if (next() % 9 == 0) {
      items->AppendNull();
    } else {
      auto* item = static_cast<StructBuilder*>(items->element());
      const uint64_t count = next() % 4;
      for (uint64_t k = 0; k < count; ++k) {
        if (next() % 5 == 0) {
          item->AppendNull();
          continue;
        }
        static_cast<Int32Builder*>(item->child(0))->Append(static_cast<int32_t>(next() % 1000));
        auto* tags = static_cast<ArrayBuilder*>(item->child(1));
        const uint64_t tag_count = next() % 3;
        for (uint64_t t = 0; t < tag_count; ++t) {
          static_cast<StringBuilder*>(tags->element())->Append(fmt::format("t{}", next() % 20));
        }
        tags->Append();
        item->Append();
      }
      items->Append();
    }
    auto* map = static_cast<MapBuilder*>(builder.column(3));
    if (next() % 6 == 0) {
      map->AppendNull();
    } else {
      const uint64_t count = next() % 3;
      for (uint64_t k = 0; k < count; ++k) {
        static_cast<StringBuilder*>(map->keys())->Append(fmt::format("k{}", k));
        if (next() % 4 == 0) {
          map->values()->AppendNull();
        } else {
          static_cast<DoubleBuilder*>(map->values())->Append(static_cast<double>(next() % 997) / 8);
        }
      }
      map->Append();
    }
    if (builder.num_rows() == 1500) {
      batches.push_back(builder.Finish());
    }
  }
  batches.push_back(builder.Finish());
  return batches;
}

TEST(WriterRoundTripTest, RoundTripsManyNestedRowsAcrossPagesRowGroupsAndFallbacks) {
  const SchemaPtr schema = MakeSchema({
      MakeField("id", LongType(), false),
      MakeField("text", StringType()),
      MakeField("items", ArrayType(StructType({MakeField("n", IntType()),
                                               MakeField("tags", ArrayType(StringType()))}))),
      MakeField("map", MapType(StringType(), DoubleType())),
  });
  const std::vector<BatchPtr> batches = GeneratedNestedBatches(schema, 20000);
  for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    ParquetWriteOptions options;
    options.data_page_version = version;
    options.data_page_size = 2048;
    options.dictionary_page_size_limit = 4096;
    options.row_group_size = 64 * 1024;
    std::string file;
    ExpectRoundTrip(schema, batches, options, &file);
    // The layout did what the test is about: several row groups, many pages, and a
    // dictionary that fell back to PLAIN for the text column of the later rows.
    const format::FileMetaData metadata = ReadFooter(file);
    EXPECT_GT(metadata.row_groups.size(), 3u);
    const auto stats =
        EncodingStats(metadata.row_groups[metadata.row_groups.size() - 2].columns[1].meta_data);
    const PageType::type data_page =
        version == DataPageVersion::kV1 ? PageType::DATA_PAGE : PageType::DATA_PAGE_V2;
    EXPECT_GT(stats.count({data_page, Encoding::PLAIN}), 0u);
    EXPECT_GT(stats.count({data_page, Encoding::RLE_DICTIONARY}), 0u);
    EXPECT_GT(ReadPages(file, metadata.row_groups[0].columns[2]).size(), 3u);
  }
}

TEST(WriterRoundTripTest, RoundTripsDictionaryIndicesOfMixedRunsAndLiterals) {
  // Runs of every length from 1 to 40 (some long enough for RLE, some split by the
  // literal groups around them) of a few dozen distinct values, with nulls in between.
  const SchemaPtr schema = MakeSchema({MakeField("s", StringType()), MakeField("n", IntType())});
  BatchBuilder builder(schema);
  uint64_t state = 12345;
  int64_t rows = 0;
  while (rows < 30000) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const int64_t run = 1 + static_cast<int64_t>((state >> 33) % 40);
    const auto value = static_cast<int32_t>((state >> 20) % 37);
    for (int64_t k = 0; k < run; ++k, ++rows) {
      if ((state >> 50) % 13 == 0 && k == run / 2) {
        builder.column(0)->AppendNull();
        builder.column(1)->AppendNull();
        continue;
      }
      static_cast<StringBuilder*>(builder.column(0))->Append(fmt::format("v{}", value));
      static_cast<Int32Builder*>(builder.column(1))->Append(value);
    }
  }
  const BatchPtr batch = builder.Finish();
  for (const DataPageVersion version : {DataPageVersion::kV1, DataPageVersion::kV2}) {
    ParquetWriteOptions options;
    options.data_page_version = version;
    options.data_page_row_limit = 7000;
    std::string file;
    ExpectRoundTrip(schema, {batch}, options, &file);
    const format::FileMetaData metadata = ReadFooter(file);
    const PageType::type data_page =
        version == DataPageVersion::kV1 ? PageType::DATA_PAGE : PageType::DATA_PAGE_V2;
    for (const format::ColumnChunk& chunk : metadata.row_groups[0].columns) {
      EXPECT_EQ(EncodingStats(chunk.meta_data).at({data_page, Encoding::RLE_DICTIONARY}), 5);
    }
  }
}

}  // namespace
}  // namespace sluice::parquet
