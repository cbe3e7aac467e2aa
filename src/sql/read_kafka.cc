// SPDX-License-Identifier: Apache-2.0
// read_kafka(option => value, ...): Databricks' argument names checked and mapped to the
// Kafka source's options.
#include "sql/read_kafka.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "sql/binder_internal.h"

namespace sluice::sql {
namespace {

constexpr std::string_view kFunction = "read_kafka";
constexpr std::string_view kBootstrapServers = "bootstrapServers";
constexpr std::string_view kClientPrefix = "kafka.";

/// The Kafka source options read_kafka accepts besides bootstrapServers and kafka.*
/// (Spark's names; groupIdPrefix, minPartitions and the fetchOffset knobs are accepted
/// and have no effect: partitions are read with assign() by one reader).
constexpr std::array<std::string_view, 20> kSourceOptions = {
    "assign",
    "subscribe",
    "subscribePattern",
    "startingOffsets",
    "startingOffsetsByTimestamp",
    "startingTimestamp",
    "startingOffsetsByTimestampStrategy",
    "endingOffsets",
    "endingOffsetsByTimestamp",
    "endingTimestamp",
    "failOnDataLoss",
    "includeHeaders",
    "maxOffsetsPerTrigger",
    "minOffsetsPerTrigger",
    "maxTriggerDelay",
    "kafkaConsumer.pollTimeoutMs",
    "groupIdPrefix",
    "minPartitions",
    "fetchOffset.numRetries",
    "fetchOffset.retryIntervalMs",
};

constexpr std::array<std::string_view, 3> kSubscriptions = {"assign", "subscribe",
                                                            "subscribePattern"};
constexpr std::array<std::string_view, 3> kEndingOptions = {
    "endingOffsets", "endingOffsetsByTimestamp", "endingTimestamp"};

/// Levenshtein distance, ignoring case.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const bool same = LowerAscii(a[i - 1]) == LowerAscii(b[j - 1]);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// The three accepted names nearest to `name`, as Spark proposes them.
std::string Proposals(std::string_view name) {
  std::vector<std::pair<size_t, std::string_view>> ranked;
  ranked.emplace_back(EditDistance(name, kBootstrapServers), kBootstrapServers);
  for (std::string_view option : kSourceOptions) {
    ranked.emplace_back(EditDistance(name, option), option);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < 3 && i < ranked.size(); ++i) {
    out += fmt::format("{}`{}`", i == 0 ? "" : ", ", ranked[i].second);
  }
  return out;
}

bool IsOneOf(std::string_view name, const auto& names) {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view known) { return EqualsIgnoreCase(name, known); });
}

/// The Kafka source's spelling of an argument name, or "" when read_kafka has no such
/// argument.
std::string OptionName(std::string_view name) {
  if (EqualsIgnoreCase(name, kBootstrapServers)) {
    return "kafka.bootstrap.servers";
  }
  if (name.size() > kClientPrefix.size() &&
      EqualsIgnoreCase(name.substr(0, kClientPrefix.size()), kClientPrefix)) {
    return std::string(kClientPrefix) + std::string(name.substr(kClientPrefix.size()));
  }
  for (std::string_view option : kSourceOptions) {
    if (EqualsIgnoreCase(name, option)) {
      return std::string(option);
    }
  }
  return std::string();
}

Status BadArgument(std::string_view error_class, std::string_view argument, std::string_view what,
                   std::string_view at) {
  return Status::BindError(fmt::format("[{}] The function `{}` argument `{}`: {}{}", error_class,
                                       kFunction, argument, what, at));
}

}  // namespace

bool IsReadKafkaCall(const TableRef& call) {
  return call.kind == TableRefKind::kFunction && !call.name.empty() &&
         EqualsIgnoreCase(call.name.back(), kFunction);
}

Result<OptionList> ResolveReadKafka(const TableRef& call, Binder& binder, bool streaming) {
  const std::string at = internal::PositionSuffix(call.position);
  if (!call.function_args.empty()) {
    return Status::BindError(fmt::format(
        "[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires [0] parameters but the actual "
        "number is {}. It takes named arguments only: bootstrapServers => '...', subscribe => "
        "'...'.{}",
        kFunction, call.function_args.size(), at));
  }
  OptionList options;
  std::vector<std::string> given;  // argument names as written, in the order of `options`
  for (const auto& [name, value] : call.named_args) {
    const std::string option = OptionName(name);
    if (option.empty()) {
      return Status::BindError(fmt::format(
          "[UNRECOGNIZED_PARAMETER_NAME] Cannot invoke routine `{}` because the routine call "
          "included a named argument reference for the argument named `{}`, but this routine "
          "does not include any signature containing an argument with this name. Did you mean "
          "one of the following? [{}].{}",
          kFunction, name, Proposals(name), at));
    }
    for (size_t i = 0; i < options.size(); ++i) {
      if (EqualsIgnoreCase(options[i].first, option)) {
        return Status::BindError(fmt::format(
            "[DUPLICATE_ROUTINE_PARAMETER_ASSIGNMENT.DOUBLE_NAMED_ARGUMENT_REFERENCE] Call to "
            "routine `{}` is invalid because it includes multiple argument assignments to the "
            "same parameter name `{}`{}.{}",
            kFunction, name,
            given[i] == name ? std::string() : fmt::format(" (also given as `{}`)", given[i]), at));
      }
    }
    if (streaming && IsOneOf(name, kEndingOptions)) {
      return BadArgument("INVALID_PARAMETER_VALUE", name,
                         "ending offsets are not valid in streaming queries (STREAM read_kafka); "
                         "they bound batch reads only.",
                         at);
    }
    SLUICE_ASSIGN_OR_RETURN(std::string text,
                            internal::ConstantStringArgument(binder, *value, kFunction, name, at));
    options.emplace_back(option, std::move(text));
    given.push_back(name);
  }
  const bool has_servers = std::any_of(options.begin(), options.end(), [](const auto& option) {
    return option.first == "kafka.bootstrap.servers";
  });
  if (!has_servers) {
    return Status::BindError(fmt::format(
        "[REQUIRED_PARAMETER_NOT_FOUND] Cannot invoke routine `{}` because the parameter named "
        "`{}` is required, but the routine call did not supply a value. Please update the "
        "routine call to supply an argument value (by name: {} => 'host:port,...') and retry "
        "the query again.{}",
        kFunction, kBootstrapServers, kBootstrapServers, at));
  }
  std::vector<std::string_view> subscriptions;
  for (size_t i = 0; i < options.size(); ++i) {
    if (IsOneOf(options[i].first, kSubscriptions)) {
      subscriptions.push_back(given[i]);
    }
  }
  if (subscriptions.empty()) {
    return Status::BindError(fmt::format(
        "[REQUIRED_PARAMETER_NOT_FOUND] Cannot invoke routine `{}`: one of the parameters "
        "`assign`, `subscribe`, `subscribePattern` is required, but the routine call supplied "
        "none.{}",
        kFunction, at));
  }
  if (subscriptions.size() > 1) {
    return BadArgument("INVALID_PARAMETER_VALUE", subscriptions[1],
                       fmt::format("only one of `assign`, `subscribe`, `subscribePattern` can be "
                                   "given, but `{}` was given too.",
                                   subscriptions[0]),
                       at);
  }
  return options;
}

}  // namespace sluice::sql
