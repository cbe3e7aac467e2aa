// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exec/pipeline.h"
#include "expr/expression.h"

/// The simple operators: values and materialized sources, filter, project, limit, and
/// the sink collecting a query's result.
namespace sluice::exec {

/// Returns `batch` with `schema` (same columns; the names or nullability may differ).
BatchPtr WithSchema(const SchemaPtr& schema, const BatchPtr& batch);

/// Rows a sink materialized for the pipeline reading them. Written by the sink's
/// Finalize, read after it (the pipeline runner orders the two).
struct MaterializedRows {
  std::vector<BatchPtr> batches;
};

/// A source over fixed batches: one task per batch, or a single task (ordered: the rows
/// of an ORDER BY must reach the next operator in order).
std::shared_ptr<Source> MakeBatchSource(std::string name, SchemaPtr schema,
                                        std::shared_ptr<MaterializedRows> rows, bool ordered);

std::shared_ptr<const Operator> MakeFilter(expr::ExprPtr predicate);
std::shared_ptr<const Operator> MakeProject(SchemaPtr schema, std::vector<expr::ExprPtr> exprs);
/// Filter by `predicate`, keeping only input columns `columns` (the output `schema`).
std::shared_ptr<const Operator> MakeFilterProject(expr::ExprPtr predicate, SchemaPtr schema,
                                                  std::vector<int> columns);
/// Gives every batch `schema` (a UNION ALL input takes the first input's names).
std::shared_ptr<const Operator> MakeRelabel(SchemaPtr schema);
/// LIMIT/OFFSET over the rows of every thread: once the limit is reached, Done() stops
/// the sources.
std::shared_ptr<const Operator> MakeLimit(std::optional<int64_t> limit, int64_t offset);

/// Collects the query's output, ordered by (pipeline, task, batch): the same order for
/// any number of threads.
class ResultCollector final : public Sink {
 public:
  explicit ResultCollector(SchemaPtr schema) : schema_(std::move(schema)) {}
  std::string name() const override { return "Result"; }
  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override;
  void StartTask(SinkState& local, int pipeline, int64_t task) const override;
  Status Consume(ExecContext& ctx, SinkState& local, const BatchPtr& batch,
                 int input) const override;
  Status Combine(ExecContext& ctx, SinkState& local) const override;
  Status Finalize(ExecContext& ctx) const override;

  /// The batches, after Finalize.
  std::vector<BatchPtr> TakeBatches() const;

 private:
  struct Entry {
    int pipeline;
    int64_t task;
    int64_t seq;
    BatchPtr batch;
  };
  struct Local;
  SchemaPtr schema_;
  mutable std::mutex mu_;
  mutable std::vector<Entry> entries_;  // guarded by mu_
};

}  // namespace sluice::exec
