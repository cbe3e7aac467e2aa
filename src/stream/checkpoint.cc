// SPDX-License-Identifier: Apache-2.0
#include "stream/checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/json.h"
#include "delta/transaction.h"

namespace sluice::stream {

namespace {

constexpr std::string_view kVersionLine = "v1";

/// Splits `text` into lines (a trailing newline adds no empty line).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

Status CheckVersionLine(std::string_view line, std::string_view where) {
  if (line == kVersionLine) {
    return Status::Ok();
  }
  if (line.size() > 1 && line[0] == 'v') {
    return Status::Corruption(fmt::format(
        "[INVALID_LOG_VERSION.EXACT_MATCHING_VERSION] {}: log version {} is not supported; this "
        "sluice reads v1 (the checkpoint was written by a newer version)",
        where, line));
  }
  return Status::Corruption(
      fmt::format("{}: not a streaming log entry (expected the version line 'v1')", where));
}

Result<int64_t> IntMember(const JsonValue& object, std::string_view key, std::string_view where) {
  const JsonValue* value = object.Find(key);
  if (value == nullptr) {
    return int64_t{0};
  }
  Result<int64_t> parsed = value->AsInt64();
  if (!parsed.ok()) {
    return Status::Corruption(fmt::format("{}: '{}' is not an integer", where, key));
  }
  return *parsed;
}

/// Parses a batch id file name ("12"); nullopt for anything else (temp files, .crc).
std::optional<int64_t> BatchIdOf(std::string_view name) {
  if (name.empty() || name.size() > 18) {
    return std::nullopt;
  }
  int64_t id = 0;
  for (char c : name) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    id = id * 10 + (c - '0');
  }
  return id;
}

}  // namespace

std::string OffsetLogEntry::Serialize() const {
  std::vector<JsonValue::Member> conf;
  for (const auto& [key, value] : metadata.conf) {
    conf.emplace_back(key, JsonValue::String(value));
  }
  JsonValue meta = JsonValue::Object({
      {"batchWatermarkMs", JsonValue::Int(metadata.batch_watermark_ms)},
      {"batchTimestampMs", JsonValue::Int(metadata.batch_timestamp_ms)},
      {"conf", JsonValue::Object(std::move(conf))},
  });
  std::string out(kVersionLine);
  out += '\n';
  out += meta.Serialize();
  for (const std::optional<Offset>& offset : offsets) {
    out += '\n';
    out += offset.has_value() ? *offset : "-";
  }
  return out;
}

Result<OffsetLogEntry> OffsetLogEntry::Parse(std::string_view text, std::string_view where) {
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.size() < 2) {
    return Status::Corruption(fmt::format("{}: incomplete offset log entry", where));
  }
  SLUICE_RETURN_IF_ERROR(CheckVersionLine(lines[0], where));
  Result<JsonValue> meta = JsonValue::Parse(lines[1]);
  if (!meta.ok() || !meta->is_object()) {
    return Status::Corruption(
        fmt::format("{}: the batch metadata line is not a JSON object", where));
  }
  OffsetLogEntry entry;
  SLUICE_ASSIGN_OR_RETURN(entry.metadata.batch_watermark_ms,
                          IntMember(*meta, "batchWatermarkMs", where));
  SLUICE_ASSIGN_OR_RETURN(entry.metadata.batch_timestamp_ms,
                          IntMember(*meta, "batchTimestampMs", where));
  if (const JsonValue* conf = meta->Find("conf"); conf != nullptr && conf->is_object()) {
    for (const JsonValue::Member& member : conf->members()) {
      entry.metadata.conf[member.first] =
          member.second.is_string() ? member.second.text() : member.second.Serialize();
    }
  }
  for (size_t i = 2; i < lines.size(); ++i) {
    if (lines[i] == "-") {
      entry.offsets.emplace_back(std::nullopt);
      continue;
    }
    if (!JsonValue::Parse(lines[i]).ok()) {
      return Status::Corruption(
          fmt::format("{}: the offset of source {} is not valid JSON", where, i - 2));
    }
    entry.offsets.emplace_back(std::string(lines[i]));
  }
  return entry;
}

std::string CommitLogEntry::Serialize() const {
  return fmt::format("{}\n{{\"nextBatchWatermarkMs\":{}}}", kVersionLine, next_batch_watermark_ms);
}

