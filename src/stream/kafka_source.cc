// SPDX-License-Identifier: Apache-2.0
#include "stream/kafka_source.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/ascii.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/logging.h"
#include "stream/trigger.h"

namespace sluice::stream {
namespace {

using kafka::PartitionName;
using kafka::TopicPartition;

constexpr std::string_view kDataLossAdvice =
    " Some data may have been lost because they are not available in Kafka any more; either "
    "the data was aged out by Kafka or the topic may have been deleted before all the data "
    "in the topic was processed. If you want your streaming query to continue on such "
    "cases, set the source option \"failOnDataLoss\" to \"false\".";

// Offsets of the query's start, as Spark keeps them in sources/<n>/0.
constexpr std::string_view kInitialOffsetsVersion = "v1";

Result<int64_t> ParseLong(std::string_view key, const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(
        fmt::format("Kafka option '{}': '{}' is not a valid long", key, text));
  }
  return value;
}

Result<KafkaOffsetSpec> ParseOffsetSpec(std::string_view key, const std::string& text,
                                        bool by_timestamp) {
  KafkaOffsetSpec spec;
  std::string lower = ToLowerAscii(TrimAscii(text));
  if (!by_timestamp && lower == "earliest") {
    spec.kind = KafkaOffsetSpec::Kind::kEarliest;
    return spec;
  }
  if (!by_timestamp && lower == "latest") {
    spec.kind = KafkaOffsetSpec::Kind::kLatest;
    return spec;
  }
  auto offsets = ParseKafkaOffsets(text, key);
  if (!offsets.ok()) {
    return Status::InvalidArgument(fmt::format(
        "Kafka option '{}': expected {}, got '{}' ({})", key,
        by_timestamp ? "JSON like {\"topicA\":{\"0\":1700000000000}}"
                     : "'earliest', 'latest' or JSON like {\"topicA\":{\"0\":23,\"1\":-2}}",
        text, offsets.status().message()));
  }
  spec.kind = by_timestamp ? KafkaOffsetSpec::Kind::kTimestamps : KafkaOffsetSpec::Kind::kOffsets;
  spec.offsets = std::move(offsets).value();
  for (const auto& [partition, value] : spec.offsets) {
    if (value < (by_timestamp ? 0 : -2)) {
      return Status::InvalidArgument(fmt::format(
          "Kafka option '{}': {} of partition {} is not valid ({})", key, value,
          PartitionName(partition),
          by_timestamp ? "timestamps are milliseconds since the epoch"
                       : "an offset is -2 for earliest, -1 for latest, or 0 and above"));
    }
  }
  return spec;
}

// Spark's precedence: *Timestamp > *OffsetsByTimestamp > *Offsets.
Result<KafkaOffsetSpec> ReadOffsetSpec(const OptionMap& map, std::string_view prefix,
                                       KafkaOffsetSpec::Kind default_kind) {
  const std::string timestamp_key = std::string(prefix) + "Timestamp";
  const std::string by_timestamp_key = std::string(prefix) + "OffsetsByTimestamp";
  const std::string offsets_key = std::string(prefix) + "Offsets";
  if (const std::string* text = map.Find(timestamp_key)) {
    KafkaOffsetSpec spec;
    spec.kind = KafkaOffsetSpec::Kind::kTimestamp;
    SLUICE_ASSIGN_OR_RETURN(spec.timestamp_ms, ParseLong(timestamp_key, *text));
    if (spec.timestamp_ms < 0) {
      return Status::InvalidArgument(
          fmt::format("Kafka option '{}': {} is not valid (milliseconds since the epoch)",
                      timestamp_key, spec.timestamp_ms));
    }
    return spec;
  }
  if (const std::string* text = map.Find(by_timestamp_key)) {
    return ParseOffsetSpec(by_timestamp_key, *text, true);
  }
  if (const std::string* text = map.Find(offsets_key)) {
    return ParseOffsetSpec(offsets_key, *text, false);
  }
  KafkaOffsetSpec spec;
  spec.kind = default_kind;
  return spec;
}

Result<std::optional<int64_t>> ReadPositiveLong(const OptionMap& map, std::string_view key) {
  const std::string* text = map.Find(key);
  if (text == nullptr)
    return std::optional<int64_t>();
  SLUICE_ASSIGN_OR_RETURN(int64_t value, ParseLong(key, *text));
  if (value <= 0) {
    return Status::InvalidArgument(
        fmt::format("Kafka option '{}' must be a positive integer, got {}", key, *text));
  }
  return std::optional<int64_t>(value);
}

}  // namespace

