// SPDX-License-Identifier: Apache-2.0
#include "delta/deletion_vector.h"

#include <fmt/format.h>
#include <roaring/roaring.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <utility>

#include "common/check.h"
#include "delta/partition_values.h"

namespace sluice::delta {

namespace {

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
constexpr size_t kZ85UuidLength = 20;

constexpr std::array<int8_t, 256> MakeZ85DecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table)
    entry = -1;
  for (size_t i = 0; i < kZ85Alphabet.size(); ++i)
    table[static_cast<uint8_t>(kZ85Alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kZ85DecodeTable = MakeZ85DecodeTable();

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as java.util.zip.CRC32.
constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? (0xEDB88320u ^ (c >> 1)) : (c >> 1);
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

uint32_t Crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : data)
    crc = kCrcTable[(crc ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

uint8_t Byte(std::string_view data, size_t pos) {
  return static_cast<uint8_t>(data[pos]);
}

uint32_t ReadLe32(std::string_view data, size_t pos) {
  return static_cast<uint32_t>(Byte(data, pos)) | static_cast<uint32_t>(Byte(data, pos + 1)) << 8 |
         static_cast<uint32_t>(Byte(data, pos + 2)) << 16 |
         static_cast<uint32_t>(Byte(data, pos + 3)) << 24;
}

uint64_t ReadLe64(std::string_view data, size_t pos) {
  return static_cast<uint64_t>(ReadLe32(data, pos)) | static_cast<uint64_t>(ReadLe32(data, pos + 4))
                                                          << 32;
}

uint32_t ReadBe32(std::string_view data, size_t pos) {
  return static_cast<uint32_t>(Byte(data, pos)) << 24 |
         static_cast<uint32_t>(Byte(data, pos + 1)) << 16 |
         static_cast<uint32_t>(Byte(data, pos + 2)) << 8 |
         static_cast<uint32_t>(Byte(data, pos + 3));
}

void AppendLe32(uint32_t value, std::string* out) {
  for (int shift = 0; shift < 32; shift += 8)
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
}

void AppendLe64(uint64_t value, std::string* out) {
  AppendLe32(static_cast<uint32_t>(value), out);
  AppendLe32(static_cast<uint32_t>(value >> 32), out);
}

void AppendBe32(uint32_t value, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// "u" descriptor: (random prefix, canonical UUID).
Result<std::pair<std::string, std::string>> SplitUuidPath(const DeletionVectorDescriptor& dv) {
  const std::string& text = dv.path_or_inline_dv;
  if (text.size() < kZ85UuidLength) {
    return Status::Corruption(fmt::format(
        "deletion vector pathOrInlineDv of storageType 'u' is shorter than its 20-character "
        "UUID: '{}'",
        text));
  }
  const size_t prefix_length = text.size() - kZ85UuidLength;
  auto uuid = Z85DecodeUuid(std::string_view(text).substr(prefix_length));
  if (!uuid.ok()) {
    return Status::Corruption(
        fmt::format("deletion vector pathOrInlineDv '{}' does not end in a Z85 UUID: {}", text,
                    uuid.status().message()));
  }
  return std::make_pair(text.substr(0, prefix_length), std::move(uuid).ValueUnsafe());
}

// Names a DV for messages.
std::string Describe(const DeletionVectorDescriptor& dv) {
  if (dv.storage_type == "i")
    return fmt::format("inline deletion vector '{}'", dv.path_or_inline_dv);
  return fmt::format("deletion vector '{}' (storageType '{}', offset {})", dv.path_or_inline_dv,
                     dv.storage_type, dv.offset.value_or(0));
}

Status CheckCardinality(const DeletionVector& vector, const DeletionVectorDescriptor& dv,
                        std::string_view where) {
  if (vector.cardinality() != dv.cardinality) {
    return Status::Corruption(
        fmt::format("deletion vector holds {} rows but its descriptor says cardinality {}: {}",
                    vector.cardinality(), dv.cardinality, where));
  }
  return Status::Ok();
}

// Whether `bytes` start with the header of a portable 32-bit RoaringBitmap whose
// container count is possible (at most 2^16) and whose per-container header fits, so
// CRoaring never sizes an allocation from a damaged count.
bool PlausibleRoaringHeader(std::string_view bytes) {
  constexpr uint32_t kCookieNoRuns = 12346;
  constexpr uint32_t kCookie = 12347;
  constexpr uint32_t kMaxContainers = uint32_t{1} << 16;
  if (bytes.size() < 4)
    return false;
  const uint32_t cookie = ReadLe32(bytes, 0);
  size_t containers = 0;
  size_t header = 0;
  if ((cookie & 0xFFFF) == kCookie) {
    containers = (cookie >> 16) + 1;
    header = 4 + (containers + 7) / 8;
  } else if (cookie == kCookieNoRuns) {
    if (bytes.size() < 8)
      return false;
    containers = ReadLe32(bytes, 4);
    header = 8;
  } else {
    return false;
  }
  // Each container has a 4-byte key/cardinality entry.
  return containers <= kMaxContainers && header + containers * 4 <= bytes.size();
}

struct BitmapDeleter {
  void operator()(roaring_bitmap_t* bitmap) const { roaring_bitmap_free(bitmap); }
};
using BitmapPtr = std::unique_ptr<roaring_bitmap_t, BitmapDeleter>;

BitmapPtr NewBitmap() {
  BitmapPtr bitmap(roaring_bitmap_create());
  SLUICE_CHECK(bitmap != nullptr, "roaring_bitmap_create failed");
  return bitmap;
}

}  // namespace

std::string Z85Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 3) / 4 * 5);
  for (size_t pos = 0; pos < bytes.size(); pos += 4) {
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i)
      value = value << 8 | (pos + i < bytes.size() ? Byte(bytes, pos + i) : 0);
    char group[5];
    for (int i = 4; i >= 0; --i) {
      group[i] = kZ85Alphabet[value % 85];
      value /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::string> Z85Decode(std::string_view text) {
  if (text.size() % 5 != 0) {
    return Status::InvalidArgument(
        fmt::format("Z85 text length is not a multiple of 5: {}", text.size()));
  }
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t pos = 0; pos < text.size(); pos += 5) {
    // A last group may start with 1-3 '#' (impossible in plain Z85: the value would
    // exceed 32 bits): the z85 Rust crate's padding, used by delta-kernel-rs. Each '#'
    // stands for a leading 0 digit and one byte fewer of output.
    size_t missing = 0;
    if (pos + 5 == text.size()) {
      while (missing < 4 && text[pos + missing] == '#')
        ++missing;
      if (missing == 4) {
        return Status::InvalidArgument(
            fmt::format("Z85 text ends in a group of 4 or more '#' at position {}", pos));
      }
    }
    uint64_t value = 0;
    for (size_t i = pos + missing; i < pos + 5; ++i) {
      const int8_t digit = kZ85DecodeTable[static_cast<uint8_t>(text[i])];
      if (digit < 0) {
        return Status::InvalidArgument(
            fmt::format("Z85 text has a character outside the alphabet at position {}: 0x{:02x}", i,
                        static_cast<uint8_t>(text[i])));
      }
      value = value * 85 + static_cast<uint64_t>(digit);
    }
    if (value >> (8 * (4 - missing)) != 0) {
      return Status::InvalidArgument(fmt::format("Z85 group exceeds {} bits at position {}: '{}'",
                                                 8 * (4 - missing), pos, text.substr(pos, 5)));
    }
    for (size_t i = missing; i < 4; ++i)
      out.push_back(static_cast<char>((value >> (8 * (3 - i))) & 0xFF));
  }
  return out;
}

Result<std::string> Z85EncodeUuid(std::string_view uuid) {
  std::string bytes;
  bool valid = uuid.size() == 36;
  for (size_t i = 0; valid && i < uuid.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      valid = uuid[i] == '-';
      continue;
    }
    const int high = HexValue(uuid[i]);
    const int low = i + 1 < uuid.size() ? HexValue(uuid[i + 1]) : -1;
    valid = high >= 0 && low >= 0;
    bytes.push_back(static_cast<char>(high * 16 + low));
    ++i;
  }
  if (!valid || bytes.size() != 16)
    return Status::InvalidArgument(fmt::format("not a canonical UUID: '{}'", uuid));
  return Z85Encode(bytes);
}

Result<std::string> Z85DecodeUuid(std::string_view z85) {
  if (z85.size() != kZ85UuidLength) {
    return Status::InvalidArgument(
        fmt::format("Z85 UUID must be 20 characters, got {}: '{}'", z85.size(), z85));
  }
  SLUICE_ASSIGN_OR_RETURN(std::string bytes, Z85Decode(z85));
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out.push_back('-');
    fmt::format_to(std::back_inserter(out), "{:02x}", Byte(bytes, i));
  }
  return out;
}

