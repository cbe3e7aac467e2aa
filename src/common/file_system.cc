// SPDX-License-Identifier: Apache-2.0
#include "common/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace sluice {
namespace {

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string message = fmt::format("{} '{}': {}", what, path, std::strerror(err));
  if (err == ENOENT) {
    return Status::NotFound(std::move(message));
  }
  if (err == EEXIST) {
    return Status::AlreadyExists(std::move(message));
  }
  return Status::IoError(std::move(message));
}

/// Closes a descriptor on scope exit.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }
  /// Closes now and reports the error, since close() can report a deferred write error.
  Status Close(const std::string& path) {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      return ErrnoStatus("close", path, errno);
    }
    return Status::Ok();
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoStatus("write", path, errno);
    }
    written += static_cast<size_t>(n);
  }
  return Status::Ok();
}

/// Writes `data` to a new unique temporary file beside `path`, synced; returns its name.
Result<std::string> WriteTempFile(const std::string& path, std::string_view data) {
  static std::atomic<uint64_t> counter{0};
  const std::string temp = fmt::format("{}.{}.{}.tmp", path, ::getpid(),
                                       counter.fetch_add(1, std::memory_order_relaxed));
  FdGuard fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    return ErrnoStatus("create", temp, errno);
  }
  Status status = WriteAll(fd.get(), data, temp);
  if (status.ok() && ::fsync(fd.get()) != 0) {
    status = ErrnoStatus("fsync", temp, errno);
  }
  if (status.ok()) {
    status = fd.Close(temp);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  return temp;
}

Result<FileInfo> StatPath(const std::string& path, std::string name) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return ErrnoStatus("stat", path, errno);
  }
  FileInfo info;
  info.path = path;
  info.name = std::move(name);
  info.is_directory = S_ISDIR(st.st_mode);
  info.size = info.is_directory ? 0 : static_cast<int64_t>(st.st_size);
  info.modification_micros =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
  return info;
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

bool IsHiddenDataName(std::string_view name) {
  return name.empty() || name[0] == '_' || name[0] == '.';
}

Status ListDataFiles(FileSystem& fs, const std::string& dir, std::vector<std::string>* out) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> entries, fs.ListDirectory(dir));
  for (const FileInfo& entry : entries) {
    if (IsHiddenDataName(entry.name))
      continue;
    if (entry.is_directory) {
      SLUICE_RETURN_IF_ERROR(ListDataFiles(fs, entry.path, out));
    } else {
      out->push_back(entry.path);
    }
  }
  return Status::Ok();
}

std::string JoinPath(std::string_view base, std::string_view name) {
  if (base.empty()) {
    return std::string(name);
  }
  std::string out(base);
  if (out.back() != '/') {
    out += '/';
  }
  while (!name.empty() && name.front() == '/') {
    name.remove_prefix(1);
  }
  out += name;
  return out;
}

std::string ParentPath(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') {
    path.remove_suffix(1);
  }
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return ".";
  }
  if (slash == 0) {
    return "/";
  }
  return std::string(path.substr(0, slash));
}

LocalFileSystem& LocalFileSystem::Default() {
  static LocalFileSystem fs;
  return fs;
}

Result<std::string> LocalFileSystem::ReadFile(const std::string& path) {
  FdGuard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return ErrnoStatus("open", path, errno);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return ErrnoStatus("stat", path, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument(fmt::format("is a directory: '{}'", path));
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == data.size()) {
      data.resize(data.size() + 65536);  // the file may have grown since fstat
    }
    const ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoStatus("read", path, errno);
    }
    if (n == 0) {
      break;
    }
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

Status LocalFileSystem::WriteFileAtomic(const std::string& path, std::string_view data) {
  SLUICE_ASSIGN_OR_RETURN(std::string temp, WriteTempFile(path, data));
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return ErrnoStatus("rename onto", path, err);
  }
  return Sync(ParentPath(path));
}

Status LocalFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  SLUICE_ASSIGN_OR_RETURN(std::string temp, WriteTempFile(path, data));
  // link() fails with EEXIST instead of replacing: the put-if-absent primitive.
  const int rc = ::link(temp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(temp.c_str());
  if (rc != 0) {
    return ErrnoStatus("create", path, err);
  }
  return Sync(ParentPath(path));
}

Status LocalFileSystem::Sync(const std::string& path) {
  FdGuard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return ErrnoStatus("open for fsync", path, errno);
  }
  if (::fsync(fd.get()) != 0) {
    return ErrnoStatus("fsync", path, errno);
  }
  return fd.Close(path);
}

Result<std::vector<FileInfo>> LocalFileSystem::ListDirectory(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    return ErrnoStatus("list", path, errno);
  }
  std::vector<FileInfo> entries;
  Status status;
  errno = 0;
  while (struct dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    if (name == "." || name == "..") {
      continue;
    }
    Result<FileInfo> info = StatPath(JoinPath(path, name), std::string(name));
    if (!info.ok()) {
      if (info.status().code() == StatusCode::kNotFound) {
        errno = 0;  // stat's ENOENT is no readdir error
        continue;   // deleted between readdir and stat
      }
      status = info.status();
      break;
    }
    entries.push_back(std::move(info).ValueUnsafe());
  }
  if (status.ok() && errno != 0) {
    status = ErrnoStatus("list", path, errno);
  }
  ::closedir(dir);
  SLUICE_RETURN_IF_ERROR(status);
  std::sort(entries.begin(), entries.end(),
            [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
  return entries;
}

Result<FileInfo> LocalFileSystem::GetFileInfo(const std::string& path) {
  return StatPath(path, BaseName(path));
}

Result<bool> LocalFileSystem::Exists(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    return true;
  }
  if (errno == ENOENT) {
    return false;
  }
  return ErrnoStatus("stat", path, errno);
}

Status LocalFileSystem::CreateDirectories(const std::string& path) {
  if (path.empty()) {
    return Status::InvalidArgument("empty directory path");
  }
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return Status::Ok();
    }
    return Status::AlreadyExists(fmt::format("not a directory: '{}'", path));
  }
  const std::string parent = ParentPath(path);
  if (parent != path && parent != "." && parent != "/") {
    SLUICE_RETURN_IF_ERROR(CreateDirectories(parent));
  }
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoStatus("mkdir", path, errno);
  }
  return Status::Ok();
}

Status LocalFileSystem::DeleteFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0) {
    return ErrnoStatus("delete", path, errno);
  }
  return Status::Ok();
}

Status LocalFileSystem::DeleteRecursively(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? Status::Ok() : ErrnoStatus("stat", path, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<FileInfo> entries, ListDirectory(path));
    for (const FileInfo& entry : entries) {
      SLUICE_RETURN_IF_ERROR(DeleteRecursively(entry.path));
    }
    if (::rmdir(path.c_str()) != 0) {
      return ErrnoStatus("rmdir", path, errno);
    }
    return Status::Ok();
  }
  return DeleteFile(path);
}

}  // namespace sluice
