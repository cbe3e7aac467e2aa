// SPDX-License-Identifier: Apache-2.0
#include "stream/tests/stream_test_harness.h"

#include <fmt/format.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "columnar/builder.h"
#include "common/sync_point.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "delta/writer.h"
#include "stream/factory.h"

namespace sluice::stream::testing {
namespace {

FileSystem& Fs() {
  return LocalFileSystem::Default();
}

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/sluice_streamtest_XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return "";
  }
  return std::string(buffer.data());
}

BatchPtr IdBatch(const SchemaPtr& schema, const std::vector<int64_t>& ids) {
  BatchBuilder builder(schema);
  for (int64_t id : ids) {
    static_cast<Int64Builder*>(builder.column(0))->Append(id);
  }
  return builder.Finish();
}

std::vector<int64_t> IdsOf(const std::vector<BatchPtr>& batches) {
  std::vector<int64_t> ids;
  for (const BatchPtr& batch : batches) {
    const int column = batch->schema()->FieldIndex("id");
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      ids.push_back(batch->column(column)->Value<int64_t>(row));
    }
  }
  return ids;
}

std::string JoinIds(const std::vector<int64_t>& ids) {
  return fmt::format("[{}]", fmt::join(ids, ", "));
}

// The numeric file names of a checkpoint log directory, sorted.
Result<std::vector<int64_t>> LogBatchIds(const std::string& dir) {
  std::vector<int64_t> ids;
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) {
    return ids;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
      ids.push_back(std::stoll(name));
    }
  }
  if (error) {
    return Status::IoError(fmt::format("cannot list {}: {}", dir, error.message()));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Status CheckContiguous(const std::vector<int64_t>& ids, const std::string& what) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != static_cast<int64_t>(i)) {
      return Status::Internal(
          fmt::format("{}: batch ids {} are not contiguous from 0", what, JoinIds(ids)));
    }
  }
  return Status::Ok();
}

// The identity plan (SELECT * FROM source): the one source's rows.
PlanRunner IdentityPlan(SchemaPtr schema) {
  return [schema](const MicroBatchInput& input) -> Result<MicroBatchOutput> {
    MicroBatchOutput output;
    output.schema = schema;
    for (const auto& source : input.sources) {
      output.batches.insert(output.batches.end(), source.begin(), source.end());
    }
    return output;
  };
}

}  // namespace

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kMemory:
      return "memory";
    case SourceKind::kFiles:
      return "files";
    case SourceKind::kDelta:
      return "delta";
  }
  return "?";
}

std::string_view SinkKindName(SinkKind kind) {
  switch (kind) {
    case SinkKind::kDelta:
      return "delta";
    case SinkKind::kMemory:
      return "memory";
    case SinkKind::kForeachBatch:
      return "foreachBatch";
  }
  return "?";
}

StreamTest::StreamTest(SourceKind source, SinkKind sink)
    : source_kind_(source),
      sink_kind_(sink),
      dir_(MakeTempDir()),
      checkpoint_dir_(dir_ + "/checkpoint"),
      input_dir_(dir_ + "/input"),
      output_dir_(dir_ + "/output"),
      schema_(MakeSchema({MakeField("id", LongType())})) {
  if (source_kind_ == SourceKind::kMemory) {
    memory_stream_ = std::make_unique<MemoryStream>(schema_);
  }
  std::filesystem::create_directories(input_dir_);
}

StreamTest::~StreamTest() {
  SyncPoints::ClearCallback();
  execution_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

Status StreamTest::Run(const std::vector<StreamAction>& actions) {
  for (size_t i = 0; i < actions.size(); ++i) {
    const StreamAction& action = actions[i];
    Status status;
    std::string name;
    if (const auto* add = std::get_if<AddData>(&action)) {
      name = "AddData" + JoinIds(add->ids);
      status = Add(add->ids);
    } else if (std::holds_alternative<StartStream>(action)) {
      name = "StartStream";
      status = Start();
    } else if (std::holds_alternative<StopStream>(action)) {
      name = "StopStream";
      status = Stop();
    } else if (std::holds_alternative<ProcessAllAvailable>(action)) {
      name = "ProcessAllAvailable";
      status = ProcessAll();
    } else if (const auto* crash = std::get_if<CrashAt>(&action)) {
      name = "CrashAt(" + crash->point + ")";
      status = Crash(crash->point);
    } else if (const auto* check = std::get_if<CheckAnswer>(&action)) {
      name = "CheckAnswer" + JoinIds(check->ids);
      status = Check(check->ids);
    }
    if (!status.ok()) {
      return Status::Internal(fmt::format("{} source -> {} sink, action {} {}: {}",
                                          SourceKindName(source_kind_), SinkKindName(sink_kind_), i,
                                          name, status.ToString()));
    }
  }
  Status delivery = CheckDelivery();
  if (!delivery.ok()) {
    return Status::Internal(fmt::format("{} source -> {} sink, after the actions: {}",
                                        SourceKindName(source_kind_), SinkKindName(sink_kind_),
                                        delivery.ToString()));
  }
  return Status::Ok();
}

Status StreamTest::AddFile(const std::vector<int64_t>& ids) {
  std::string text;
  for (int64_t id : ids) {
    text += fmt::format("{{\"id\": {}}}\n", id);
  }
  const std::string name = fmt::format("part-{:05}.json", files_added_++);
  const std::string temp = input_dir_ + "/." + name + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      return Status::IoError("cannot write " + temp);
    }
  }
  std::error_code error;
  std::filesystem::rename(temp, input_dir_ + "/" + name, error);
  if (error) {
    return Status::IoError(fmt::format("cannot rename {}: {}", temp, error.message()));
  }
  return Status::Ok();
}

