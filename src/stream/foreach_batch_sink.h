// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "stream/factory.h"
#include "stream/sink.h"
#include "types/data_type.h"

/// The foreachBatch sink (Spark's ForeachBatchSink, writeStream.foreachBatch(f)): hands
/// each micro-batch's rows and id to user code.
namespace sluice::stream {

/// Calls the user's function once per micro-batch with (schema, rows, batch id).
///
/// At-least-once: after a crash between the call and the commit log entry, the batch is
/// re-run and the function is called again with the same batch id and the same rows.
/// Make the function idempotent per batch id for exactly-once, e.g. write to Delta with
/// WriteOptions txn_app_id / txn_version (Spark's txnAppId / txnVersion) set to a stable
/// id and the batch id. An error returned by the function fails the batch (and the
/// query); the batch is not committed.
class ForeachBatchSink final : public StreamSink {
 public:
  explicit ForeachBatchSink(ForeachBatchFunction function);

  /// From writeStream settings; kInvalidArgument without a function.
  static Result<std::unique_ptr<ForeachBatchSink>> Make(const SinkSpec& spec);

  std::string Description() const override { return "ForeachBatchSink"; }
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override;

 private:
  ForeachBatchFunction function_;
};

}  // namespace sluice::stream
