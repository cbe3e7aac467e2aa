// SPDX-License-Identifier: Apache-2.0
#include "common/sync_point.h"

#include <atomic>
#include <memory>
#include <mutex>

namespace sluice {

namespace {

std::atomic<bool> g_enabled{false};

std::mutex& CallbackMutex() {
  static std::mutex mu;
  return mu;
}

std::shared_ptr<SyncPoints::Callback>& CallbackSlot() {
  static std::shared_ptr<SyncPoints::Callback> callback;
  return callback;
}

}  // namespace

void SyncPoints::SetCallback(Callback callback) {
  std::lock_guard<std::mutex> lock(CallbackMutex());
  CallbackSlot() = std::make_shared<Callback>(std::move(callback));
  // Release: a Process that sees the flag also sees the callback (it takes the mutex).
  g_enabled.store(true, std::memory_order_release);
}

void SyncPoints::ClearCallback() {
  std::lock_guard<std::mutex> lock(CallbackMutex());
  g_enabled.store(false, std::memory_order_release);
  CallbackSlot().reset();
}

Status SyncPoints::Process(std::string_view point) {
  // Relaxed is enough for the fast path: a stale "false" only skips a callback being
  // installed concurrently, which tests do before starting the work they observe.
  if (!g_enabled.load(std::memory_order_relaxed)) {
    return Status::Ok();
  }
  std::shared_ptr<Callback> callback;
  {
    std::lock_guard<std::mutex> lock(CallbackMutex());
    callback = CallbackSlot();
  }
  return callback == nullptr ? Status::Ok() : (*callback)(point);
}

}  // namespace sluice
