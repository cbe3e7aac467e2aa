// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/batch.h"
#include "common/file_system.h"
#include "common/result.h"
#include "formats/option_map.h"
#include "stream/source.h"
#include "types/data_type.h"

/// Spark's FileStreamSource: new files of a directory, each read exactly once.
///
/// The source is two parts, so that Auto Loader (cloudFiles) can reuse the first with
/// other decoders or a notification-based listing:
///  - FileDiscovery decides which files make each batch: it lists the directory, keeps
///    the set of files already taken, applies the rate limits and writes the batch's
///    files to the metadata log before the offset is handed out;
///  - FileFormatReader turns one file into rows of the source's schema (json, csv,
///    parquet, text), reusing the batch readers of formats/.
///
/// Which files are candidates (all of these, checked at every listing):
///  1. The entries directly under the directory (no recursion: partition directories
///     are not read), or, when the path's last component holds '*', '?' or '[', the
///     entries of its parent whose names match that glob (fnmatch); directories are
///     skipped.
///  2. Hidden and temporary names are never taken: a name starting with '_' or '.'
///     (Spark's hidden-path filter; writers write ".name.tmp" and rename), or ending in
///     ".tmp", ".crc" or "._COPYING_" (hdfs dfs -put's in-progress name).
///  3. Not taken before: the path (the name alone with fileNameOnly) is in no entry of
///     the metadata log, which is reloaded on Open, so restarts never re-take a file.
///  4. Not older than maxFileAge before the newest file taken so far (Spark's
///     SeenFilesMap threshold; not applied when latestFirst and maxFilesPerTrigger are
///     both set, as in Spark).
///  5. Stable: its size and modification time were the same in the last
///     `sluice.fileStableChecks` + 1 consecutive listings (default 1: a file first seen by
///     one LatestOffset call is taken by the next one if unchanged; 0 takes a file the
///     first time it is listed, as Spark does). The observations live in memory only, so
///     after a restart a file waits for one more listing. Only rate-limited batches wait:
///     Trigger.Once (ReadLimit::kAllAvailable) and the snapshot of Trigger.AvailableNow
///     take the files as listed, since those triggers end at the first batch without
///     data. Hidden/temporary names (rule 2) are what protects them from partial files:
///     writers should write a hidden or .tmp name and rename it. Note that a query's
///     processAllAvailable() under a processing-time trigger returns at the first
///     trigger without data, so with the default a file written just before it is
///     taken by a later trigger.
/// Candidates are ordered by modification time then path (latestFirst: newest first),
/// and a rate-limited batch takes the first maxFilesPerTrigger of them, or as many as fit
/// in maxBytesPerTrigger (always at least one).
///
/// Not (yet) as Spark: the metadata log is never compacted (Spark folds every 10 batches
/// into "<n>.compact"; such files are read, not written), the seen set is never purged,
/// globs only in the last path component, no cleanSource/sourceArchiveDir, no schema
/// inference for parquet.
namespace sluice::stream {

/// The file source's own options (Spark's names, matched ignoring case).
struct FileSourceOptions {
  /// maxFilesPerTrigger: at most this many files per rate-limited batch (> 0).
  std::optional<int64_t> max_files_per_trigger;
  /// maxBytesPerTrigger: at most this many bytes per rate-limited batch (> 0), but at
  /// least one file. Exclusive with maxFilesPerTrigger.
  std::optional<int64_t> max_bytes_per_trigger;
  /// latestFirst: take the newest files first.
  bool latest_first = false;
  /// maxFileAge (a Java time string, default "7d"), in milliseconds.
  int64_t max_file_age_ms = int64_t{7} * 24 * 3600 * 1000;
  /// fileNameOnly: files are the same when their names are (ignoring the directory).
  bool file_name_only = false;
  /// sluice.fileStableChecks: unchanged observations a file needs before it is taken.
  int64_t stable_checks = 1;

  /// Reads the options above from `options`; a bad value is kInvalidArgument naming the
  /// option. cleanSource is accepted as "off" only (archive and delete: kNotImplemented).
  static Result<FileSourceOptions> FromOptions(const OptionList& options);
};

/// Parses a Java time string as Spark's JavaUtils.timeStringAsMs: an integer and an
/// optional unit (us, ms, s, m, min, h, d; none means `default_unit_ms` per unit).
/// kInvalidArgument naming `option` otherwise.
Result<int64_t> ParseTimeStringMs(std::string_view text, std::string_view option,
                                  int64_t default_unit_ms = 1);

/// One file taken by the source: an entry of the metadata log (Spark's FileEntry).
struct FileEntry {
  /// "file:///abs/path".
  std::string path;
  /// The modification time, in milliseconds since the epoch.
  int64_t timestamp = 0;
  /// The log offset of the batch that took it.
  int64_t batch_id = 0;
};

/// Returns the local path of a log entry's URI ("file:///a", "file:/a" or a plain path).
std::string LocalPathOfUri(std::string_view uri);

/// Which files each batch takes, recorded in the metadata log (see the rules above).
/// The log, in `<metadata_dir>/<logOffset>` as Spark's FileStreamSourceLog: "v1" then one
/// JSON object per line, {"path":"file:///abs/path","timestamp":<ms>,"batchId":<n>}.
/// Single-threaded.
class FileDiscovery {
 public:
  /// `path` is absolute (the directory, or a glob in its last component).
  FileDiscovery(FileSystem* fs, std::string path, FileSourceOptions options);

