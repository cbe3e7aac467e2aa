// SPDX-License-Identifier: Apache-2.0
#include "delta/log_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace sluice::delta {

namespace {

constexpr size_t kVersionDigits = 20;

// Parses exactly `digits` decimal digits at the start of `text`.
std::optional<int64_t> ParseDigits(std::string_view text, size_t digits) {
  if (text.size() < digits)
    return std::nullopt;
  int64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9')
      return std::nullopt;
    if (value > (INT64_MAX - (c - '0')) / 10)
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string CommitFileName(int64_t version) {
  return fmt::format("{:020d}.json", version);
}

std::string ClassicCheckpointFileName(int64_t version) {
  return fmt::format("{:020d}.checkpoint.parquet", version);
}

std::string LogDirectory(std::string_view table_root) {
  return JoinPath(table_root, "_delta_log");
}

std::optional<LogFile> ParseLogFileName(std::string_view name) {
  std::optional<int64_t> version = ParseDigits(name, kVersionDigits);
  if (!version.has_value() || name.size() <= kVersionDigits || name[kVersionDigits] != '.') {
    return std::nullopt;
  }
  LogFile file;
  file.name = std::string(name);
  file.version = *version;
  file.end_version = *version;
  const std::string_view rest = name.substr(kVersionDigits + 1);
  if (rest == "json") {
    file.kind = LogFileKind::kCommit;
    return file;
  }
  if (rest == "crc") {
    file.kind = LogFileKind::kChecksum;
    return file;
  }
  if (rest == "checkpoint.parquet") {
    file.kind = LogFileKind::kClassicCheckpoint;
    return file;
  }
  constexpr std::string_view kCheckpoint = "checkpoint.";
  if (rest.starts_with(kCheckpoint)) {
    std::string_view tail = rest.substr(kCheckpoint.size());
    // Multi-part: <part, 10 digits>.<parts, 10 digits>.parquet
    if (tail.size() == 10 + 1 + 10 + 8 && tail[10] == '.' && tail.ends_with(".parquet")) {
      std::optional<int64_t> part = ParseDigits(tail, 10);
      std::optional<int64_t> parts = ParseDigits(tail.substr(11), 10);
      if (part.has_value() && parts.has_value() && *part >= 1 && *parts >= 1 && *part <= *parts &&
          *parts <= 1000000) {
        file.kind = LogFileKind::kMultiPartCheckpoint;
        file.part = static_cast<int>(*part);
        file.num_parts = static_cast<int>(*parts);
        return file;
      }
      return std::nullopt;
    }
    // V2: <uuid>.json | <uuid>.parquet
    for (std::string_view extension : {std::string_view(".json"), std::string_view(".parquet")}) {
      if (tail.ends_with(extension) && IsUuid(tail.substr(0, tail.size() - extension.size()))) {
        file.kind = LogFileKind::kV2Checkpoint;
        return file;
      }
    }
    return std::nullopt;
  }
  // Compaction: <end version, 20 digits>.compacted.json
  std::optional<int64_t> end = ParseDigits(rest, kVersionDigits);
  if (end.has_value() && rest.substr(kVersionDigits) == ".compacted.json" && *end >= *version) {
    file.kind = LogFileKind::kCompaction;
    file.end_version = *end;
    return file;
  }
  return std::nullopt;
}

Result<LogListing> ListLog(const std::string& log_dir, FileSystem& fs) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> entries, fs.ListDirectory(log_dir));
  LogListing listing;
  std::map<int64_t, std::vector<LogFile>> classic;                     // version -> files
  std::map<std::pair<int64_t, int>, std::vector<LogFile>> multi_part;  // (version, parts)
  std::map<int64_t, std::vector<LogFile>> v2;
  for (const FileInfo& entry : entries) {
    if (entry.is_directory)
      continue;
    std::optional<LogFile> file = ParseLogFileName(entry.name);
    if (!file.has_value())
      continue;
    file->path = entry.path;
    file->size = entry.size;
    file->modification_micros = entry.modification_micros;
    switch (file->kind) {
      case LogFileKind::kCommit:
        listing.commits.push_back(std::move(*file));
        break;
      case LogFileKind::kClassicCheckpoint:
        classic[file->version].push_back(std::move(*file));
        break;
      case LogFileKind::kMultiPartCheckpoint:
        multi_part[{file->version, file->num_parts}].push_back(std::move(*file));
        break;
      case LogFileKind::kV2Checkpoint:
        v2[file->version].push_back(std::move(*file));
        break;
      case LogFileKind::kCompaction:
        listing.compactions.push_back(std::move(*file));
        break;
      case LogFileKind::kChecksum:
        break;
    }
  }
  auto by_version = [](const LogFile& a, const LogFile& b) { return a.version < b.version; };
  std::sort(listing.commits.begin(), listing.commits.end(), by_version);
  std::sort(listing.compactions.begin(), listing.compactions.end(),
            [](const LogFile& a, const LogFile& b) {
              return a.version != b.version ? a.version < b.version : a.end_version < b.end_version;
            });
  // One checkpoint per version: V2 first (a table with v2Checkpoint must use it), then
  // classic, then the complete multi-part set with the fewest parts.
  std::map<int64_t, CheckpointInstance> chosen;
  for (auto& [key, files] : multi_part) {
    std::sort(files.begin(), files.end(),
              [](const LogFile& a, const LogFile& b) { return a.part < b.part; });
    bool complete = static_cast<int>(files.size()) == key.second;
    for (int i = 0; complete && i < key.second; ++i)
      complete = files[i].part == i + 1;
    if (!complete || chosen.contains(key.first))
      continue;
    chosen[key.first] = CheckpointInstance{key.first, LogFileKind::kMultiPartCheckpoint, files};
  }
  for (auto& [version, files] : classic) {
    chosen[version] = CheckpointInstance{version, LogFileKind::kClassicCheckpoint, {files[0]}};
  }
  for (auto& [version, files] : v2) {
    chosen[version] = CheckpointInstance{version, LogFileKind::kV2Checkpoint, {files[0]}};
  }
  for (auto& [version, instance] : chosen)
    listing.checkpoints.push_back(std::move(instance));
  return listing;
}

