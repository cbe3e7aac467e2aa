// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "columnar/batch.h"
#include "common/status.h"

namespace sluice::exec {

/// Counts the bytes one query's operators hold (hash tables, sort buffers, window
/// partitions) against the query's limit. Safe for concurrent use.
class MemoryTracker {
 public:
  explicit MemoryTracker(int64_t limit_bytes) : limit_(limit_bytes) {}

  /// Adds `bytes` to the query's total. When the total would pass the limit, adds
  /// nothing and returns kResourceExhausted naming `op` ("[SLUICE_MEMORY_LIMIT] <op>
  /// needs more than the query memory limit of N bytes; ...").
  Status Reserve(int64_t bytes, std::string_view op);
  /// Adds `bytes` without checking (an operator that will spill right after).
  void ForceReserve(int64_t bytes);
  /// Returns whether `bytes` more would still fit under the limit.
  bool WouldFit(int64_t bytes) const;
  void Release(int64_t bytes);

  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  int64_t limit() const { return limit_; }

  /// Adds to the bytes written to spill files.
  void AddSpilled(int64_t bytes) { spilled_.fetch_add(bytes, std::memory_order_relaxed); }
  int64_t spilled() const { return spilled_.load(std::memory_order_relaxed); }

 private:
  void UpdatePeak(int64_t value);

  const int64_t limit_;
  // Relaxed: the counters order nothing; they are read after the query's threads join.
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
  std::atomic<int64_t> spilled_{0};
};

/// Returns the error an operator that cannot spill gives past the memory limit.
Status MemoryLimitError(std::string_view op, int64_t limit);

/// Returns the bytes held by the buffers of `vector` (children included). Shared
/// buffers of slices count whole.
int64_t VectorBytes(const Vector& vector);
/// Returns the bytes of all columns of `batch`.
int64_t BatchBytes(const Batch& batch);

/// Tracks the bytes one operator state holds and keeps the tracker in step: Set() the
/// current size after each change; the destructor releases everything.
class MemoryReservation {
 public:
  MemoryReservation(MemoryTracker* tracker, std::string_view op) : tracker_(tracker), op_(op) {}
  ~MemoryReservation() { tracker_->Release(bytes_); }
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  /// Sets the held size to `bytes`; growing past the limit fails (nothing changes).
  Status Set(int64_t bytes);
  /// Sets the held size without checking the limit.
  void ForceSet(int64_t bytes);
  int64_t bytes() const { return bytes_; }

 private:
  MemoryTracker* tracker_;
  std::string_view op_;
  int64_t bytes_ = 0;
};

}  // namespace sluice::exec
