// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/pipeline.h"
#include "exec/row_compare.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

struct SortState;

/// ORDER BY: a sink that buffers rows with their evaluated keys (sorting and spilling
/// them to Parquet runs under options.spill_dir when the memory limit is reached) and a
/// single-task source that emits the rows in order (k-way merging the runs). With a
/// limit it keeps only the first offset + limit rows (a top-N), never spilling.
struct SortOperators {
  std::shared_ptr<const Sink> sink;
  std::shared_ptr<Source> source;
};

SortOperators MakeSort(ExecContext& ctx, SchemaPtr schema, std::vector<sql::SortKey> keys,
                       std::optional<int64_t> limit, int64_t offset);

/// Sorts `keyed` (data columns then key columns) and returns the row order (only its
/// first `limit` rows when `limit` >= 0).
std::vector<int64_t> SortIndices(const Batch& keyed, int num_keys,
                                 const std::vector<SortOrder>& orders, int64_t limit = -1);

/// Writes `keyed` rows in `order` to a new spill file; returns its path.
Result<std::string> WriteRun(ExecContext& ctx, const Batch& keyed,
                             const std::vector<int64_t>& order);

/// Merges sorted runs, emitting the first `num_columns` columns of each row under
/// `schema` in batches of kDefaultBatchRows, in order.
Status MergeRuns(const std::vector<std::string>& runs, const SchemaPtr& schema, int num_keys,
                 const std::vector<SortOrder>& orders, const Emit& emit);

}  // namespace sluice::exec
