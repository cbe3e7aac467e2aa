// SPDX-License-Identifier: Apache-2.0
#include "exec/sort.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "columnar/concat.h"
#include "exec/basic_ops.h"
#include "expr/evaluator.h"

namespace sluice::exec {

/// What the sort's sink and source share.
struct SortState {
  explicit SortState(MemoryTracker* tracker) : reservation(tracker, "Sort") {}
  std::mutex mu;
  // Guarded by mu until Finalize returns; read-only after.
  std::vector<BatchPtr> buffered;  // keyed batches
  int64_t buffered_rows = 0;
  std::vector<std::string> runs;
  BatchPtr sorted;  // in memory: the keyed rows, emitted in `order`
  std::vector<int64_t> order;
  MemoryReservation reservation;
};

std::vector<int64_t> SortIndices(const Batch& keyed, int num_keys,
                                 const std::vector<SortOrder>& orders, int64_t limit) {
  const int first_key = keyed.num_columns() - num_keys;
  const std::vector<VectorPtr> keys(keyed.columns().begin() + first_key, keyed.columns().end());
  return SortRows(keys, orders, limit);
}

namespace {

Result<BatchPtr> TakeRows(const Batch& batch, const std::vector<int64_t>& rows, int num_columns,
                          const SchemaPtr& schema) {
  std::vector<VectorPtr> columns;
  for (int c = 0; c < num_columns; ++c) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr column, Take(*batch.column(c), rows));
    columns.push_back(std::move(column));
  }
  return std::make_shared<const Batch>(schema, std::move(columns),
                                       static_cast<int64_t>(rows.size()));
}

Result<BatchPtr> ConcatKeyed(const std::vector<BatchPtr>& batches) {
  if (batches.size() == 1)
    return batches[0];
  return ConcatenateBatches(batches);
}

class SortSink final : public Sink {
 public:
  SortSink(SchemaPtr schema, std::vector<sql::SortKey> keys, std::optional<int64_t> limit,
           int64_t offset, std::shared_ptr<SortState> state)
      : schema_(std::move(schema)), keys_(std::move(keys)), state_(std::move(state)) {
    std::vector<Field> fields = schema_->fields();
    std::vector<TypePtr> key_types;
    for (size_t k = 0; k < keys_.size(); ++k) {
      fields.push_back(MakeField("_sort_key_" + std::to_string(k), keys_[k].expr->type()));
      orders_.push_back({keys_[k].ascending, keys_[k].nulls_first});
      key_types.push_back(keys_[k].expr->type());
    }
    comparator_.emplace(key_types, orders_);
    keyed_schema_ = MakeSchema(std::move(fields));
    if (limit.has_value())
      top_n_ = *limit + offset;
  }
  std::string name() const override { return "Sort"; }

  struct Local final : SinkState {
    explicit Local(ExecContext& ctx) : reservation(&ctx.memory, "Sort") {}
    std::vector<BatchPtr> buffered;
    int64_t rows = 0;
    int64_t bytes = 0;
    MemoryReservation reservation;
    /// Top-N: the top_n_ rows the last compaction kept, sorted; a new row that does not
    /// sort before its last row cannot be in the result.
    BatchPtr best;
  };

  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override {
    return std::unique_ptr<SinkState>(std::make_unique<Local>(ctx));
  }

