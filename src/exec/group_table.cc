// SPDX-License-Identifier: Apache-2.0
#include "exec/group_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "columnar/concat.h"
#include "columnar/hash_util.h"
#include "columnar/row_hash.h"
#include "exec/memory.h"

namespace sluice::exec {
namespace {

using hash::Combine;
using hash::kNullHash;
using hash::kPrime1;
using hash::kPrime2;
using hash::kPrime5;
using hash::Load32;
using hash::Load64;
using hash::Mix64;
using hash::NormalizedBits;

/// Null bits beyond this many (one word) fall back to the generic layout.
constexpr int kMaxNullBits = 64;
/// How many rows ahead the packed probe prefetches its slot.
constexpr int64_t kPrefetchDistance = 16;

inline uint64_t HashWords(const uint64_t* row, int num_words) {
  uint64_t acc = kPrime5 + static_cast<uint64_t>(num_words);
  for (int w = 0; w < num_words; ++w) {
    acc = std::rotl(acc + row[w] * kPrime2, 31) * kPrime1;
  }
  return Mix64(acc);
}

/// Reads bytes [0, n) for 4 <= n <= 16 as two words, without branching on n (offsets
/// overlap for short strings): the same bytes give the same words.
inline void LoadShort(const char* p, size_t n, uint64_t* a, uint64_t* b) {
  const size_t middle = n >= 8 ? 4 : 0;
  *a = Load32(p) | (Load32(p + middle) << 32);
  *b = Load32(p + n - 4 - middle) | (Load32(p + n - 4) << 32);
}

/// A hash of bytes for the table's own use.
inline uint64_t HashBytes(std::string_view bytes) {
  const char* p = bytes.data();
  const size_t n = bytes.size();
  uint64_t a = 0;
  uint64_t b = 0;
  if (n >= 4 && n <= 16) [[likely]] {
    LoadShort(p, n, &a, &b);
  } else if (n > 16) {
    uint64_t acc = kPrime5 + n;
    for (size_t i = 0; i + 8 < n; i += 8) {
      acc = std::rotl(acc + Load64(p + i) * kPrime2, 31) * kPrime1;
    }
    a = acc;
    b = Load64(p + n - 8);
  } else if (n > 0) {
    const auto* u = reinterpret_cast<const uint8_t*>(p);
    a = (uint64_t{u[0]} << 16) | (uint64_t{u[n >> 1]} << 8) | u[n - 1];
  }
  return Mix64((a * kPrime1) ^ std::rotl(b * kPrime2, 31) ^ (n * kPrime5));
}

/// left == right, with inline loads for strings of 4 to 16 bytes instead of a memcmp.
inline bool BytesEqual(std::string_view left, std::string_view right) {
  const size_t n = left.size();
  if (n != right.size()) {
    return false;
  }
  if (n >= 4 && n <= 16) [[likely]] {
    uint64_t a1 = 0;
    uint64_t b1 = 0;
    uint64_t a2 = 0;
    uint64_t b2 = 0;
    LoadShort(left.data(), n, &a1, &b1);
    LoadShort(right.data(), n, &a2, &b2);
    return ((a1 ^ a2) | (b1 ^ b2)) == 0;
  }
  return n == 0 || std::memcmp(left.data(), right.data(), n) == 0;
}

bool StringsEqual(const Vector& left, int64_t left_row, const Vector& right, int64_t right_row) {
  const bool left_null = left.IsNull(left_row);
  const bool right_null = right.IsNull(right_row);
  if (left_null || right_null) {
    return left_null && right_null;
  }
  return BytesEqual(left.StringValue(left_row), right.StringValue(right_row));
}

bool IsPackedScalar(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
      return true;
    default:
      return false;
  }
}

bool Packable(const DataType& type) {
  if (type.id() == TypeId::kStruct) {
    for (const Field& field : type.fields()) {
      if (!Packable(*field.type)) {
        return false;
      }
    }
    return true;
  }
  return type.id() == TypeId::kNull || IsPackedScalar(type.id());
}

GroupTable::PackedField AssignField(const TypePtr& type, bool with_null_bit, int* word, int* bit) {
  GroupTable::PackedField field;
  field.type = type;
  field.first_bit = *bit;
  if (with_null_bit) {
    field.null_bit = (*bit)++;
  }
  field.first_word = *word;
  if (type->id() == TypeId::kStruct) {
    for (const Field& child : type->fields()) {
      field.children.push_back(AssignField(child.type, true, word, bit));
    }
  } else if (type->id() == TypeId::kDecimal) {
    *word += 2;
  } else if (type->id() != TypeId::kNull) {
    *word += 1;
  }
  field.end_word = *word;
  field.end_bit = *bit;
  return field;
}

/// Writes the values of rows [base, base + n) of `vector` (a fixed-width scalar) to
/// word `word` of each row of `out` (`stride` words per row), as 64-bit patterns.
void PackValues(const Vector& vector, int64_t base, int64_t n, uint64_t* out, int stride,
                int word) {
  uint64_t* dest = out + word;
  auto write = [&](auto tag, auto convert) {
    using T = decltype(tag);
    const T* values = vector.values_buffer()->data_as<T>() + vector.offset() + base;
    for (int64_t i = 0; i < n; ++i) {
      dest[i * stride] = convert(values[i]);
    }
  };
  auto sign_extend = [](auto value) { return static_cast<uint64_t>(static_cast<int64_t>(value)); };
  auto normalize = [](auto value) { return NormalizedBits(value); };
  switch (vector.type_id()) {
    case TypeId::kBoolean: {
      const uint8_t* bitmap = vector.values_buffer()->data();
      const int64_t start = vector.offset() + base;
      for (int64_t i = 0; i < n; ++i) {
        dest[i * stride] = bits::Get(bitmap, start + i) ? 1 : 0;
      }
      break;
    }
    case TypeId::kByte:
      write(int8_t{}, sign_extend);
      break;
    case TypeId::kShort:
      write(int16_t{}, sign_extend);
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      write(int32_t{}, sign_extend);
      break;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      write(int64_t{}, sign_extend);
      break;
    case TypeId::kFloat:
      write(float{}, normalize);
      break;
    case TypeId::kDouble:
      write(double{}, normalize);
      break;
    case TypeId::kDecimal: {
      const Int128* values = vector.values_buffer()->data_as<Int128>() + vector.offset() + base;
      for (int64_t i = 0; i < n; ++i) {
        const auto bits = static_cast<unsigned __int128>(values[i]);
        dest[i * stride] = static_cast<uint64_t>(bits);
        dest[i * stride + 1] = static_cast<uint64_t>(bits >> 64);
      }
      break;
    }
    default:
      break;  // void: no words
  }
}

/// Packs rows [base, base + n) of `vector` as `field` into `out` (`stride` words per
/// row, the null word last). A null value has zero words and null bits below it, and
/// its own null bit set (or nulls[i] set for the single key without a null word).
void PackField(const GroupTable::PackedField& field, const Vector& vector, int64_t base, int64_t n,
               uint64_t* out, int stride, uint8_t* nulls) {
  if (field.type->id() == TypeId::kStruct) {
    for (size_t c = 0; c < field.children.size(); ++c) {
      PackField(field.children[c], *vector.child(static_cast<int>(c)), vector.offset() + base, n,
                out, stride, nulls);
    }
  } else {
    PackValues(vector, base, n, out, stride, field.first_word);
  }
  if (vector.null_count() == 0) {
    return;
  }
  uint64_t below = 0;  // the null bits of the subfields
  for (int b = field.first_bit; b < field.end_bit; ++b) {
    below |= uint64_t{1} << b;
  }
  for (int64_t i = 0; i < n; ++i) {
    if (!vector.IsNull(base + i)) {
      continue;
    }
    uint64_t* row = out + i * stride;
    std::fill(row + field.first_word, row + field.end_word, 0);
    if (field.null_bit < 0) {
      nulls[i] = 1;
      continue;
    }
    uint64_t& null_word = row[stride - 1];
    null_word = (null_word & ~below) | (uint64_t{1} << field.null_bit);
  }
}

}  // namespace