Result<std::string> DeletionVectorAbsolutePath(const DeletionVectorDescriptor& descriptor,
                                               const std::string& table_root) {
  if (descriptor.storage_type == "u") {
    SLUICE_ASSIGN_OR_RETURN(auto prefix_and_uuid, SplitUuidPath(descriptor));
    const std::string name = fmt::format("deletion_vector_{}.bin", prefix_and_uuid.second);
    if (prefix_and_uuid.first.empty())
      return JoinPath(table_root, name);
    return JoinPath(JoinPath(table_root, prefix_and_uuid.first), name);
  }
  if (descriptor.storage_type == "p") {
    // An absolute path or URI; ResolveDataPath decodes it (and refuses other schemes).
    const std::string& uri = descriptor.path_or_inline_dv;
    if (!uri.starts_with('/') && uri.find(':') == std::string::npos) {
      return Status::Corruption(
          fmt::format("deletion vector path of storageType 'p' is not absolute: '{}'", uri));
    }
    return ResolveDataPath(table_root, uri);
  }
  if (descriptor.storage_type == "i") {
    return Status::InvalidArgument(
        fmt::format("an inline deletion vector has no file: '{}'", descriptor.path_or_inline_dv));
  }
  return Status::Corruption(fmt::format("deletion vector has unknown storageType '{}': '{}'",
                                        descriptor.storage_type, descriptor.path_or_inline_dv));
}