Result<PartitionOffsets> ParseKafkaOffsets(std::string_view json, std::string_view what) {
  auto parsed = JsonValue::Parse(json);
  if (!parsed.ok() || !parsed->is_object()) {
    return Status::InvalidArgument(fmt::format("{}: not a JSON object of topics: {}", what, json));
  }
  PartitionOffsets offsets;
  for (const auto& [topic, partitions] : parsed->members()) {
    if (!partitions.is_object()) {
      return Status::InvalidArgument(
          fmt::format("{}: topic '{}' must map partitions to offsets", what, topic));
    }
    for (const auto& [partition, offset] : partitions.members()) {
      int32_t id = 0;
      auto [end, ec] = std::from_chars(partition.data(), partition.data() + partition.size(), id);
      if (ec != std::errc() || end != partition.data() + partition.size() || id < 0) {
        return Status::InvalidArgument(fmt::format(
            "{}: '{}' of topic '{}' is not a partition number", what, partition, topic));
      }
      auto value = offset.AsInt64();
      if (!offset.is_number() || !value.ok()) {
        return Status::InvalidArgument(
            fmt::format("{}: the offset of partition {}-{} is not a long", what, topic, partition));
      }
      offsets[TopicPartition{topic, id}] = *value;
    }
  }
  return offsets;
}

std::string KafkaOffsetsJson(const PartitionOffsets& offsets) {
  std::string out = "{";
  std::string_view topic;
  bool first_topic = true;
  for (const auto& [partition, offset] : offsets) {
    if (first_topic || partition.topic != topic) {
      if (!first_topic)
        out += "},";
      AppendJsonString(partition.topic, &out);
      out += ":{";
      topic = partition.topic;
      first_topic = false;
    } else {
      out += ',';
    }
    out += fmt::format("\"{}\":{}", partition.partition, offset);
  }
  if (!first_topic)
    out += '}';
  out += '}';
  return out;
}

