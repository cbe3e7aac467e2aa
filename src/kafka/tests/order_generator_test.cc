// SPDX-License-Identifier: Apache-2.0
#include "kafka/order_generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/json.h"
#include "types/datetime.h"

namespace sluice::kafka {
namespace {

constexpr int64_t kStart = 1795600800000;  // 2026-11-25T10:00:00Z

OrderGenerator::Options Messy(uint64_t seed) {
  OrderGenerator::Options options;
  options.seed = seed;
  options.late_pct = 5;
  options.duplicate_pct = 3;
  options.malformed_pct = 2;
  options.start_time_ms = kStart;
  return options;
}

std::vector<OrderEvent> Generate(const OrderGenerator::Options& options, int count) {
  OrderGenerator generator(options);
  std::vector<OrderEvent> events;
  for (int i = 0; i < count; ++i)
    events.push_back(generator.Next());
  return events;
}

/// Hundredths of a decimal with exactly 2 places ("12.05" -> 1205); -1 otherwise.
int64_t Hundredths(const JsonValue& number) {
  const std::string& text = number.text();
  const size_t dot = text.find('.');
  if (!number.is_number() || dot == std::string::npos || text.size() - dot != 3)
    return -1;
  return std::stoll(text.substr(0, dot)) * 100 + std::stoll(text.substr(dot + 1));
}

/// Checks one order's structure: field names and order, types, and amount = sum of items.
void ExpectValidOrder(const OrderEvent& event) {
  auto parsed = JsonValue::Parse(event.value);
  ASSERT_TRUE(parsed.ok()) << event.value;
  ASSERT_TRUE(parsed->is_object());
  std::vector<std::string> names;
  for (const auto& member : parsed->members())
    names.push_back(member.first);
  EXPECT_EQ(names, (std::vector<std::string>{"order_id", "customer_id", "region", "status",
                                             "amount", "currency", "items", "order_time"}));
  EXPECT_EQ(*parsed->Find("order_id")->AsInt64(), event.order_id);
  EXPECT_EQ(event.key, std::to_string(event.order_id));
  const std::string& customer = parsed->Find("customer_id")->text();
  EXPECT_EQ(customer.size(), 6u);
  EXPECT_EQ(customer[0], 'C');
  EXPECT_TRUE(parsed->Find("region")->is_string());
  EXPECT_TRUE(parsed->Find("status")->is_string());
  int64_t sum = 0;
  const JsonValue* items = parsed->Find("items");
  ASSERT_TRUE(items->is_array());
  ASSERT_FALSE(items->items().empty());
  for (const JsonValue& item : items->items()) {
    ASSERT_TRUE(item.Find("sku")->is_string());
    const int64_t qty = *item.Find("qty")->AsInt64();
    const int64_t unit = Hundredths(*item.Find("unit_price"));
    ASSERT_GT(unit, 0) << event.value;
    sum += qty * unit;
  }
  EXPECT_EQ(Hundredths(*parsed->Find("amount")), sum) << event.value;
  int64_t micros = 0;
  ASSERT_TRUE(ParseTimestamp(parsed->Find("order_time")->text(), &micros));
  EXPECT_EQ(micros / 1000, event.order_time_ms);
}

TEST(OrderGeneratorTest, TheSameSeedGivesTheSameEvents) {
  const auto first = Generate(Messy(7), 2000);
  const auto second = Generate(Messy(7), 2000);
  const auto other = Generate(Messy(8), 2000);
  int differing = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].key, second[i].key);
    EXPECT_EQ(first[i].value, second[i].value);
    EXPECT_EQ(first[i].kind, second[i].kind);
    differing += first[i].value != other[i].value ? 1 : 0;
  }
  EXPECT_GT(differing, 1900);
}

TEST(OrderGeneratorTest, FirstEventIsAWellFormedOrderAtTheStartTime) {
  const auto events = Generate(Messy(7), 1);
  EXPECT_EQ(events[0].kind, OrderEventKind::kOrder);
  EXPECT_EQ(events[0].order_id, 1);
  EXPECT_EQ(events[0].value.rfind("{\"order_id\":1,\"customer_id\":\"C", 0), 0u);
  ExpectValidOrder(events[0]);
  EXPECT_LE(events[0].order_time_ms, kStart);
}

