// SPDX-License-Identifier: Apache-2.0
#include "exec/window.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <utility>

#include "columnar/concat.h"
#include "columnar/row_hash.h"
#include "exec/row_compare.h"
#include "expr/evaluator.h"

namespace sluice::exec {
namespace {

using sql::BoundType;
using sql::WindowCall;

/// Aggregate updates are sent in chunks of this many (row, frame) pairs.
constexpr int64_t kPairsPerUpdate = 64 * 1024;

Result<VectorPtr> EvaluateFull(const expr::Expression& e, const Batch& batch,
                               const expr::EvalContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(VectorPtr value, expr::Evaluate(e, batch, ctx));
  if (value->length() != batch.num_rows()) {
    SLUICE_ASSIGN_OR_RETURN(value, Take(*value, std::vector<int64_t>(batch.num_rows(), 0)));
  }
  return value;
}

/// The rows of one call sorted by partition and order, with partition and peer bounds.
struct WindowLayout {
  std::vector<int64_t> sorted;           // sorted position -> input row
  std::vector<int64_t> partition_start;  // per sorted position
  std::vector<int64_t> partition_end;
  std::vector<int64_t> peer_start;  // first sorted position of the row's peer group
  std::vector<int64_t> peer_end;    // one past its last
  /// RANGE frames with offsets: the ORDER BY key per sorted position as a number that
  /// grows along the sort (negated for DESC), and where each partition's non-null keys
  /// are; empty otherwise.
  std::vector<double> range_key;
  std::vector<uint8_t> range_null;
  std::vector<int64_t> value_start;
  std::vector<int64_t> value_end;
};

bool HasRangeOffsets(const WindowCall& call) {
  auto offset = [](const sql::FrameBoundSpec& b) {
    return b.type == BoundType::kPreceding || b.type == BoundType::kFollowing;
  };
  return call.frame_type == sql::FrameType::kRange &&
         (offset(call.frame_start) || offset(call.frame_end));
}

/// Fills the RANGE-offset fields of `layout` from the single ORDER BY key.
Status AddRangeKeys(const WindowCall& call, const VectorPtr& key, WindowLayout* layout) {
  if (call.order_by.size() != 1 || key == nullptr) {
    return Status::BindError(
        "[DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER] A range window frame with value boundaries "
        "cannot be used in a window specification with multiple order by expressions: " +
        call.display);
  }
  const TypeId id = key->type_id();
  if (!key->type()->is_numeric() && id != TypeId::kDate) {
    return Status::BindError(
        "[DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE] A range window frame with "
        "numeric offsets needs a numeric (or date) ORDER BY expression: " +
        call.display);
  }
  const double sign = call.order_by[0].ascending ? 1.0 : -1.0;
  const double decimal_unit = id == TypeId::kDecimal ? std::pow(10.0, key->type()->scale()) : 1.0;
  const int64_t n = static_cast<int64_t>(layout->sorted.size());
  layout->range_key.resize(n);
  layout->range_null.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t row = layout->sorted[i];
    layout->range_null[i] = key->IsNull(row);
    if (layout->range_null[i]) {
      continue;
    }
    double value = 0;
    switch (id) {
      case TypeId::kByte:
        value = key->Value<int8_t>(row);
        break;
      case TypeId::kShort:
        value = key->Value<int16_t>(row);
        break;
      case TypeId::kInt:
      case TypeId::kDate:
        value = key->Value<int32_t>(row);
        break;
      case TypeId::kLong:
        value = static_cast<double>(key->Value<int64_t>(row));
        break;
      case TypeId::kFloat:
        value = key->Value<float>(row);
        break;
      case TypeId::kDouble:
        value = key->Value<double>(row);
        break;
      default:  // decimal: the unscaled value in the key's units
        value = static_cast<double>(key->DecimalValue(row)) / decimal_unit;
        break;
    }
    layout->range_key[i] = sign * value;
  }
  layout->value_start.resize(n);
  layout->value_end.resize(n);
  for (int64_t start = 0; start < n; start = layout->partition_end[start]) {
    const int64_t end = layout->partition_end[start];
    int64_t lo = start;
    int64_t hi = end;
    while (lo < hi && layout->range_null[lo])
      ++lo;
    while (hi > lo && layout->range_null[hi - 1])
      --hi;
    for (int64_t i = start; i < end; ++i) {
      layout->value_start[i] = lo;
      layout->value_end[i] = hi;
    }
  }
  return Status::Ok();
}

Result<WindowLayout> Layout(const WindowCall& call, const Batch& all,
                            const expr::EvalContext& ctx) {
  std::vector<VectorPtr> partition_keys;
  std::vector<VectorPtr> order_keys;
  std::vector<VectorPtr> sort_keys;
  std::vector<SortOrder> orders;
  for (const expr::ExprPtr& e : call.partition_by) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr key, EvaluateFull(*e, all, ctx));
    partition_keys.push_back(key);
    sort_keys.push_back(key);
    orders.push_back({true, true});
  }
  for (const sql::SortKey& k : call.order_by) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr key, EvaluateFull(*k.expr, all, ctx));
    order_keys.push_back(key);
    sort_keys.push_back(key);
    orders.push_back({k.ascending, k.nulls_first});
  }
  const int64_t n = all.num_rows();
  WindowLayout layout;
  if (sort_keys.empty()) {
    layout.sorted.resize(n);
    for (int64_t i = 0; i < n; ++i)
      layout.sorted[i] = i;
  }
  layout.partition_start.resize(n);
  layout.partition_end.resize(n);
  layout.peer_start.resize(n);
  layout.peer_end.resize(n);
  const bool orderable = std::none_of(sort_keys.begin(), sort_keys.end(), [](const VectorPtr& k) {
    return k->type_id() == TypeId::kMap || k->type_id() == TypeId::kVariant;
  });
  if (!sort_keys.empty() && orderable) {
    // The sort tells how many leading keys each row shares with the one before. Without
    // ORDER BY every row of the partition is a peer of the others.
    std::vector<uint32_t> equal_keys;
    layout.sorted = SortRows(sort_keys, orders, -1, &equal_keys);
    for (int64_t i = 0; i < n; ++i) {
      const bool new_partition = i == 0 || equal_keys[i] < partition_keys.size();
      layout.partition_start[i] = new_partition ? i : layout.partition_start[i - 1];
      const bool new_peer = new_partition || equal_keys[i] < sort_keys.size();
      layout.peer_start[i] = new_peer ? i : layout.peer_start[i - 1];
    }
  } else {
    if (!sort_keys.empty())
      layout.sorted = SortRows(sort_keys, orders);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t row = layout.sorted[i];
      const int64_t prev = i > 0 ? layout.sorted[i - 1] : -1;
      const bool new_partition = i == 0 || !RowsEqual(partition_keys, prev, partition_keys, row);
      layout.partition_start[i] = new_partition ? i : layout.partition_start[i - 1];
      const bool new_peer = new_partition || !RowsEqual(order_keys, prev, order_keys, row);
      layout.peer_start[i] = new_peer ? i : layout.peer_start[i - 1];
    }
  }
  for (int64_t i = n - 1; i >= 0; --i) {
    const bool last_of_partition =
        i == n - 1 || layout.partition_start[i + 1] != layout.partition_start[i];
    layout.partition_end[i] = last_of_partition ? i + 1 : layout.partition_end[i + 1];
    const bool last_of_peers =
        last_of_partition || layout.peer_start[i + 1] != layout.peer_start[i];
    layout.peer_end[i] = last_of_peers ? i + 1 : layout.peer_end[i + 1];
  }
  if (HasRangeOffsets(call)) {
    SLUICE_RETURN_IF_ERROR(
        AddRangeKeys(call, order_keys.empty() ? nullptr : order_keys[0], &layout));
  }
  return layout;
}

