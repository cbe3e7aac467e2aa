// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_system.h"
#include "common/result.h"
#include "delta/actions.h"

/// Deletion vectors (PROTOCOL.md "Deletion Vectors" and appendix "Deletion Vector
/// Format"): the set of row indexes of a data file that are logically deleted, how a
/// descriptor in an `add` action locates it (inline, next to the table, or at an
/// absolute path), and its serialized forms.
namespace sluice::delta {

/// The magic number that starts a serialized DV (the "RoaringBitmapArray" portable
/// format), stored little endian.
inline constexpr int32_t kDeletionVectorMagic = 1681511377;
/// The magic number of the older "native" RoaringBitmapArray format (int32 bitmap count,
/// then per bitmap its int32 byte size and the bitmap; the key is the bitmap's index),
/// which Delta's readers still accept.
inline constexpr int32_t kDeletionVectorNativeMagic = 1681511376;
/// The format version byte that starts a DV file.
inline constexpr uint8_t kDeletionVectorFileVersion = 1;

/// Encodes `bytes` as Z85 (ZeroMQ RFC 32, the Base85 variant Delta uses), 5 characters
/// per 4 bytes. Input whose length is not a multiple of 4 is first padded with zero
/// bytes, as Delta does for inline DVs (readers trim to `sizeInBytes`).
std::string Z85Encode(std::string_view bytes);

/// Decodes Z85 text into 4 bytes per 5 characters. Also accepts the padding of the z85
/// Rust crate (written by delta-kernel-rs): a last group starting with k '#' (1 <= k <= 3)
/// decodes to 4 - k bytes. kInvalidArgument when the length is not a multiple of 5, for
/// a character outside the Z85 alphabet, or for a group whose value does not fit its
/// bytes; the message names the offending position.
Result<std::string> Z85Decode(std::string_view text);

/// Returns the 20-character Z85 form of a UUID given in canonical text
/// (8-4-4-4-12 hex digits), the tail of a "u" descriptor's `pathOrInlineDv`.
/// kInvalidArgument when `uuid` is not a canonical UUID.
Result<std::string> Z85EncodeUuid(std::string_view uuid);

/// Decodes a 20-character Z85 UUID into canonical lowercase text
/// (d2c639aa-8816-431a-aaf6-d3fe2512ff61). kInvalidArgument when it is not one.
Result<std::string> Z85DecodeUuid(std::string_view z85);

/// Returns the local path of the file that holds an on-disk DV. "u":
/// `<table_root>/<random prefix>/deletion_vector_<uuid>.bin` (no prefix directory when
/// the prefix is empty). "p": the absolute path, a `file:` URI (`file:/a`, `file:///a`,
/// `file://localhost/a`) or a plain absolute path, percent-escapes decoded.
/// kInvalidArgument for an inline ("i") descriptor; kNotImplemented for a URI scheme
/// other than `file`; kCorruption for a malformed or unknown descriptor.
Result<std::string> DeletionVectorAbsolutePath(const DeletionVectorDescriptor& descriptor,
                                               const std::string& table_root);

/// The deleted row indexes (0-based positions in a data file) of one data file: a
/// 64-bit Roaring bitmap. Row indexes must be below 2^63 (the protocol requires every
/// bucket key to have its top bit clear). Copyable (deep copy) and movable; a moved-from
/// vector is empty. Const methods are safe for concurrent use.
class DeletionVector {
 public:
  /// An empty vector (no row deleted).
  DeletionVector();
  ~DeletionVector();
  DeletionVector(const DeletionVector& other);
  DeletionVector& operator=(const DeletionVector& other);
  DeletionVector(DeletionVector&& other) noexcept;
  DeletionVector& operator=(DeletionVector&& other) noexcept;

  /// Parses the RoaringBitmapArray format: little-endian int32 magic
  /// (kDeletionVectorMagic), int64 bucket count, then per bucket an int32 key (the high
  /// 32 bits, ascending, top bit clear) and a portable 32-bit RoaringBitmap. Also reads
  /// the native format (kDeletionVectorNativeMagic), as Delta's readers do. Every byte
  /// must be used. kCorruption saying what was wrong and at which byte.
  static Result<DeletionVector> Deserialize(std::string_view bytes);

  /// Returns the RoaringBitmapArray serialization of this vector (empty buckets
  /// omitted); Deserialize(Serialize()) equals this vector. Containers are written as
  /// they are: call Optimize() first after adding rows one by one.
  std::string Serialize() const;

  /// Marks `row` deleted.
  void Add(uint64_t row);
  /// Marks the rows [first_row, end_row) deleted.
  void AddRange(uint64_t first_row, uint64_t end_row);
  /// Converts containers to run-length form where that is smaller (before Serialize).
  void Optimize();

  /// Whether `row` is deleted.
  bool Contains(uint64_t row) const;
  /// The number of deleted rows.
  int64_t cardinality() const { return cardinality_; }
  bool empty() const { return cardinality_ == 0; }
  /// The largest deleted row, or nullopt when empty.
  std::optional<uint64_t> Maximum() const;

  /// For the rows [first_row, first_row + count) of the file, writes
  /// `deleted_flags[i]` = 1 when row first_row + i is deleted and 0 otherwise, and
  /// returns how many are deleted. Cost is proportional to `count` plus the deleted rows
  /// in the range: meant to be called once per scan batch.
  int64_t MarkDeleted(uint64_t first_row, int64_t count, uint8_t* deleted_flags) const;

  /// The number of deleted rows in [first_row, first_row + count), without visiting them.
  int64_t CountInRange(uint64_t first_row, int64_t count) const;

  /// The deleted rows, ascending.
  std::vector<uint64_t> ToVector() const;

  /// Whether both hold the same rows.
  bool operator==(const DeletionVector& other) const;

 private:
  struct Impl;
  Impl& MutableImpl();

  std::unique_ptr<Impl> impl_;  // null while empty
  int64_t cardinality_ = 0;
};

/// Loads the DV a descriptor points to. Inline ("i"): decodes the Z85 text and takes
/// its first `sizeInBytes` bytes. On disk ("u", "p"): reads the whole file at
/// DeletionVectorAbsolutePath and parses it with ParseDeletionVectorFile. Checks that
/// the vector has the descriptor's `cardinality`. Format failures are kCorruption
/// naming the DV (file and offset, or the inline text) and what was wrong; a file that
/// cannot be read keeps the file system's error, with the DV named.
Result<DeletionVector> LoadDeletionVector(const DeletionVectorDescriptor& descriptor,
                                          const std::string& table_root, FileSystem& fs);

/// Parses the DV at `descriptor.offset` (0 when absent) of a DV file whose whole content
/// is `file_content` (`file_name` is for messages): checks the version byte, that the
/// big-endian size prefix equals `sizeInBytes` and fits in the file, the big-endian
/// CRC-32 after the data, the serialized vector, and the cardinality. For callers that
/// read a DV file shared by several descriptors once.
Result<DeletionVector> ParseDeletionVectorFile(std::string_view file_content,
                                               const DeletionVectorDescriptor& descriptor,
                                               std::string_view file_name);

/// Appends one serialized DV to the content of a DV file (writing the version byte
/// first when `file_content` is empty): big-endian size, the bytes, big-endian CRC-32.
/// Returns the offset a descriptor records for it.
int32_t AppendToDeletionVectorFile(std::string_view serialized, std::string* file_content);

}  // namespace sluice::delta
