// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/vector.h"

namespace sluice::exec {

/// Returns <0, 0 or >0 as row `ra` of `a` sorts before, with or after row `rb` of `b`
/// (vectors of the same type) in Spark's ascending order: NaN above every other number,
/// -0.0 equal to 0.0, strings and binary by unsigned bytes, structs field by field,
/// arrays element by element then by length; a null sorts first, at any depth.
int CompareValues(const Vector& a, int64_t ra, const Vector& b, int64_t rb);

/// One ORDER BY key's direction.
struct SortOrder {
  bool ascending = true;
  bool nulls_first = true;
};

/// Compares two rows on several keys (key k of both rows in a[k] and b[k]).
int CompareRows(const std::vector<VectorPtr>& a, int64_t ra, const std::vector<VectorPtr>& b,
                int64_t rb, const std::vector<SortOrder>& orders);

}  // namespace sluice::exec
