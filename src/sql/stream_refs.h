// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

#include "sql/ast.h"

namespace sluice::sql {

/// Every FROM item of `query` marked STREAM (TableRef::stream), wherever it sits: FROM
/// lists and joins, subqueries in FROM and in expressions, CTEs, set operations. In the
/// order they are written (left to right), so a caller can number them and replace each
/// with a kNamed reference to a generated name. The pointers stay valid while `query`
/// lives and is not restructured; the items themselves may be modified in place.
std::vector<TableRef*> FindStreamRefs(QueryNode& query);

}  // namespace sluice::sql