// The buckets of non-empty 32-bit bitmaps, ascending by key (the high 32 bits).
struct DeletionVector::Impl {
  struct Bucket {
    uint32_t key = 0;
    BitmapPtr bitmap;
  };
  std::vector<Bucket> buckets;

  const Bucket* Find(uint32_t key) const {
    auto it = std::lower_bound(buckets.begin(), buckets.end(), key,
                               [](const Bucket& bucket, uint32_t k) { return bucket.key < k; });
    return it != buckets.end() && it->key == key ? &*it : nullptr;
  }

  roaring_bitmap_t* FindOrAdd(uint32_t key) {
    auto it = std::lower_bound(buckets.begin(), buckets.end(), key,
                               [](const Bucket& bucket, uint32_t k) { return bucket.key < k; });
    if (it == buckets.end() || it->key != key)
      it = buckets.insert(it, Bucket{key, NewBitmap()});
    return it->bitmap.get();
  }
};

DeletionVector::DeletionVector() = default;
DeletionVector::~DeletionVector() = default;

DeletionVector::DeletionVector(const DeletionVector& other) : cardinality_(other.cardinality_) {
  if (other.impl_ == nullptr)
    return;
  impl_ = std::make_unique<Impl>();
  for (const auto& bucket : other.impl_->buckets) {
    BitmapPtr copy(roaring_bitmap_copy(bucket.bitmap.get()));
    SLUICE_CHECK(copy != nullptr, "roaring_bitmap_copy failed");
    impl_->buckets.push_back({bucket.key, std::move(copy)});
  }
}

DeletionVector& DeletionVector::operator=(const DeletionVector& other) {
  if (this != &other)
    *this = DeletionVector(other);
  return *this;
}

