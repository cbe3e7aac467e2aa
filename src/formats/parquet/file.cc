// SPDX-License-Identifier: Apache-2.0
// The RandomAccessFile implementations of leaf.h: a local file read with pread, and
// bytes held in memory.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "formats/parquet/leaf.h"

namespace sluice::parquet {
namespace {

// Checks that [offset, offset + length) lies inside a file of `size` bytes.
Status CheckRange(const std::string& name, int64_t size, int64_t offset, int64_t length) {
  if (offset < 0 || length < 0 || offset > size || length > size - offset) [[unlikely]] {
    return Status::Corruption(
        fmt::format("{}: byte range at offset {} of length {} is outside "
                    "the file of {} bytes",
                    name, offset, length, size));
  }
  return Status::Ok();
}

class LocalFile final : public RandomAccessFile {
 public:
  LocalFile(std::string name, int fd, int64_t size)
      : name_(std::move(name)), fd_(fd), size_(size) {}
  ~LocalFile() override { ::close(fd_); }
  LocalFile(const LocalFile&) = delete;
  LocalFile& operator=(const LocalFile&) = delete;

  const std::string& name() const override { return name_; }
  int64_t size() const override { return size_; }

  Result<std::string_view> ReadAt(int64_t offset, int64_t length,
                                  std::string* scratch) const override {
    SLUICE_RETURN_IF_ERROR(CheckRange(name_, size_, offset, length));
    // Only grown: the bytes are read over, and clearing a reused scratch costs time.
    if (scratch->size() < static_cast<size_t>(length)) {
      scratch->resize(static_cast<size_t>(length));
    }
    int64_t done = 0;
    while (done < length) {
      const ssize_t got = ::pread(fd_, scratch->data() + done, static_cast<size_t>(length - done),
                                  static_cast<off_t>(offset + done));
      if (got < 0) {
        if (errno == EINTR) {
          continue;
        }
        return Status::IoError(fmt::format("{}: cannot read {} bytes at offset {}: {}", name_,
                                           length, offset, std::strerror(errno)));
      }
      if (got == 0) {
        // The file shrank after it was opened.
        return Status::IoError(
            fmt::format("{}: unexpected end of file reading {} bytes at "
                        "offset {}",
                        name_, length, offset));
      }
      done += got;
    }
    return std::string_view(scratch->data(), static_cast<size_t>(length));
  }

 private:
  std::string name_;
  int fd_;
  int64_t size_;
};

class BufferFile final : public RandomAccessFile {
 public:
  BufferFile(std::string name, std::shared_ptr<const std::string> bytes)
      : name_(std::move(name)), bytes_(std::move(bytes)) {}

  const std::string& name() const override { return name_; }
  int64_t size() const override { return static_cast<int64_t>(bytes_->size()); }

  Result<std::string_view> ReadAt(int64_t offset, int64_t length,
                                  std::string* /*scratch*/) const override {
    SLUICE_RETURN_IF_ERROR(CheckRange(name_, size(), offset, length));
    return std::string_view(*bytes_).substr(static_cast<size_t>(offset),
                                            static_cast<size_t>(length));
  }

 private:
  std::string name_;
  std::shared_ptr<const std::string> bytes_;
};

}  // namespace

Result<std::unique_ptr<RandomAccessFile>> OpenLocalFile(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error = errno;
    std::string message = fmt::format("cannot open {}: {}", path, std::strerror(error));
    if (error == ENOENT || error == ENOTDIR) {
      return Status::NotFound(std::move(message));
    }
    return Status::IoError(std::move(message));
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return Status::IoError(fmt::format("cannot stat {}: {}", path, std::strerror(error)));
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status::IoError(fmt::format("cannot read {}: not a regular file", path));
  }
  return std::unique_ptr<RandomAccessFile>(
      std::make_unique<LocalFile>(path, fd, static_cast<int64_t>(info.st_size)));
}

std::unique_ptr<RandomAccessFile> MakeBufferFile(std::string name,
                                                 std::shared_ptr<const std::string> bytes) {
  if (bytes == nullptr) {
    bytes = std::make_shared<const std::string>();
  }
  return std::make_unique<BufferFile>(std::move(name), std::move(bytes));
}

}  // namespace sluice::parquet
