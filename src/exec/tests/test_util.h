// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the exec tests: batches from literal rows, rows as text, small
// scalar kernels, and running a plan single- and multi-threaded.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/printer.h"
#include "common/thread_pool.h"
#include "exec/executor.h"
#include "expr/expression.h"
#include "sql/logical_plan.h"

namespace sluice::exec::testing {

/// A nullable long column value.
using Cell = std::optional<int64_t>;

/// Returns a batch of long columns named by `names` from `rows`.
inline BatchPtr LongBatch(const std::vector<std::string>& names,
                          const std::vector<std::vector<Cell>>& rows) {
  std::vector<Field> fields;
  for (const std::string& name : names)
    fields.push_back(MakeField(name, LongType()));
  BatchBuilder builder(MakeSchema(fields));
  for (const auto& row : rows) {
    for (size_t c = 0; c < names.size(); ++c) {
      auto* column = static_cast<Int64Builder*>(builder.column(static_cast<int>(c)));
      if (row[c].has_value()) {
        column->Append(*row[c]);
      } else {
        column->AppendNull();
      }
    }
  }
  return builder.Finish();
}

inline sql::PlanPtr Values(std::vector<BatchPtr> batches) {
  SchemaPtr schema = batches[0]->schema();
  return std::make_shared<sql::ValuesNode>(schema, std::move(batches));
}

inline sql::PlanPtr LongValues(const std::vector<std::string>& names,
                               const std::vector<std::vector<Cell>>& rows) {
  return Values({LongBatch(names, rows)});
}

inline expr::ExprPtr Col(int index, TypePtr type = LongType()) {
  return expr::Expression::Column(index, std::move(type));
}

inline expr::ExprPtr Lit(int64_t value) {
  return expr::Expression::Literal(expr::MakeLongScalar(value));
}

/// Every row as "v1|v2|...", in output order.
inline std::vector<std::string> RowStrings(const std::vector<BatchPtr>& batches) {
  std::vector<std::string> rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        if (c > 0)
          row += "|";
        row += FormatCell(*batch->column(c), r);
      }
      rows.push_back(row);
    }
  }
  return rows;
}

inline std::vector<std::string> Sorted(std::vector<std::string> rows) {
  std::sort(rows.begin(), rows.end());
  return rows;
}

/// A comparison of two longs (`op` is one of < <= > >= = !=) as a scalar call with its
/// own kernel, null when either side is null.
expr::ExprPtr Compare(const std::string& op, expr::ExprPtr left, expr::ExprPtr right);

/// Runs `plan` single-threaded, and with a pool of 3 threads; expects both to succeed
/// with the same rows (in any order) and returns the single-threaded rows.
std::vector<std::string> RunBoth(const sql::PlanPtr& plan, ExecOptions options = {});
/// As RunBoth, expecting the rows in the same order.
std::vector<std::string> RunBothOrdered(const sql::PlanPtr& plan, ExecOptions options = {});

/// Runs `plan` on the calling thread and returns its rows, or the error text.
Result<std::vector<std::string>> Run(const sql::PlanPtr& plan, const ExecOptions& options = {});

}  // namespace sluice::exec::testing

namespace sluice::exec::testing {

/// Binds built-in aggregate `name` over `args` (from FunctionRegistry::Default()).
sql::AggregateCall Aggregate(const std::string& name, std::vector<expr::ExprPtr> args,
                             bool distinct = false);

}  // namespace sluice::exec::testing