namespace {

// Whether every commit in (from, to] is listed; `commits` sorted by version.
bool HasContiguousCommits(const std::vector<LogFile>& commits, int64_t from, int64_t to,
                          int64_t* first_missing) {
  int64_t expected = from + 1;
  auto it = std::lower_bound(commits.begin(), commits.end(), expected,
                             [](const LogFile& f, int64_t v) { return f.version < v; });
  for (; expected <= to; ++expected, ++it) {
    if (it == commits.end() || it->version != expected) {
      *first_missing = expected;
      return false;
    }
  }
  return true;
}

}  // namespace

int64_t EarliestReconstructableVersion(const LogListing& listing) {
  const int64_t latest = listing.latest_version();
  int64_t missing = 0;
  if (!listing.commits.empty() && listing.commits.front().version == 0)
    return 0;
  for (const CheckpointInstance& checkpoint : listing.checkpoints) {
    if (checkpoint.version > latest)
      break;
    if (HasContiguousCommits(listing.commits, checkpoint.version, latest, &missing)) {
      return checkpoint.version;
    }
  }
  return -1;
}

Result<LogSegment> BuildLogSegment(const LogListing& listing, std::optional<int64_t> version,
                                   std::string_view table_root) {
  const int64_t latest = listing.latest_version();
  if (latest < 0) {
    return Status::NotFound(fmt::format(
        "'{}' is not a Delta table: no commit or checkpoint files in its _delta_log", table_root));
  }
  const int64_t target = version.value_or(latest);
  const int64_t earliest = EarliestReconstructableVersion(listing);
  if (target < earliest || target > latest || earliest < 0) {
    if (earliest < 0) {
      return Status::Corruption(fmt::format(
          "Delta table '{}' cannot be read: its log has neither commit 0 nor a checkpoint "
          "followed by every later commit",
          table_root));
    }
    return Status::InvalidArgument(
        fmt::format("[DELTA_VERSION_NOT_FOUND] Cannot time travel Delta table to version {}. "
                    "Available versions: [{}, {}].",
                    target, earliest, latest));
  }
  LogSegment segment;
  segment.version = target;
  // The newest checkpoint at or before the target with every commit after it.
  int64_t start = -1;
  int64_t missing = 0;
  for (auto it = listing.checkpoints.rbegin(); it != listing.checkpoints.rend(); ++it) {
    if (it->version > target)
      continue;
    if (HasContiguousCommits(listing.commits, it->version, target, &missing)) {
      segment.checkpoint = *it;
      start = it->version;
      break;
    }
  }
  if (!HasContiguousCommits(listing.commits, start, target, &missing)) {
    return Status::Corruption(fmt::format(
        "Delta table '{}': versions are not contiguous, commit {} is missing before version {}",
        table_root, missing, target));
  }
  auto it = std::lower_bound(listing.commits.begin(), listing.commits.end(), start + 1,
                             [](const LogFile& f, int64_t v) { return f.version < v; });
  // Walk commits, replacing runs by the longest compaction that fits.
  int64_t next = start + 1;
  while (next <= target) {
    const LogFile* best = nullptr;
    for (const LogFile& compaction : listing.compactions) {
      if (compaction.version == next && compaction.end_version <= target &&
          compaction.end_version > next &&
          (best == nullptr || compaction.end_version > best->end_version)) {
        best = &compaction;
      }
    }
    if (best != nullptr) {
      segment.commits.push_back(*best);
      next = best->end_version + 1;
      while (it != listing.commits.end() && it->version < next)
        ++it;
      continue;
    }
    segment.commits.push_back(*it);
    ++it;
    ++next;
  }
  auto last = std::lower_bound(listing.commits.begin(), listing.commits.end(), target,
                               [](const LogFile& f, int64_t v) { return f.version < v; });
  if (last != listing.commits.end() && last->version == target)
    segment.last_commit = *last;
  return segment;
}

}  // namespace sluice::delta