Result<KafkaSourceOptions> KafkaSourceOptions::FromOptions(const OptionList& options,
                                                           bool streaming) {
  KafkaSourceOptions result;
  OptionMap map(options, "Kafka");
  SLUICE_ASSIGN_OR_RETURN(result.client_properties, kafka::UserProperties(options, "consumer"));
  result.commit_to_group =
      std::any_of(result.client_properties.begin(), result.client_properties.end(),
                  [](const auto& property) { return property.first == "group.id"; });
  const std::string* subscribe = map.Find("subscribe");
  const std::string* pattern = map.Find("subscribePattern");
  const std::string* assign = map.Find("assign");
  int strategies = (subscribe != nullptr) + (pattern != nullptr) + (assign != nullptr);
  if (strategies == 0) {
    return Status::InvalidArgument(
        "One of the following options must be specified for Kafka source: subscribe, "
        "subscribePattern, assign. See the docs for more details.");
  }
  if (strategies > 1) {
    return Status::InvalidArgument(
        "Only one of the following options can be specified for Kafka source: subscribe, "
        "subscribePattern, assign. See the docs for more details.");
  }
  if (subscribe != nullptr) {
    std::string_view rest = *subscribe;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view trimmed = TrimAscii(rest.substr(0, comma));
      if (!trimmed.empty())
        result.subscribe.emplace_back(trimmed);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (result.subscribe.empty()) {
      return Status::InvalidArgument(
          fmt::format("No topics to subscribe to as specified value for option 'subscribe' is '{}'",
                      *subscribe));
    }
  }
  if (pattern != nullptr) {
    if (TrimAscii(*pattern).empty()) {
      return Status::InvalidArgument(
          "Pattern to subscribe is empty as specified value for option 'subscribePattern' is ''");
    }
    RE2 regex(*pattern);
    if (!regex.ok()) {
      return Status::InvalidArgument(
          fmt::format("Kafka option 'subscribePattern': '{}' is not a valid regex: {}", *pattern,
                      regex.error()));
    }
    result.subscribe_pattern = *pattern;
  }
  if (assign != nullptr) {
    auto parsed = JsonValue::Parse(*assign);
    if (!parsed.ok() || !parsed->is_object()) {
      return Status::InvalidArgument(fmt::format(
          "Kafka option 'assign': expected JSON like {{\"topicA\":[0,1],\"topicB\":[2,4]}}, got "
          "'{}'",
          *assign));
    }
    for (const auto& [topic, partitions] : parsed->members()) {
      if (!partitions.is_array()) {
        return Status::InvalidArgument(fmt::format(
            "Kafka option 'assign': topic '{}' must have an array of partitions", topic));
      }
      for (const JsonValue& partition : partitions.items()) {
        auto id = partition.AsInt64();
        if (!partition.is_number() || !id.ok() || *id < 0) {
          return Status::InvalidArgument(
              fmt::format("Kafka option 'assign': bad partition of topic '{}'", topic));
        }
        result.assign.push_back({topic, static_cast<int32_t>(*id)});
      }
    }
    if (result.assign.empty()) {
      return Status::InvalidArgument("Kafka option 'assign' names no partition");
    }
  }

  SLUICE_ASSIGN_OR_RETURN(result.starting,
                          ReadOffsetSpec(map, "starting",
                                         streaming ? KafkaOffsetSpec::Kind::kLatest
                                                   : KafkaOffsetSpec::Kind::kEarliest));
  SLUICE_ASSIGN_OR_RETURN(result.ending,
                          ReadOffsetSpec(map, "ending", KafkaOffsetSpec::Kind::kLatest));
  bool has_ending = map.Find("endingOffsets") != nullptr ||
                    map.Find("endingTimestamp") != nullptr ||
                    map.Find("endingOffsetsByTimestamp") != nullptr;
  if (streaming && has_ending) {
    return Status::InvalidArgument("ending offset not valid in streaming queries");
  }
  if (!streaming) {
    if (result.starting.kind == KafkaOffsetSpec::Kind::kLatest) {
      return Status::InvalidArgument("starting offset can't be latest for batch queries on Kafka");
    }
    if (result.ending.kind == KafkaOffsetSpec::Kind::kEarliest) {
      return Status::InvalidArgument("ending offset can't be earliest for batch queries on Kafka");
    }
    for (const auto& [partition, offset] : result.starting.offsets) {
      if (result.starting.kind == KafkaOffsetSpec::Kind::kOffsets && offset == -1) {
        return Status::InvalidArgument(
            fmt::format("startingOffsets for {} can't be latest for batch queries on Kafka",
                        PartitionName(partition)));
      }
    }
    for (const auto& [partition, offset] : result.ending.offsets) {
      if (result.ending.kind == KafkaOffsetSpec::Kind::kOffsets && offset == -2) {
        return Status::InvalidArgument(
            fmt::format("ending offset for {} can't be earliest for batch queries on Kafka",
                        PartitionName(partition)));
      }
    }
  }
  if (const std::string* strategy = map.Find("startingOffsetsByTimestampStrategy")) {
    result.timestamp_strategy_latest = EqualsIgnoreCase(*strategy, "latest");
    if (!result.timestamp_strategy_latest && !EqualsIgnoreCase(*strategy, "error")) {
      return map.Invalid("startingOffsetsByTimestampStrategy", "expected 'error' or 'latest'");
    }
  }
  SLUICE_ASSIGN_OR_RETURN(result.max_offsets_per_trigger,
                          ReadPositiveLong(map, "maxOffsetsPerTrigger"));
  SLUICE_ASSIGN_OR_RETURN(result.min_offsets_per_trigger,
                          ReadPositiveLong(map, "minOffsetsPerTrigger"));
  if (const std::string* delay = map.Find("maxTriggerDelay")) {
    auto ms = ParseDurationMs(*delay);
    if (!ms.ok())
      return map.Invalid("maxTriggerDelay", ms.status().message());
    result.max_trigger_delay_ms = *ms;
  }
  if (result.min_offsets_per_trigger && result.max_offsets_per_trigger &&
      *result.min_offsets_per_trigger > *result.max_offsets_per_trigger) {
    return Status::InvalidArgument(fmt::format(
        "The value of minOffsetPerTrigger({}) is higher than the maxOffsetsPerTrigger({}).",
        *result.min_offsets_per_trigger, *result.max_offsets_per_trigger));
  }
  SLUICE_RETURN_IF_ERROR(map.GetBool("failOnDataLoss", &result.fail_on_data_loss));
  SLUICE_RETURN_IF_ERROR(map.GetBool("includeHeaders", &result.include_headers));
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> poll_timeout,
                          ReadPositiveLong(map, "kafkaConsumer.pollTimeoutMs"));
  if (poll_timeout)
    result.poll_timeout_ms = *poll_timeout;
  return result;
}