DeletionVector::DeletionVector(DeletionVector&& other) noexcept
    : impl_(std::move(other.impl_)), cardinality_(std::exchange(other.cardinality_, 0)) {}

DeletionVector& DeletionVector::operator=(DeletionVector&& other) noexcept {
  if (this != &other) {
    impl_ = std::move(other.impl_);
    cardinality_ = std::exchange(other.cardinality_, 0);
  }
  return *this;
}

DeletionVector::Impl& DeletionVector::MutableImpl() {
  if (impl_ == nullptr)
    impl_ = std::make_unique<Impl>();
  return *impl_;
}

Result<DeletionVector> DeletionVector::Deserialize(std::string_view bytes) {
  if (bytes.size() < 4) {
    return Status::Corruption(
        fmt::format("serialized deletion vector is shorter than its 4-byte magic number: {} bytes",
                    bytes.size()));
  }
  const int32_t magic = static_cast<int32_t>(ReadLe32(bytes, 0));
  const bool native = magic == kDeletionVectorNativeMagic;
  if (magic != kDeletionVectorMagic && !native) {
    return Status::Corruption(fmt::format(
        "serialized deletion vector has an unknown magic number {} (expected {}, or {} for the "
        "older native format)",
        magic, kDeletionVectorMagic, kDeletionVectorNativeMagic));
  }
  // Portable: int64 bucket count, then per bucket its key and a self-delimiting bitmap.
  // Native: int32 bitmap count, then per bitmap its byte size and the bitmap; the key is
  // the bitmap's index.
  const size_t header_size = native ? 8 : 12;
  const size_t min_bucket_size = 12;  // key or size (4) + the smallest bitmap (8)
  if (bytes.size() < header_size) {
    return Status::Corruption(
        fmt::format("serialized deletion vector is shorter than its {}-byte header: {} bytes",
                    header_size, bytes.size()));
  }
  const uint64_t num_buckets =
      native ? static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(ReadLe32(bytes, 4))))
             : ReadLe64(bytes, 4);
  if (num_buckets > (bytes.size() - header_size) / min_bucket_size) {
    return Status::Corruption(
        fmt::format("serialized deletion vector of {} bytes cannot hold its bucket count {}",
                    bytes.size(), static_cast<int64_t>(num_buckets)));
  }
  DeletionVector vector;
  size_t pos = header_size;
  std::optional<uint32_t> previous_key;
  for (uint64_t b = 0; b < num_buckets; ++b) {
    if (bytes.size() - pos < 4) {
      return Status::Corruption(fmt::format(
          "serialized deletion vector ends inside the header of bucket {} at byte {}", b, pos));
    }
    const uint32_t word = ReadLe32(bytes, pos);
    pos += 4;
    const uint32_t key = native ? static_cast<uint32_t>(b) : word;
    if (key > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
      return Status::Corruption(fmt::format(
          "serialized deletion vector bucket {} has a key with its top bit set: {}", b, key));
    }
    if (previous_key.has_value() && key <= *previous_key) {
      return Status::Corruption(fmt::format(
          "serialized deletion vector bucket keys are not ascending at bucket {}: {} after {}", b,
          key, *previous_key));
    }
    previous_key = key;
    const size_t limit = native ? word : bytes.size() - pos;
    if (limit > bytes.size() - pos) {
      return Status::Corruption(fmt::format(
          "serialized deletion vector bitmap {} of {} bytes runs past the end at byte {}", b, word,
          pos));
    }
    const char* data = bytes.data() + pos;
    const size_t size = PlausibleRoaringHeader(bytes.substr(pos, limit))
                            ? roaring_bitmap_portable_deserialize_size(data, limit)
                            : 0;
    BitmapPtr bitmap(size == 0 || (native && size != limit)
                         ? nullptr
                         : roaring_bitmap_portable_deserialize_safe(data, size));
    if (bitmap == nullptr) {
      return Status::Corruption(fmt::format(
          "serialized deletion vector bucket {} (key {}) is not a valid RoaringBitmap at byte {}",
          b, key, pos));
    }
    pos += size;
    const uint64_t count = roaring_bitmap_get_cardinality(bitmap.get());
    if (count == 0)
      continue;
    vector.cardinality_ += static_cast<int64_t>(count);
    vector.MutableImpl().buckets.push_back({key, std::move(bitmap)});
  }
  if (pos != bytes.size()) {
    return Status::Corruption(
        fmt::format("serialized deletion vector has {} bytes after its last bucket (of {} bytes)",
                    bytes.size() - pos, bytes.size()));
  }
  return vector;
}

