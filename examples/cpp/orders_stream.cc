// SPDX-License-Identifier: Apache-2.0
// A streaming job written against sluice's public API, as it would be in PySpark:
//
//   orders = spark.readStream.format("json").schema(schema).load(input_dir)
//   big = orders.filter(col("total") > 20).select(...)
//   q = (big.writeStream.format("delta").option("checkpointLocation", checkpoint)
//          .trigger(availableNow=True).start(table_dir))
//   q.awaitTermination()
//   spark.read.format("delta").load(table_dir).groupBy("country").count().show()
//
// Usage: orders_stream <orders.ndjson> [work directory]
// The order events are copied into a fresh input directory under the work directory
// (default: a new directory under /tmp, removed at the end).
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace {

using sluice::Status;
using sluice::Trigger;
using namespace sluice::functions;  // NOLINT(build/namespaces)

constexpr const char* kOrderSchema =
    "order_id BIGINT, customer_id STRING, status STRING, order_ts TIMESTAMP, total DOUBLE, "
    "shipping STRUCT<country: STRING, express: BOOLEAN>";

Status Run(const std::string& orders_file, const std::filesystem::path& work) {
  const std::filesystem::path input = work / "input";
  std::filesystem::create_directories(input);
  std::filesystem::copy_file(orders_file, input / "orders-0001.json",
                             std::filesystem::copy_options::overwrite_existing);
  const std::string table = (work / "big_orders").string();
  const std::string checkpoint = (work / "checkpoints" / "big_orders").string();

  SLUICE_ASSIGN_OR_RETURN(sluice::Session spark, sluice::Session::builder()
                                                     .appName("orders_stream")
                                                     .warehouse((work / "warehouse").string())
                                                     .config("spark.sql.session.timeZone", "UTC")
                                                     .getOrCreate());

  // The stream: every JSON file that lands in the input directory.
  sluice::DataFrame orders =
      spark.readStream().format("json").schema(kOrderSchema).load(input.string());
  sluice::DataFrame big =
      orders.filter(col("total") > 20)
          .select("order_id", "status", col("shipping.country").alias("country"), "total");
  std::printf("streaming: %s\n", big.isStreaming() ? "true" : "false");

  // Process what is there now, then stop (trigger availableNow).
  SLUICE_ASSIGN_OR_RETURN(sluice::StreamingQuery query,
                          big.writeStream()
                              .format("delta")
                              .outputMode("append")
                              .option("checkpointLocation", checkpoint)
                              .queryName("big_orders")
                              .trigger(Trigger::AvailableNow())
                              .start(table));
  SLUICE_ASSIGN_OR_RETURN(bool ended, query.awaitTermination());
  (void)ended;
  int64_t input_rows = 0;
  std::vector<sluice::StreamingQueryProgress> progress = query.recentProgress();
  for (const sluice::StreamingQueryProgress& p : progress) {
    input_rows += p.num_input_rows;
  }
  std::printf("query %s read %lld rows in %zu triggers\n", query.name().c_str(),
              static_cast<long long>(input_rows), progress.size());

  // Read the table back, as a batch DataFrame and through SQL.
  sluice::DataFrame written = spark.read().format("delta").load(table);
  SLUICE_ASSIGN_OR_RETURN(int64_t rows, written.count());
  std::printf("orders over 20: %lld\n", static_cast<long long>(rows));
  SLUICE_RETURN_IF_ERROR(written.groupBy("country").count().orderBy("country").show());
  SLUICE_ASSIGN_OR_RETURN(
      sluice::DataFrame by_status,
      spark.sql("SELECT status, count(*) AS orders, round(sum(total), 2) AS revenue FROM delta.`" +
                table + "` GROUP BY status ORDER BY status"));
  return by_status.show();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <orders.ndjson> [work directory]\n", argv[0]);
    return 2;
  }
  std::filesystem::path work;
  const bool temporary = argc < 3;
  if (temporary) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sluice-orders-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    work = pattern;
  } else {
    work = argv[2];
  }
  const Status status = Run(argv[1], work);
  if (temporary) {
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "Error: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