// ----- KafkaSource -----

KafkaSource::KafkaSource(KafkaSourceOptions options)
    : options_(std::move(options)), schema_(kafka::RecordSchema(options_.include_headers)) {
  if (options_.subscribe_pattern)
    pattern_ = std::make_unique<RE2>(*options_.subscribe_pattern);
}

KafkaSource::~KafkaSource() = default;

Result<std::unique_ptr<KafkaSource>> KafkaSource::Make(const OptionList& options,
                                                       const SchemaPtr& schema) {
  if (schema != nullptr) {
    return Status::InvalidArgument(
        "Kafka source has a fixed schema and cannot be set with a custom one");
  }
  SLUICE_ASSIGN_OR_RETURN(KafkaSourceOptions parsed,
                          KafkaSourceOptions::FromOptions(options, true));
  return std::unique_ptr<KafkaSource>(new KafkaSource(std::move(parsed)));
}

std::string KafkaSource::Description() const {
  if (options_.subscribe_pattern) {
    return fmt::format("KafkaV2[SubscribePattern[{}]]", *options_.subscribe_pattern);
  }
  if (!options_.assign.empty()) {
    std::vector<std::string> names;
    for (const auto& partition : options_.assign)
      names.push_back(PartitionName(partition));
    return fmt::format("KafkaV2[Assign[{}]]", fmt::join(names, ", "));
  }
  return fmt::format("KafkaV2[Subscribe[{}]]", fmt::join(options_.subscribe, ","));
}

std::string KafkaSource::Identity() const {
  std::string out = "{\"format\":\"kafka\",";
  if (options_.subscribe_pattern) {
    out += "\"subscribePattern\":";
    AppendJsonString(*options_.subscribe_pattern, &out);
  } else if (!options_.assign.empty()) {
    PartitionOffsets partitions;
    for (const auto& partition : options_.assign)
      partitions[partition] = 0;
    out += "\"assign\":" + KafkaOffsetsJson(partitions);
  } else {
    out += "\"subscribe\":";
    AppendJsonString(fmt::format("{}", fmt::join(options_.subscribe, ",")), &out);
  }
  return out + "}";
}

Status KafkaSource::Open(const SourceContext& context) {
  kafka::Properties properties = options_.client_properties;
  if (!options_.commit_to_group) {
    // Spark's groupIdPrefix: a group unique to the query, never joined.
    properties.emplace_back("group.id", "spark-kafka-source-" + context.query_id);
  }
  SLUICE_ASSIGN_OR_RETURN(client_, kafka::Client::Make(properties));
  client_->set_timeout_ms(static_cast<int>(std::min<int64_t>(options_.poll_timeout_ms, 1 << 30)));
  client_->set_pool(context.pool);
  fs_ = context.fs != nullptr ? context.fs : &LocalFileSystem::Default();
  metadata_dir_ = context.metadata_dir;
  last_trigger_ms_ = Clock::System().NowMicros() / 1000;
  return ReadInitialOffsets();
}