TEST(OrderGeneratorTest, PercentagesAreRoughlyHonoured) {
  const auto events = Generate(Messy(42), 10000);
  std::map<OrderEventKind, int> kinds;
  int late = 0;
  int out_of_order = 0;
  for (const OrderEvent& event : events) {
    ++kinds[event.kind];
    if (event.kind == OrderEventKind::kOrder)
      late += event.late ? 1 : 0;
  }
  EXPECT_NEAR(kinds[OrderEventKind::kDuplicate], 300, 75);
  EXPECT_NEAR(kinds[OrderEventKind::kMalformed], 200, 60);
  EXPECT_NEAR(late, 0.05 * kinds[OrderEventKind::kOrder], 100);
  for (size_t i = 1; i < events.size(); ++i) {
    out_of_order += events[i].order_time_ms < events[i - 1].order_time_ms ? 1 : 0;
  }
  EXPECT_GT(out_of_order, 1000);  // about one in five is seconds behind
}

TEST(OrderGeneratorTest, NoneOfAnythingWithoutPercentages) {
  OrderGenerator::Options clean;
  clean.seed = 3;
  clean.start_time_ms = kStart;
  for (const OrderEvent& event : Generate(clean, 3000)) {
    EXPECT_EQ(event.kind, OrderEventKind::kOrder);
    EXPECT_FALSE(event.late);
    // At most 5 s behind its place in the sequence (1 ms apart), never ahead.
    const int64_t place = kStart + (event.order_id - 1);
    EXPECT_LE(event.order_time_ms, place);
    EXPECT_GE(event.order_time_ms, place - 5000);
  }
}

TEST(OrderGeneratorTest, OrdersAreValidJsonWithIncreasingIdsAndConsistentAmounts) {
  int64_t last_id = 0;
  std::set<std::string> regions;
  std::set<std::string> currencies;
  std::set<std::string> statuses;
  for (const OrderEvent& event : Generate(Messy(11), 10000)) {
    if (event.kind == OrderEventKind::kDuplicate)
      continue;
    EXPECT_EQ(event.order_id, last_id + 1);  // malformed records use up an id too
    last_id = event.order_id;
    if (event.kind != OrderEventKind::kOrder)
      continue;
    ExpectValidOrder(event);
    auto parsed = JsonValue::Parse(event.value);
    regions.insert(parsed->Find("region")->text());
    currencies.insert(parsed->Find("currency")->text());
    statuses.insert(parsed->Find("status")->text());
  }
  EXPECT_EQ(regions, (std::set<std::string>{"us-east", "us-west", "eu-central", "eu-west",
                                            "ap-south", "ap-northeast"}));
  EXPECT_EQ(currencies, (std::set<std::string>{"USD", "EUR", "GBP", "JPY", "INR"}));
  EXPECT_EQ(statuses,
            (std::set<std::string>{"placed", "paid", "shipped", "delivered", "cancelled"}));
}

TEST(OrderGeneratorTest, DuplicatesRepeatAnEarlierOrderVerbatim) {
  std::map<std::string, std::string> sent;
  int duplicates = 0;
  for (const OrderEvent& event : Generate(Messy(5), 5000)) {
    if (event.kind == OrderEventKind::kDuplicate) {
      ++duplicates;
      ASSERT_EQ(sent.count(event.key), 1u);
      EXPECT_EQ(sent[event.key], event.value);
    } else if (event.kind == OrderEventKind::kOrder) {
      sent[event.key] = event.value;
    }
  }
  EXPECT_GT(duplicates, 0);
}

TEST(OrderGeneratorTest, MalformedRecordsAreBrokenInEachWay) {
  int not_json = 0;
  int wrong_type = 0;
  for (const OrderEvent& event : Generate(Messy(9), 20000)) {
    if (event.kind != OrderEventKind::kMalformed)
      continue;
    EXPECT_EQ(event.value.find('\n'), std::string::npos);
    auto parsed = JsonValue::Parse(event.value);
    if (!parsed.ok()) {
      ++not_json;
      continue;
    }
    ++wrong_type;
    ASSERT_TRUE(parsed->is_object()) << event.value;
    const bool bad_id = !parsed->Find("order_id")->is_number();
    const bool bad_amount = !parsed->Find("amount")->is_number();
    const bool bad_items = !parsed->Find("items")->is_array();
    EXPECT_EQ(bad_id + bad_amount + bad_items, 1) << event.value;
  }
  EXPECT_GT(not_json, 100);  // truncated or plain text: about two in three
  EXPECT_GT(wrong_type, 50);
}

TEST(OrderGeneratorTest, FormatsTimestampsAsIsoUtcWithMilliseconds) {
  EXPECT_EQ(FormatIsoTimestampMs(kStart + 123), "2026-11-25T10:00:00.123Z");
  EXPECT_EQ(FormatIsoTimestampMs(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoTimestampMs(-1), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace sluice::kafka
