// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the Parquet reader: any bytes open and read as a Parquet file
// either succeed or fail with a Status; never a crash, a sanitizer report or an
// allocation beyond the limits. What reads is read again with a filter on its first
// column (page skipping over hostile page indexes: never more rows than without), and
// written back with the writer, which must read again with the same schema and row
// count. Seeds: the Parquet files under
// ../shared/testdata (see CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/check.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"

namespace {

using sluice::BatchPtr;
using sluice::Result;
using sluice::parquet::MakeBufferFile;
using sluice::parquet::ParquetReader;
using sluice::parquet::ParquetReadOptions;

/// Reads every row group; returns the batches, or null when the file is rejected.
std::unique_ptr<std::vector<BatchPtr>> ReadAll(std::shared_ptr<const std::string> bytes,
                                               sluice::SchemaPtr* schema,
                                               sluice::parquet::PredicatePtr filter = nullptr) {
  ParquetReadOptions options;
  options.filter = std::move(filter);
  // Small limits: the fuzzer must not spend its memory on one huge (claimed) page.
  options.limits.max_page_bytes = 16 << 20;
  options.limits.max_dictionary_values = 1 << 20;
  options.limits.max_chunk_values = 1 << 22;
  Result<std::unique_ptr<ParquetReader>> reader =
      ParquetReader::Open(MakeBufferFile("fuzz.parquet", std::move(bytes)), options);
  if (!reader.ok())
    return nullptr;
  *schema = (*reader)->schema();
  Result<std::vector<BatchPtr>> batches = (*reader)->ReadAll();
  if (!batches.ok())
    return nullptr;
  return std::make_unique<std::vector<BatchPtr>>(std::move(*batches));
}

int64_t CountRows(const std::vector<BatchPtr>& batches) {
  int64_t rows = 0;
  for (const BatchPtr& batch : batches)
    rows += batch->num_rows();
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sluice::SchemaPtr schema;
  const auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
  auto batches = ReadAll(bytes, &schema);
  if (batches == nullptr)
    return 0;
  if (schema->num_fields() > 0) {
    sluice::SchemaPtr filtered_schema;
    auto filtered =
        ReadAll(bytes, &filtered_schema, sluice::parquet::IsNotNull(schema->field(0).name));
    // The same file read before, so it reads again; the filter only drops rows.
    SLUICE_CHECK(filtered != nullptr, "a file that reads fails with a filter");
    SLUICE_CHECK(CountRows(*filtered) <= CountRows(*batches), "a filter added rows");
  }
  Result<std::string> written = sluice::parquet::WriteParquetToString(schema, *batches);
  if (!written.ok())
    return 0;  // e.g. a value the writer refuses (a null in a required field)
  sluice::SchemaPtr reread_schema;
  auto reread = ReadAll(std::make_shared<const std::string>(std::move(*written)), &reread_schema);
  SLUICE_CHECK(reread != nullptr, "a file sluice wrote does not read back");
  SLUICE_CHECK(reread_schema->Equals(*schema), "schema changed on a round trip");
  SLUICE_CHECK(CountRows(*reread) == CountRows(*batches), "row count changed on a round trip");
  return 0;
}