Status KafkaSource::ReadInitialOffsets() {
  if (metadata_dir_.empty())
    return Status::Ok();
  const std::string path = JoinPath(metadata_dir_, "0");
  auto text = fs_->ReadFile(path);
  if (!text.ok())
    return Status::Ok();  // the first start: resolved at the first trigger
  std::string_view body = *text;
  if (!body.starts_with(kInitialOffsetsVersion)) {
    return Status::Corruption(
        fmt::format("{}: expected '{}' on the first line", path, kInitialOffsetsVersion));
  }
  body.remove_prefix(kInitialOffsetsVersion.size());
  SLUICE_ASSIGN_OR_RETURN(initial_, ParseKafkaOffsets(TrimAscii(body), path));
  return Status::Ok();
}

Result<std::vector<TopicPartition>> KafkaSource::DiscoverPartitions() {
  if (!options_.assign.empty())
    return options_.assign;
  SLUICE_ASSIGN_OR_RETURN(auto topics, client_->ListTopics());
  unavailable_topics_.clear();
  std::vector<TopicPartition> partitions;
  for (const auto& [topic, count] : topics) {
    bool wanted = pattern_ ? RE2::FullMatch(topic, *pattern_)
                           : std::find(options_.subscribe.begin(), options_.subscribe.end(),
                                       topic) != options_.subscribe.end();
    if (!wanted)
      continue;
    if (count < 0)
      unavailable_topics_.insert(topic);
    for (int32_t p = 0; p < count; ++p)
      partitions.push_back({topic, p});
  }
  return partitions;
}

Result<std::map<TopicPartition, kafka::Watermarks>> KafkaSource::QueryWatermarks(
    const std::vector<TopicPartition>& partitions) {
  std::map<TopicPartition, kafka::Watermarks> marks;
  for (const TopicPartition& partition : partitions) {
    SLUICE_ASSIGN_OR_RETURN(marks[partition], client_->QueryWatermarks(partition));
  }
  return marks;
}

Result<PartitionOffsets> KafkaSource::ResolveOffsets(
    const KafkaOffsetSpec& spec, std::string_view option, bool no_match_at_latest,
    const std::map<TopicPartition, kafka::Watermarks>& marks) {
  PartitionOffsets offsets;
  switch (spec.kind) {
    case KafkaOffsetSpec::Kind::kEarliest:
    case KafkaOffsetSpec::Kind::kLatest:
      for (const auto& [partition, mark] : marks) {
        offsets[partition] = spec.kind == KafkaOffsetSpec::Kind::kEarliest ? mark.low : mark.high;
      }
      return offsets;
    case KafkaOffsetSpec::Kind::kOffsets:
      for (const auto& [partition, offset] : spec.offsets) {
        auto it = marks.find(partition);
        if (it == marks.end()) {
          return Status::InvalidArgument(
              fmt::format("{} names partition {}, which the subscription does not have ({})",
                          option, PartitionName(partition), KafkaOffsetsJson(spec.offsets)));
        }
        offsets[partition] =
            offset == -2 ? it->second.low : (offset == -1 ? it->second.high : offset);
      }
      // Partitions the JSON leaves out start at earliest, as Spark's.
      for (const auto& [partition, mark] : marks)
        offsets.emplace(partition, mark.low);
      return offsets;
    case KafkaOffsetSpec::Kind::kTimestamp:
    case KafkaOffsetSpec::Kind::kTimestamps: {
      std::vector<TopicPartition> partitions;
      std::vector<int64_t> times;
      for (const auto& [partition, mark] : marks) {
        if (spec.kind == KafkaOffsetSpec::Kind::kTimestamp) {
          partitions.push_back(partition);
          times.push_back(spec.timestamp_ms);
        } else if (auto it = spec.offsets.find(partition); it != spec.offsets.end()) {
          partitions.push_back(partition);
          times.push_back(it->second);
        } else {
          offsets[partition] = mark.low;
        }
      }
      SLUICE_ASSIGN_OR_RETURN(auto found, client_->OffsetsForTimes(partitions, times));
      for (size_t i = 0; i < partitions.size(); ++i) {
        if (found[i].has_value()) {
          offsets[partitions[i]] = *found[i];
        } else if (no_match_at_latest) {
          offsets[partitions[i]] = marks.at(partitions[i]).high;
        } else {
          return Status::InvalidArgument(fmt::format(
              "No offset matched from request of topic-partition {} and timestamp {}. Set "
              "'startingOffsetsByTimestampStrategy' to 'latest' to start from the latest "
              "offset instead.",
              PartitionName(partitions[i]), times[i]));
        }
      }
      return offsets;
    }
  }
  return offsets;
}

