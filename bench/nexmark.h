// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "types/data_type.h"

namespace sluice::bench {

/// Generates Nexmark bid events as NDJSON, deterministically: the same seed gives the
/// same bytes. Records look like
///   {"event_type":"bid","auction":1001,"bidder":2001,"price":1234,"channel":"Google",
///    "url":"https://www.nexmark.com/...","date_time":"2024-01-01T00:00:00.123Z",
///    "extra":"..."}
/// and average about 207 bytes per line, newline included.
class NexmarkBidGenerator {
 public:
  explicit NexmarkBidGenerator(uint64_t seed = 42) : state_(seed) {}

  /// Appends one bid line (with its '\n') to `out`.
  void AppendBid(std::string* out);
  /// Returns `rows` bid lines.
  std::string Generate(int64_t rows);

  /// The schema that reads every field: strings, bigints and a timestamp.
  static SchemaPtr Schema();

 private:
  uint64_t Next();
  uint64_t Below(uint64_t bound) { return Next() % bound; }
  void AppendRandomWord(int length, std::string* out);

  uint64_t state_;
  int64_t event_ = 0;
};

}  // namespace sluice::bench
