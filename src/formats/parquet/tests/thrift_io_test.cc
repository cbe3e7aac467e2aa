// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/thrift_io.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice::parquet {
namespace {

TEST(ThriftIoTest, RoundTripsAPageHeader) {
  format::PageHeader header;
  header.__set_type(format::PageType::DATA_PAGE);
  header.__set_uncompressed_page_size(100);
  header.__set_compressed_page_size(60);
  format::DataPageHeader data;
  data.__set_num_values(7);
  data.__set_encoding(format::Encoding::RLE_DICTIONARY);
  data.__set_definition_level_encoding(format::Encoding::RLE);
  data.__set_repetition_level_encoding(format::Encoding::RLE);
  header.__set_data_page_header(data);

  std::string bytes;
  ASSERT_TRUE(SerializeThrift(header, &bytes).ok());
  const size_t header_size = bytes.size();
  bytes += "page bytes that follow";

  format::PageHeader decoded;
  uint32_t consumed = 0;
  ASSERT_TRUE(DeserializeThrift(bytes, "page header", &decoded, &consumed).ok());
  EXPECT_EQ(consumed, header_size);
  EXPECT_EQ(decoded, header);
}

TEST(ThriftIoTest, TruncatedInputIsCorruptionNamingWhatWasRead) {
  format::FileMetaData metadata;
  metadata.__set_version(1);
  metadata.__set_num_rows(3);
  format::SchemaElement root;
  root.__set_name("spark_schema");
  root.__set_num_children(0);
  metadata.__set_schema({root});
  std::string bytes;
  ASSERT_TRUE(SerializeThrift(metadata, &bytes).ok());

  format::FileMetaData decoded;
  Status status = DeserializeThrift(std::string_view(bytes).substr(0, bytes.size() / 2),
                                    "file footer", &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("invalid file footer"), std::string::npos) << status.ToString();
}

TEST(ThriftIoTest, HugeDeclaredListIsRejectedWithoutAllocating) {
  // Field 2 (schema), type list; list header: size > 14 so 0xF in the high nibble,
  // element type struct (0xC), then a varint element count of about 2^31.
  const std::string bytes = std::string("\x15\x02\x19\xFC\xFF\xFF\xFF\xFF\x07", 9);
  format::FileMetaData decoded;
  Status status = DeserializeThrift(bytes, "file footer", &decoded);
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
}

TEST(ThriftIoTest, OutOfRangeEnumValuesAreDefinedBehaviour) {
  // A column index whose boundary_order (field 4, i32) is 77, not one of 0..2. Copying
  // the struct loads the value; with a fixed underlying type that is defined (UBSan
  // aborts this test otherwise), and readers can see and reject the value.
  format::ColumnIndex index;
  index.__set_null_pages({false});
  index.__set_min_values({"a"});
  index.__set_max_values({"b"});
  index.__set_boundary_order(format::BoundaryOrder::ASCENDING);
  std::string bytes;
  ASSERT_TRUE(SerializeThrift(index, &bytes).ok());
  // The compact protocol writes ASCENDING (1) as the zigzag varint 2: find the field
  // header of i32 field 4 (delta 1 from field 3, type 5 = 0x15) followed by 0x02.
  const size_t at = bytes.find(std::string("\x15\x02", 2));
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = static_cast<char>(154);  // zigzag varint of 77, continued...
  bytes.insert(at + 2, 1, '\x01');         // ...into a second byte
  format::ColumnIndex decoded;
  ASSERT_TRUE(DeserializeThrift(bytes, "column index", &decoded).ok());
  const format::ColumnIndex copy = decoded;
  EXPECT_EQ(static_cast<int>(copy.boundary_order), 77);
}

}  // namespace
}  // namespace sluice::parquet
