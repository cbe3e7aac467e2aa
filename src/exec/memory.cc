// SPDX-License-Identifier: Apache-2.0
#include "exec/memory.h"

#include <string>

namespace sluice::exec {

Status MemoryLimitError(std::string_view op, int64_t limit) {
  return Status::ResourceExhausted("[SLUICE_MEMORY_LIMIT] " + std::string(op) +
                                   " needs more than the query memory limit of " +
                                   std::to_string(limit) + " bytes; raise sluice.sql.memoryLimit");
}

void MemoryTracker::UpdatePeak(int64_t value) {
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (value > peak && !peak_.compare_exchange_weak(peak, value, std::memory_order_relaxed)) {
  }
}

Status MemoryTracker::Reserve(int64_t bytes, std::string_view op) {
  int64_t used = used_.load(std::memory_order_relaxed);
  while (true) {
    if (bytes > 0 && used + bytes > limit_) {
      return MemoryLimitError(op, limit_);
    }
    if (used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed)) {
      break;
    }
  }
  UpdatePeak(used + bytes);
  return Status::Ok();
}

void MemoryTracker::ForceReserve(int64_t bytes) {
  UpdatePeak(used_.fetch_add(bytes, std::memory_order_relaxed) + bytes);
}

bool MemoryTracker::WouldFit(int64_t bytes) const {
  return used_.load(std::memory_order_relaxed) + bytes <= limit_;
}

void MemoryTracker::Release(int64_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
}

int64_t VectorBytes(const Vector& vector) {
  int64_t bytes = 0;
  for (const BufferPtr& buffer :
       {vector.validity_buffer(), vector.values_buffer(), vector.data_buffer()}) {
    if (buffer != nullptr) {
      bytes += buffer->capacity();
    }
  }
  for (const VectorPtr& child : vector.children()) {
    bytes += VectorBytes(*child);
  }
  return bytes;
}

int64_t BatchBytes(const Batch& batch) {
  int64_t bytes = 0;
  for (const VectorPtr& column : batch.columns()) {
    bytes += VectorBytes(*column);
  }
  return bytes;
}

Status MemoryReservation::Set(int64_t bytes) {
  if (bytes > bytes_) {
    SLUICE_RETURN_IF_ERROR(tracker_->Reserve(bytes - bytes_, op_));
  } else {
    tracker_->Release(bytes_ - bytes);
  }
  bytes_ = bytes;
  return Status::Ok();
}

void MemoryReservation::ForceSet(int64_t bytes) {
  if (bytes > bytes_) {
    tracker_->ForceReserve(bytes - bytes_);
  } else {
    tracker_->Release(bytes_ - bytes);
  }
  bytes_ = bytes;
}

}  // namespace sluice::exec
