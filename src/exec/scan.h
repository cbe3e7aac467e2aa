// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "exec/pipeline.h"
#include "formats/parquet/predicate.h"
#include "sql/logical_plan.h"

namespace sluice::exec {

/// Converts the conjuncts of a scan's pushed filters into a Parquet/Delta skipping
/// predicate: comparisons, IS [NOT] NULL and IN of a column with literals, AND and OR.
/// Column i becomes `columns[i]`. Conjuncts that cannot be expressed are left out (the
/// predicate is only a hint); returns nullptr when none can.
parquet::PredicatePtr ToSkippingPredicate(const std::vector<expr::ExprPtr>& filters,
                                          const std::vector<std::string>& columns);

/// Returns the data files under `path` (the file itself, or every file in the directory
/// and its subdirectories whose name does not start with '_' or '.'), sorted.
Result<std::vector<std::string>> ListDataFiles(FileSystem& fs, const std::string& path);

/// Returns the source reading a ScanNode: one task per file.
std::shared_ptr<Source> MakeScanSource(const sql::ScanNode& node);

}  // namespace sluice::exec
