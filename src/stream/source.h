// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "common/thread_pool.h"
#include "types/data_type.h"

/// The streaming source interface (Spark's Source / SupportsAdmissionControl): a source
/// whose data can be re-read for any offset range it has handed out, so a micro-batch can
/// be re-run after a crash with exactly the same rows.
namespace sluice::stream {

/// A source's position, serialized as compact JSON (Spark's offset JSON, e.g.
/// {"logOffset":3} for files, {"sourceVersion":1,"reservoirVersion":5,"index":-1,...} for
/// Delta). The driver only stores offsets in the offset log and hands them back.
using Offset = std::string;

/// How much the next batch may take.
enum class ReadLimit : uint8_t {
  /// Honour the source's rate options (maxFilesPerTrigger, maxBytesPerTrigger, ...).
  kRateLimited,
  /// Everything available now (Trigger.Once).
  kAllAvailable,
};

/// What a source needs at start.
struct SourceContext {
  /// `<checkpoint>/sources/<n>`: the source's private logs (created by the driver).
  std::string metadata_dir;
  FileSystem* fs = nullptr;
  /// The query's id (stable across restarts).
  std::string query_id;
  /// Worker threads a source may use inside GetBatch (e.g. to decode files in
  /// parallel); nullptr: none. Shared with the query's plan, which runs after GetBatch.
  ThreadPool* pool = nullptr;
};

/// One streaming source. Used by one query's driver thread; not safe for concurrent use.
class StreamSource {
 public:
  virtual ~StreamSource() = default;

  /// The description in progress JSON (sources[].description), e.g.
  /// "FileStreamSource[file:/data/in]", "DeltaSource[file:/tables/orders]".
  virtual std::string Description() const = 0;
  /// JSON naming what the source reads, e.g. {"format":"json","path":"/data/in"} or
  /// {"format":"delta","tableId":"<metaData.id>"}: saved in sources/<n>/metadata at the
  /// first start and compared at every restart; a different identity means the
  /// checkpoint belongs to another query. Options that may change between restarts
  /// (rate limits) are not part of it.
  virtual std::string Identity() const = 0;
  /// The rows' schema.
  virtual SchemaPtr schema() const = 0;

  /// Called once, before anything else.
  virtual Status Open(const SourceContext& context) {
    (void)context;
    return Status::Ok();
  }
  /// Returns the end offset of the next batch after `start` (nullopt: the query has
  /// consumed nothing yet), bounded by the rate options under kRateLimited. Returns
  /// `start` itself (or nullopt) when there is no new data. May record what the offset
  /// covers in the source's metadata dir (e.g. the files of the batch) before returning.
  virtual Result<std::optional<Offset>> LatestOffset(const std::optional<Offset>& start,
                                                     ReadLimit limit) = 0;
  /// The newest offset available regardless of rate limits (progress "latestOffset"),
  /// when the source knows it.
  virtual std::optional<Offset> ReportLatestOffset() { return std::nullopt; }
  /// Returns exactly the rows of (start, end] in the source's schema. The same range
  /// yields the same rows, also in another process after a restart. A null start means
  /// from the source's beginning (complete mode re-reads from there).
  virtual Result<std::vector<BatchPtr>> GetBatch(const std::optional<Offset>& start,
                                                 const Offset& end) = 0;
  /// Trigger.AvailableNow: called once before the first batch; afterwards LatestOffset
  /// never goes past what is available at this moment.
  virtual Status PrepareForTriggerAvailableNow() { return Status::Ok(); }
  /// Returns whether input exists that a later LatestOffset will take though this one
  /// did not (e.g. a file still being checked for stability), so a trigger that found no
  /// new data does not count as "all available data processed".
  virtual bool HasPendingInput() const { return false; }
  /// Source-specific progress metrics (sources[].metrics), e.g. numFilesOutstanding,
  /// numBytesOutstanding; `consumed` is the end of the last batch.
  virtual std::map<std::string, std::string> Metrics(const std::optional<Offset>& consumed) {
    (void)consumed;
    return {};
  }
  /// Releases resources; the query is stopping.
  virtual void Stop() {}
};

}  // namespace sluice::stream