  /// Reloads the log from `metadata_dir` (created when missing); the log may be on
  /// another file system than the data.
  Status Open(FileSystem* log_fs, std::string metadata_dir);
  /// The newest log offset written, -1 when none.
  int64_t latest_log_offset() const { return latest_log_offset_; }
  /// Returns the log offset ending the next batch after `start` (-1: nothing consumed):
  /// a logged batch not yet consumed when there is one (a restart), otherwise lists,
  /// takes the next files and logs them as a new batch (synced before returning).
  /// Returns `start` when there is nothing new.
  Result<int64_t> NextBatch(int64_t start, bool rate_limited);
  /// Returns the files of log offsets first..last, in log order.
  Result<std::vector<FileEntry>> FilesOf(int64_t first, int64_t last) const;
  /// Restricts later batches to the files listed now (Trigger.AvailableNow); those files
  /// need no further stability check.
  Status SnapshotForAvailableNow();
  /// Candidates of the last listing not yet taken, and their bytes.
  int64_t num_files_outstanding() const { return num_files_outstanding_; }
  int64_t num_bytes_outstanding() const { return num_bytes_outstanding_; }

 private:
  /// What one listing saw of a file not yet taken.
  struct Observation {
    int64_t size = 0;
    int64_t modification_micros = 0;
    /// Consecutive later listings that saw the same size and time.
    int64_t unchanged = 0;
  };

  Result<std::vector<FileInfo>> ListCandidates();
  std::string SeenKey(const std::string& path) const;
  Status LoadLogFile(const std::string& file);
  Status WriteBatch(int64_t batch_id, const std::vector<FileInfo>& files);

  FileSystem* fs_;
  /// The directory listed.
  std::string directory_;
  /// The glob on names, empty for all.
  std::string name_glob_;
  FileSourceOptions options_;
  FileSystem* log_fs_ = nullptr;
  std::string metadata_dir_;
  /// Log entries by log offset.
  std::map<int64_t, std::vector<FileEntry>> log_;
  int64_t latest_log_offset_ = -1;
  /// SeenKey of every logged file.
  std::set<std::string> seen_;
  /// The newest timestamp (ms) of a logged file; maxFileAge counts back from it.
  int64_t newest_seen_ms_ = -1;
  /// Files of earlier listings not yet taken, by path.
  std::map<std::string, Observation> observed_;
  /// Trigger.AvailableNow: the paths allowed.
  std::optional<std::set<std::string>> available_now_;
  int64_t num_files_outstanding_ = 0;
  int64_t num_bytes_outstanding_ = 0;
};

/// Decodes whole files of one format into rows of a fixed schema.
class FileFormatReader {
 public:
  virtual ~FileFormatReader() = default;
  /// The rows' schema.
  virtual const SchemaPtr& schema() const = 0;
  /// Reads all rows of the file at the local path `path` through `fs`. Safe for
  /// concurrent use (a batch's files are decoded in parallel).
  virtual Result<std::vector<BatchPtr>> ReadFile(FileSystem* fs, const std::string& path) const = 0;

  /// "json", "csv", "parquet" or "text". json and csv need `schema`
  /// ("Schema must be specified when creating a streaming source DataFrame"), parquet too
  /// (as Spark without spark.sql.streaming.schemaInference); text has `value string` and
  /// takes wholetext and lineSep. `options` are the reader's, as for a batch read.
  static Result<std::unique_ptr<FileFormatReader>> Make(const std::string& format,
                                                        const SchemaPtr& schema,
                                                        const OptionList& options);
};

/// The file source (Spark's FileStreamSource). Offsets are {"logOffset":N}.
class FileStreamSource final : public StreamSource {
 public:
  /// `format` is lower case; `path` a directory or a glob, made absolute here.
  static Result<std::unique_ptr<FileStreamSource>> Make(const std::string& format,
                                                        const std::string& path,
                                                        const SchemaPtr& schema,
                                                        const OptionList& options, FileSystem* fs);

  std::string Description() const override;
  std::string Identity() const override;
  SchemaPtr schema() const override { return reader_->schema(); }
  Status Open(const SourceContext& context) override;
  Result<std::optional<Offset>> LatestOffset(const std::optional<Offset>& start,
                                             ReadLimit limit) override;
  std::optional<Offset> ReportLatestOffset() override;
  Result<std::vector<BatchPtr>> GetBatch(const std::optional<Offset>& start,
                                         const Offset& end) override;
  Status PrepareForTriggerAvailableNow() override;
  std::map<std::string, std::string> Metrics(const std::optional<Offset>& consumed) override;
  /// True while the last listing saw files not yet taken (e.g. not yet stable).
  bool HasPendingInput() const override;

 private:
  FileStreamSource(std::string format, std::string path, FileSystem* fs,
                   std::unique_ptr<FileFormatReader> reader, FileSourceOptions options);

  std::string format_;
  /// Absolute path (directory or glob).
  std::string path_;
  FileSystem* fs_;
  ThreadPool* pool_ = nullptr;  // from SourceContext; may be null
  std::unique_ptr<FileFormatReader> reader_;
  FileDiscovery discovery_;
};

/// Formats a file source offset: {"logOffset":N}.
Offset FormatFileOffset(int64_t log_offset);
/// Parses {"logOffset":N} (or a plain number); kInvalidArgument otherwise.
Result<int64_t> ParseFileOffset(const Offset& offset);

}  // namespace sluice::stream
