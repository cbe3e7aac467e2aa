// SPDX-License-Identifier: Apache-2.0
#include "exec/basic_ops.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "expr/evaluator.h"

namespace sluice::exec {

BatchPtr WithSchema(const SchemaPtr& schema, const BatchPtr& batch) {
  if (batch->schema() == schema) {
    return batch;
  }
  return std::make_shared<const Batch>(schema, batch->columns(), batch->num_rows());
}

namespace {

class BatchSource final : public Source {
 public:
  BatchSource(std::string name, SchemaPtr schema, std::shared_ptr<MaterializedRows> rows,
              bool ordered)
      : name_(std::move(name)),
        schema_(std::move(schema)),
        rows_(std::move(rows)),
        ordered_(ordered) {}
  std::string name() const override { return name_; }

  Result<int64_t> Prepare(ExecContext& /*ctx*/) override {
    // Split big batches so that the next pipeline's threads share the work.
    std::vector<BatchPtr> slices;
    for (const BatchPtr& batch : rows_->batches) {
      for (int64_t start = 0; start < batch->num_rows(); start += kDefaultBatchRows) {
        slices.push_back(
            batch->Slice(start, std::min(kDefaultBatchRows, batch->num_rows() - start)));
      }
    }
    rows_->batches = std::move(slices);
    if (ordered_) {
      return rows_->batches.empty() ? 0 : 1;
    }
    return static_cast<int64_t>(rows_->batches.size());
  }

  Status RunTask(ExecContext& /*ctx*/, int64_t task, const Emit& emit) const override {
    if (!ordered_) {
      return emit(WithSchema(schema_, rows_->batches[task]));
    }
    for (const BatchPtr& batch : rows_->batches) {
      SLUICE_RETURN_IF_ERROR(emit(WithSchema(schema_, batch)));
    }
    return Status::Ok();
  }

 private:
  std::string name_;
  SchemaPtr schema_;
  std::shared_ptr<MaterializedRows> rows_;
  bool ordered_;
};

class FilterOperator final : public Operator {
 public:
  explicit FilterOperator(expr::ExprPtr predicate) : predicate_(std::move(predicate)) {}
  std::string name() const override { return "Filter"; }
  Status Execute(ExecContext& ctx, OperatorState* /*state*/, const BatchPtr& input,
                 const Emit& emit) const override {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr mask, expr::Evaluate(*predicate_, *input, ctx.options.eval));
    SLUICE_ASSIGN_OR_RETURN(BatchPtr output, expr::FilterBatch(*input, *mask));
    return emit(WithSchema(input->schema(), output));
  }

 private:
  expr::ExprPtr predicate_;
};

/// A filter followed by a projection of plain columns: only the projected columns are
/// copied into the filtered batch.
class FilterProjectOperator final : public Operator {
 public:
  FilterProjectOperator(expr::ExprPtr predicate, SchemaPtr schema, std::vector<int> columns)
      : predicate_(std::move(predicate)),
        schema_(std::move(schema)),
        columns_(std::move(columns)) {}
  std::string name() const override { return "FilterProject"; }
  Status Execute(ExecContext& ctx, OperatorState* /*state*/, const BatchPtr& input,
                 const Emit& emit) const override {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr mask, expr::Evaluate(*predicate_, *input, ctx.options.eval));
    std::vector<VectorPtr> columns;
    columns.reserve(columns_.size());
    for (int index : columns_) {
      columns.push_back(input->column(index));
    }
    const Batch projected(schema_, std::move(columns), input->num_rows());
    SLUICE_ASSIGN_OR_RETURN(BatchPtr output, expr::FilterBatch(projected, *mask));
    return emit(output);
  }

 private:
  expr::ExprPtr predicate_;
  SchemaPtr schema_;
  std::vector<int> columns_;
};

class ProjectOperator final : public Operator {
 public:
  ProjectOperator(SchemaPtr schema, std::vector<expr::ExprPtr> exprs)
      : schema_(std::move(schema)), exprs_(std::move(exprs)) {}
  std::string name() const override { return "Project"; }
  Status Execute(ExecContext& ctx, OperatorState* /*state*/, const BatchPtr& input,
                 const Emit& emit) const override {
    std::vector<VectorPtr> columns;
    columns.reserve(exprs_.size());
    for (const expr::ExprPtr& e : exprs_) {
      if (e->kind() == expr::ExprKind::kColumn) {
        columns.push_back(input->column(e->column_index()));
        continue;
      }
      SLUICE_ASSIGN_OR_RETURN(VectorPtr column, expr::Evaluate(*e, *input, ctx.options.eval));
      columns.push_back(std::move(column));
    }
    return emit(std::make_shared<const Batch>(schema_, std::move(columns), input->num_rows()));
  }

 private:
  SchemaPtr schema_;
  std::vector<expr::ExprPtr> exprs_;
};