Status KafkaSource::ReportDataLoss(const std::string& message) {
  if (options_.fail_on_data_loss) {
    return Status::NotFound(message + std::string(kDataLossAdvice));
  }
  SLUICE_LOG_WARN("{} Some data may have been lost; failOnDataLoss is false, so the query goes on.",
                  message);
  return Status::Ok();
}

Result<std::optional<Offset>> KafkaSource::LatestOffset(const std::optional<Offset>& start,
                                                        ReadLimit limit) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, DiscoverPartitions());
  SLUICE_ASSIGN_OR_RETURN(auto marks, QueryWatermarks(partitions));
  PartitionOffsets from;
  if (start.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(from, ParseKafkaOffsets(*start, "Kafka source offset"));
    // Offsets of the previous batch are committed: report them to the group (lag).
    if (options_.commit_to_group && committed_to_group_ != from) {
      std::vector<std::pair<TopicPartition, int64_t>> commit(from.begin(), from.end());
      Status committed = client_->CommitOffsets(commit);
      if (!committed.ok()) {
        SLUICE_LOG_WARN("committing offsets to the Kafka group for monitoring: {}",
                        committed.ToString());
      }
      committed_to_group_ = from;
    }
  } else {
    if (initial_.empty()) {
      SLUICE_ASSIGN_OR_RETURN(initial_, ResolveOffsets(options_.starting, "startingOffsets",
                                                       options_.timestamp_strategy_latest, marks));
      if (!metadata_dir_.empty()) {
        SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(metadata_dir_));
        Status written = fs_->PutIfAbsent(
            JoinPath(metadata_dir_, "0"),
            fmt::format("{}\n{}", kInitialOffsetsVersion, KafkaOffsetsJson(initial_)));
        if (written.code() == StatusCode::kAlreadyExists) {
          SLUICE_RETURN_IF_ERROR(ReadInitialOffsets());  // another process was first
        } else {
          SLUICE_RETURN_IF_ERROR(written);
        }
      }
    }
    from = initial_;
  }
  // Partitions that vanished (a deleted topic) and new ones (new topics, added partitions).
  std::vector<std::string> gone;
  for (const auto& [partition, offset] : from) {
    if (marks.contains(partition))
      continue;
    // A topic without a leader for now (an election) is there: its partitions keep
    // their position until it is back.
    if (!unavailable_topics_.contains(partition.topic))
      gone.push_back(PartitionName(partition));
  }
  if (!gone.empty()) {
    SLUICE_RETURN_IF_ERROR(
        ReportDataLoss(fmt::format("Partitions [{}] are gone.", fmt::join(gone, ", "))));
  }
  PartitionOffsets until;
  latest_.clear();
  for (const auto& [partition, mark] : marks) {
    latest_[partition] = mark.high;
    // A partition the query has not seen starts at 0 (earliest); GetBatch reports loss
    // if its log does not start there any more.
    auto it = from.find(partition);
    int64_t begin = it == from.end() ? 0 : it->second;
    if (mark.high < begin) {
      // The log ends before where the query is: the topic was deleted and recreated.
      SLUICE_RETURN_IF_ERROR(
          ReportDataLoss(fmt::format("Partition {}'s offset was changed from {} to {}.",
                                     PartitionName(partition), begin, mark.high)));
      until[partition] = mark.high;
      continue;
    }
    int64_t high = mark.high;
    if (available_now_end_) {
      auto bound = available_now_end_->find(partition);
      high = bound == available_now_end_->end() ? 0 : std::min(high, bound->second);
    }
    until[partition] = std::max(begin, high);
  }
  for (const auto& [partition, offset] : from) {
    if (!until.contains(partition))
      until[partition] = offset;  // gone: keep its position
  }

  int64_t total = 0;
  std::map<TopicPartition, int64_t> backlog;
  for (const auto& [partition, end] : until) {
    auto it = from.find(partition);
    int64_t begin = it == from.end() ? 0 : it->second;
    backlog[partition] = std::max<int64_t>(end - begin, 0);
    total += backlog[partition];
  }
  held_back_ = false;
  if (limit == ReadLimit::kRateLimited) {
    const int64_t now_ms = Clock::System().NowMicros() / 1000;
    // Trigger.AvailableNow takes what is there and stops: it never waits for more.
    if (options_.min_offsets_per_trigger && !available_now_end_ &&
        total < *options_.min_offsets_per_trigger &&
        now_ms - last_trigger_ms_ < options_.max_trigger_delay_ms) {
      held_back_ = total > 0;
      return start;  // before the first batch: nullopt, so no empty batch is run
    }
    if (options_.max_offsets_per_trigger && total > *options_.max_offsets_per_trigger) {
      // Spark's rateLimit: each partition gets its share of the backlog.
      const double cap = static_cast<double>(*options_.max_offsets_per_trigger);
      for (auto& [partition, end] : until) {
        int64_t size = backlog[partition];
        if (size <= 0)
          continue;
        double prorate = cap * (static_cast<double>(size) / static_cast<double>(total));
        auto share = static_cast<int64_t>(prorate < 1 ? std::ceil(prorate) : std::floor(prorate));
        end = std::min(end, end - size + share);
      }
    }
    last_trigger_ms_ = now_ms;
  }
  if (!start.has_value() && until == initial_)
    return std::optional<Offset>();
  return std::optional<Offset>(KafkaOffsetsJson(until));
}

