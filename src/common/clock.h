// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>

namespace sluice {

/// A source of time. Production code takes a Clock& so tests can control time.
/// Implementations are safe for concurrent use.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Returns wall-clock time in microseconds since the Unix epoch.
  virtual int64_t NowMicros() const = 0;
  /// Returns a monotonic time in nanoseconds, for measuring durations.
  virtual int64_t MonotonicNanos() const = 0;
  /// Returns the process-wide real clock.
  static Clock& System();
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
  int64_t MonotonicNanos() const override;
};

/// A clock that moves only when told to. Both readings advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_micros = 0) : micros_(start_micros) {}
  int64_t NowMicros() const override { return micros_.load(std::memory_order_acquire); }
  int64_t MonotonicNanos() const override { return NowMicros() * 1000; }
  void AdvanceMicros(int64_t delta) { micros_.fetch_add(delta, std::memory_order_acq_rel); }
  void SetMicros(int64_t micros) { micros_.store(micros, std::memory_order_release); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace sluice