std::string DeletionVector::Serialize() const {
  std::string out;
  AppendLe32(static_cast<uint32_t>(kDeletionVectorMagic), &out);
  const size_t num_buckets = impl_ == nullptr ? 0 : impl_->buckets.size();
  AppendLe64(num_buckets, &out);
  for (size_t b = 0; b < num_buckets; ++b) {
    const auto& bucket = impl_->buckets[b];
    AppendLe32(bucket.key, &out);
    const size_t start = out.size();
    out.resize(start + roaring_bitmap_portable_size_in_bytes(bucket.bitmap.get()));
    const size_t written =
        roaring_bitmap_portable_serialize(bucket.bitmap.get(), out.data() + start);
    out.resize(start + written);
  }
  return out;
}

void DeletionVector::Add(uint64_t row) {
  SLUICE_CHECK(row <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
               "deletion vector row index {} is not below 2^63", row);
  roaring_bitmap_t* bitmap = MutableImpl().FindOrAdd(static_cast<uint32_t>(row >> 32));
  if (roaring_bitmap_add_checked(bitmap, static_cast<uint32_t>(row)))
    ++cardinality_;
}

void DeletionVector::AddRange(uint64_t first_row, uint64_t end_row) {
  if (end_row <= first_row)
    return;
  SLUICE_CHECK(end_row - 1 <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()),
               "deletion vector row index {} is not below 2^63", end_row - 1);
  uint64_t row = first_row;
  while (row < end_row) {
    const uint64_t key = row >> 32;
    const uint64_t bucket_end = std::min(end_row, (key + 1) << 32);
    roaring_bitmap_t* bitmap = MutableImpl().FindOrAdd(static_cast<uint32_t>(key));
    const uint64_t before = roaring_bitmap_get_cardinality(bitmap);
    roaring_bitmap_add_range_closed(bitmap, static_cast<uint32_t>(row),
                                    static_cast<uint32_t>(bucket_end - 1));
    cardinality_ += static_cast<int64_t>(roaring_bitmap_get_cardinality(bitmap) - before);
    row = bucket_end;
  }
}

void DeletionVector::Optimize() {
  if (impl_ == nullptr)
    return;
  for (auto& bucket : impl_->buckets) {
    roaring_bitmap_run_optimize(bucket.bitmap.get());
    roaring_bitmap_shrink_to_fit(bucket.bitmap.get());
  }
}

bool DeletionVector::Contains(uint64_t row) const {
  if (impl_ == nullptr)
    return false;
  const Impl::Bucket* bucket = impl_->Find(static_cast<uint32_t>(row >> 32));
  if (bucket == nullptr)
    return false;
  return roaring_bitmap_contains(bucket->bitmap.get(), static_cast<uint32_t>(row));
}

std::optional<uint64_t> DeletionVector::Maximum() const {
  if (impl_ == nullptr || impl_->buckets.empty())
    return std::nullopt;
  const auto& last = impl_->buckets.back();
  return static_cast<uint64_t>(last.key) << 32 | roaring_bitmap_maximum(last.bitmap.get());
}

