// SPDX-License-Identifier: Apache-2.0
#include "exec/hash_join.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "columnar/concat.h"
#include "columnar/row_hash.h"
#include "exec/basic_ops.h"
#include "expr/evaluator.h"

namespace sluice::exec {

/// The build side, written by the sink's Combine/Finalize and read by the probes after.
struct JoinHashTable {
  std::mutex mu;
  // Filled by Combine (guarded by mu), then merged by Finalize.
  std::vector<BatchPtr> batches;
  std::vector<std::vector<VectorPtr>> key_parts;
  // Read-only once Finalize returns.
  BatchPtr build;
  std::vector<VectorPtr> keys;
  std::vector<uint64_t> hashes;
  std::vector<int64_t> heads;  // bucket -> first row, -1 when empty
  std::vector<int64_t> next;   // row -> next row of its bucket
  // Build rows that found a match (outer joins keeping build rows); guarded by mu.
  std::vector<uint8_t> matched;
};

namespace {

constexpr int64_t kPairsPerChunk = kDefaultBatchRows;

Result<std::vector<VectorPtr>> EvaluateKeys(const std::vector<expr::ExprPtr>& exprs,
                                            const Batch& batch, const expr::EvalContext& ctx) {
  std::vector<VectorPtr> keys;
  for (const expr::ExprPtr& e : exprs) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr key, expr::Evaluate(*e, batch, ctx));
    if (key->length() != batch.num_rows()) {
      SLUICE_ASSIGN_OR_RETURN(key, Take(*key, std::vector<int64_t>(batch.num_rows(), 0)));
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

/// True when a key that is not null-safe is null: the row matches nothing.
bool HasNullKey(const std::vector<VectorPtr>& keys, const std::vector<bool>& null_safe,
                int64_t row) {
  for (size_t k = 0; k < keys.size(); ++k) {
    if (!null_safe[k] && keys[k]->IsNull(row))
      return true;
  }
  return false;
}

VectorPtr MakeNulls(const TypePtr& type, int64_t length) {
  auto builder = VectorBuilder::Make(type);
  for (int64_t i = 0; i < length; ++i)
    builder->AppendNull();
  return builder->Finish();
}

Result<std::vector<VectorPtr>> TakeColumns(const Batch& batch, const std::vector<int64_t>& rows) {
  std::vector<VectorPtr> columns;
  for (const VectorPtr& column : batch.columns()) {
    SLUICE_ASSIGN_OR_RETURN(VectorPtr taken, Take(*column, rows));
    columns.push_back(std::move(taken));
  }
  return columns;
}

class JoinBuildSink final : public Sink {
 public:
  JoinBuildSink(SchemaPtr schema, std::vector<expr::ExprPtr> keys, std::vector<bool> null_safe,
                std::shared_ptr<JoinHashTable> table)
      : schema_(std::move(schema)),
        keys_(std::move(keys)),
        null_safe_(std::move(null_safe)),
        table_(std::move(table)) {}
  std::string name() const override { return "HashJoin"; }

  struct Local final : SinkState {
    explicit Local(ExecContext& ctx) : reservation(&ctx.memory, "HashJoin") {}
    std::vector<BatchPtr> batches;
    std::vector<std::vector<VectorPtr>> keys;
    MemoryReservation reservation;
  };

  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override {
    return std::unique_ptr<SinkState>(std::make_unique<Local>(ctx));
  }

  Status Consume(ExecContext& ctx, SinkState& local, const BatchPtr& batch,
                 int /*input*/) const override {
    auto& state = static_cast<Local&>(local);
    SLUICE_ASSIGN_OR_RETURN(auto keys, EvaluateKeys(keys_, *batch, ctx.options.eval));
    int64_t bytes = BatchBytes(*batch);
    for (const VectorPtr& key : keys)
      bytes += VectorBytes(*key);
    state.batches.push_back(batch);
    state.keys.push_back(std::move(keys));
    return state.reservation.Set(state.reservation.bytes() + bytes);
  }

  Status Combine(ExecContext& /*ctx*/, SinkState& local) const override {
    auto& state = static_cast<Local&>(local);
    std::lock_guard<std::mutex> lock(table_->mu);
    for (size_t i = 0; i < state.batches.size(); ++i) {
      table_->batches.push_back(std::move(state.batches[i]));
      table_->key_parts.push_back(std::move(state.keys[i]));
    }
    // The rows stay held by the table: keep them counted for the rest of the query.
    reserved_ += state.reservation.bytes();
    return Status::Ok();
  }

  Status Finalize(ExecContext& ctx) const override {
    std::lock_guard<std::mutex> lock(table_->mu);
    ctx.memory.ForceReserve(reserved_);
    JoinHashTable& t = *table_;
    if (t.batches.empty()) {
      t.build = Batch::MakeEmpty(schema_);
      for (const expr::ExprPtr& key : keys_)
        t.keys.push_back(MakeNulls(key->type(), 0));
    } else {
      SLUICE_ASSIGN_OR_RETURN(BatchPtr build, ConcatenateBatches(t.batches));
      t.build = build;
      for (size_t k = 0; k < keys_.size(); ++k) {
        std::vector<VectorPtr> parts;
        for (const auto& part : t.key_parts)
          parts.push_back(part[k]);
        SLUICE_ASSIGN_OR_RETURN(VectorPtr key, Concatenate(parts));
        t.keys.push_back(std::move(key));
      }
    }
    t.batches.clear();
    t.key_parts.clear();
    const int64_t rows = t.build->num_rows();
    t.matched.assign(rows, 0);
    if (keys_.empty())
      return Status::Ok();
    t.hashes.resize(rows);
    HashRows(t.keys, rows, t.hashes.data());
    size_t buckets = 16;
    while (buckets < static_cast<size_t>(rows) * 2)
      buckets *= 2;
    t.heads.assign(buckets, -1);
    t.next.assign(rows, -1);
    for (int64_t r = rows - 1; r >= 0; --r) {
      if (HasNullKey(t.keys, null_safe_, r))
        continue;
      const size_t bucket = t.hashes[r] & (buckets - 1);
      t.next[r] = t.heads[bucket];
      t.heads[bucket] = r;
    }
    return ctx.memory.Reserve(static_cast<int64_t>((buckets + 2 * rows) * sizeof(int64_t)),
                              "HashJoin");
  }

 private:
  SchemaPtr schema_;
  std::vector<expr::ExprPtr> keys_;
  std::vector<bool> null_safe_;
  std::shared_ptr<JoinHashTable> table_;
  mutable int64_t reserved_ = 0;  // guarded by table_->mu
};

}  // namespace

namespace {

/// Which rows a join keeps besides the matched pairs.
struct JoinShape {
  sql::JoinKind kind;
  bool probe_is_left;
  bool keep_unmatched_probe;  // the probe side is an outer side
  bool keep_unmatched_build;  // the build side is an outer side
  bool semi_or_anti;
};

class JoinProbe final : public Operator {
 public:
  JoinProbe(const sql::JoinNode& node, JoinShape shape, std::shared_ptr<JoinHashTable> table)
      : node_(node),
        shape_(shape),
        table_(std::move(table)),
        probe_keys_(shape.probe_is_left ? node.left_keys : node.right_keys),
        build_schema_(node.child(shape.probe_is_left ? 1 : 0)->schema()),
        probe_schema_(node.child(shape.probe_is_left ? 0 : 1)->schema()),
        joined_schema_(JoinedSchema(node)) {}

