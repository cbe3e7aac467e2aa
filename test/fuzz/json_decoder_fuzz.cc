// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the JSON reader: any bytes decode as NDJSON against a fixed nested
// schema in PERMISSIVE without failing, as one message through DecodeRecord, and through
// schema inference (whose schema must then read the same bytes); what the writer makes
// of the rows reads back as as many rows. Never a crash, never an error in PERMISSIVE.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "formats/json/json_decoder.h"
#include "formats/json/json_infer.h"
#include "formats/json/json_writer.h"
#include "types/data_type.h"

namespace {

sluice::SchemaPtr FixedSchema() {
  using namespace sluice;  // NOLINT(build/namespaces)
  static const SchemaPtr schema = MakeSchema({
      MakeField("id", LongType()),
      MakeField("name", StringType()),
      MakeField("score", DoubleType()),
      MakeField("ok", BooleanType()),
      MakeField("small", ShortType()),
      MakeField("amount", DecimalType(12, 3)),
      MakeField("day", DateType()),
      MakeField("at", TimestampType()),
      MakeField("blob", BinaryType()),
      MakeField("tags", ArrayType(StringType())),
      MakeField("attrs", MapType(StringType(), LongType())),
      MakeField(
          "nested",
          StructType({MakeField("a", IntType()),
                      MakeField("list", ArrayType(StructType({MakeField("x", FloatType())})))})),
      MakeField("_corrupt_record", StringType()),
  });
  return schema;
}

int64_t CountRows(const std::vector<sluice::BatchPtr>& batches) {
  int64_t rows = 0;
  for (const auto& batch : batches) {
    rows += batch->num_rows();
  }
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  sluice::json::JsonReadOptions options;
  options.batch_rows = 7;  // small batches: exercise batch boundaries too

  auto decoder = sluice::json::JsonDecoder::Make(FixedSchema(), options);
  SLUICE_CHECK(decoder.ok(), "{}", decoder.status().ToString());
  std::vector<sluice::BatchPtr> batches;
  const sluice::Status status = (*decoder)->DecodeNdjson(input, [&](sluice::BatchPtr batch) {
    batches.push_back(std::move(batch));
    return sluice::Status::Ok();
  });
  SLUICE_CHECK(status.ok(), "PERMISSIVE decode failed: {}", status.ToString());
  const sluice::ReadStats& stats = (*decoder)->stats();
  SLUICE_CHECK(CountRows(batches) >= stats.malformed_records, "fewer rows than malformed records");

  // Written rows read back as as many rows.
  std::string written;
  for (const auto& batch : batches) {
    written += sluice::json::WriteJson(*batch);
  }
  auto again = sluice::json::ReadJson(written, FixedSchema(), options);
  SLUICE_CHECK(again.ok(), "re-reading written JSON failed: {}", again.status().ToString());
  SLUICE_CHECK(CountRows(*again) == CountRows(batches), "{} rows written, {} read back",
               CountRows(batches), CountRows(*again));

  // The whole input as one message.
  SLUICE_CHECK((*decoder)->DecodeRecord(input).ok(), "DecodeRecord failed in PERMISSIVE");
  (*decoder)->Flush();

  // Inference, then a read with the inferred schema.
  auto schema = sluice::json::InferJsonSchema(input, options);
  SLUICE_CHECK(schema.ok(), "PERMISSIVE inference failed: {}", schema.status().ToString());
  auto inferred = sluice::json::ReadJson(input, *schema, options);
  SLUICE_CHECK(inferred.ok(), "read with the inferred schema failed: {}",
               inferred.status().ToString());

  // The syntax check never crashes either.
  sluice::json::ValidateJson(input).IgnoreError();  // any outcome is fine here
  return 0;
}
