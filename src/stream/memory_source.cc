// SPDX-License-Identifier: Apache-2.0
#include "stream/memory_source.h"

#include <fmt/format.h>

#include <utility>

#include "common/json.h"

namespace sluice::stream {

struct MemoryStream::State {
  SchemaPtr schema;
  int64_t id = 0;
  mutable std::mutex mutex;
  /// One entry per AddData call; the offset of block i is i.
  std::vector<std::vector<BatchPtr>> blocks;
};

namespace {

Offset FormatOffset(int64_t offset) {
  return std::to_string(offset);
}

/// The StreamSource the driver gets: reads the shared blocks.
class MemorySource final : public StreamSource {
 public:
  explicit MemorySource(std::shared_ptr<MemoryStream::State> state) : state_(std::move(state)) {}

  std::string Description() const override { return fmt::format("MemoryStream[{}]", state_->id); }
  std::string Identity() const override {
    return fmt::format("{{\"format\":\"memory\",\"id\":{}}}", state_->id);
  }
  SchemaPtr schema() const override { return state_->schema; }

  Result<std::optional<Offset>> LatestOffset(const std::optional<Offset>& start,
                                             ReadLimit limit) override {
    (void)start;
    (void)limit;
    std::lock_guard lock(state_->mutex);
    if (state_->blocks.empty()) {
      return std::optional<Offset>();
    }
    return std::optional<Offset>(FormatOffset(static_cast<int64_t>(state_->blocks.size()) - 1));
  }

  std::optional<Offset> ReportLatestOffset() override {
    std::lock_guard lock(state_->mutex);
    if (state_->blocks.empty()) {
      return std::nullopt;
    }
    return FormatOffset(static_cast<int64_t>(state_->blocks.size()) - 1);
  }

  Result<std::vector<BatchPtr>> GetBatch(const std::optional<Offset>& start,
                                         const Offset& end) override {
    int64_t first = 0;
    if (start.has_value()) {
      SLUICE_ASSIGN_OR_RETURN(int64_t start_offset, ParseMemoryOffset(*start));
      first = start_offset + 1;
    }
    SLUICE_ASSIGN_OR_RETURN(int64_t last, ParseMemoryOffset(end));
    std::lock_guard lock(state_->mutex);
    const int64_t available = static_cast<int64_t>(state_->blocks.size());
    if (last >= available || first < 0) {
      return Status::InvalidArgument(
          fmt::format("MemoryStream offset range ({}, {}] is beyond the {} blocks added",
                      start.value_or("-1"), end, available));
    }
    std::vector<BatchPtr> rows;
    for (int64_t block = first; block <= last; ++block) {
      const auto& batches = state_->blocks[static_cast<size_t>(block)];
      rows.insert(rows.end(), batches.begin(), batches.end());
    }
    return rows;
  }

 private:
  std::shared_ptr<MemoryStream::State> state_;
};

}  // namespace

Result<int64_t> ParseMemoryOffset(const Offset& offset) {
  Result<JsonValue> parsed = JsonValue::Parse(offset);
  if (parsed.ok()) {
    const JsonValue* number = &*parsed;
    if (parsed->is_object()) {
      number = parsed->Find("offset");
    }
    if (number != nullptr && number->is_number()) {
      Result<int64_t> value = number->AsInt64();
      if (value.ok() && *value >= -1) {
        return *value;
      }
    }
  }
  return Status::InvalidArgument(
      fmt::format("MemoryStream offset must be a number >= -1, got '{}'", offset));
}

MemoryStream::MemoryStream(SchemaPtr schema, int64_t id) : state_(std::make_shared<State>()) {
  state_->schema = std::move(schema);
  state_->id = id;
}

const SchemaPtr& MemoryStream::schema() const {
  return state_->schema;
}

Result<Offset> MemoryStream::AddData(std::vector<BatchPtr> batches) {
  for (const BatchPtr& batch : batches) {
    if (batch == nullptr || !batch->schema()->Equals(*state_->schema)) {
      return Status::InvalidArgument(
          fmt::format("MemoryStream.addData: a batch does not have the stream's schema {}",
                      state_->schema->ToString()));
    }
  }
  std::lock_guard lock(state_->mutex);
  state_->blocks.push_back(std::move(batches));
  return FormatOffset(static_cast<int64_t>(state_->blocks.size()) - 1);
}

std::optional<Offset> MemoryStream::LatestOffset() const {
  std::lock_guard lock(state_->mutex);
  if (state_->blocks.empty()) {
    return std::nullopt;
  }
  return FormatOffset(static_cast<int64_t>(state_->blocks.size()) - 1);
}

std::unique_ptr<StreamSource> MemoryStream::MakeSource() const {
  return std::make_unique<MemorySource>(state_);
}

}  // namespace sluice::stream
