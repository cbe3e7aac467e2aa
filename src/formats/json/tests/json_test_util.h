// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "columnar/printer.h"
#include "formats/json/json_decoder.h"
#include "types/ddl.h"

namespace sluice::json::testing {

using Rows = std::vector<std::vector<std::string>>;

/// Returns every row of `batches` as Spark's show() cell texts.
inline Rows ToRows(const std::vector<BatchPtr>& batches) {
  Rows rows;
  for (const BatchPtr& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        row.push_back(FormatCell(*batch->column(c), r));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

inline SchemaPtr Ddl(std::string_view ddl) {
  auto schema = ParseDdlSchema(ddl);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? *schema : MakeSchema({});
}

/// Reads `data` with the schema in DDL form (empty: inferred) and returns its rows.
inline Rows Read(std::string_view data, std::string_view ddl, const JsonReadOptions& options = {}) {
  auto batches = ReadJson(data, ddl.empty() ? nullptr : Ddl(ddl), options);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  return batches.ok() ? ToRows(*batches) : Rows{};
}

}  // namespace sluice::json::testing
