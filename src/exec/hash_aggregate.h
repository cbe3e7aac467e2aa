// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "exec/basic_ops.h"
#include "exec/group_table.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

/// GROUP BY (and DISTINCT): each thread groups its rows in its own table with its own
/// aggregate states; Combine merges them into the global table
/// (GroupedAggregateState::Merge); Finalize writes the groups and results to `output`.
/// Cannot spill: past the memory limit it fails with kResourceExhausted.
class HashAggregateSink final : public Sink {
 public:
  HashAggregateSink(SchemaPtr schema, std::vector<expr::ExprPtr> groups,
                    std::vector<sql::AggregateCall> aggregates,
                    std::shared_ptr<MaterializedRows> output);
  ~HashAggregateSink() override;
  std::string name() const override { return "HashAggregate"; }
  Result<std::unique_ptr<SinkState>> MakeLocalState(ExecContext& ctx) const override;
  Status Consume(ExecContext& ctx, SinkState& local, const BatchPtr& batch,
                 int input) const override;
  Status Combine(ExecContext& ctx, SinkState& local) const override;
  Status Finalize(ExecContext& ctx) const override;

  struct State;

 private:
  SchemaPtr schema_;
  std::vector<expr::ExprPtr> groups_;
  std::vector<sql::AggregateCall> aggregates_;
  std::shared_ptr<MaterializedRows> output_;
  mutable std::mutex mu_;
  mutable std::unique_ptr<State> global_;  // guarded by mu_
};

}  // namespace sluice::exec