/// Returns `sorted_values` (one per sorted position) in input row order.
Result<VectorPtr> Unsort(const VectorPtr& sorted_values, const WindowLayout& layout) {
  std::vector<int64_t> inverse(layout.sorted.size());
  for (size_t i = 0; i < layout.sorted.size(); ++i)
    inverse[layout.sorted[i]] = static_cast<int64_t>(i);
  return Take(*sorted_values, inverse);
}

Result<VectorPtr> RunWindowFunction(const WindowCall& call, const std::vector<VectorPtr>& args,
                                    const WindowLayout& layout, const expr::EvalContext& ctx) {
  std::vector<VectorPtr> parts;
  const int64_t n = static_cast<int64_t>(layout.sorted.size());
  for (int64_t start = 0; start < n; start = layout.partition_end[start]) {
    const int64_t end = layout.partition_end[start];
    std::vector<int64_t> rows(layout.sorted.begin() + start, layout.sorted.begin() + end);
    std::vector<VectorPtr> part_args;
    for (const VectorPtr& arg : args) {
      if (arg->length() == 1 && n != 1) {
        part_args.push_back(arg);
        continue;
      }
      SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*arg, rows));
      part_args.push_back(std::move(taken));
    }
    std::vector<int64_t> peers(end - start);
    for (int64_t i = start; i < end; ++i)
      peers[i - start] = layout.peer_start[i] - start;
    expr::WindowPartition partition{part_args, end - start, peers};
    SLUICE_ASSIGN_OR_RETURN(VectorPtr result, call.window_function->evaluate(partition, ctx));
    parts.push_back(std::move(result));
  }
  SLUICE_ASSIGN_OR_RETURN(VectorPtr sorted_values,
                          parts.size() == 1 ? Result<VectorPtr>(parts[0]) : Concatenate(parts));
  return Unsort(sorted_values, layout);
}