int64_t DeletionVector::MarkDeleted(uint64_t first_row, int64_t count,
                                    uint8_t* deleted_flags) const {
  if (count <= 0)
    return 0;
  std::memset(deleted_flags, 0, static_cast<size_t>(count));
  if (impl_ == nullptr)
    return 0;
  const uint64_t last_row = first_row + static_cast<uint64_t>(count - 1);
  int64_t marked = 0;
  constexpr uint32_t kChunk = 256;
  uint32_t values[kChunk];
  for (const auto& bucket : impl_->buckets) {
    const uint64_t base = static_cast<uint64_t>(bucket.key) << 32;
    if (bucket.key < (first_row >> 32))
      continue;
    if (bucket.key > (last_row >> 32))
      break;
    const uint32_t low = bucket.key == (first_row >> 32) ? static_cast<uint32_t>(first_row) : 0;
    const uint32_t high = bucket.key == (last_row >> 32) ? static_cast<uint32_t>(last_row)
                                                         : std::numeric_limits<uint32_t>::max();
    roaring_uint32_iterator_t it;
    roaring_init_iterator(bucket.bitmap.get(), &it);
    if (!roaring_move_uint32_iterator_equalorlarger(&it, low))
      continue;
    bool done = false;
    while (!done && it.has_value && it.current_value <= high) {
      const uint32_t n = roaring_read_uint32_iterator(&it, values, kChunk);
      for (uint32_t i = 0; i < n; ++i) {
        if (values[i] > high) {
          done = true;
          break;
        }
        deleted_flags[(base | values[i]) - first_row] = 1;
        ++marked;
      }
    }
  }
  return marked;
}

int64_t DeletionVector::CountInRange(uint64_t first_row, int64_t count) const {
  if (count <= 0 || impl_ == nullptr)
    return 0;
  const uint64_t last_row = first_row + static_cast<uint64_t>(count - 1);
  int64_t total = 0;
  for (const auto& bucket : impl_->buckets) {
    if (bucket.key < (first_row >> 32))
      continue;
    if (bucket.key > (last_row >> 32))
      break;
    const uint64_t low = bucket.key == (first_row >> 32) ? static_cast<uint32_t>(first_row) : 0;
    const uint64_t end = bucket.key == (last_row >> 32)
                             ? static_cast<uint64_t>(static_cast<uint32_t>(last_row)) + 1
                             : uint64_t{1} << 32;
    total += static_cast<int64_t>(roaring_bitmap_range_cardinality(bucket.bitmap.get(), low, end));
  }
  return total;
}

std::vector<uint64_t> DeletionVector::ToVector() const {
  std::vector<uint64_t> rows;
  rows.reserve(static_cast<size_t>(cardinality_));
  if (impl_ == nullptr)
    return rows;
  std::vector<uint32_t> low;
  for (const auto& bucket : impl_->buckets) {
    low.resize(roaring_bitmap_get_cardinality(bucket.bitmap.get()));
    roaring_bitmap_to_uint32_array(bucket.bitmap.get(), low.data());
    const uint64_t base = static_cast<uint64_t>(bucket.key) << 32;
    for (const uint32_t value : low)
      rows.push_back(base | value);
  }
  return rows;
}

bool DeletionVector::operator==(const DeletionVector& other) const {
  if (cardinality_ != other.cardinality_)
    return false;
  if (cardinality_ == 0)
    return true;
  const auto& mine = impl_->buckets;
  const auto& theirs = other.impl_->buckets;
  if (mine.size() != theirs.size())
    return false;
  for (size_t i = 0; i < mine.size(); ++i) {
    if (mine[i].key != theirs[i].key ||
        !roaring_bitmap_equals(mine[i].bitmap.get(), theirs[i].bitmap.get())) {
      return false;
    }
  }
  return true;
}

