// SPDX-License-Identifier: Apache-2.0
#include "nexmark.h"

#include <fmt/format.h>

namespace sluice::bench {
namespace {

constexpr const char* kChannels[] = {"Google", "Facebook", "Baidu", "Apple"};
constexpr int64_t kBaseMillis = 1704067200000;  // 2024-01-01T00:00:00Z

}  // namespace

uint64_t NexmarkBidGenerator::Next() {
  // splitmix64
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void NexmarkBidGenerator::AppendRandomWord(int length, std::string* out) {
  for (int i = 0; i < length; ++i) {
    out->push_back(static_cast<char>('a' + Below(26)));
  }
}

void NexmarkBidGenerator::AppendBid(std::string* out) {
  const int64_t event = event_++;
  // As Nexmark: hot auctions and bidders most of the time, others uniformly.
  const uint64_t auction = Below(100) < 90 ? 1000 + Below(100) : 1000 + Below(event / 10 + 100);
  const uint64_t bidder = Below(100) < 90 ? 2000 + Below(100) : 2000 + Below(event / 5 + 100);
  const uint64_t price = 100 + Below(Below(10) == 0 ? 1000000 : 10000);
  const char* channel = kChannels[Below(4)];
  const int64_t millis = kBaseMillis + event * 10 + static_cast<int64_t>(Below(10));
  const int64_t seconds = millis / 1000;
  const int64_t day_seconds = seconds % 86400;
  const int64_t day = seconds / 86400 - 19723;  // days since 2024-01-01
  out->append(R"({"event_type":"bid","auction":)");
  fmt::format_to(std::back_inserter(*out), "{}", auction);
  out->append(R"(,"bidder":)");
  fmt::format_to(std::back_inserter(*out), "{}", bidder);
  out->append(R"(,"price":)");
  fmt::format_to(std::back_inserter(*out), "{}", price);
  out->append(R"(,"channel":")");
  out->append(channel);
  out->append(R"(","url":"https://www.nexmark.com/)");
  AppendRandomWord(5, out);
  out->push_back('/');
  AppendRandomWord(5, out);
  out->append("/item.htm?query=1");
  if (Below(4) == 0) {
    fmt::format_to(std::back_inserter(*out), "&channel_id={}", Below(1 << 20));
  }
  // Days past January wrap into the month: the generator only needs valid dates.
  fmt::format_to(std::back_inserter(*out),
                 R"(","date_time":"2024-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z","extra":")",
                 1 + (day / 28) % 12, 1 + day % 28, day_seconds / 3600, (day_seconds / 60) % 60,
                 day_seconds % 60, millis % 1000);
  AppendRandomWord(static_cast<int>(4 + Below(12)), out);
  out->append("\"}\n");
}

std::string NexmarkBidGenerator::Generate(int64_t rows) {
  std::string out;
  out.reserve(static_cast<size_t>(rows) * 212);
  for (int64_t i = 0; i < rows; ++i) {
    AppendBid(&out);
  }
  return out;
}

SchemaPtr NexmarkBidGenerator::Schema() {
  return MakeSchema({MakeField("event_type", StringType()), MakeField("auction", LongType()),
                     MakeField("bidder", LongType()), MakeField("price", LongType()),
                     MakeField("channel", StringType()), MakeField("url", StringType()),
                     MakeField("date_time", TimestampType()), MakeField("extra", StringType())});
}

}  // namespace sluice::bench