int64_t GroupTable::memory_bytes() const {
  return key_bytes_ + static_cast<int64_t>(slots_.capacity() * sizeof(Slot) +
                                           rows_.capacity() * sizeof(uint64_t) +
                                           batch_rows_.capacity() * sizeof(uint64_t) +
                                           hashes_.capacity() * sizeof(uint64_t) +
                                           column_hashes_.capacity() * sizeof(uint64_t) +
                                           group_strings_.capacity() * sizeof(StoredString) +
                                           group_ref_.capacity() * sizeof(group_ref_[0]));
}

void GroupTable::Init(const std::vector<VectorPtr>& keys) {
  if (keys.empty()) {
    layout_ = Layout::kNoKeys;
    return;
  }
  layout_ = Layout::kGeneric;
  for (const VectorPtr& key : keys) {
    const TypeId id = key->type_id();
    const bool bytes = id == TypeId::kString || id == TypeId::kBinary;
    equal_.push_back(bytes ? &StringsEqual : &ValuesEqual);
  }
  single_string_ = keys.size() == 1 && equal_[0] == &StringsEqual;
  for (const VectorPtr& key : keys) {
    if (!Packable(*key->type())) {
      return;
    }
  }
  equal_.clear();
  const bool single = keys.size() == 1 && IsPackedScalar(keys[0]->type_id());
  int word = 0;
  int bit = 0;
  std::vector<PackedField> fields;
  for (const VectorPtr& key : keys) {
    fields.push_back(AssignField(key->type(), !single, &word, &bit));
  }
  if (bit > kMaxNullBits) {
    return;
  }
  layout_ = Layout::kPacked;
  fields_ = std::move(fields);
  has_null_word_ = !single;
  words_ = word + (has_null_word_ ? 1 : 0);
}

