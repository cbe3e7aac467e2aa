// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "columnar/printer.h"
#include "engine/session.h"

namespace sluice::engine {

/// Runs `sql` and returns its rows, each rendered as cells joined by '|' (NULL for
/// null), in result order; a failing statement fails the test and gives no rows.
inline std::vector<std::string> Rows(Session& session, std::string_view sql) {
  Result<QueryResult> result = session.Execute(sql);
  EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
  std::vector<std::string> rows;
  if (!result.ok()) {
    return rows;
  }
  for (const BatchPtr& batch : result->batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::string row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        row +=
            (c > 0 ? "|" : "") +
            (batch->column(c)->IsNull(r) ? std::string("NULL") : FormatCell(*batch->column(c), r));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace sluice::engine