Result<CommitLogEntry> CommitLogEntry::Parse(std::string_view text, std::string_view where) {
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.size() < 2) {
    return Status::Corruption(fmt::format("{}: incomplete commit log entry", where));
  }
  SLUICE_RETURN_IF_ERROR(CheckVersionLine(lines[0], where));
  Result<JsonValue> meta = JsonValue::Parse(lines[1]);
  if (!meta.ok() || !meta->is_object()) {
    return Status::Corruption(fmt::format("{}: the commit metadata is not a JSON object", where));
  }
  CommitLogEntry entry;
  SLUICE_ASSIGN_OR_RETURN(entry.next_batch_watermark_ms,
                          IntMember(*meta, "nextBatchWatermarkMs", where));
  return entry;
}

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(const std::string& dir, FileSystem& fs) {
  if (dir.empty()) {
    return Status::InvalidArgument(
        "checkpointLocation must be specified either through option(\"checkpointLocation\", ...) "
        "or SparkSession.conf.set(\"spark.sql.streaming.checkpointLocation\", ...)");
  }
  std::unique_ptr<Checkpoint> checkpoint(new Checkpoint(dir, fs));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir + "/offsets"));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir + "/commits"));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir + "/sources"));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir + "/state"));

  // One live query per checkpoint (reliability invariant I10). flock is released by the
  // kernel when the process dies, so a kill -9 never leaves a stale lock.
  const std::string lock_path = dir + "/lock";
  checkpoint->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (checkpoint->lock_fd_ < 0) {
    return Status::IoError(fmt::format("cannot open {}: {}", lock_path, std::strerror(errno)));
  }
  if (::flock(checkpoint->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return Status::Conflict(fmt::format(
        "[CONCURRENT_QUERY] Another instance of this query was just started by a concurrent "
        "session: the checkpoint {} is in use by a running query",
        dir));
  }

  const std::string metadata_path = dir + "/metadata";
  SLUICE_ASSIGN_OR_RETURN(bool exists, fs.Exists(metadata_path));
  if (!exists) {
    std::string id = delta::RandomUuid();
    Status put = fs.PutIfAbsent(metadata_path, fmt::format("{{\"id\":\"{}\"}}\n", id));
    if (!put.ok() && put.code() != StatusCode::kAlreadyExists) {
      return put;
    }
    checkpoint->is_new_ = put.ok();
  }
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(metadata_path));
  Result<JsonValue> metadata = JsonValue::Parse(text);
  const JsonValue* id = metadata.ok() ? metadata->Find("id") : nullptr;
  if (id == nullptr || !id->is_string() || id->text().empty()) {
    return Status::Corruption(
        fmt::format("{}: expected {{\"id\":\"<query id>\"}}, found '{}'", metadata_path, text));
  }
  checkpoint->query_id_ = id->text();
  return checkpoint;
}

Checkpoint::~Checkpoint() {
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);  // releases the flock
  }
}

Status Checkpoint::CheckSources(const std::vector<std::string>& identities) {
  // Saved identities: sources/<n>/metadata for n = 0.. until one is missing.
  std::vector<std::string> saved;
  for (int n = 0;; ++n) {
    const std::string path = fmt::format("{}/sources/{}/metadata", dir_, n);
    SLUICE_ASSIGN_OR_RETURN(bool exists, fs_->Exists(path));
    if (!exists) {
      break;
    }
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
    while (!text.empty() && text.back() == '\n') {
      text.pop_back();
    }
    saved.push_back(std::move(text));
  }
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> logged, LatestOffsetBatch());
  // Before the first batch is logged the identities may be partly saved (a crash while
  // saving them): the saved ones must match, the rest are saved now.
  if (!logged.has_value() && saved.size() <= identities.size()) {
    for (size_t n = 0; n < saved.size(); ++n) {
      SLUICE_RETURN_IF_ERROR(CompareIdentity(n, saved[n], identities[n]));
    }
    for (size_t n = saved.size(); n < identities.size(); ++n) {
      SLUICE_ASSIGN_OR_RETURN(std::string source_dir, SourceDir(static_cast<int>(n)));
      Status put = fs_->PutIfAbsent(source_dir + "/metadata", identities[n] + "\n");
      if (!put.ok() && put.code() != StatusCode::kAlreadyExists) {
        return put;
      }
    }
    return Status::Ok();
  }
  if (saved.size() != identities.size()) {
    return Status::InvalidArgument(fmt::format(
        "The checkpoint {} belongs to a query with {} source(s); this query has {}. Use a new "
        "checkpointLocation for a different query.",
        dir_, saved.size(), identities.size()));
  }
  for (size_t n = 0; n < identities.size(); ++n) {
    SLUICE_RETURN_IF_ERROR(CompareIdentity(n, saved[n], identities[n]));
  }
  return Status::Ok();
}