/// The frame of sorted position i as [lo, hi) sorted positions.
Result<std::pair<int64_t, int64_t>> Frame(const WindowCall& call, const WindowLayout& layout,
                                          int64_t i) {
  const int64_t first = layout.partition_start[i];
  const int64_t last = layout.partition_end[i];
  auto bound = [&](const sql::FrameBoundSpec& spec, bool is_end) -> Result<int64_t> {
    switch (spec.type) {
      case BoundType::kUnboundedPreceding:
        return first;
      case BoundType::kUnboundedFollowing:
        return last;
      case BoundType::kCurrentRow:
        if (call.frame_type == sql::FrameType::kRange) {
          return is_end ? layout.peer_end[i] : layout.peer_start[i];
        }
        return is_end ? i + 1 : i;
      case BoundType::kPreceding:
      case BoundType::kFollowing: {
        const int64_t delta = spec.type == BoundType::kPreceding ? -spec.offset : spec.offset;
        if (call.frame_type == sql::FrameType::kRange) {
          // Rows whose key is within the offset; a null key's frame is the null keys.
          const int64_t lo = layout.value_start[i];
          const int64_t hi = layout.value_end[i];
          if (layout.range_null[i]) {
            return lo > first ? (is_end ? lo : first) : (is_end ? last : hi);
          }
          const double target = layout.range_key[i] + static_cast<double>(delta);
          const double* keys = layout.range_key.data();
          return is_end ? std::upper_bound(keys + lo, keys + hi, target) - keys
                        : std::lower_bound(keys + lo, keys + hi, target) - keys;
        }
        return std::clamp(i + delta + (is_end ? 1 : 0), first, last);
      }
    }
    return first;
  };
  SLUICE_ASSIGN_OR_RETURN(int64_t lo, bound(call.frame_start, false));
  SLUICE_ASSIGN_OR_RETURN(int64_t hi, bound(call.frame_end, true));
  return std::make_pair(lo, std::max(lo, hi));
}

Status UpdatePairs(expr::GroupedAggregateState& state, const std::vector<VectorPtr>& args,
                   const std::vector<int64_t>& rows, const std::vector<int64_t>& groups,
                   int64_t total_rows) {
  if (rows.empty())
    return Status::Ok();
  std::vector<VectorPtr> taken;
  for (const VectorPtr& arg : args) {
    if (arg->length() == 1 && total_rows != 1) {
      taken.push_back(arg);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr value, Take(*arg, rows));
    taken.push_back(std::move(value));
  }
  return state.Update(taken, groups.data(), static_cast<int64_t>(rows.size()));
}