  std::string name() const override { return "HashJoin"; }

  struct State final : OperatorState {
    std::vector<uint8_t> build_matched;
  };

  std::unique_ptr<OperatorState> MakeState(ExecContext& /*ctx*/) const override {
    return std::make_unique<State>();
  }

  Status Execute(ExecContext& ctx, OperatorState* state, const BatchPtr& input,
                 const Emit& emit) const override {
    auto& local = *static_cast<State*>(state);
    const JoinHashTable& t = *table_;
    if (shape_.keep_unmatched_build && local.build_matched.empty()) {
      local.build_matched.assign(t.build->num_rows(), 0);
    }
    const int64_t rows = input->num_rows();
    std::vector<uint8_t> probe_matched(rows, 0);
    std::vector<int64_t> probe_rows;
    std::vector<int64_t> build_rows;
    auto flush = [&]() -> Status {
      Status status = EmitPairs(ctx, *input, probe_rows, build_rows, probe_matched, local, emit);
      probe_rows.clear();
      build_rows.clear();
      return status;
    };
    if (node_.left_keys.empty()) {
      for (int64_t p = 0; p < rows; ++p) {
        for (int64_t b = 0; b < t.build->num_rows(); ++b) {
          probe_rows.push_back(p);
          build_rows.push_back(b);
          if (static_cast<int64_t>(probe_rows.size()) >= kPairsPerChunk)
            SLUICE_RETURN_IF_ERROR(flush());
        }
      }
    } else if (!t.heads.empty()) {
      SLUICE_ASSIGN_OR_RETURN(auto keys, EvaluateKeys(probe_keys_, *input, ctx.options.eval));
      std::vector<uint64_t> hashes(rows);
      HashRows(keys, rows, hashes.data());
      const uint64_t mask = t.heads.size() - 1;
      for (int64_t p = 0; p < rows; ++p) {
        if (HasNullKey(keys, node_.null_safe, p))
          continue;
        for (int64_t b = t.heads[hashes[p] & mask]; b >= 0; b = t.next[b]) {
          if (t.hashes[b] != hashes[p] || !RowsEqual(keys, p, t.keys, b))
            continue;
          probe_rows.push_back(p);
          build_rows.push_back(b);
          if (static_cast<int64_t>(probe_rows.size()) >= kPairsPerChunk)
            SLUICE_RETURN_IF_ERROR(flush());
        }
      }
    }
    if (!probe_rows.empty())
      SLUICE_RETURN_IF_ERROR(flush());
    return EmitProbeLeftovers(*input, probe_matched, emit);
  }

