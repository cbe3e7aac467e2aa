// SPDX-License-Identifier: Apache-2.0
#include "stream/memory_sink.h"

#include <utility>

namespace sluice::stream {

MemoryTable::MemoryTable(std::string name, SchemaPtr schema)
    : name_(std::move(name)),
      data_(std::make_shared<const sql::InMemoryRelation>(
          sql::InMemoryRelation{std::move(schema), {}})) {}

std::shared_ptr<const sql::InMemoryRelation> MemoryTable::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return data_;
}

std::optional<int64_t> MemoryTable::last_batch_id() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_batch_id_;
}

bool MemoryTable::Add(int64_t batch_id, const SchemaPtr& schema,
                      const std::vector<BatchPtr>& batches, bool replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (last_batch_id_.has_value() && batch_id <= *last_batch_id_) {
    return false;
  }
  sql::InMemoryRelation next;
  next.schema = schema != nullptr ? schema : data_->schema;
  if (!replace) {
    next.batches = data_->batches;
  }
  for (const BatchPtr& batch : batches) {
    if (batch->num_rows() > 0) {
      next.batches.push_back(batch);
    }
  }
  data_ = std::make_shared<const sql::InMemoryRelation>(std::move(next));
  last_batch_id_ = batch_id;
  return true;
}

void MemoryTable::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  data_ = std::make_shared<const sql::InMemoryRelation>(sql::InMemoryRelation{data_->schema, {}});
}

MemorySink::MemorySink(std::string query_name)
    : table_(std::make_shared<MemoryTable>(std::move(query_name))) {}

Result<std::unique_ptr<MemorySink>> MemorySink::Make(const SinkSpec& spec) {
  if (spec.query_name.empty()) {
    return Status::InvalidArgument("queryName must be specified for memory sink");
  }
  return std::make_unique<MemorySink>(spec.query_name);
}

Status MemorySink::Open(const SinkContext& context) {
  output_mode_ = context.output_mode;
  return Status::Ok();
}

Status MemorySink::AddBatch(int64_t batch_id, const SchemaPtr& schema,
                            const std::vector<BatchPtr>& data) {
  table_->Add(batch_id, schema, data, output_mode_ == OutputMode::kComplete);
  return Status::Ok();
}

}  // namespace sluice::stream