/// Frames that start at the partition's first row only grow: one state per partition
/// takes each row once, and is finalized again wherever the frame's end moves
/// (GroupedAggregateState::Finalize leaves the state usable).
Result<VectorPtr> RunRunningAggregate(const WindowCall& call, const std::vector<VectorPtr>& args,
                                      const WindowLayout& layout, int64_t total_rows,
                                      const expr::EvalContext& ctx) {
  const int64_t n = static_cast<int64_t>(layout.sorted.size());
  auto builder = VectorBuilder::Make(call.aggregate->return_type);
  builder->Reserve(n);
  for (int64_t start = 0; start < n; start = layout.partition_end[start]) {
    const int64_t end = layout.partition_end[start];
    auto state = call.aggregate->make_state();
    state->Resize(1);
    int64_t added = start;
    VectorPtr value;
    for (int64_t i = start; i < end; ++i) {
      SLUICE_ASSIGN_OR_RETURN(auto frame, Frame(call, layout, i));
      if (value == nullptr || frame.second > added) {
        std::vector<int64_t> rows(layout.sorted.begin() + added,
                                  layout.sorted.begin() + std::max(added, frame.second));
        SLUICE_RETURN_IF_ERROR(
            UpdatePairs(*state, args, rows, std::vector<int64_t>(rows.size(), 0), total_rows));
        added = std::max(added, frame.second);
        SLUICE_ASSIGN_OR_RETURN(value, state->Finalize(ctx));
      }
      AppendValue(*value, 0, builder.get());
    }
  }
  return Unsort(builder->Finish(), layout);
}

Result<VectorPtr> RunAggregate(const WindowCall& call, const std::vector<VectorPtr>& args,
                               const WindowLayout& layout, int64_t total_rows,
                               const expr::EvalContext& ctx) {
  auto state = call.aggregate->make_state();
  const int64_t n = static_cast<int64_t>(layout.sorted.size());
  const bool whole_partition = call.frame_start.type == BoundType::kUnboundedPreceding &&
                               call.frame_end.type == BoundType::kUnboundedFollowing;
  if (whole_partition) {
    // One group per partition, every row added once.
    std::vector<int64_t> partition_of(n);  // input row -> partition number
    std::vector<int64_t> partition_number(n);
    int64_t partitions = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (layout.partition_start[i] == i)
        ++partitions;
      partition_number[i] = partitions - 1;
      partition_of[layout.sorted[i]] = partitions - 1;
    }
    state->Resize(partitions);
    if (call.order_by.empty()) {
      SLUICE_RETURN_IF_ERROR(state->Update(args, partition_of.data(), total_rows));
    } else {
      // In the window's order: first, last and nth_value depend on it.
      SLUICE_RETURN_IF_ERROR(
          UpdatePairs(*state, args, layout.sorted, partition_number, total_rows));
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr per_partition, state->Finalize(ctx));
    return Take(*per_partition, partition_of);
  }
  if (call.frame_start.type == BoundType::kUnboundedPreceding) {
    return RunRunningAggregate(call, args, layout, total_rows, ctx);
  }
  // One group per sorted position, fed every row of its frame.
  state->Resize(n);
  std::vector<int64_t> rows;
  std::vector<int64_t> groups;
  for (int64_t i = 0; i < n; ++i) {
    SLUICE_ASSIGN_OR_RETURN(auto frame, Frame(call, layout, i));
    for (int64_t j = frame.first; j < frame.second; ++j) {
      rows.push_back(layout.sorted[j]);
      groups.push_back(i);
      if (static_cast<int64_t>(rows.size()) >= kPairsPerUpdate) {
        SLUICE_RETURN_IF_ERROR(UpdatePairs(*state, args, rows, groups, total_rows));
        rows.clear();
        groups.clear();
      }
    }
  }
  SLUICE_RETURN_IF_ERROR(UpdatePairs(*state, args, rows, groups, total_rows));
  SLUICE_ASSIGN_OR_RETURN(VectorPtr sorted_values, state->Finalize(ctx));
  return Unsort(sorted_values, layout);
}

class WindowSink final : public Sink {
 public:
  WindowSink(ExecContext& ctx, const sql::WindowNode& node,
             std::shared_ptr<MaterializedRows> output)
      : node_(node), output_(std::move(output)), reservation_(&ctx.memory, "Window") {}
  std::string name() const override { return "Window"; }

