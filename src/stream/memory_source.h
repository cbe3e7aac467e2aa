// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/result.h"
#include "stream/source.h"
#include "types/data_type.h"

/// Spark's MemoryStream: a source fed by the test itself.
namespace sluice::stream {

/// Rows added by a test, block by block, for a streaming query to read (Spark's
/// MemoryStream[A]). Each AddData call adds one block; the offset is the index of the
/// last block added (Spark's LongOffset, serialized as the plain JSON number, e.g. "2"),
/// -1 meaning none. Nothing is persisted: data lives in this object, so a test that
/// "restarts" a query in-process hands the new driver a source from the same
/// MemoryStream. Safe for concurrent use (the test adds while the driver reads).
class MemoryStream {
 public:
  /// `id` names the stream in Description() ("MemoryStream[<id>]") and Identity().
  explicit MemoryStream(SchemaPtr schema, int64_t id = 0);

  const SchemaPtr& schema() const;
  /// Appends one block of rows (of schema(); kInvalidArgument otherwise) and returns the
  /// new latest offset.
  Result<Offset> AddData(std::vector<BatchPtr> batches);
  /// The offset of the last block added; nullopt before the first AddData.
  std::optional<Offset> LatestOffset() const;
  /// Returns a source that reads this stream's blocks (sharing them with this object).
  std::unique_ptr<StreamSource> MakeSource() const;

  /// The shared blocks (internal to memory_source.cc).
  struct State;

 private:
  std::shared_ptr<State> state_;
};

/// Parses a MemoryStream offset ("3", or {"offset":3}); kInvalidArgument otherwise.
Result<int64_t> ParseMemoryOffset(const Offset& offset);

}  // namespace sluice::stream