std::optional<Offset> KafkaSource::ReportLatestOffset() {
  if (latest_.empty())
    return std::nullopt;
  return KafkaOffsetsJson(latest_);
}

Result<std::vector<BatchPtr>> KafkaSource::GetBatch(const std::optional<Offset>& start,
                                                    const Offset& end) {
  SLUICE_ASSIGN_OR_RETURN(PartitionOffsets until, ParseKafkaOffsets(end, "Kafka source offset"));
  if (!start.has_value())
    return Read(initial_, until);
  SLUICE_ASSIGN_OR_RETURN(PartitionOffsets from, ParseKafkaOffsets(*start, "Kafka source offset"));
  return Read(from, until);
}

Result<std::vector<BatchPtr>> KafkaSource::Read(const PartitionOffsets& from,
                                                const PartitionOffsets& until) {
  std::vector<kafka::FetchRange> ranges;
  for (const auto& [partition, stop] : until) {
    auto it = from.find(partition);
    int64_t begin = it == from.end() ? 0 : it->second;
    if (stop < begin) {
      SLUICE_RETURN_IF_ERROR(
          ReportDataLoss(fmt::format("Partition {}'s offset was changed from {} to {}.",
                                     PartitionName(partition), begin, stop)));
      continue;
    }
    if (stop > begin)
      ranges.push_back({partition, begin, stop});
  }
  std::vector<BatchPtr> batches;
  kafka::FetchStats stats;
  Status fetched = client_->Fetch(ranges, options_.include_headers, &batches, &stats);
  if (fetched.code() != StatusCode::kNotFound) {
    SLUICE_RETURN_IF_ERROR(fetched);
    return batches;
  }
  // Offsets aged out or a topic gone: find which, then fail or skip what was lost.
  batches.clear();
  std::vector<kafka::FetchRange> kept;
  for (kafka::FetchRange range : ranges) {
    auto marks = client_->QueryWatermarks(range.partition);
    if (!marks.ok()) {
      SLUICE_RETURN_IF_ERROR(
          ReportDataLoss(fmt::format("Cannot fetch offset {} of {}: {}.", range.start,
                                     PartitionName(range.partition), marks.status().message())));
      offsets_lost_ += range.end - range.start;
      continue;
    }
    if (range.start < marks->low) {
      SLUICE_RETURN_IF_ERROR(ReportDataLoss(fmt::format(
          "Cannot fetch offset {} (TopicPartition: {}); the earliest available offset is {}.",
          range.start, PartitionName(range.partition), marks->low)));
      offsets_lost_ += std::min(marks->low, range.end) - range.start;
      range.start = std::min(marks->low, range.end);
    }
    if (range.end > marks->high) {
      // The log ends before the batch's end (the topic was deleted and recreated).
      const int64_t first_missing = std::max(marks->high, range.start);
      SLUICE_RETURN_IF_ERROR(ReportDataLoss(fmt::format(
          "Cannot fetch offset {} (TopicPartition: {}); the latest available offset is {}.",
          first_missing, PartitionName(range.partition), marks->high)));
      offsets_lost_ += range.end - first_missing;
      range.end = first_missing;
    }
    if (range.start < range.end)
      kept.push_back(range);
  }
  SLUICE_RETURN_IF_ERROR(client_->Fetch(kept, options_.include_headers, &batches, &stats));
  return batches;
}