Result<DeletionVector> ParseDeletionVectorFile(std::string_view file_content,
                                               const DeletionVectorDescriptor& descriptor,
                                               std::string_view file_name) {
  const int64_t offset = descriptor.offset.value_or(0);
  const int64_t file_size = static_cast<int64_t>(file_content.size());
  auto fail = [&](std::string what) {
    return Status::Corruption(
        fmt::format("{} at offset {} of deletion vector file {}", what, offset, file_name));
  };
  if (file_content.empty())
    return fail("file is empty");
  if (Byte(file_content, 0) != kDeletionVectorFileVersion) {
    return fail(fmt::format("file has format version {} (expected {})", Byte(file_content, 0),
                            kDeletionVectorFileVersion));
  }
  if (offset < 1)
    return fail("offset does not point past the version byte");
  if (offset > file_size - 4) {
    return fail(fmt::format("no room for a 4-byte size in the {}-byte file", file_size));
  }
  const size_t pos = static_cast<size_t>(offset);
  const uint32_t size = ReadBe32(file_content, pos);
  if (static_cast<int64_t>(size) != descriptor.size_in_bytes) {
    return fail(fmt::format("stored size {} differs from the descriptor's sizeInBytes {}", size,
                            descriptor.size_in_bytes));
  }
  if (static_cast<int64_t>(size) + 8 > file_size - offset) {
    return fail(fmt::format("{} bytes of data and a 4-byte checksum do not fit in the {}-byte file",
                            size, file_size));
  }
  const std::string_view data = file_content.substr(pos + 4, size);
  const uint32_t stored_crc = ReadBe32(file_content, pos + 4 + size);
  const uint32_t crc = Crc32(data);
  if (crc != stored_crc) {
    return fail(fmt::format("checksum mismatch (stored {:08x}, computed {:08x})", stored_crc, crc));
  }
  auto vector = DeletionVector::Deserialize(data);
  if (!vector.ok())
    return fail(vector.status().message());
  SLUICE_RETURN_IF_ERROR(CheckCardinality(
      *vector, descriptor, fmt::format("offset {} of deletion vector file {}", offset, file_name)));
  return vector;
}

int32_t AppendToDeletionVectorFile(std::string_view serialized, std::string* file_content) {
  SLUICE_CHECK(serialized.size() <= static_cast<size_t>(std::numeric_limits<int32_t>::max()),
               "serialized deletion vector of {} bytes is too large", serialized.size());
  if (file_content->empty())
    file_content->push_back(static_cast<char>(kDeletionVectorFileVersion));
  SLUICE_CHECK(file_content->size() <= static_cast<size_t>(std::numeric_limits<int32_t>::max()),
               "deletion vector file of {} bytes is too large", file_content->size());
  const auto offset = static_cast<int32_t>(file_content->size());
  AppendBe32(static_cast<uint32_t>(serialized.size()), file_content);
  file_content->append(serialized);
  AppendBe32(Crc32(serialized), file_content);
  return offset;
}

Result<DeletionVector> LoadDeletionVector(const DeletionVectorDescriptor& descriptor,
                                          const std::string& table_root, FileSystem& fs) {
  if (descriptor.storage_type == "i") {
    auto bytes = Z85Decode(descriptor.path_or_inline_dv);
    if (!bytes.ok()) {
      return Status::Corruption(
          fmt::format("{}: {}", Describe(descriptor), bytes.status().message()));
    }
    // Delta pads to whole 4-byte groups with zeros; delta-kernel-rs's '#' tail does not.
    if (descriptor.size_in_bytes < 0 ||
        bytes->size() < static_cast<size_t>(descriptor.size_in_bytes) ||
        bytes->size() - static_cast<size_t>(descriptor.size_in_bytes) >= 4) {
      return Status::Corruption(fmt::format("{} decodes to {} bytes, sizeInBytes says {}",
                                            Describe(descriptor), bytes->size(),
                                            descriptor.size_in_bytes));
    }
    auto vector = DeletionVector::Deserialize(
        std::string_view(*bytes).substr(0, static_cast<size_t>(descriptor.size_in_bytes)));
    if (!vector.ok()) {
      return Status::Corruption(
          fmt::format("{}: {}", Describe(descriptor), vector.status().message()));
    }
    SLUICE_RETURN_IF_ERROR(CheckCardinality(*vector, descriptor, Describe(descriptor)));
    return vector;
  }
  auto path = DeletionVectorAbsolutePath(descriptor, table_root);
  if (!path.ok())
    return std::move(path).status();
  auto content = fs.ReadFile(*path);
  if (!content.ok()) {
    return std::move(content).status().WithContext(fmt::format("reading {}", Describe(descriptor)));
  }
  return ParseDeletionVectorFile(*content, descriptor, *path);
}

}  // namespace sluice::delta