class RelabelOperator final : public Operator {
 public:
  explicit RelabelOperator(SchemaPtr schema) : schema_(std::move(schema)) {}
  std::string name() const override { return "Relabel"; }
  Status Execute(ExecContext& /*ctx*/, OperatorState* /*state*/, const BatchPtr& input,
                 const Emit& emit) const override {
    return emit(WithSchema(schema_, input));
  }

 private:
  SchemaPtr schema_;
};

class LimitOperator final : public Operator {
 public:
  LimitOperator(std::optional<int64_t> limit, int64_t offset) : limit_(limit), offset_(offset) {}
  std::string name() const override { return "Limit"; }

  Status Execute(ExecContext& /*ctx*/, OperatorState* /*state*/, const BatchPtr& input,
                 const Emit& emit) const override {
    int64_t begin = 0;
    int64_t end = input->num_rows();
    {
      std::lock_guard<std::mutex> lock(mu_);
      const int64_t skip = std::min(offset_ - skipped_, end);
      skipped_ += skip;
      begin = skip;
      if (limit_.has_value()) {
        end = std::min(end, begin + (*limit_ - emitted_));
        emitted_ += end - begin;
        if (emitted_ >= *limit_) {
          done_.store(true, std::memory_order_relaxed);
        }
      }
    }
    if (end <= begin) {
      return Status::Ok();
    }
    return emit(begin == 0 && end == input->num_rows() ? input : input->Slice(begin, end - begin));
  }

  bool Done() const override { return done_.load(std::memory_order_relaxed); }

 private:
  std::optional<int64_t> limit_;
  int64_t offset_;
  mutable std::mutex mu_;
  mutable int64_t skipped_ = 0;  // guarded by mu_
  mutable int64_t emitted_ = 0;  // guarded by mu_
  // Relaxed: only a hint to stop reading; the counts are under mu_.
  mutable std::atomic<bool> done_{false};
};

}  // namespace

std::shared_ptr<Source> MakeBatchSource(std::string name, SchemaPtr schema,
                                        std::shared_ptr<MaterializedRows> rows, bool ordered) {
  return std::make_shared<BatchSource>(std::move(name), std::move(schema), std::move(rows),
                                       ordered);
}

std::shared_ptr<const Operator> MakeFilter(expr::ExprPtr predicate) {
  return std::make_shared<FilterOperator>(std::move(predicate));
}

std::shared_ptr<const Operator> MakeFilterProject(expr::ExprPtr predicate, SchemaPtr schema,
                                                  std::vector<int> columns) {
  return std::make_shared<FilterProjectOperator>(std::move(predicate), std::move(schema),
                                                 std::move(columns));
}

std::shared_ptr<const Operator> MakeProject(SchemaPtr schema, std::vector<expr::ExprPtr> exprs) {
  return std::make_shared<ProjectOperator>(std::move(schema), std::move(exprs));
}

std::shared_ptr<const Operator> MakeRelabel(SchemaPtr schema) {
  return std::make_shared<RelabelOperator>(std::move(schema));
}

std::shared_ptr<const Operator> MakeLimit(std::optional<int64_t> limit, int64_t offset) {
  return std::make_shared<LimitOperator>(limit, offset);
}

struct ResultCollector::Local final : SinkState {
  int pipeline = 0;
  int64_t task = 0;
  int64_t seq = 0;
  std::vector<Entry> entries;
};

Result<std::unique_ptr<SinkState>> ResultCollector::MakeLocalState(ExecContext& /*ctx*/) const {
  return std::unique_ptr<SinkState>(std::make_unique<Local>());
}

void ResultCollector::StartTask(SinkState& local, int pipeline, int64_t task) const {
  auto& state = static_cast<Local&>(local);
  state.pipeline = pipeline;
  state.task = task;
  state.seq = 0;
}

Status ResultCollector::Consume(ExecContext& /*ctx*/, SinkState& local, const BatchPtr& batch,
                                int /*input*/) const {
  auto& state = static_cast<Local&>(local);
  state.entries.push_back({state.pipeline, state.task, state.seq++, WithSchema(schema_, batch)});
  return Status::Ok();
}

Status ResultCollector::Combine(ExecContext& /*ctx*/, SinkState& local) const {
  auto& state = static_cast<Local&>(local);
  std::lock_guard<std::mutex> lock(mu_);
  for (Entry& entry : state.entries) {
    entries_.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status ResultCollector::Finalize(ExecContext& /*ctx*/) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.pipeline != b.pipeline)
      return a.pipeline < b.pipeline;
    if (a.task != b.task)
      return a.task < b.task;
    return a.seq < b.seq;
  });
  return Status::Ok();
}

std::vector<BatchPtr> ResultCollector::TakeBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<BatchPtr> batches;
  batches.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    batches.push_back(entry.batch);
  }
  return batches;
}

}  // namespace sluice::exec