void GroupTable::Grow() {
  const size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{0, -1});
  const uint64_t mask = capacity - 1;
  for (const Slot& entry : old) {
    if (entry.group < 0) {
      continue;
    }
    uint64_t slot = entry.hash & mask;
    while (slots_[slot].group >= 0) {
      slot = (slot + 1) & mask;
    }
    slots_[slot] = entry;
  }
}

int64_t GroupTable::AddPackedGroup(uint64_t /*hash*/, const uint64_t* row) {
  for (int w = 0; w < words_; ++w) {
    rows_.push_back(row[w]);
  }
  return num_groups_++;
}

template <int kWords>
void GroupTable::InsertPacked(int64_t num_rows, const uint8_t* nulls, int64_t* group_ids) {
  const int words = kWords > 0 ? kWords : words_;
  const uint64_t* rows = batch_rows_.data();
  hashes_.resize(static_cast<size_t>(num_rows));
  uint64_t* hashes = hashes_.data();
  for (int64_t i = 0; i < num_rows; ++i) {
    hashes[i] = words == 1 ? hash::HashU64(rows[i]) : HashWords(rows + i * words, words);
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    const uint64_t* row = rows + i * words;
    if (nulls != nullptr && nulls[i] != 0) {
      if (null_group_ < 0) {
        null_group_ = AddPackedGroup(0, row);
      }
      group_ids[i] = null_group_;
      continue;
    }
    if ((num_groups_ + 1) * 2 > static_cast<int64_t>(slots_.size())) {
      Grow();
    }
    const uint64_t mask = slots_.size() - 1;
    if (i + kPrefetchDistance < num_rows) {
      __builtin_prefetch(&slots_[hashes[i + kPrefetchDistance] & mask]);
    }
    if (words > 1 && i + kPrefetchDistance / 2 < num_rows) {
      // The slot fetched earlier is likely in cache now: fetch the row it points to.
      const uint64_t ahead = hashes[i + kPrefetchDistance / 2];
      const Slot& candidate = slots_[ahead & mask];
      if (candidate.group >= 0 && candidate.hash == ahead) {
        __builtin_prefetch(rows_.data() + candidate.group * words);
      }
    }
    const uint64_t hash = hashes[i];
    uint64_t slot = hash & mask;
    while (true) {
      Slot& entry = slots_[slot];
      if (entry.group < 0) {
        entry = Slot{hash, AddPackedGroup(hash, row)};
        group_ids[i] = entry.group;
        break;
      }
      // One word: the hash is a bijection of it, so equal hashes are equal keys.
      if (entry.hash == hash &&
          (words == 1 || std::equal(row, row + words, rows_.data() + entry.group * words))) {
        group_ids[i] = entry.group;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

template <bool kSingleString>
int64_t GroupTable::ProbeGeneric(uint64_t hash, const std::vector<VectorPtr>& keys, int64_t row,
                                 int64_t pending) {
  const uint64_t mask = slots_.size() - 1;
  uint64_t slot = hash & mask;
  // The single string key: compared with each group's bytes, no vector lookups.
  const bool is_null = kSingleString && keys[0]->IsNull(row);
  const std::string_view bytes =
      kSingleString && !is_null ? keys[0]->StringValue(row) : std::string_view();
  while (true) {
    Slot& entry = slots_[slot];
    if (entry.group < 0) {
      entry = Slot{hash, num_groups_++};
      group_ref_.emplace_back(pending, row);
      if constexpr (kSingleString) {
        group_strings_.push_back(StoredString{bytes.data(), bytes.size(), is_null});
      }
      return entry.group;
    }
    if (entry.hash == hash) {
      bool equal = true;
      if constexpr (kSingleString) {
        const StoredString& stored = group_strings_[entry.group];
        equal = is_null ? stored.is_null
                        : !stored.is_null && BytesEqual(bytes, {stored.data, stored.size});
      } else {
        const auto [chunk, chunk_row] = group_ref_[entry.group];
        const std::vector<VectorPtr>& stored = chunk == pending ? keys : chunks_[chunk];
        for (size_t c = 0; c < keys.size() && equal; ++c) {
          equal = equal_[c](*keys[c], row, *stored[c], chunk_row);
        }
      }
      if (equal) {
        return entry.group;
      }
    }
    slot = (slot + 1) & mask;
  }
}

void GroupTable::HashGeneric(const std::vector<VectorPtr>& keys, int64_t num_rows) {
  hashes_.resize(static_cast<size_t>(num_rows));
  uint64_t* hashes = hashes_.data();
  for (size_t c = 0; c < keys.size(); ++c) {
    const Vector& column = *keys[c];
    const bool first = c == 0;
    if (equal_[c] == &StringsEqual) {
      const bool no_nulls = column.null_count() == 0;
      for (int64_t i = 0; i < num_rows; ++i) {
        const uint64_t hash =
            no_nulls || !column.IsNull(i) ? HashBytes(column.StringValue(i)) : kNullHash;
        hashes[i] = first ? hash : Combine(hashes[i], hash);
      }
      continue;
    }
    if (first) {
      HashRows({keys[c]}, num_rows, hashes);
      continue;
    }
    column_hashes_.resize(static_cast<size_t>(num_rows));
    HashRows({keys[c]}, num_rows, column_hashes_.data());
    for (int64_t i = 0; i < num_rows; ++i) {
      hashes[i] = Combine(hashes[i], column_hashes_[i]);
    }
  }
}

Status GroupTable::InsertGeneric(const std::vector<VectorPtr>& keys, int64_t num_rows,
                                 int64_t* group_ids) {
  HashGeneric(keys, num_rows);
  const int64_t pending = static_cast<int64_t>(chunks_.size());
  const int64_t first_new = num_groups_;
  for (int64_t row = 0; row < num_rows; ++row) {
    if ((num_groups_ + 1) * 2 > static_cast<int64_t>(slots_.size())) {
      Grow();
    }
    group_ids[row] = single_string_ ? ProbeGeneric<true>(hashes_[row], keys, row, pending)
                                    : ProbeGeneric<false>(hashes_[row], keys, row, pending);
  }
  if (num_groups_ > first_new) {
    // Keep compact copies of the new groups' keys, not the whole batch.
    std::vector<int64_t> rows;
    for (int64_t group = first_new; group < num_groups_; ++group) {
      rows.push_back(group_ref_[group].second);
      group_ref_[group] = {pending, group - first_new};
    }
    std::vector<VectorPtr> chunk;
    for (const VectorPtr& key : keys) {
      SLUICE_ASSIGN_OR_RETURN(VectorPtr copy, Take(*key, rows));
      key_bytes_ += VectorBytes(*copy);
      chunk.push_back(std::move(copy));
    }
    if (single_string_) {
      // Point the new groups at their copies (they pointed into the batch).
      const Vector& copy = *chunk[0];
      for (int64_t group = first_new; group < num_groups_; ++group) {
        if (!group_strings_[group].is_null) {
          const std::string_view bytes = copy.StringValue(group - first_new);
          group_strings_[group] = StoredString{bytes.data(), bytes.size(), false};
        }
      }
    }
    chunks_.push_back(std::move(chunk));
  }
  return Status::Ok();
}

Status GroupTable::FindOrInsert(const std::vector<VectorPtr>& keys, int64_t num_rows,
                                int64_t* group_ids) {
  if (num_rows <= 0) {
    return Status::Ok();
  }
  if (layout_ == Layout::kUnset) {
    Init(keys);
  }
  switch (layout_) {
    case Layout::kNoKeys:
      num_groups_ = 1;
      std::fill(group_ids, group_ids + num_rows, 0);
      return Status::Ok();
    case Layout::kPacked:
      break;
    default:
      return InsertGeneric(keys, num_rows, group_ids);
  }
  batch_rows_.assign(static_cast<size_t>(num_rows * words_), 0);
  std::vector<uint8_t> nulls;
  if (!has_null_word_ && keys[0]->null_count() > 0) {
    nulls.assign(static_cast<size_t>(num_rows), 0);
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    PackField(fields_[k], *keys[k], 0, num_rows, batch_rows_.data(), words_, nulls.data());
  }
  const uint8_t* null_flags = nulls.empty() ? nullptr : nulls.data();
  switch (words_) {
    case 1:
      InsertPacked<1>(num_rows, null_flags, group_ids);
      break;
    case 2:
      InsertPacked<2>(num_rows, null_flags, group_ids);
      break;
    case 3:
      InsertPacked<3>(num_rows, null_flags, group_ids);
      break;
    case 4:
      InsertPacked<4>(num_rows, null_flags, group_ids);
      break;
    default:
      InsertPacked<0>(num_rows, null_flags, group_ids);
      break;
  }
  return Status::Ok();
}

VectorPtr GroupTable::UnpackField(const PackedField& field) const {
  const int64_t n = num_groups_;
  const int stride = words_;
  const uint64_t* rows = rows_.data();
  // Validity.
  BufferPtr validity;
  int64_t null_count = 0;
  if (field.type->id() == TypeId::kNull) {
    return std::make_shared<const Vector>(field.type, n, n, nullptr, nullptr, nullptr,
                                          std::vector<VectorPtr>{});
  }
  auto is_null = [&](int64_t g) {
    if (field.null_bit < 0) {
      return g == null_group_;
    }
    return ((rows[g * stride + stride - 1] >> field.null_bit) & 1) != 0;
  };
  for (int64_t g = 0; g < n; ++g) {
    null_count += is_null(g) ? 1 : 0;
  }
  if (null_count > 0) {
    validity = std::make_shared<Buffer>(bits::BytesFor(n));
    uint8_t* bitmap = validity->mutable_data();
    for (int64_t g = 0; g < n; ++g) {
      if (!is_null(g)) {
        bits::Set(bitmap, g);
      }
    }
  }
  if (field.type->id() == TypeId::kStruct) {
    std::vector<VectorPtr> children;
    for (const PackedField& child : field.children) {
      children.push_back(UnpackField(child));
    }
    return std::make_shared<const Vector>(field.type, n, null_count, std::move(validity), nullptr,
                                          nullptr, std::move(children));
  }
  const uint64_t* source = rows + field.first_word;
  BufferPtr values;
  auto read = [&](auto tag, auto convert) {
    using T = decltype(tag);
    values = std::make_shared<Buffer>(n * static_cast<int64_t>(sizeof(T)));
    T* out = values->mutable_data_as<T>();
    for (int64_t g = 0; g < n; ++g) {
      out[g] = convert(source[g * stride], T{});
    }
  };
  auto truncate = [](uint64_t word, auto tag) { return static_cast<decltype(tag)>(word); };
  auto from_bits = [](uint64_t word, auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float>) {
      return std::bit_cast<float>(static_cast<uint32_t>(word));
    } else {
      return std::bit_cast<double>(word);
    }
  };
  switch (field.type->id()) {
    case TypeId::kBoolean: {
      values = std::make_shared<Buffer>(bits::BytesFor(n));
      uint8_t* bitmap = values->mutable_data();
      for (int64_t g = 0; g < n; ++g) {
        if (source[g * stride] != 0) {
          bits::Set(bitmap, g);
        }
      }
      break;
    }
    case TypeId::kByte:
      read(int8_t{}, truncate);
      break;
    case TypeId::kShort:
      read(int16_t{}, truncate);
      break;
    case TypeId::kInt:
    case TypeId::kDate:
      read(int32_t{}, truncate);
      break;
    case TypeId::kFloat:
      read(float{}, from_bits);
      break;
    case TypeId::kDouble:
      read(double{}, from_bits);
      break;
    case TypeId::kDecimal: {
      values = std::make_shared<Buffer>(n * static_cast<int64_t>(sizeof(Int128)));
      Int128* out = values->mutable_data_as<Int128>();
      for (int64_t g = 0; g < n; ++g) {
        const uint64_t* words = source + g * stride;
        out[g] = static_cast<Int128>((static_cast<unsigned __int128>(words[1]) << 64) | words[0]);
      }
      break;
    }
    default:  // long, timestamp, timestamp_ntz
      read(int64_t{}, truncate);
      break;
  }
  return std::make_shared<const Vector>(field.type, n, null_count, std::move(validity),
                                        std::move(values), nullptr, std::vector<VectorPtr>{});
}

Result<std::vector<VectorPtr>> GroupTable::KeyColumns(int num_keys) const {
  std::vector<VectorPtr> columns;
  if (layout_ == Layout::kPacked) {
    for (int k = 0; k < num_keys; ++k) {
      columns.push_back(UnpackField(fields_[k]));
    }
    return columns;
  }
  if (layout_ != Layout::kGeneric) {
    return columns;
  }
  for (int k = 0; k < num_keys; ++k) {
    std::vector<VectorPtr> parts;
    for (const auto& chunk : chunks_)
      parts.push_back(chunk[k]);
    if (parts.size() == 1) {
      columns.push_back(parts[0]);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(VectorPtr column, Concatenate(parts));
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace sluice::exec