  /// A buffered batch and where it came from: the rows are put back in input order, so
  /// that the result does not depend on the number of threads.
  struct Entry {
    int pipeline;
    int64_t task;
    int64_t seq;
    BatchPtr batch;
  };

  struct Local final : SinkState {
    explicit Local(ExecContext& ctx) : reservation(&ctx.memory, "Window") {}
    int pipeline = 0;
    int64_t task = 0;
    int64_t seq = 0;
    std::vector<Entry> entries;
    MemoryReservation reservation;
  };

  void StartTask(SinkState& local_state, int pipeline, int64_t task) const override {
    auto& local = static_cast<Local&>(local_state);
    local.pipeline = pipeline;
    local.task = task;
    local.seq = 0;
  }

  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override {
    return std::unique_ptr<SinkState>(std::make_unique<Local>(ctx));
  }

  Status Consume(ExecContext& /*ctx*/, SinkState& local_state, const BatchPtr& batch,
                 int /*input*/) const override {
    auto& local = static_cast<Local&>(local_state);
    local.entries.push_back({local.pipeline, local.task, local.seq++, batch});
    return local.reservation.Set(local.reservation.bytes() + BatchBytes(*batch));
  }

  Status Combine(ExecContext& /*ctx*/, SinkState& local_state) const override {
    auto& local = static_cast<Local&>(local_state);
    std::lock_guard<std::mutex> lock(mu_);
    for (Entry& entry : local.entries)
      entries_.push_back(std::move(entry));
    reservation_.ForceSet(reservation_.bytes() + local.reservation.bytes());
    return Status::Ok();
  }

  Status Finalize(ExecContext& ctx) const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.empty())
      return Status::Ok();
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      if (a.pipeline != b.pipeline)
        return a.pipeline < b.pipeline;
      return a.task != b.task ? a.task < b.task : a.seq < b.seq;
    });
    const SchemaPtr& child_schema = node_.child(0)->schema();
    std::vector<BatchPtr> inputs;
    for (const Entry& entry : entries_)
      inputs.push_back(WithSchema(child_schema, entry.batch));
    SLUICE_ASSIGN_OR_RETURN(BatchPtr all, inputs.size() == 1 ? Result<BatchPtr>(inputs[0])
                                                             : ConcatenateBatches(inputs));
    entries_.clear();
    // The concatenated copy and the sort order come on top of the buffered rows.
    SLUICE_RETURN_IF_ERROR(
        reservation_.Set(reservation_.bytes() + BatchBytes(*all) + all->num_rows() * 5 * 8));
    std::vector<VectorPtr> columns = all->columns();
    const expr::EvalContext& eval = ctx.options.eval;
    for (const WindowCall& call : node_.calls) {
      SLUICE_ASSIGN_OR_RETURN(WindowLayout layout, Layout(call, *all, eval));
      std::vector<VectorPtr> args;
      for (const expr::ExprPtr& arg : call.args) {
        SLUICE_ASSIGN_OR_RETURN(VectorPtr value, expr::Evaluate(*arg, *all, eval));
        args.push_back(std::move(value));
      }
      VectorPtr result;
      if (call.window_function.has_value()) {
        SLUICE_ASSIGN_OR_RETURN(result, RunWindowFunction(call, args, layout, eval));
      } else if (call.aggregate.has_value()) {
        SLUICE_ASSIGN_OR_RETURN(result, RunAggregate(call, args, layout, all->num_rows(), eval));
      } else {
        return Status::Internal("window call without a function: " + call.display);
      }
      columns.push_back(std::move(result));
    }
    output_->batches.push_back(
        std::make_shared<const Batch>(node_.schema(), std::move(columns), all->num_rows()));
    return Status::Ok();
  }

 private:
  const sql::WindowNode& node_;
  std::shared_ptr<MaterializedRows> output_;
  mutable std::mutex mu_;
  mutable std::vector<Entry> entries_;     // guarded by mu_
  mutable MemoryReservation reservation_;  // guarded by mu_
};

}  // namespace

std::shared_ptr<const Sink> MakeWindowSink(ExecContext& ctx, const sql::WindowNode& node,
                                           std::shared_ptr<MaterializedRows> output) {
  return std::make_shared<WindowSink>(ctx, node, std::move(output));
}

}  // namespace sluice::exec