  Status Combine(ExecContext& /*ctx*/, OperatorState* state) const override {
    auto& local = *static_cast<State*>(state);
    if (local.build_matched.empty())
      return Status::Ok();
    std::lock_guard<std::mutex> lock(table_->mu);
    for (size_t b = 0; b < local.build_matched.size(); ++b) {
      table_->matched[b] |= local.build_matched[b];
    }
    return Status::Ok();
  }

  Status Finish(ExecContext& /*ctx*/, const Emit& emit) const override {
    if (!shape_.keep_unmatched_build)
      return Status::Ok();
    std::vector<int64_t> rows;
    {
      std::lock_guard<std::mutex> lock(table_->mu);
      for (size_t b = 0; b < table_->matched.size(); ++b) {
        if (!table_->matched[b])
          rows.push_back(static_cast<int64_t>(b));
      }
    }
    for (size_t start = 0; start < rows.size(); start += kDefaultBatchRows) {
      std::vector<int64_t> chunk(rows.begin() + start,
                                 rows.begin() + std::min(rows.size(), start + kDefaultBatchRows));
      SLUICE_ASSIGN_OR_RETURN(auto build_columns, TakeColumns(*table_->build, chunk));
      std::vector<VectorPtr> probe_columns;
      for (const Field& field : probe_schema_->fields()) {
        probe_columns.push_back(MakeNulls(field.type, static_cast<int64_t>(chunk.size())));
      }
      SLUICE_RETURN_IF_ERROR(
          emit(Joined(std::move(probe_columns), std::move(build_columns), chunk.size())));
    }
    return Status::Ok();
  }

 private:
  static SchemaPtr JoinedSchema(const sql::JoinNode& node) {
    std::vector<Field> fields = node.child(0)->schema()->fields();
    for (const Field& field : node.child(1)->schema()->fields())
      fields.push_back(field);
    return MakeSchema(std::move(fields));
  }

  /// Left columns then right columns, under the join's schema (semi/anti: the
  /// intermediate joined schema, for the residual).
  BatchPtr Joined(std::vector<VectorPtr> probe, std::vector<VectorPtr> build, int64_t rows) const {
    std::vector<VectorPtr> columns = shape_.probe_is_left ? std::move(probe) : std::move(build);
    std::vector<VectorPtr>& rest = shape_.probe_is_left ? build : probe;
    for (VectorPtr& column : rest)
      columns.push_back(std::move(column));
    return std::make_shared<const Batch>(shape_.semi_or_anti ? joined_schema_ : node_.schema(),
                                         std::move(columns), rows);
  }