Status StreamTest::Add(const std::vector<int64_t>& ids) {
  switch (source_kind_) {
    case SourceKind::kMemory:
      return memory_stream_->AddData({IdBatch(schema_, ids)}).status();
    case SourceKind::kFiles:
      return AddFile(ids);
    case SourceKind::kDelta:
      return delta::Append(input_dir_, {IdBatch(schema_, ids)}, delta::WriteOptions{}, Fs())
          .status();
  }
  return Status::Internal("unknown source kind");
}

Result<std::unique_ptr<StreamSource>> StreamTest::MakeSource() {
  if (source_kind_ == SourceKind::kMemory) {
    return memory_stream_->MakeSource();
  }
  SourceSpec spec;
  spec.path = input_dir_;
  if (source_kind_ == SourceKind::kFiles) {
    spec.format = "json";
    spec.schema = schema_;
    // Files are renamed in complete: take a file the first time it is listed (the default
    // waits for a second listing, which ProcessAllAvailable's one idle trigger ends before).
    spec.options.emplace_back("sluice.fileStableChecks", "0");
  } else {
    spec.format = "delta";
    if (!std::filesystem::exists(input_dir_ + "/_delta_log")) {
      SLUICE_RETURN_IF_ERROR(delta::CreateTable(input_dir_, schema_, {}, {}, Fs()).status());
    }
  }
  return stream::MakeSource(spec);
}

Status StreamTest::RecordForeachBatch(const std::vector<BatchPtr>& batches, int64_t batch_id) {
  calls_.push_back(ForeachBatchCall{batch_id, IdsOf(batches)});
  return Status::Ok();
}

Result<std::unique_ptr<StreamSink>> StreamTest::MakeSink() {
  SinkSpec spec;
  switch (sink_kind_) {
    case SinkKind::kDelta:
      spec.format = "delta";
      spec.path = output_dir_;
      return stream::MakeSink(spec);
    case SinkKind::kForeachBatch:
      spec.format = "foreachBatch";
      spec.foreach_batch = [this](const SchemaPtr&, const std::vector<BatchPtr>& batches,
                                  int64_t batch_id) {
        return RecordForeachBatch(batches, batch_id);
      };
      return stream::MakeSink(spec);
    case SinkKind::kMemory: {
      spec.format = "memory";
      spec.query_name = "stream_test";
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<MemorySink> sink, MemorySink::Make(spec));
      // StreamTest reuses one sink across restarts: the new sink starts with the rows
      // (and last batch id) of the previous one.
      if (memory_table_ != nullptr && memory_table_->last_batch_id().has_value()) {
        std::shared_ptr<const sql::InMemoryRelation> rows = memory_table_->Snapshot();
        sink->table()->Add(*memory_table_->last_batch_id(), rows->schema, rows->batches,
                           /*replace=*/true);
      }
      memory_table_ = sink->table();
      return std::unique_ptr<StreamSink>(std::move(sink));
    }
  }
  return Status::Internal("unknown sink kind");
}

Status StreamTest::Start() {
  if (execution_ != nullptr) {
    return Status::Ok();
  }
  StreamingQueryOptions options;
  options.name = "stream_test";
  options.checkpoint_location = checkpoint_dir_;
  options.trigger = Trigger::Default();
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<StreamSource> source, MakeSource());
  options.sources.push_back(std::move(source));
  SLUICE_ASSIGN_OR_RETURN(options.sink, MakeSink());
  options.plan = IdentityPlan(schema_);
  SLUICE_ASSIGN_OR_RETURN(execution_, MicroBatchExecution::Open(std::move(options)));
  query_id_ = execution_->id();
  return Status::Ok();
}

Status StreamTest::Stop() {
  if (execution_ != nullptr) {
    execution_->Close();
    execution_.reset();
  }
  return Status::Ok();
}

Status StreamTest::ProcessAll() {
  SLUICE_RETURN_IF_ERROR(Start());
  return execution_->ProcessAllAvailable();
}

