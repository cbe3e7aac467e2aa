// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace sluice {

/// What a listing says of one entry.
struct FileInfo {
  std::string path;  // full path: the listed directory joined with the entry's name
  std::string name;  // the entry's name alone
  bool is_directory = false;
  int64_t size = 0;                 // bytes; 0 for directories
  int64_t modification_micros = 0;  // since the Unix epoch
};

/// A file system. Local POSIX now; object stores implement the same interface later.
/// Paths are plain strings ('/'-separated). Every method is safe for concurrent use.
/// Every failure, fsync failures included, comes back as a non-OK Status naming the path.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  /// Returns the whole content of the file at `path`.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;

  /// Replaces (or creates) `path` with `data` atomically: readers see the old content
  /// or the new, never a mix. Data and directory are synced before it returns.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data) = 0;

  /// Creates `path` with `data` only if nothing exists at `path`; otherwise returns
  /// kAlreadyExists and leaves the existing file untouched. Never overwrites, even under
  /// concurrent callers (the Delta commit primitive). Synced before it returns.
  virtual Status PutIfAbsent(const std::string& path, std::string_view data) = 0;

  /// Flushes `path` (file or directory) to stable storage.
  virtual Status Sync(const std::string& path) = 0;

  /// Lists the entries directly under the directory `path`, sorted by name.
  virtual Result<std::vector<FileInfo>> ListDirectory(const std::string& path) = 0;

  /// Returns what a listing would say of `path`; kNotFound when absent.
  virtual Result<FileInfo> GetFileInfo(const std::string& path) = 0;

  /// Returns whether something exists at `path`.
  virtual Result<bool> Exists(const std::string& path) = 0;

  /// Creates the directory `path` and its missing parents; OK when it already exists.
  virtual Status CreateDirectories(const std::string& path) = 0;

  /// Deletes the file `path`; kNotFound when absent.
  virtual Status DeleteFile(const std::string& path) = 0;

  /// Deletes the directory `path` and everything below it; OK when absent.
  virtual Status DeleteRecursively(const std::string& path) = 0;
};

/// The local POSIX file system.
class LocalFileSystem final : public FileSystem {
 public:
  /// Returns the process-wide instance.
  static LocalFileSystem& Default();

  Result<std::string> ReadFile(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view data) override;
  Status PutIfAbsent(const std::string& path, std::string_view data) override;
  Status Sync(const std::string& path) override;
  Result<std::vector<FileInfo>> ListDirectory(const std::string& path) override;
  Result<FileInfo> GetFileInfo(const std::string& path) override;
  Result<bool> Exists(const std::string& path) override;
  Status CreateDirectories(const std::string& path) override;
  Status DeleteFile(const std::string& path) override;
  Status DeleteRecursively(const std::string& path) override;
};

/// Joins two path parts with exactly one '/'.
std::string JoinPath(std::string_view base, std::string_view name);

/// Whether a file or directory name is hidden from data listings, as Spark's
/// InMemoryFileIndex hides them: names starting with '_' or '.'.
bool IsHiddenDataName(std::string_view name);

/// Appends the data files under the directory `dir` to `out`, recursively and depth first
/// in name order, leaving hidden names (and what is under them) out.
Status ListDataFiles(FileSystem& fs, const std::string& dir, std::vector<std::string>* out);
/// Returns the part of `path` before its last '/', or "." when there is none.
std::string ParentPath(std::string_view path);

}  // namespace sluice
