// SPDX-License-Identifier: Apache-2.0
#include "stream/foreach_batch_sink.h"

#include <utility>

namespace sluice::stream {

ForeachBatchSink::ForeachBatchSink(ForeachBatchFunction function)
    : function_(std::move(function)) {}

Result<std::unique_ptr<ForeachBatchSink>> ForeachBatchSink::Make(const SinkSpec& spec) {
  if (!spec.foreach_batch) {
    return Status::InvalidArgument("foreachBatch() needs a function (SinkSpec.foreach_batch)");
  }
  return std::make_unique<ForeachBatchSink>(spec.foreach_batch);
}

Status ForeachBatchSink::AddBatch(int64_t batch_id, const SchemaPtr& schema,
                                  const std::vector<BatchPtr>& data) {
  return function_(schema, data, batch_id);
}

}  // namespace sluice::stream