Status Checkpoint::CompareIdentity(size_t index, const std::string& saved,
                                   const std::string& identity) const {
  Result<JsonValue> a = JsonValue::Parse(saved);
  Result<JsonValue> b = JsonValue::Parse(identity);
  if (a.ok() && b.ok() ? *a == *b : saved == identity) {
    return Status::Ok();
  }
  return Status::InvalidArgument(fmt::format(
      "The checkpoint {} belongs to another query: source {} was {} and is now {}. Use a new "
      "checkpointLocation for a different query.",
      dir_, index, saved, identity));
}

Result<std::string> Checkpoint::SourceDir(int index) {
  std::string path = fmt::format("{}/sources/{}", dir_, index);
  SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(path));
  return path;
}

namespace {

Result<std::optional<int64_t>> LatestIn(FileSystem& fs, const std::string& dir) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> entries, fs.ListDirectory(dir));
  std::optional<int64_t> latest;
  for (const FileInfo& entry : entries) {
    std::optional<int64_t> id = entry.is_directory ? std::nullopt : BatchIdOf(entry.name);
    if (id.has_value() && (!latest.has_value() || *id > *latest)) {
      latest = id;
    }
  }
  return latest;
}

Status PutEntry(FileSystem& fs, const std::string& path, std::string_view data, int64_t batch_id) {
  Status put = fs.PutIfAbsent(path, data);
  if (put.code() == StatusCode::kAlreadyExists) {
    return Status::Conflict(
        fmt::format("Concurrent update to the log. Multiple streaming jobs detected for {} ({})",
                    batch_id, path));
  }
  return put;
}

}  // namespace

Result<std::optional<int64_t>> Checkpoint::LatestOffsetBatch() const {
  return LatestIn(*fs_, dir_ + "/offsets");
}

Result<std::optional<int64_t>> Checkpoint::LatestCommittedBatch() const {
  return LatestIn(*fs_, dir_ + "/commits");
}

Result<OffsetLogEntry> Checkpoint::GetOffsets(int64_t batch_id) const {
  const std::string path = fmt::format("{}/offsets/{}", dir_, batch_id);
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
  return OffsetLogEntry::Parse(text, path);
}

Result<CommitLogEntry> Checkpoint::GetCommit(int64_t batch_id) const {
  const std::string path = fmt::format("{}/commits/{}", dir_, batch_id);
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs_->ReadFile(path));
  return CommitLogEntry::Parse(text, path);
}

Status Checkpoint::AddOffsets(int64_t batch_id, const OffsetLogEntry& entry) {
  return PutEntry(*fs_, fmt::format("{}/offsets/{}", dir_, batch_id), entry.Serialize(), batch_id);
}

Status Checkpoint::AddCommit(int64_t batch_id, const CommitLogEntry& entry) {
  return PutEntry(*fs_, fmt::format("{}/commits/{}", dir_, batch_id), entry.Serialize(), batch_id);
}

Status Checkpoint::Purge(int64_t min_batch_id) {
  for (const char* log : {"offsets", "commits"}) {
    const std::string dir = fmt::format("{}/{}", dir_, log);
    SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> entries, fs_->ListDirectory(dir));
    for (const FileInfo& entry : entries) {
      std::optional<int64_t> id = entry.is_directory ? std::nullopt : BatchIdOf(entry.name);
      if (id.has_value() && *id < min_batch_id) {
        SLUICE_RETURN_IF_ERROR(fs_->DeleteFile(entry.path));
      }
    }
  }
  return Status::Ok();
}

Status Checkpoint::PurgeBatch(int64_t batch_id) {
  for (const char* log : {"offsets", "commits"}) {
    Status deleted = fs_->DeleteFile(fmt::format("{}/{}/{}", dir_, log, batch_id));
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) {
      return deleted;
    }
  }
  return Status::Ok();
}

}  // namespace sluice::stream
