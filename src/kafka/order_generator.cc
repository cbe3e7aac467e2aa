// SPDX-License-Identifier: Apache-2.0
#include "kafka/order_generator.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>

#include "types/datetime.h"

namespace sluice::kafka {
namespace {

/// Kafka-style pools of duplicates: the last this many orders can be sent again.
constexpr size_t kDuplicatePool = 1000;
/// Distinct SKUs; each has one price (in US cents) derived from its number.
constexpr uint64_t kSkus = 500;

struct Region {
  std::string_view name;
  /// Percent of orders from the region.
  uint64_t weight;
  /// The currency most of its orders are in.
  int currency;
};

constexpr std::array<Region, 6> kRegions = {{{"us-east", 30, 0},
                                             {"us-west", 20, 0},
                                             {"eu-central", 15, 1},
                                             {"eu-west", 15, 2},
                                             {"ap-south", 10, 4},
                                             {"ap-northeast", 10, 3}}};

struct Currency {
  std::string_view code;
  /// Units of the currency per US dollar (roughly).
  int64_t per_dollar;
  /// Prices are whole units (no minor unit in practice).
  bool whole_units;
};

constexpr std::array<Currency, 5> kCurrencies = {{{"USD", 1, false},
                                                  {"EUR", 1, false},
                                                  {"GBP", 1, false},
                                                  {"JPY", 150, true},
                                                  {"INR", 83, false}}};

/// Cumulative percentages of the statuses.
constexpr std::array<std::pair<std::string_view, uint64_t>, 5> kStatuses = {
    {{"placed", 40}, {"paid", 65}, {"shipped", 80}, {"delivered", 95}, {"cancelled", 100}}};

/// Appends hundredths as a decimal with 2 places ("12.05").
void AppendMoney(int64_t hundredths, std::string* out) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%lld.%02lld", static_cast<long long>(hundredths / 100),
                static_cast<long long>(hundredths % 100));
  out->append(buffer);
}

/// Replaces the value of member `name` (from after `"name":` up to `end`, which follows
/// the value) with `replacement`; the text stays valid JSON of another type.
std::string ReplaceMember(std::string json, std::string_view name, std::string_view end,
                          std::string_view replacement) {
  const std::string key = "\"" + std::string(name) + "\":";
  const size_t start = json.find(key);
  if (start == std::string::npos)
    return json;
  const size_t value = start + key.size();
  const size_t stop = json.find(end, value);
  if (stop == std::string::npos)
    return json;
  return json.replace(value, stop - value, replacement);
}

}  // namespace