Status StreamTest::Crash(const std::string& point) {
  SLUICE_RETURN_IF_ERROR(Start());
  auto hits = std::make_shared<std::atomic<int>>(0);
  SyncPoints::SetCallback([point, hits](std::string_view reached) -> Status {
    if (reached != point || hits->fetch_add(1) > 0) {
      return Status::Ok();
    }
    return Status::IoError(fmt::format("simulated crash at {}", reached));
  });
  Status status = execution_->ProcessAllAvailable();
  SyncPoints::ClearCallback();
  // The process "died": the driver is dropped without a clean stop.
  execution_.reset();
  if (hits->load() == 0) {
    return Status::Internal(fmt::format("the query never reached {} ({})", point,
                                        status.ok() ? "no batch ran" : status.ToString()));
  }
  if (status.ok() || status.message().find("simulated crash") == std::string::npos) {
    return Status::Internal(
        fmt::format("the trigger did not fail with the crash at {}: {}", point, status.ToString()));
  }
  return Start();
}

Result<std::vector<int64_t>> StreamTest::SinkIds() {
  std::vector<int64_t> ids;
  switch (sink_kind_) {
    case SinkKind::kDelta: {
      if (!std::filesystem::exists(output_dir_ + "/_delta_log")) {
        return ids;
      }
      SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                              delta::Snapshot::Load(output_dir_, Fs()));
      SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<delta::Scan> scan,
                              delta::Scan::Make(snapshot, delta::ScanOptions{}, Fs()));
      SLUICE_ASSIGN_OR_RETURN(std::vector<BatchPtr> batches, scan->ReadAll());
      ids = IdsOf(batches);
      break;
    }
    case SinkKind::kMemory:
      if (memory_table_ != nullptr) {
        ids = IdsOf(memory_table_->Snapshot()->batches);
      }
      break;
    case SinkKind::kForeachBatch: {
      // At least once: a replayed batch id counts once.
      std::set<int64_t> seen;
      for (const ForeachBatchCall& call : calls_) {
        if (seen.insert(call.batch_id).second) {
          ids.insert(ids.end(), call.ids.begin(), call.ids.end());
        }
      }
      break;
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Status StreamTest::Check(const std::vector<int64_t>& expected_ids) {
  std::vector<int64_t> expected = expected_ids;
  std::sort(expected.begin(), expected.end());
  SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> actual, SinkIds());
  if (actual != expected) {
    return Status::Internal(fmt::format("wrong answer: expected {}, the sink has {}",
                                        JoinIds(expected), JoinIds(actual)));
  }
  return Status::Ok();
}

Result<std::vector<int64_t>> StreamTest::CommittedBatches() const {
  return LogBatchIds(checkpoint_dir_ + "/commits");
}

Result<std::vector<int64_t>> StreamTest::LoggedBatches() const {
  return LogBatchIds(checkpoint_dir_ + "/offsets");
}

Status StreamTest::CheckDelivery() {
  SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> offsets, LoggedBatches());
  SLUICE_ASSIGN_OR_RETURN(std::vector<int64_t> commits, CommittedBatches());
  SLUICE_RETURN_IF_ERROR(CheckContiguous(offsets, "offsets/"));
  SLUICE_RETURN_IF_ERROR(CheckContiguous(commits, "commits/"));
  if (commits.size() > offsets.size()) {
    return Status::Internal(fmt::format("commits/ {} has a batch without offsets/ {}",
                                        JoinIds(commits), JoinIds(offsets)));
  }
  if (execution_ != nullptr && commits.size() != offsets.size()) {
    return Status::Internal(
        fmt::format("idle query with an uncommitted batch: offsets/ {}, "
                    "commits/ {}",
                    JoinIds(offsets), JoinIds(commits)));
  }
  if (sink_kind_ == SinkKind::kDelta && !commits.empty()) {
    SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, delta::Snapshot::Load(output_dir_, Fs()));
    const std::optional<int64_t> version = snapshot->TransactionVersion(query_id_);
    if (version != commits.back()) {
      return Status::Internal(fmt::format(
          "the Delta sink's txn version for query {} is {}, the last committed batch {}", query_id_,
          version ? std::to_string(*version) : "none", commits.back()));
    }
  }
  if (sink_kind_ == SinkKind::kForeachBatch) {
    std::map<int64_t, std::vector<int64_t>> first_call;
    int64_t next = 0;
    for (const ForeachBatchCall& call : calls_) {
      auto [it, inserted] = first_call.emplace(call.batch_id, call.ids);
      if (inserted) {
        if (call.batch_id != next) {
          return Status::Internal(
              fmt::format("foreachBatch got batch {} after batch {}", call.batch_id, next - 1));
        }
        ++next;
      } else if (it->second != call.ids) {
        return Status::Internal(fmt::format("batch {} replayed with other rows: {} then {}",
                                            call.batch_id, JoinIds(it->second), JoinIds(call.ids)));
      }
    }
  }
  return Status::Ok();
}

}  // namespace sluice::stream::testing
