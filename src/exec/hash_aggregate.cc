// SPDX-License-Identifier: Apache-2.0
#include "exec/hash_aggregate.h"

#include <utility>

#include "columnar/concat.h"
#include "expr/evaluator.h"

namespace sluice::exec {

struct HashAggregateSink::State final : SinkState {
  State(ExecContext& ctx, const std::vector<sql::AggregateCall>& aggregates)
      : reservation(&ctx.memory, "HashAggregate") {
    for (const sql::AggregateCall& call : aggregates) {
      states.push_back(call.function.make_state());
    }
  }

  Status UpdateMemory() {
    int64_t bytes = table.memory_bytes();
    for (const auto& state : states)
      bytes += state->memory_bytes();
    return reservation.Set(bytes);
  }

  GroupTable table;
  std::vector<std::unique_ptr<expr::GroupedAggregateState>> states;
  MemoryReservation reservation;
};

HashAggregateSink::HashAggregateSink(SchemaPtr schema, std::vector<expr::ExprPtr> groups,
                                     std::vector<sql::AggregateCall> aggregates,
                                     std::shared_ptr<MaterializedRows> output)
    : schema_(std::move(schema)),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)),
      output_(std::move(output)) {}

HashAggregateSink::~HashAggregateSink() = default;

Result<std::unique_ptr<SinkState>> HashAggregateSink::MakeLocalState(ExecContext& ctx) const {
  return std::unique_ptr<SinkState>(std::make_unique<State>(ctx, aggregates_));
}

namespace {

Result<std::vector<VectorPtr>> EvaluateAll(const std::vector<expr::ExprPtr>& exprs,
                                           const Batch& batch, const expr::EvalContext& ctx) {
  std::vector<VectorPtr> values;
  values.reserve(exprs.size());
  for (const expr::ExprPtr& e : exprs) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr value, expr::Evaluate(*e, batch, ctx));
    values.push_back(std::move(value));
  }
  return values;
}

/// Updates `state` with the rows of `batch` where the call's FILTER holds.
Status UpdateCall(const sql::AggregateCall& call, expr::GroupedAggregateState& state,
                  const Batch& batch, const std::vector<int64_t>& group_ids,
                  const expr::EvalContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<VectorPtr> args, EvaluateAll(call.args, batch, ctx));
  if (call.filter == nullptr) {
    return state.Update(args, group_ids.data(), batch.num_rows());
  }
  SLUICE_ASSIGN_OR_RETURN(VectorPtr mask, expr::Evaluate(*call.filter, batch, ctx));
  std::vector<int64_t> rows;
  std::vector<int64_t> ids;
  for (int64_t r = 0; r < batch.num_rows(); ++r) {
    const int64_t m = mask->length() == 1 ? 0 : r;
    if (mask->IsValid(m) && mask->BoolValue(m)) {
      rows.push_back(r);
      ids.push_back(group_ids[r]);
    }
  }
  if (rows.empty())
    return Status::Ok();
  for (VectorPtr& arg : args) {
    if (arg->length() == 1 && batch.num_rows() != 1)
      continue;  // a constant stays one row
    SLUICE_ASSIGN_OR_RETURN(arg, Take(*arg, rows));
  }
  return state.Update(args, ids.data(), static_cast<int64_t>(rows.size()));
}

}  // namespace

Status HashAggregateSink::Consume(ExecContext& ctx, SinkState& local, const BatchPtr& batch,
                                  int /*input*/) const {
  auto& state = static_cast<State&>(local);
  SLUICE_ASSIGN_OR_RETURN(std::vector<VectorPtr> keys,
                          EvaluateAll(groups_, *batch, ctx.options.eval));
  std::vector<int64_t> group_ids(batch->num_rows());
  SLUICE_RETURN_IF_ERROR(state.table.FindOrInsert(keys, batch->num_rows(), group_ids.data()));
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    state.states[i]->Resize(state.table.num_groups());
    SLUICE_RETURN_IF_ERROR(
        UpdateCall(aggregates_[i], *state.states[i], *batch, group_ids, ctx.options.eval));
  }
  return state.UpdateMemory();
}

Status HashAggregateSink::Combine(ExecContext& ctx, SinkState& local) const {
  auto& state = static_cast<State&>(local);
  std::lock_guard<std::mutex> lock(mu_);
  if (global_ == nullptr) {
    global_ = std::make_unique<State>(ctx, aggregates_);
  }
  const int64_t num_groups = state.table.num_groups();
  if (num_groups == 0)
    return Status::Ok();
  SLUICE_ASSIGN_OR_RETURN(std::vector<VectorPtr> keys,
                          state.table.KeyColumns(static_cast<int>(groups_.size())));
  std::vector<int64_t> group_map(num_groups);
  SLUICE_RETURN_IF_ERROR(global_->table.FindOrInsert(keys, num_groups, group_map.data()));
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    global_->states[i]->Resize(global_->table.num_groups());
    SLUICE_RETURN_IF_ERROR(global_->states[i]->Merge(*state.states[i], group_map.data()));
  }
  return global_->UpdateMemory();
}

Status HashAggregateSink::Finalize(ExecContext& ctx) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (global_ == nullptr) {
    global_ = std::make_unique<State>(ctx, aggregates_);
  }
  State& global = *global_;
  if (groups_.empty() && global.table.num_groups() == 0) {
    // A global aggregate has exactly one row, even over no input.
    int64_t id = 0;
    SLUICE_RETURN_IF_ERROR(global.table.FindOrInsert({}, 1, &id));
  }
  const int64_t num_groups = global.table.num_groups();
  if (num_groups == 0)
    return Status::Ok();
  SLUICE_ASSIGN_OR_RETURN(std::vector<VectorPtr> columns,
                          global.table.KeyColumns(static_cast<int>(groups_.size())));
  for (auto& state : global.states) {
    state->Resize(num_groups);
    SLUICE_ASSIGN_OR_RETURN(VectorPtr result, state->Finalize(ctx.options.eval));
    columns.push_back(std::move(result));
  }
  output_->batches.push_back(
      std::make_shared<const Batch>(schema_, std::move(columns), num_groups));
  global_.reset();
  return Status::Ok();
}

}  // namespace sluice::exec