  Status Consume(ExecContext& ctx, SinkState& local_state, const BatchPtr& batch,
                 int /*input*/) const override {
    auto& local = static_cast<Local&>(local_state);
    SLUICE_ASSIGN_OR_RETURN(BatchPtr keyed, MakeKeyed(ctx, *batch));
    if (local.best != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(keyed, KeepBetter(*keyed, *local.best));
      if (keyed == nullptr) {
        return Status::Ok();
      }
    }
    local.rows += keyed->num_rows();
    local.bytes += BatchBytes(*keyed);
    local.buffered.push_back(std::move(keyed));
    if (top_n_.has_value() && local.rows >= std::max<int64_t>(2 * *top_n_, kDefaultBatchRows)) {
      SLUICE_RETURN_IF_ERROR(Compact(&local.buffered, &local.rows));
      local.bytes = BatchBytes(*local.buffered[0]);
      if (local.rows == *top_n_ && *top_n_ > 0) {
        local.best = local.buffered[0];
      }
    }
    if (local.reservation.Set(local.bytes).ok())
      return Status::Ok();
    if (top_n_.has_value())
      return MemoryLimitError("Sort", ctx.memory.limit());
    // Past the limit: sort what this thread holds into a run on disk.
    SLUICE_ASSIGN_OR_RETURN(std::string run, Spill(ctx, local.buffered));
    local.buffered.clear();
    local.rows = 0;
    local.bytes = 0;
    local.reservation.ForceSet(0);
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->runs.push_back(std::move(run));
    return Status::Ok();
  }

  Status Combine(ExecContext& /*ctx*/, SinkState& local_state) const override {
    auto& local = static_cast<Local&>(local_state);
    std::lock_guard<std::mutex> lock(state_->mu);
    for (BatchPtr& batch : local.buffered)
      state_->buffered.push_back(std::move(batch));
    state_->buffered_rows += local.rows;
    state_->reservation.ForceSet(state_->reservation.bytes() + local.bytes);
    if (top_n_.has_value() && state_->buffered_rows > *top_n_) {
      SLUICE_RETURN_IF_ERROR(Compact(&state_->buffered, &state_->buffered_rows));
      state_->reservation.ForceSet(BatchBytes(*state_->buffered[0]));
    }
    return Status::Ok();
  }

  Status Finalize(ExecContext& ctx) const override {
    std::lock_guard<std::mutex> lock(state_->mu);
    SortState& s = *state_;
    if (s.buffered.empty())
      return Status::Ok();
    // The in-memory sort needs the rows once more (concatenated); spill instead when
    // that does not fit or runs exist already.
    if (s.runs.empty() && (top_n_.has_value() || ctx.memory.WouldFit(s.reservation.bytes()))) {
      SLUICE_ASSIGN_OR_RETURN(s.sorted, ConcatKeyed(s.buffered));
      s.buffered.clear();
      s.reservation.ForceSet(BatchBytes(*s.sorted));
      s.order =
          SortIndices(*s.sorted, static_cast<int>(keys_.size()), orders_, top_n_.value_or(-1));
      return Status::Ok();
    }
    SLUICE_ASSIGN_OR_RETURN(std::string run, Spill(ctx, s.buffered));
    s.runs.push_back(std::move(run));
    s.buffered.clear();
    s.reservation.ForceSet(0);
    return Status::Ok();
  }

  const SchemaPtr& schema() const { return schema_; }
  int num_keys() const { return static_cast<int>(keys_.size()); }
  const std::vector<SortOrder>& orders() const { return orders_; }

