// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/vector.h"
#include "common/result.h"

namespace sluice {

/// Returns one vector holding the rows of `vectors` in order. All must have the same
/// type (DataType::Equals: names and nullability included), else kInvalidArgument, as
/// for an empty list or a null pointer. Slices (non-zero offset) and nested types are
/// handled; the result always owns fresh, compact buffers and has offset 0, so it also
/// serves to compact a slice of a large vector. kResourceExhausted when string bytes
/// or nested elements would exceed the int32 offsets of the Arrow layout.
Result<VectorPtr> Concatenate(const std::vector<VectorPtr>& vectors);

/// Returns one batch holding the rows of `batches` in order. All must have equal
/// schemas (Schema::Equals), else kInvalidArgument, as for an empty list. The result
/// uses the first batch's schema pointer.
Result<BatchPtr> ConcatenateBatches(const std::vector<BatchPtr>& batches);

/// Returns the rows of `source` at `rows`, in that order (repeats allowed). Runs of
/// consecutive rows are copied as blocks. kInvalidArgument when a row is out of range.
Result<VectorPtr> Take(const Vector& source, const std::vector<int64_t>& rows);

/// Appends row `row` of `source` to `builder`, which must be a builder of the same
/// type (as made by VectorBuilder::Make(source.type())); nested values are copied
/// recursively and a null row appends a null. Checks the type id; the caller keeps
/// the nested structure equal.
void AppendValue(const Vector& source, int64_t row, VectorBuilder* builder);

}  // namespace sluice
