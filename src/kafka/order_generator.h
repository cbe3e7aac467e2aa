// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <string>

namespace sluice::kafka {

/// What an order event is.
enum class OrderEventKind : uint8_t {
  /// A new order, valid JSON of the order schema.
  kOrder,
  /// An earlier kOrder event sent again verbatim (same key and value).
  kDuplicate,
  /// A broken record of a new order: truncated JSON, a field of the wrong type, or text
  /// that is not JSON.
  kMalformed,
};

/// One generated event: the Kafka key and value.
struct OrderEvent {
  /// The order_id as decimal text.
  std::string key;
  /// The JSON object (or the broken text of a kMalformed event), one line.
  std::string value;
  OrderEventKind kind = OrderEventKind::kOrder;
  int64_t order_id = 0;
  /// The order_time written in the value, milliseconds since the epoch.
  int64_t order_time_ms = 0;
  /// order_time is minutes behind the event's place in the sequence (late_pct).
  bool late = false;
};

/// Deterministic realistic order events for the demo, benchmarks and tests: the same
/// options (seed included) give the same sequence, byte for byte.
///
/// Each kOrder value is one JSON object with, in this order: order_id (long, 1, 2, ...),
/// customer_id ("C00042"), region (us-east, us-west, eu-central, eu-west, ap-south,
/// ap-northeast), status (placed, paid, shipped, delivered, cancelled), amount (2
/// decimal places, the sum of qty * unit_price over the items), currency (USD, EUR, GBP,
/// JPY, INR; mostly the region's), items (array of {sku, qty, unit_price}) and order_time
/// (ISO-8601 UTC with milliseconds, "2026-11-25T10:00:00.123Z").
///
/// Event n (from 0) sits at start_time_ms + n * event_interval_us / 1000 of event time;
/// order_time is that minus a jitter: most within 200 ms, one in five 1-5 s behind (out
/// of order), and late_pct percent 1-10 minutes behind (late).
class OrderGenerator {
 public:
  struct Options {
    uint64_t seed = 1;
    /// Percentages, 0..100 (duplicate_pct + malformed_pct at most 100).
    double late_pct = 0;
    double duplicate_pct = 0;
    double malformed_pct = 0;
    /// Event time of the first event, milliseconds since the epoch.
    int64_t start_time_ms = 0;
    /// Event time between successive events, microseconds (1000: 1000 events/s).
    int64_t event_interval_us = 1000;
    /// Distinct customers, C00001..
    int32_t customers = 5000;
  };

  explicit OrderGenerator(const Options& options);

  /// Returns the next event.
  OrderEvent Next();

  /// Events returned so far.
  int64_t count() const { return count_; }

 private:
  /// A uniform integer in [0, bound).
  uint64_t Below(uint64_t bound);
  /// True with probability `pct` percent.
  bool Chance(double pct);
  int64_t OrderTime(int64_t base_ms, bool* late);
  std::string OrderJson(int64_t order_id, int64_t order_time_ms);
  std::string Malform(int64_t order_id, std::string json);

  Options options_;
  std::mt19937_64 rng_;
  int64_t count_ = 0;
  int64_t next_order_id_ = 1;
  /// Recent kOrder events, the pool duplicates are drawn from.
  std::deque<OrderEvent> recent_;
};

/// Formats milliseconds since the epoch as "yyyy-MM-ddTHH:mm:ss.SSSZ" (UTC).
std::string FormatIsoTimestampMs(int64_t epoch_ms);

}  // namespace sluice::kafka