Status KafkaSource::PrepareForTriggerAvailableNow() {
  SLUICE_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, DiscoverPartitions());
  SLUICE_ASSIGN_OR_RETURN(auto marks, QueryWatermarks(partitions));
  PartitionOffsets end;
  for (const auto& [partition, mark] : marks)
    end[partition] = mark.high;
  available_now_end_ = std::move(end);
  return Status::Ok();
}

std::map<std::string, std::string> KafkaSource::Metrics(const std::optional<Offset>& consumed) {
  std::map<std::string, std::string> metrics;
  if (!consumed.has_value() || latest_.empty())
    return metrics;
  auto offsets = ParseKafkaOffsets(*consumed, "Kafka source offset");
  if (!offsets.ok())
    return metrics;
  int64_t sum = 0;
  int64_t max = 0;
  int64_t min = INT64_MAX;
  for (const auto& [partition, latest] : latest_) {
    auto it = offsets->find(partition);
    int64_t behind = latest - (it == offsets->end() ? 0 : it->second);
    behind = std::max<int64_t>(behind, 0);
    sum += behind;
    max = std::max(max, behind);
    min = std::min(min, behind);
  }
  double average = static_cast<double>(sum) / static_cast<double>(latest_.size());
  metrics["avgOffsetsBehindLatest"] = fmt::format("{:.1f}", average);
  metrics["maxOffsetsBehindLatest"] = std::to_string(max);
  metrics["minOffsetsBehindLatest"] = std::to_string(min);
  if (offsets_lost_ > 0)
    metrics["numOffsetsLost"] = std::to_string(offsets_lost_);
  return metrics;
}

void KafkaSource::Stop() {
  client_.reset();
}

Result<std::vector<BatchPtr>> ReadKafka(const OptionList& options) {
  SLUICE_ASSIGN_OR_RETURN(KafkaSourceOptions parsed,
                          KafkaSourceOptions::FromOptions(options, false));
  KafkaSource source(std::move(parsed));
  const KafkaSourceOptions& resolved = source.options_;
  SLUICE_RETURN_IF_ERROR(source.Open({"", nullptr, "batch-read", nullptr}));
  SLUICE_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, source.DiscoverPartitions());
  SLUICE_ASSIGN_OR_RETURN(auto marks, source.QueryWatermarks(partitions));
  SLUICE_ASSIGN_OR_RETURN(source.initial_,
                          source.ResolveOffsets(resolved.starting, "startingOffsets",
                                                resolved.timestamp_strategy_latest, marks));
  // endingOffsets: latest, per-partition JSON (-1 latest), or by timestamp; where no record
  // is at or after an ending timestamp, the partition ends at latest (Spark's; the
  // startingOffsetsByTimestampStrategy is for the start only).
  const KafkaOffsetSpec& ending = resolved.ending;
  SLUICE_ASSIGN_OR_RETURN(PartitionOffsets until,
                          source.ResolveOffsets(ending, "endingOffsets", true, marks));
  if (ending.kind == KafkaOffsetSpec::Kind::kOffsets ||
      ending.kind == KafkaOffsetSpec::Kind::kTimestamps) {
    // Partitions the ending JSON leaves out are not read past their start.
    for (auto& [partition, offset] : until) {
      if (!ending.offsets.contains(partition))
        offset = source.initial_[partition];
    }
  }
  return source.Read(source.initial_, until);
}

}  // namespace sluice::stream
