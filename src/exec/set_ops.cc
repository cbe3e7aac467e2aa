// SPDX-License-Identifier: Apache-2.0
#include "exec/set_ops.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "columnar/concat.h"
#include "exec/group_table.h"

namespace sluice::exec {
namespace {

struct CountTable {
  CountTable(MemoryTracker* tracker) : reservation(tracker, "SetOperation") {}
  GroupTable table;
  std::vector<int64_t> counts;  // group * num_inputs + input
  MemoryReservation reservation;

  Status UpdateMemory() {
    return reservation.Set(table.memory_bytes() +
                           static_cast<int64_t>(counts.capacity() * sizeof(int64_t)));
  }
};

class SetOpSink final : public Sink {
 public:
  SetOpSink(ExecContext& ctx, const sql::SetOpNode& node, std::shared_ptr<MaterializedRows> output)
      : schema_(node.schema()),
        op_(node.op),
        all_(node.all),
        num_inputs_(static_cast<int>(node.children().size())),
        output_(std::move(output)),
        global_(&ctx.memory) {}
  std::string name() const override { return "SetOperation"; }

  struct Local final : SinkState {
    explicit Local(ExecContext& ctx) : counts(&ctx.memory) {}
    CountTable counts;
  };

  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override {
    return std::unique_ptr<SinkState>(std::make_unique<Local>(ctx));
  }

  Status Consume(ExecContext& /*ctx*/, SinkState& local_state, const BatchPtr& batch,
                 int input) const override {
    CountTable& local = static_cast<Local&>(local_state).counts;
    std::vector<int64_t> ids(batch->num_rows());
    SLUICE_RETURN_IF_ERROR(
        local.table.FindOrInsert(batch->columns(), batch->num_rows(), ids.data()));
    local.counts.resize(local.table.num_groups() * num_inputs_, 0);
    for (int64_t id : ids)
      ++local.counts[id * num_inputs_ + input];
    return local.UpdateMemory();
  }

  Status Combine(ExecContext& /*ctx*/, SinkState& local_state) const override {
    CountTable& local = static_cast<Local&>(local_state).counts;
    const int64_t groups = local.table.num_groups();
    if (groups == 0)
      return Status::Ok();
    SLUICE_ASSIGN_OR_RETURN(auto keys, local.table.KeyColumns(schema_->num_fields()));
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<int64_t> map(groups);
    SLUICE_RETURN_IF_ERROR(global_.table.FindOrInsert(keys, groups, map.data()));
    global_.counts.resize(global_.table.num_groups() * num_inputs_, 0);
    for (int64_t g = 0; g < groups; ++g) {
      for (int i = 0; i < num_inputs_; ++i) {
        global_.counts[map[g] * num_inputs_ + i] += local.counts[g * num_inputs_ + i];
      }
    }
    return global_.UpdateMemory();
  }

  Status Finalize(ExecContext& /*ctx*/) const override {
    std::lock_guard<std::mutex> lock(mu_);
    const int64_t groups = global_.table.num_groups();
    if (groups == 0)
      return Status::Ok();
    std::vector<int64_t> rows;
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t copies = Copies(&global_.counts[g * num_inputs_]);
      for (int64_t c = 0; c < copies; ++c)
        rows.push_back(g);
    }
    if (rows.empty())
      return Status::Ok();
    SLUICE_ASSIGN_OR_RETURN(auto keys, global_.table.KeyColumns(schema_->num_fields()));
    std::vector<VectorPtr> columns;
    for (const VectorPtr& key : keys) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr column, Take(*key, rows));
      columns.push_back(std::move(column));
    }
    output_->batches.push_back(std::make_shared<const Batch>(schema_, std::move(columns),
                                                             static_cast<int64_t>(rows.size())));
    return Status::Ok();
  }

 private:
  /// How many times a row with these per-input counts is output.
  int64_t Copies(const int64_t* counts) const {
    switch (op_) {
      case sql::SetOperation::kUnion:
        return 1;
      case sql::SetOperation::kIntersect:
        return all_ ? std::min(counts[0], counts[1]) : (counts[0] > 0 && counts[1] > 0);
      case sql::SetOperation::kExcept:
        return all_ ? std::max<int64_t>(counts[0] - counts[1], 0)
                    : (counts[0] > 0 && counts[1] == 0);
    }
    return 0;
  }

  SchemaPtr schema_;
  sql::SetOperation op_;
  bool all_;
  int num_inputs_;
  std::shared_ptr<MaterializedRows> output_;
  mutable std::mutex mu_;
  mutable CountTable global_;  // guarded by mu_
};

}  // namespace

std::shared_ptr<const Sink> MakeSetOpSink(ExecContext& ctx, const sql::SetOpNode& node,
                                          std::shared_ptr<MaterializedRows> output) {
  return std::make_shared<SetOpSink>(ctx, node, std::move(output));
}

}  // namespace sluice::exec