std::string FormatIsoTimestampMs(int64_t epoch_ms) {
  constexpr int64_t kMsPerDay = 86400000;
  int64_t days = epoch_ms / kMsPerDay;
  int64_t in_day = epoch_ms % kMsPerDay;
  if (in_day < 0) {
    in_day += kMsPerDay;
    --days;
  }
  int64_t year = 0;
  int month = 0;
  int day = 0;
  CivilFromDays(static_cast<int32_t>(days), &year, &month, &day);
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(year), month, day, static_cast<long long>(in_day / 3600000),
                static_cast<long long>(in_day / 60000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return buffer;
}

OrderGenerator::OrderGenerator(const Options& options) : options_(options), rng_(options.seed) {
  if (options_.customers < 1)
    options_.customers = 1;
}

uint64_t OrderGenerator::Below(uint64_t bound) {
  return rng_() % bound;
}

bool OrderGenerator::Chance(double pct) {
  return static_cast<double>(Below(1000000)) < pct * 10000.0;
}

OrderEvent OrderGenerator::Next() {
  const int64_t index = count_++;
  const int64_t base_ms = options_.start_time_ms + index * options_.event_interval_us / 1000;
  const double roll = static_cast<double>(Below(1000000)) / 10000.0;  // [0, 100)
  OrderEvent event;
  if (roll < options_.duplicate_pct && !recent_.empty()) {
    event = recent_[Below(recent_.size())];
    event.kind = OrderEventKind::kDuplicate;
    return event;
  }
  event.order_id = next_order_id_++;
  event.key = std::to_string(event.order_id);
  event.order_time_ms = OrderTime(base_ms, &event.late);
  event.value = OrderJson(event.order_id, event.order_time_ms);
  if (roll >= options_.duplicate_pct && roll < options_.duplicate_pct + options_.malformed_pct) {
    event.kind = OrderEventKind::kMalformed;
    event.value = Malform(event.order_id, std::move(event.value));
    return event;
  }
  if (recent_.size() == kDuplicatePool)
    recent_.pop_front();
  recent_.push_back(event);
  return event;
}

int64_t OrderGenerator::OrderTime(int64_t base_ms, bool* late) {
  *late = Chance(options_.late_pct);
  if (*late) {
    return base_ms - 60000 - static_cast<int64_t>(Below(540001));  // 1-10 minutes behind
  }
  if (Below(5) == 0) {
    return base_ms - 1000 - static_cast<int64_t>(Below(4001));  // 1-5 s: out of order
  }
  return base_ms - static_cast<int64_t>(Below(201));
}

std::string OrderGenerator::OrderJson(int64_t order_id, int64_t order_time_ms) {
  // Skewed towards low customer numbers: some customers order much more than others.
  const uint64_t customers = static_cast<uint64_t>(options_.customers);
  const uint64_t customer = std::min(Below(customers), Below(customers)) + 1;
  uint64_t pick = Below(100);
  const Region* region = &kRegions.back();
  for (const Region& candidate : kRegions) {
    if (pick < candidate.weight) {
      region = &candidate;
      break;
    }
    pick -= candidate.weight;
  }
  const Currency& currency = kCurrencies[Below(100) < 85 ? region->currency : 0];
  const uint64_t status_pick = Below(100);
  std::string_view status = kStatuses.back().first;
  for (const auto& [name, cumulative] : kStatuses) {
    if (status_pick < cumulative) {
      status = name;
      break;
    }
  }
  std::string items = "[";
  int64_t amount = 0;
  const uint64_t item_count = 1 + Below(4);
  for (uint64_t i = 0; i < item_count; ++i) {
    const uint64_t sku = Below(kSkus);
    int64_t unit = static_cast<int64_t>(99 + (sku * 7919) % 19900) * currency.per_dollar;
    if (currency.whole_units)
      unit = unit / 100 * 100;
    const int64_t qty = 1 + static_cast<int64_t>(Below(3));
    amount += unit * qty;
    char head[64];
    std::snprintf(head, sizeof(head),
                  "%s{\"sku\":\"SKU-%05llu\",\"qty\":%lld,\"unit_price\":", i == 0 ? "" : ",",
                  static_cast<unsigned long long>(sku), static_cast<long long>(qty));
    items += head;
    AppendMoney(unit, &items);
    items += '}';
  }
  items += ']';
  char head[160];
  std::snprintf(head, sizeof(head),
                "{\"order_id\":%lld,\"customer_id\":\"C%05llu\",\"region\":\"%.*s\","
                "\"status\":\"%.*s\",\"amount\":",
                static_cast<long long>(order_id), static_cast<unsigned long long>(customer),
                static_cast<int>(region->name.size()), region->name.data(),
                static_cast<int>(status.size()), status.data());
  std::string json = head;
  AppendMoney(amount, &json);
  json += ",\"currency\":\"";
  json += currency.code;
  json += "\",\"items\":";
  json += items;
  json += ",\"order_time\":\"";
  json += FormatIsoTimestampMs(order_time_ms);
  json += "\"}";
  return json;
}

std::string OrderGenerator::Malform(int64_t order_id, std::string json) {
  switch (Below(3)) {
    case 0:  // cut short, as by a producer that died mid-write
      json.resize(1 + Below(json.size() - 1));
      return json;
    case 1:  // valid JSON, but a field has the wrong type
      switch (Below(3)) {
        case 0:
          return ReplaceMember(std::move(json), "order_id", ",",
                               "\"ORD-" + std::to_string(order_id) + "\"");
        case 1:
          return ReplaceMember(std::move(json), "amount", ",", "\"n/a\"");
        default:
          return ReplaceMember(std::move(json), "items", ",\"order_time\"", "\"see invoice\"");
      }
    default:  // not JSON at all
      return "order " + std::to_string(order_id) + ": upstream error 502 (payload lost)";
  }
}

}  // namespace sluice::kafka