  /// Applies the residual to candidate pairs, records matches, and emits joined rows.
  Status EmitPairs(ExecContext& ctx, const Batch& input, const std::vector<int64_t>& probe_rows,
                   const std::vector<int64_t>& build_rows, std::vector<uint8_t>& probe_matched,
                   State& local, const Emit& emit) const {
    const int64_t n = static_cast<int64_t>(probe_rows.size());
    SLUICE_ASSIGN_OR_RETURN(auto probe_columns, TakeColumns(input, probe_rows));
    SLUICE_ASSIGN_OR_RETURN(auto build_columns, TakeColumns(*table_->build, build_rows));
    BatchPtr joined = Joined(std::move(probe_columns), std::move(build_columns), n);
    std::vector<uint8_t> keep(n, 1);
    if (node_.residual != nullptr) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr mask,
                              expr::Evaluate(*node_.residual, *joined, ctx.options.eval));
      for (int64_t i = 0; i < n; ++i) {
        const int64_t m = mask->length() == 1 ? 0 : i;
        keep[i] = mask->IsValid(m) && mask->BoolValue(m);
      }
      if (!shape_.semi_or_anti) {
        SLUICE_ASSIGN_OR_RETURN(joined, expr::FilterBatch(*joined, *mask));
        joined = WithSchema(node_.schema(), joined);
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      if (!keep[i])
        continue;
      probe_matched[probe_rows[i]] = 1;
      if (shape_.keep_unmatched_build)
        local.build_matched[build_rows[i]] = 1;
    }
    if (shape_.semi_or_anti || joined->num_rows() == 0)
      return Status::Ok();
    return emit(joined);
  }

  /// Emits what a probe batch gives besides matched pairs: semi/anti rows, or the
  /// unmatched rows of an outer probe side.
  Status EmitProbeLeftovers(const Batch& input, const std::vector<uint8_t>& probe_matched,
                            const Emit& emit) const {
    const bool want_matched = shape_.kind == sql::JoinKind::kLeftSemi;
    if (!shape_.semi_or_anti && !shape_.keep_unmatched_probe)
      return Status::Ok();
    std::vector<int64_t> rows;
    for (int64_t p = 0; p < input.num_rows(); ++p) {
      if ((probe_matched[p] != 0) == (shape_.semi_or_anti && want_matched))
        rows.push_back(p);
    }
    if (rows.empty())
      return Status::Ok();
    SLUICE_ASSIGN_OR_RETURN(auto probe_columns, TakeColumns(input, rows));
    const int64_t n = static_cast<int64_t>(rows.size());
    if (shape_.semi_or_anti) {
      return emit(std::make_shared<const Batch>(node_.schema(), std::move(probe_columns), n));
    }
    std::vector<VectorPtr> build_columns;
    for (const Field& field : build_schema_->fields())
      build_columns.push_back(MakeNulls(field.type, n));
    return emit(Joined(std::move(probe_columns), std::move(build_columns), n));
  }

  const sql::JoinNode& node_;
  JoinShape shape_;
  std::shared_ptr<JoinHashTable> table_;
  std::vector<expr::ExprPtr> probe_keys_;
  SchemaPtr build_schema_;
  SchemaPtr probe_schema_;
  SchemaPtr joined_schema_;
};

}  // namespace

JoinOperators MakeHashJoin(const sql::JoinNode& node, bool build_left) {
  using sql::JoinKind;
  const bool semi_or_anti =
      node.join_kind == JoinKind::kLeftSemi || node.join_kind == JoinKind::kLeftAnti;
  if (semi_or_anti)
    build_left = false;
  JoinShape shape{node.join_kind, !build_left, false, false, semi_or_anti};
  const bool left_outer = node.join_kind == JoinKind::kLeft || node.join_kind == JoinKind::kFull;
  const bool right_outer = node.join_kind == JoinKind::kRight || node.join_kind == JoinKind::kFull;
  shape.keep_unmatched_probe = shape.probe_is_left ? left_outer : right_outer;
  shape.keep_unmatched_build = shape.probe_is_left ? right_outer : left_outer;
  auto table = std::make_shared<JoinHashTable>();
  const int build_index = build_left ? 0 : 1;
  JoinOperators ops;
  ops.build = std::make_shared<JoinBuildSink>(node.child(build_index)->schema(),
                                              build_left ? node.left_keys : node.right_keys,
                                              node.null_safe, table);
  ops.probe = std::make_shared<JoinProbe>(node, shape, table);
  return ops;
}

}  // namespace sluice::exec
