// SPDX-License-Identifier: Apache-2.0
#include "delta/table_properties.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <limits>

#include "common/ascii.h"
#include "delta/protocol.h"

namespace sluice::delta {

namespace {

constexpr int64_t kMillisPerSecond = 1000;
constexpr int64_t kMillisPerHour = 3600 * kMillisPerSecond;
constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

// The table properties Delta defines (DeltaConfigs), in Delta's spelling.
constexpr auto kKnownProperties = std::to_array<std::string_view>({
    "delta.appendOnly",
    "delta.autoOptimize.autoCompact",
    "delta.autoOptimize.optimizeWrite",
    "delta.checkpoint.writeStatsAsJson",
    "delta.checkpoint.writeStatsAsStruct",
    "delta.checkpointInterval",
    "delta.checkpointPolicy",
    "delta.checkpointRetentionDuration",
    "delta.columnMapping.maxColumnId",
    "delta.columnMapping.mode",
    "delta.compatibility.symlinkFormatManifest.enabled",
    "delta.dataSkippingNumIndexedCols",
    "delta.dataSkippingStatsColumns",
    "delta.deletedFileRetentionDuration",
    "delta.dropFeatureTruncateHistory.retentionDuration",
    "delta.enableChangeDataFeed",
    "delta.enableDeletionVectors",
    "delta.enableExpiredLogCleanup",
    "delta.enableFullRetentionRollback",
    "delta.enableIcebergCompatV1",
    "delta.enableIcebergCompatV2",
    "delta.enableInCommitTimestamps",
    "delta.enableRowTracking",
    "delta.enableTypeWidening",
    "delta.enableVariantShredding",
    "delta.inCommitTimestampEnablementTimestamp",
    "delta.inCommitTimestampEnablementVersion",
    "delta.isolationLevel",
    "delta.logRetentionDuration",
    "delta.minReaderVersion",
    "delta.minWriterVersion",
    "delta.parquet.compression.codec",
    "delta.parquet.format.version",
    "delta.randomPrefixLength",
    "delta.randomizeFilePrefixes",
    "delta.requireCheckpointProtectionBeforeVersion",
    "delta.rowTracking.materializedRowCommitVersionColumnName",
    "delta.rowTracking.materializedRowIdColumnName",
    "delta.rowTrackingSuspended",
    "delta.sampleRetentionDuration",
    "delta.setTransactionRetentionDuration",
    "delta.targetFileSize",
    "delta.tuneFileSizesForRewrites",
    "delta.universalFormat.enabledFormats",
    "delta.checkpoint.partSize",
});

constexpr auto kBooleanProperties = std::to_array<std::string_view>({
    "delta.appendOnly",
    "delta.autoOptimize.autoCompact",
    "delta.autoOptimize.optimizeWrite",
    "delta.checkpoint.writeStatsAsJson",
    "delta.checkpoint.writeStatsAsStruct",
    "delta.enableChangeDataFeed",
    "delta.enableDeletionVectors",
    "delta.enableExpiredLogCleanup",
    "delta.enableInCommitTimestamps",
    "delta.enableRowTracking",
    "delta.enableTypeWidening",
});

constexpr auto kIntervalProperties = std::to_array<std::string_view>({
    "delta.logRetentionDuration",
    "delta.deletedFileRetentionDuration",
    "delta.setTransactionRetentionDuration",
    "delta.checkpointRetentionDuration",
    "delta.sampleRetentionDuration",
});

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::optional<int64_t> ParseInt64(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+')
    text.remove_prefix(1);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

Result<bool> ParseBoolean(std::string_view key, std::string_view text) {
  if (EqualsIgnoreCase(Trim(text), "true"))
    return true;
  if (EqualsIgnoreCase(Trim(text), "false"))
    return false;
  return Status::InvalidArgument(
      fmt::format("{} needs to be a boolean (true or false), but it was '{}'", key, text));
}

Result<int64_t> ParseCount(std::string_view key, std::string_view text, int64_t min,
                           std::string_view what) {
  std::optional<int64_t> value = ParseInt64(text);
  if (!value.has_value() || *value < min) {
    return Status::InvalidArgument(
        fmt::format("{} needs to be {}, but it was '{}'", key, what, text));
  }
  return *value;
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    if (i > start)
      words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Milliseconds per unit (with an optional plural 's'); 0 for months/years; -1 unknown.
// Microseconds return 1 and are divided separately.
int64_t UnitMillis(std::string unit, bool* micros) {
  *micros = false;
  if (unit.size() > 1 && unit.back() == 's')
    unit.pop_back();
  if (unit == "week")
    return 7 * kMillisPerDay;
  if (unit == "day")
    return kMillisPerDay;
  if (unit == "hour")
    return kMillisPerHour;
  if (unit == "minute")
    return 60 * kMillisPerSecond;
  if (unit == "second")
    return kMillisPerSecond;
  if (unit == "millisecond")
    return 1;
  if (unit == "microsecond") {
    *micros = true;
    return 1;
  }
  if (unit == "month" || unit == "year")
    return 0;
  return -1;
}

bool IsReaderWriterFeature(std::string_view feature) {
  static constexpr auto kFeatures = std::to_array<std::string_view>(
      {"columnMapping", "deletionVectors", "timestampNtz", "v2Checkpoint", "typeWidening",
       "typeWidening-preview", "variantType", "variantType-preview", "vacuumProtocolCheck",
       "variantShredding-preview", "catalogManaged"});
  return Contains(kFeatures, feature);
}

// Every feature name Delta defines (PROTOCOL.md "Valid Feature Names in Table Features").
bool IsKnownFeature(std::string_view feature) {
  static constexpr auto kWriterOnly = std::to_array<std::string_view>(
      {"appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns",
       "identityColumns", "rowTracking", "domainMetadata", "clustering", "inCommitTimestamp",
       "icebergCompatV1", "icebergCompatV2", "allowColumnDefaults", "checkpointProtection",
       "catalogOwned-preview", "icebergWriterCompatV1"});
  return Contains(kWriterOnly, feature) || IsReaderWriterFeature(feature);
}

bool TypeHas(const DataType& type, const std::function<bool(const DataType&)>& pred) {
  if (pred(type))
    return true;
  for (const Field& field : type.fields()) {
    if (TypeHas(*field.type, pred))
      return true;
  }
  if (type.id() == TypeId::kArray)
    return TypeHas(*type.element_type(), pred);
  if (type.id() == TypeId::kMap)
    return TypeHas(*type.key_type(), pred) || TypeHas(*type.value_type(), pred);
  return false;
}

// Whether any field (nested ones included) has a metadata key starting with `prefix`.
bool FieldsHaveMetadata(const std::vector<Field>& fields, std::string_view prefix) {
  for (const Field& field : fields) {
    for (const auto& [key, value] : field.metadata) {
      if (key.starts_with(prefix))
        return true;
    }
    bool nested = TypeHas(*field.type, [&](const DataType& type) {
      return type.id() == TypeId::kStruct && FieldsHaveMetadata(type.fields(), prefix);
    });
    if (nested)
      return true;
  }
  return false;
}

void AddUnique(std::vector<std::string>* list, std::string_view feature) {
  if (std::find(list->begin(), list->end(), feature) == list->end())
    list->emplace_back(feature);
}

bool HasPrefixedKey(const StringMap& configuration, std::string_view prefix) {
  for (const auto& [key, value] : configuration) {
    if (key.starts_with(prefix))
      return true;
  }
  return false;
}

bool IsTrue(const StringMap& configuration, std::string_view key) {
  const std::string* value = FindValue(configuration, key);
  return value != nullptr && EqualsIgnoreCase(Trim(*value), "true");
}

}  // namespace

std::string_view IsolationLevelName(IsolationLevel level) {
  switch (level) {
    case IsolationLevel::kSerializable:
      return "Serializable";
    case IsolationLevel::kWriteSerializable:
      return "WriteSerializable";
    case IsolationLevel::kSnapshotIsolation:
      return "SnapshotIsolation";
  }
  return "Serializable";
}

Result<int64_t> ParseIntervalMillis(std::string_view key, std::string_view text) {
  auto invalid = [&] {
    return Status::InvalidArgument(
        fmt::format("{} needs to be provided as a calendar interval such as '2 weeks'. Months "
                    "and years are not accepted. You may specify '365 days' for a year "
                    "instead, but it was '{}'",
                    key, text));
  };
  std::vector<std::string_view> words = SplitWords(text);
  if (!words.empty() && EqualsIgnoreCase(words.front(), "interval"))
    words.erase(words.begin());
  if (words.empty() || words.size() % 2 != 0)
    return invalid();
  int64_t millis = 0;
  int64_t micros = 0;
  for (size_t i = 0; i < words.size(); i += 2) {
    std::optional<int64_t> count = ParseInt64(words[i]);
    bool is_micros = false;
    const int64_t unit = UnitMillis(ToLowerAscii(words[i + 1]), &is_micros);
    if (!count.has_value() || unit <= 0)
      return invalid();
    int64_t part = 0;
    if (__builtin_mul_overflow(*count, unit, &part))
      return invalid();
    int64_t& total = is_micros ? micros : millis;
    if (__builtin_add_overflow(total, part, &total))
      return invalid();
  }
  if (__builtin_add_overflow(millis, micros / 1000, &millis) || millis < 0)
    return invalid();
  return millis;
}

Result<int64_t> ParseByteSize(std::string_view key, std::string_view text) {
  std::string_view trimmed = Trim(text);
  size_t digits = 0;
  while (digits < trimmed.size() && std::isdigit(static_cast<unsigned char>(trimmed[digits])))
    ++digits;
  std::optional<int64_t> number = ParseInt64(trimmed.substr(0, digits));
  const std::string unit = ToLowerAscii(Trim(trimmed.substr(digits)));
  int shift = -1;
  if (unit.empty() || unit == "b")
    shift = 0;
  else if (unit == "k" || unit == "kb" || unit == "kib")
    shift = 10;
  else if (unit == "m" || unit == "mb" || unit == "mib")
    shift = 20;
  else if (unit == "g" || unit == "gb" || unit == "gib")
    shift = 30;
  else if (unit == "t" || unit == "tb" || unit == "tib")
    shift = 40;
  if (!number.has_value() || shift < 0 || *number <= 0 ||
      *number > (std::numeric_limits<int64_t>::max() >> shift)) {
    return Status::InvalidArgument(
        fmt::format("{} needs to be a positive size in bytes (e.g. 134217728 or 128mb), but it "
                    "was '{}'",
                    key, text));
  }
  return *number << shift;
}

Result<TableProperties> TableProperties::FromConfiguration(const StringMap& configuration) {
  TableProperties props;
  for (const auto& [key, value] : configuration) {
    if (key == "delta.appendOnly") {
      SLUICE_ASSIGN_OR_RETURN(props.append_only, ParseBoolean(key, value));
    } else if (key == "delta.checkpointInterval") {
      SLUICE_ASSIGN_OR_RETURN(props.checkpoint_interval,
                              ParseCount(key, value, 1, "a positive integer"));
    } else if (key == "delta.logRetentionDuration") {
      SLUICE_ASSIGN_OR_RETURN(props.log_retention_millis, ParseIntervalMillis(key, value));
    } else if (key == "delta.enableExpiredLogCleanup") {
      SLUICE_ASSIGN_OR_RETURN(props.enable_expired_log_cleanup, ParseBoolean(key, value));
    } else if (key == "delta.deletedFileRetentionDuration") {
      SLUICE_ASSIGN_OR_RETURN(props.deleted_file_retention_millis, ParseIntervalMillis(key, value));
    } else if (key == "delta.setTransactionRetentionDuration") {
      SLUICE_ASSIGN_OR_RETURN(int64_t millis, ParseIntervalMillis(key, value));
      props.set_transaction_retention_millis = millis;
    } else if (key == "delta.dataSkippingNumIndexedCols") {
      SLUICE_ASSIGN_OR_RETURN(int64_t count, ParseCount(key, value, -1, "an integer >= -1"));
      props.data_skipping_num_indexed_cols =
          static_cast<int>(std::min<int64_t>(count, std::numeric_limits<int>::max()));
    } else if (key == "delta.targetFileSize") {
      SLUICE_ASSIGN_OR_RETURN(props.target_file_size, ParseByteSize(key, value));
    } else if (key == "delta.isolationLevel") {
      if (EqualsIgnoreCase(Trim(value), "Serializable")) {
        props.isolation_level = IsolationLevel::kSerializable;
      } else if (EqualsIgnoreCase(Trim(value), "WriteSerializable")) {
        props.isolation_level = IsolationLevel::kWriteSerializable;
      } else {
        return Status::InvalidArgument(fmt::format(
            "{} needs to be Serializable or WriteSerializable, but it was '{}'", key, value));
      }
    } else if (key == "delta.enableChangeDataFeed") {
      SLUICE_ASSIGN_OR_RETURN(props.enable_change_data_feed, ParseBoolean(key, value));
    } else if (key == "delta.checkpoint.writeStatsAsJson") {
      SLUICE_ASSIGN_OR_RETURN(props.checkpoint_write_stats_as_json, ParseBoolean(key, value));
    } else if (key == "delta.checkpoint.writeStatsAsStruct") {
      SLUICE_ASSIGN_OR_RETURN(props.checkpoint_write_stats_as_struct, ParseBoolean(key, value));
    } else if (key == "delta.enableDeletionVectors") {
      SLUICE_ASSIGN_OR_RETURN(props.enable_deletion_vectors, ParseBoolean(key, value));
    } else if (key == "delta.enableInCommitTimestamps") {
      SLUICE_ASSIGN_OR_RETURN(props.enable_in_commit_timestamps, ParseBoolean(key, value));
    } else if (key == "delta.parquet.compression.codec") {
      std::string codec = ToLowerAscii(Trim(value));
      if (codec == "none")
        codec = "uncompressed";
      static constexpr auto kCodecs = std::to_array<std::string_view>(
          {"uncompressed", "snappy", "gzip", "zstd", "lz4_raw", "brotli"});
      if (!Contains(kCodecs, codec)) {
        return Status::InvalidArgument(fmt::format(
            "{} needs to be one of uncompressed, snappy, gzip, zstd, lz4_raw, brotli, but it "
            "was '{}'",
            key, value));
      }
      props.parquet_compression_codec = std::move(codec);
    } else if (key == "delta.columnMapping.mode") {
      std::string mode = ToLowerAscii(Trim(value));
      if (mode != "none" && mode != "id" && mode != "name") {
        return Status::InvalidArgument(
            fmt::format("{} needs to be one of none, id, name, but it was '{}'", key, value));
      }
      props.column_mapping_mode = std::move(mode);
    } else if (Contains(kBooleanProperties, key)) {
      SLUICE_RETURN_IF_ERROR(ParseBoolean(key, value).status());
    } else if (Contains(kIntervalProperties, key)) {
      SLUICE_RETURN_IF_ERROR(ParseIntervalMillis(key, value).status());
    }
  }
  return props;
}

Result<StringMap> NormalizeConfiguration(const StringMap& configuration) {
  StringMap out;
  out.reserve(configuration.size());
  for (const auto& [key, value] : configuration) {
    std::string name = key;
    if (name.size() >= 6 && EqualsIgnoreCase(std::string_view(name).substr(0, 6), "delta.")) {
      const std::string lower = ToLowerAscii(name);
      bool known = false;
      for (std::string_view candidate : kKnownProperties) {
        if (ToLowerAscii(candidate) == lower) {
          name = std::string(candidate);
          known = true;
          break;
        }
      }
      if (!known && lower.starts_with("delta.constraints.")) {
        name = "delta.constraints." + name.substr(18);
        known = true;
      }
      if (!known && lower.starts_with("delta.feature.")) {
        name = "delta.feature." + name.substr(14);
        const std::string state = ToLowerAscii(Trim(value));
        if (state != "supported" && state != "enabled") {
          return Status::InvalidArgument(fmt::format(
              "{} can only be set to 'supported' or 'enabled', but it was '{}'", key, value));
        }
        if (!IsKnownFeature(std::string_view(name).substr(14))) {
          return Status::InvalidArgument(
              fmt::format("Unsupported table feature: {}", std::string_view(name).substr(14)));
        }
        known = true;
      }
      if (!known) {
        return Status::InvalidArgument(fmt::format("Unknown configuration was specified: {}", key));
      }
      if (name == "delta.minReaderVersion" || name == "delta.minWriterVersion") {
        const int64_t max =
            name == "delta.minReaderVersion" ? kMaxReaderVersion : kMaxWriterVersion;
        std::optional<int64_t> version = ParseInt64(value);
        if (!version.has_value() || *version < 1 || *version > max) {
          return Status::InvalidArgument(fmt::format(
              "{} needs to be an integer between 1 and {}, but it was '{}'", name, max, value));
        }
      }
    }
    auto existing = std::find_if(out.begin(), out.end(),
                                 [&](const auto& entry) { return entry.first == name; });
    if (existing != out.end()) {
      existing->second = value;
    } else {
      out.emplace_back(std::move(name), value);
    }
  }
  SLUICE_RETURN_IF_ERROR(TableProperties::FromConfiguration(out).status());
  return out;
}

std::vector<std::string> EffectiveWriterFeatures(const Protocol& protocol) {
  if (protocol.min_writer_version >= 7)
    return protocol.writer_features.value_or(std::vector<std::string>{});
  std::vector<std::string> features;
  const int w = protocol.min_writer_version;
  if (w >= 2) {
    features.emplace_back("appendOnly");
    features.emplace_back("invariants");
  }
  if (w >= 3)
    features.emplace_back("checkConstraints");
  if (w >= 4) {
    features.emplace_back("changeDataFeed");
    features.emplace_back("generatedColumns");
  }
  if (w >= 5)
    features.emplace_back("columnMapping");
  if (w >= 6)
    features.emplace_back("identityColumns");
  return features;
}

namespace {

// The protocol `schema` and `configuration` need, starting from writer `base_writer`.
Protocol NeededProtocol(const Schema& schema, const StringMap& configuration, StringMap* stripped,
                        int base_writer) {
  int reader = 1;
  int writer = base_writer;
  // Features that force table features (reader 3 / writer 7).
  std::vector<std::string> reader_features;
  std::vector<std::string> writer_features;
  auto need_feature = [&](std::string_view feature) {
    if (IsReaderWriterFeature(feature))
      AddUnique(&reader_features, feature);
    AddUnique(&writer_features, feature);
  };
  std::optional<int64_t> explicit_reader;
  std::optional<int64_t> explicit_writer;
  stripped->clear();
  for (const auto& [key, value] : configuration) {
    if (key == "delta.minReaderVersion") {
      explicit_reader = ParseInt64(value);
    } else if (key == "delta.minWriterVersion") {
      explicit_writer = ParseInt64(value);
    } else if (key.starts_with("delta.feature.")) {
      need_feature(std::string_view(key).substr(14));
    } else {
      stripped->emplace_back(key, value);
    }
  }
  const bool has_ntz = TypeHas(*schema.struct_type(), [](const DataType& type) {
    return type.id() == TypeId::kTimestampNtz;
  });
  if (has_ntz)
    need_feature("timestampNtz");
  if (IsTrue(configuration, "delta.enableDeletionVectors"))
    need_feature("deletionVectors");
  if (IsTrue(configuration, "delta.enableInCommitTimestamps"))
    need_feature("inCommitTimestamp");
  if (IsTrue(configuration, "delta.enableRowTracking")) {
    need_feature("rowTracking");
    need_feature("domainMetadata");
  }
  if (IsTrue(configuration, "delta.enableTypeWidening"))
    need_feature("typeWidening");
  // Legacy-version features.
  if (HasPrefixedKey(configuration, "delta.constraints."))
    writer = std::max(writer, 3);
  if (IsTrue(configuration, "delta.enableChangeDataFeed") ||
      FieldsHaveMetadata(schema.fields(), "delta.generationExpression")) {
    writer = std::max(writer, 4);
  }
  const std::string* mapping = FindValue(configuration, "delta.columnMapping.mode");
  if (mapping != nullptr && ToLowerAscii(Trim(*mapping)) != "none") {
    reader = std::max(reader, 2);
    writer = std::max(writer, 5);
  }
  if (FieldsHaveMetadata(schema.fields(), "delta.identity."))
    writer = std::max(writer, 6);
  if (IsTrue(configuration, "delta.appendOnly") ||
      FieldsHaveMetadata(schema.fields(), "delta.invariants")) {
    writer = std::max(writer, 2);
  }
  if (explicit_reader.has_value())
    reader = std::max<int>(reader, static_cast<int>(*explicit_reader));
  if (explicit_writer.has_value())
    writer = std::max<int>(writer, static_cast<int>(*explicit_writer));

  Protocol protocol;
  if (writer_features.empty() && writer < 7 && reader < 3) {
    protocol.min_reader_version = reader;
    protocol.min_writer_version = writer;
    return protocol;
  }
  // Table features: the legacy versions' features become named features.
  Protocol legacy;
  legacy.min_writer_version = std::min(writer, 6);
  for (const std::string& feature : EffectiveWriterFeatures(legacy))
    AddUnique(&writer_features, feature);
  if (reader == 2)
    AddUnique(&reader_features, "columnMapping");
  const bool needs_reader_features = !reader_features.empty() || reader >= 3;
  protocol.min_reader_version = needs_reader_features ? 3 : reader;
  protocol.min_writer_version = 7;
  if (needs_reader_features)
    protocol.reader_features = std::move(reader_features);
  protocol.writer_features = std::move(writer_features);
  return protocol;
}

}  // namespace

Result<Protocol> ProtocolForNewTable(const Schema& schema, const StringMap& configuration,
                                     StringMap* stripped) {
  return NeededProtocol(schema, configuration, stripped, 2);
}

Protocol RequiredProtocol(const Schema& schema, const StringMap& configuration) {
  StringMap stripped;
  return NeededProtocol(schema, configuration, &stripped, 1);
}

Protocol MergeProtocols(const Protocol& a, const Protocol& b) {
  Protocol merged;
  if (a.min_writer_version < 7 && b.min_writer_version < 7 && a.min_reader_version < 3 &&
      b.min_reader_version < 3) {
    merged.min_reader_version = std::max(a.min_reader_version, b.min_reader_version);
    merged.min_writer_version = std::max(a.min_writer_version, b.min_writer_version);
    return merged;
  }
  std::vector<std::string> writer_features;
  std::vector<std::string> reader_features;
  for (const Protocol* p : {&a, &b}) {
    for (const std::string& feature : EffectiveWriterFeatures(*p))
      AddUnique(&writer_features, feature);
    if (p->min_reader_version >= 3) {
      for (const std::string& feature : p->reader_features.value_or(std::vector<std::string>{}))
        AddUnique(&reader_features, feature);
    } else if (p->min_reader_version == 2) {
      AddUnique(&reader_features, "columnMapping");
    }
  }
  const bool reader_table_features =
      a.min_reader_version >= 3 || b.min_reader_version >= 3 || !reader_features.empty();
  merged.min_writer_version = 7;
  merged.writer_features = std::move(writer_features);
  if (reader_table_features) {
    merged.min_reader_version = 3;
    merged.reader_features = std::move(reader_features);
  } else {
    merged.min_reader_version = std::max(a.min_reader_version, b.min_reader_version);
  }
  return merged;
}

Status CheckWritable(const Protocol& protocol, const Metadata& metadata, const Schema& schema,
                     std::string_view table_root) {
  if (protocol.min_writer_version > kMaxWriterVersion) {
    return Status::NotImplemented(fmt::format(
        "Delta table '{}' requires writer version {}, but sluice supports writer versions up "
        "to {}",
        table_root, protocol.min_writer_version, kMaxWriterVersion));
  }
  SLUICE_RETURN_IF_ERROR(CheckReadable(protocol, table_root));
  auto refuse = [&](std::string_view feature, std::string_view why) {
    return Status::NotImplemented(
        fmt::format("Delta table '{}' uses the writer feature '{}', which sluice cannot write "
                    "yet: {}",
                    table_root, feature, why));
  };
  for (const std::string& feature : EffectiveWriterFeatures(protocol)) {
    if (feature == "invariants") {
      if (FieldsHaveMetadata(schema.fields(), "delta.invariants"))
        return refuse(feature, "a column has a delta.invariants expression");
    } else if (feature == "checkConstraints") {
      if (HasPrefixedKey(metadata.configuration, "delta.constraints."))
        return refuse(feature, "the table has CHECK constraints (delta.constraints.*)");
    } else if (feature == "generatedColumns") {
      if (FieldsHaveMetadata(schema.fields(), "delta.generationExpression"))
        return refuse(feature, "a column has a generation expression");
    } else if (feature == "identityColumns") {
      if (FieldsHaveMetadata(schema.fields(), "delta.identity."))
        return refuse(feature, "the table has an identity column");
    } else if (feature == "allowColumnDefaults") {
      if (FieldsHaveMetadata(schema.fields(), "CURRENT_DEFAULT"))
        return refuse(feature, "a column has a default value");
    } else if (feature == "icebergCompatV1" || feature == "icebergCompatV2" ||
               feature == "icebergWriterCompatV1") {
      return refuse(feature, "Iceberg compatibility is not maintained");
    } else if (feature == "catalogManaged" || feature == "catalogOwned-preview") {
      return refuse(feature, "commits must go through the table's catalog");
    } else if (!IsKnownFeature(feature)) {
      return refuse(feature, "the feature is unknown");
    }
  }
  return Status::Ok();
}

}  // namespace sluice::delta