 private:
  Result<BatchPtr> MakeKeyed(ExecContext& ctx, const Batch& batch) const {
    std::vector<VectorPtr> columns = batch.columns();
    for (const sql::SortKey& key : keys_) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr value, expr::Evaluate(*key.expr, batch, ctx.options.eval));
      if (value->length() != batch.num_rows()) {
        SLUICE_ASSIGN_OR_RETURN(value, Take(*value, std::vector<int64_t>(batch.num_rows(), 0)));
      }
      columns.push_back(std::move(value));
    }
    return std::make_shared<const Batch>(keyed_schema_, std::move(columns), batch.num_rows());
  }

  /// Returns the rows of `keyed` that sort strictly before the last row of `best`, or
  /// nullptr when there are none.
  Result<BatchPtr> KeepBetter(const Batch& keyed, const Batch& best) const {
    // The keys are the last columns of a keyed batch (MakeKeyed appends them).
    const auto key_count = static_cast<std::ptrdiff_t>(keys_.size());
    const std::vector<VectorPtr> keys(keyed.columns().end() - key_count, keyed.columns().end());
    const std::vector<VectorPtr> best_keys(best.columns().end() - key_count, best.columns().end());
    std::vector<int64_t> better;
    SelectRowsBefore(keys, keyed.num_rows(), best_keys, best.num_rows() - 1, *comparator_, &better);
    if (better.empty()) {
      return BatchPtr();
    }
    if (static_cast<int64_t>(better.size()) == keyed.num_rows()) {
      return std::make_shared<const Batch>(keyed);
    }
    return TakeRows(keyed, better, keyed.num_columns(), keyed_schema_);
  }

  /// Keeps only the first top_n_ rows of `batches`, as one batch.
  Status Compact(std::vector<BatchPtr>* batches, int64_t* rows) const {
    SLUICE_ASSIGN_OR_RETURN(BatchPtr all, ConcatKeyed(*batches));
    const std::vector<int64_t> order =
        SortIndices(*all, static_cast<int>(keys_.size()), orders_, *top_n_);
    SLUICE_ASSIGN_OR_RETURN(BatchPtr kept,
                            TakeRows(*all, order, all->num_columns(), keyed_schema_));
    batches->assign(1, std::move(kept));
    *rows = static_cast<int64_t>(order.size());
    return Status::Ok();
  }

  Result<std::string> Spill(ExecContext& ctx, const std::vector<BatchPtr>& batches) const {
    SLUICE_ASSIGN_OR_RETURN(BatchPtr all, ConcatKeyed(batches));
    std::vector<int64_t> order = SortIndices(*all, static_cast<int>(keys_.size()), orders_);
    return WriteRun(ctx, *all, order);
  }

  SchemaPtr schema_;
  std::vector<sql::SortKey> keys_;
  std::vector<SortOrder> orders_;
  std::optional<RowComparator> comparator_;  // on the key columns
  SchemaPtr keyed_schema_;
  std::optional<int64_t> top_n_;
  std::shared_ptr<SortState> state_;
};

class SortSource final : public Source {
 public:
  SortSource(std::shared_ptr<const SortSink> sink, std::shared_ptr<SortState> state,
             std::optional<int64_t> limit, int64_t offset)
      : sink_(std::move(sink)), state_(std::move(state)), limit_(limit), offset_(offset) {}
  std::string name() const override { return "Sort"; }

  Result<int64_t> Prepare(ExecContext& /*ctx*/) override {
    return state_->runs.empty() && state_->sorted == nullptr ? 0 : 1;
  }

  Status RunTask(ExecContext& /*ctx*/, int64_t /*task*/, const Emit& emit) const override {
    const SchemaPtr& schema = sink_->schema();
    if (!state_->runs.empty()) {
      return MergeRuns(state_->runs, schema, sink_->num_keys(), sink_->orders(), emit);
    }
    const std::vector<int64_t>& order = state_->order;
    int64_t begin = std::min<int64_t>(offset_, static_cast<int64_t>(order.size()));
    int64_t end = static_cast<int64_t>(order.size());
    if (limit_.has_value())
      end = std::min(end, begin + *limit_);
    for (int64_t start = begin; start < end; start += kDefaultBatchRows) {
      std::vector<int64_t> rows(order.begin() + start,
                                order.begin() + std::min(end, start + kDefaultBatchRows));
      SLUICE_ASSIGN_OR_RETURN(BatchPtr batch,
                              TakeRows(*state_->sorted, rows, schema->num_fields(), schema));
      SLUICE_RETURN_IF_ERROR(emit(std::move(batch)));
    }
    return Status::Ok();
  }

 private:
  std::shared_ptr<const SortSink> sink_;
  std::shared_ptr<SortState> state_;
  std::optional<int64_t> limit_;
  int64_t offset_;
};

}  // namespace

SortOperators MakeSort(ExecContext& ctx, SchemaPtr schema, std::vector<sql::SortKey> keys,
                       std::optional<int64_t> limit, int64_t offset) {
  auto state = std::make_shared<SortState>(&ctx.memory);
  auto sink = std::make_shared<SortSink>(std::move(schema), std::move(keys), limit, offset, state);
  SortOperators ops;
  ops.sink = sink;
  ops.source = std::make_shared<SortSource>(sink, state, limit, offset);
  return ops;
}

}  // namespace sluice::exec
