// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "sql/binder.h"
#include "stream/factory.h"
#include "stream/sink.h"
#include "types/data_type.h"

/// The memory sink (Spark's MemorySink, writeStream.format("memory")): the query's
/// output kept in memory as a table named by queryName, for tests and notebooks.
namespace sluice::stream {

/// The rows a memory sink holds, shared with the engine, which registers the table under
/// the query's name. Thread-safe: the query's driver writes while sessions read.
class MemoryTable {
 public:
  /// `schema` may be null: it is then set by the first batch.
  explicit MemoryTable(std::string name, SchemaPtr schema = nullptr);

  /// The queryName the table is registered under.
  const std::string& name() const { return name_; }
  /// A consistent copy of the rows at this moment (later batches do not change it).
  /// Its schema is null until the schema is known (from the constructor or a batch).
  std::shared_ptr<const sql::InMemoryRelation> Snapshot() const;
  /// The id of the last batch added; nullopt before the first.
  std::optional<int64_t> last_batch_id() const;

  /// Adds batch `batch_id`'s rows (replacing every row when `replace`, as complete mode
  /// does). Ignores (returns false) a batch id <= the last one added: a replay.
  bool Add(int64_t batch_id, const SchemaPtr& schema, const std::vector<BatchPtr>& batches,
           bool replace);
  /// Removes every row (Spark's MemorySink.clear()).
  void Clear();

 private:
  const std::string name_;
  mutable std::mutex mutex_;
  /// Replaced (copy on write) by every change, so a snapshot is just this pointer.
  std::shared_ptr<const sql::InMemoryRelation> data_;
  std::optional<int64_t> last_batch_id_;
};

/// Writes micro-batches into a MemoryTable: append and update modes add the batch's
/// rows, complete mode replaces them. Idempotent per batch id, as Spark's MemorySink: a
/// replayed batch id <= the last one added is ignored. Description "MemorySink".
class MemorySink final : public StreamSink {
 public:
  explicit MemorySink(std::string query_name);

  /// From writeStream settings; kInvalidArgument without a queryName (Spark's
  /// "queryName must be specified for memory sink").
  static Result<std::unique_ptr<MemorySink>> Make(const SinkSpec& spec);

  /// The table, to register before the sink goes to the driver.
  std::shared_ptr<MemoryTable> table() const { return table_; }

  std::string Description() const override { return "MemorySink"; }
  Status Open(const SinkContext& context) override;
  Status AddBatch(int64_t batch_id, const SchemaPtr& schema,
                  const std::vector<BatchPtr>& data) override;

 private:
  std::shared_ptr<MemoryTable> table_;
  OutputMode output_mode_ = OutputMode::kAppend;
};

}  // namespace sluice::stream
