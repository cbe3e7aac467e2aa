// SPDX-License-Identifier: Apache-2.0
#include "exec/row_compare.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>

namespace sluice::exec {
namespace {

template <typename T>
int Three(T x, T y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

template <typename T>
int CompareFloating(T x, T y) {
  const bool x_nan = std::isnan(x);
  const bool y_nan = std::isnan(y);
  if (x_nan || y_nan)
    return x_nan == y_nan ? 0 : (x_nan ? 1 : -1);
  return Three(x, y);  // -0.0 == 0.0
}

int CompareNullable(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  const bool a_null = a.IsNull(ra);
  const bool b_null = b.IsNull(rb);
  if (a_null || b_null)
    return a_null == b_null ? 0 : (a_null ? -1 : 1);
  return CompareValues(a, ra, b, rb);
}

int CompareLists(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  const int64_t a_start = a.ListStart(ra);
  const int64_t a_len = a.ListEnd(ra) - a_start;
  const int64_t b_start = b.ListStart(rb);
  const int64_t b_len = b.ListEnd(rb) - b_start;
  for (int64_t i = 0; i < std::min(a_len, b_len); ++i) {
    const int c = CompareNullable(*a.child(0), a_start + i, *b.child(0), b_start + i);
    if (c != 0)
      return c;
  }
  return Three(a_len, b_len);
}

}  // namespace

int CompareValues(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  switch (a.type_id()) {
    case TypeId::kBoolean:
      return Three(a.BoolValue(ra), b.BoolValue(rb));
    case TypeId::kByte:
      return Three(a.Value<int8_t>(ra), b.Value<int8_t>(rb));
    case TypeId::kShort:
      return Three(a.Value<int16_t>(ra), b.Value<int16_t>(rb));
    case TypeId::kInt:
    case TypeId::kDate:
      return Three(a.Value<int32_t>(ra), b.Value<int32_t>(rb));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return Three(a.Value<int64_t>(ra), b.Value<int64_t>(rb));
    case TypeId::kFloat:
      return CompareFloating(a.Value<float>(ra), b.Value<float>(rb));
    case TypeId::kDouble:
      return CompareFloating(a.Value<double>(ra), b.Value<double>(rb));
    case TypeId::kDecimal:
      return Three(a.DecimalValue(ra), b.DecimalValue(rb));
    case TypeId::kString:
    case TypeId::kBinary: {
      const int c = a.StringValue(ra).compare(b.StringValue(rb));  // memcmp: unsigned bytes
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TypeId::kStruct: {
      for (int f = 0; f < a.num_children(); ++f) {
        // Struct children are indexed like the struct (offset + row).
        const int c = CompareNullable(*a.child(f), a.offset() + ra, *b.child(f), b.offset() + rb);
        if (c != 0)
          return c;
      }
      return 0;
    }
    case TypeId::kArray:
      return CompareLists(a, ra, b, rb);
    default:
      return 0;  // maps, void and variant have no order (the binder rejects them)
  }
}

int CompareRows(const std::vector<VectorPtr>& a, int64_t ra, const std::vector<VectorPtr>& b,
                int64_t rb, const std::vector<SortOrder>& orders) {
  for (size_t k = 0; k < orders.size(); ++k) {
    const Vector& x = *a[k];
    const Vector& y = *b[k];
    const bool x_null = x.IsNull(ra);
    const bool y_null = y.IsNull(rb);
    if (x_null || y_null) {
      if (x_null == y_null)
        continue;
      return (x_null == orders[k].nulls_first) ? -1 : 1;
    }
    int c = CompareValues(x, ra, y, rb);
    if (c != 0)
      return orders[k].ascending ? c : -c;
  }
  return 0;
}

namespace {

// ---- Typed value comparisons, chosen once per key by RowComparator.

template <typename T>
int CompareFixed(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  return Three(a.Value<T>(ra), b.Value<T>(rb));
}

template <typename T>
int CompareFloatingAt(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  return CompareFloating(a.Value<T>(ra), b.Value<T>(rb));
}

int CompareBoolAt(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  return Three(a.BoolValue(ra), b.BoolValue(rb));
}

int CompareBytesAt(const Vector& a, int64_t ra, const Vector& b, int64_t rb) {
  const int c = a.StringValue(ra).compare(b.StringValue(rb));  // memcmp: unsigned bytes
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// ---- Order-preserving encodings: a < b in Spark's ascending order exactly when
// Encode(a) < Encode(b) as unsigned integers.

constexpr uint64_t kSignBit = uint64_t{1} << 63;

template <typename T>
requires std::is_integral_v<T> uint64_t Encode(T value) {
  return static_cast<uint64_t>(static_cast<int64_t>(value)) ^ kSignBit;
}

inline uint64_t Encode(double value) {
  if (std::isnan(value))
    return ~uint64_t{0};  // above +Infinity
  if (value == 0)
    value = 0.0;  // -0.0 == 0.0
  const auto bits = std::bit_cast<uint64_t>(value);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

inline uint64_t Encode(float value) {
  return Encode(static_cast<double>(value));  // exact, so order-preserving
}

template <typename T>
struct Tag {
  using Type = T;
};

/// Calls f(Tag<T>{}) for the C type T of a key encodable in one word; false otherwise.
template <typename F>
bool VisitWordType(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kByte:
      f(Tag<int8_t>{});
      return true;
    case TypeId::kShort:
      f(Tag<int16_t>{});
      return true;
    case TypeId::kInt:
    case TypeId::kDate:
      f(Tag<int32_t>{});
      return true;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      f(Tag<int64_t>{});
      return true;
    case TypeId::kFloat:
      f(Tag<float>{});
      return true;
    case TypeId::kDouble:
      f(Tag<double>{});
      return true;
    default:
      return false;
  }
}

// ---- Sorting by encoded keys.

/// How SortRows encodes its keys: words per row, and the first key the words do not
/// decide (keys.size() when they decide every key).
struct KeyEncoding {
  std::vector<std::vector<uint64_t>> words;  // word w of row i in words[w][i]
  std::vector<size_t> key_of_word;
  size_t resolve_from = 0;
};

constexpr size_t kMaxWords = 8;

/// Returns the length of the prefix every non-null value of string `key` shares.
size_t CommonPrefix(const Vector& key, int64_t n) {
  std::string_view first;
  bool seen = false;
  size_t common = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (key.IsNull(i))
      continue;
    const std::string_view bytes = key.StringValue(i);
    if (!seen) {
      first = bytes;
      common = bytes.size();
      seen = true;
      continue;
    }
    const size_t length = std::min(common, bytes.size());
    common = static_cast<size_t>(
        std::mismatch(first.begin(), first.begin() + length, bytes.begin()).first - first.begin());
    if (common == 0)
      break;
  }
  return common;
}

/// Encodes bytes [p, p + 16) of each string after the prefix p all share (zero-padded)
/// into two words: equal words leave the order to a full comparison.
void EncodeStringPrefix(const Vector& key, int64_t n, uint64_t flip, std::vector<uint64_t>* high,
                        std::vector<uint64_t>* low) {
  const size_t common = CommonPrefix(key, n);
  for (int64_t i = 0; i < n; ++i) {
    if (key.IsNull(i))
      continue;
    const std::string_view bytes = key.StringValue(i).substr(common);
    unsigned char prefix[16] = {};
    if (!bytes.empty())  // an empty string's data may be null
      std::memcpy(prefix, bytes.data(), std::min<size_t>(16, bytes.size()));
    uint64_t words[2] = {0, 0};
    for (int b = 0; b < 16; ++b)
      words[b / 8] = (words[b / 8] << 8) | prefix[b];
    (*high)[i] = words[0] ^ flip;
    (*low)[i] = words[1] ^ flip;
  }
}

/// Appends the words of `key` (null word first when it has nulls) to `words`; false
/// when the key cannot be encoded. Strings get two prefix words (`*exact` = false).
bool EncodeKey(const Vector& key, int64_t n, const SortOrder& order,
               std::vector<std::vector<uint64_t>>* words, bool* exact) {
  const bool has_nulls = key.null_count() > 0;
  const TypeId id = key.type_id();
  const bool two_words = id == TypeId::kDecimal || id == TypeId::kString || id == TypeId::kBinary;
  const size_t value_words = two_words ? 2 : 1;
  const bool encodable = id == TypeId::kBoolean || id == TypeId::kDecimal ||
                         id == TypeId::kString || id == TypeId::kBinary ||
                         VisitWordType(id, [](auto) {});
  if (!encodable || words->size() + value_words + (has_nulls ? 1 : 0) > kMaxWords)
    return false;
  *exact = id != TypeId::kString && id != TypeId::kBinary;
  std::vector<uint64_t> nulls;
  if (has_nulls) {
    nulls.resize(n);
    for (int64_t i = 0; i < n; ++i)
      nulls[i] = key.IsNull(i) ? (order.nulls_first ? 0 : 2) : 1;
  }
  const uint64_t flip = order.ascending ? 0 : ~uint64_t{0};
  std::vector<uint64_t> value(n);
  std::vector<uint64_t> low;  // a decimal's low word, a string's second prefix word
  if (id == TypeId::kBoolean) {
    for (int64_t i = 0; i < n; ++i)
      value[i] = static_cast<uint64_t>(key.BoolValue(i)) ^ flip;
  } else if (id == TypeId::kDecimal) {
    low.resize(n);
    const Int128* values = key.values_buffer()->data_as<Int128>() + key.offset();
    for (int64_t i = 0; i < n; ++i) {
      value[i] =
          (static_cast<uint64_t>(static_cast<unsigned __int128>(values[i]) >> 64) ^ kSignBit) ^
          flip;
      low[i] = static_cast<uint64_t>(values[i]) ^ flip;
    }
  } else if (!*exact) {
    low.resize(n);
    EncodeStringPrefix(key, n, flip, &value, &low);
  } else {
    VisitWordType(id, [&](auto tag) {
      using T = typename decltype(tag)::Type;
      const T* values = key.values_buffer()->data_as<T>() + key.offset();
      for (int64_t i = 0; i < n; ++i)
        value[i] = Encode(values[i]) ^ flip;
    });
  }
  if (has_nulls) {
    // Nulls tie with each other on the value words.
    for (int64_t i = 0; i < n; ++i) {
      if (nulls[i] != 1) {
        value[i] = 0;
        if (!low.empty())
          low[i] = 0;
      }
    }
    words->push_back(std::move(nulls));
  }
  words->push_back(std::move(value));
  if (!low.empty())
    words->push_back(std::move(low));
  return true;
}

KeyEncoding EncodeKeys(const std::vector<VectorPtr>& keys, int64_t n,
                       const std::vector<SortOrder>& orders) {
  KeyEncoding encoding;
  encoding.resolve_from = keys.size();
  for (size_t k = 0; k < keys.size(); ++k) {
    bool exact = true;
    const bool encoded = EncodeKey(*keys[k], n, orders[k], &encoding.words, &exact);
    encoding.key_of_word.resize(encoding.words.size(), k);
    if (!encoded || !exact) {
      encoding.resolve_from = k;  // ties (on a string's prefix word) compare from this key
      break;
    }
  }
  return encoding;
}

/// An encoded word packed into bits [shift, shift + bits) of a packed word.
struct PackedField {
  size_t key;
  int shift;
  int bits;
};

constexpr size_t kMaxPackedWords = 4;

/// The encoded words with their bits that are the same in every row dropped, packed
/// (most significant first) into as few words as fit: the same order in fewer passes.
struct PackedKeys {
  std::vector<std::vector<uint64_t>> words;      // packed word p of row i in words[p][i]
  std::vector<std::vector<PackedField>> fields;  // per packed word
  int low_bits_free = 64;                        // zero bits below the last word's fields
  size_t resolve_from = 0;

  /// The first key on which two rows differ, given their packed words' XOR at word p.
  size_t DifferingKey(size_t p, uint64_t x) const {
    const int high = 63 - std::countl_zero(x);
    for (const PackedField& field : fields[p]) {
      if (high >= field.shift && high < field.shift + field.bits)
        return field.key;
    }
    return fields[p].back().key;  // not reached: the fields cover every set bit
  }
};

PackedKeys Pack(KeyEncoding encoding, int64_t n) {
  PackedKeys packed;
  packed.resolve_from = encoding.resolve_from;
  int used = 64;  // bits taken in the last packed word
  for (size_t w = 0; w < encoding.words.size(); ++w) {
    std::vector<uint64_t> word = std::move(encoding.words[w]);
    uint64_t all_or = 0;
    uint64_t all_and = ~uint64_t{0};
    for (uint64_t v : word) {
      all_or |= v;
      all_and &= v;
    }
    // Bits above the highest one that varies are the same in every row.
    const int bits = static_cast<int>(std::bit_width(all_or ^ all_and));
    if (bits == 0)
      continue;
    if (used + bits > 64) {
      if (packed.words.size() == kMaxPackedWords) {
        packed.resolve_from = std::min(packed.resolve_from, encoding.key_of_word[w]);
        break;
      }
      packed.words.emplace_back(n, 0);
      packed.fields.emplace_back();
      used = 0;
    }
    const int shift = 64 - used - bits;
    const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    uint64_t* out = packed.words.back().data();
    for (int64_t i = 0; i < n; ++i)
      out[i] |= (word[i] & mask) << shift;
    packed.fields.back().push_back({encoding.key_of_word[w], shift, bits});
    used += bits;
  }
  if (packed.words.empty()) {
    packed.words.emplace_back(n, 0);  // every row ties on the encoded keys
    packed.fields.emplace_back();
    used = 0;
  }
  packed.low_bits_free = 64 - used;
  return packed;
}

/// A stable LSD radix sort of `items` by bytes of words [0, num_words) (most significant
/// first; get(item, w) reads one), skipping bytes equal in every item and, in the last
/// word, bytes entirely below bit `skip_low_bits`.
template <typename T, typename GetWord>
void RadixSort(std::vector<T>* items, size_t num_words, int skip_low_bits, GetWord get) {
  std::vector<T>& from = *items;
  std::vector<uint64_t> all_or(num_words, 0);
  std::vector<uint64_t> all_and(num_words, ~uint64_t{0});
  for (const T& item : from) {
    for (size_t w = 0; w < num_words; ++w) {
      all_or[w] |= get(item, w);
      all_and[w] &= get(item, w);
    }
  }
  std::vector<T> to(from.size());
  std::vector<size_t> counts(256);
  for (size_t w = num_words; w-- > 0;) {
    for (int shift = 0; shift < 64; shift += 8) {
      if (w == num_words - 1 && shift + 8 <= skip_low_bits)
        continue;
      if ((((all_or[w] ^ all_and[w]) >> shift) & 0xff) == 0)
        continue;  // this byte is the same in every item
      std::fill(counts.begin(), counts.end(), 0);
      for (const T& item : from)
        ++counts[(get(item, w) >> shift) & 0xff];
      size_t sum = 0;
      for (size_t& c : counts) {
        const size_t here = c;
        c = sum;
        sum += here;
      }
      for (const T& item : from)
        to[counts[(get(item, w) >> shift) & 0xff]++] = item;
      from.swap(to);
    }
  }
}

constexpr size_t kRadixMinRows = 512;

/// The number of leading keys on which rows a and b are equal, given the first packed
/// word p at which they differ (with XOR x), or p == number of words when none does.
size_t EqualKeys(const PackedKeys& packed, size_t p, uint64_t x, const std::vector<VectorPtr>& keys,
                 const RowComparator& comparator, int64_t a, int64_t b) {
  if (p < packed.words.size())
    return packed.DifferingKey(p, x);
  for (size_t k = packed.resolve_from; k < keys.size(); ++k) {
    if (comparator.CompareKey(k, *keys[k], a, *keys[k], b) != 0)
      return k;
  }
  return keys.size();
}

/// Sorts with the row number in the low bits of the one packed word: the keys decide
/// everything and fit with it in 64 bits.
std::vector<int64_t> SortPackedWithRows(const PackedKeys& packed, int row_bits, size_t limit,
                                        const std::vector<VectorPtr>& keys,
                                        const RowComparator& comparator,
                                        std::vector<uint32_t>* equal_keys) {
  std::vector<uint64_t> items = packed.words[0];
  const size_t n = items.size();
  for (size_t i = 0; i < n; ++i)
    items[i] |= i;
  if (limit < n / 4) {
    std::nth_element(items.begin(), items.begin() + static_cast<int64_t>(limit), items.end());
    items.resize(limit);
    std::sort(items.begin(), items.end());
  } else if (n >= kRadixMinRows) {
    RadixSort(&items, 1, row_bits, [](uint64_t item, size_t) { return item; });
  } else {
    std::sort(items.begin(), items.end());
  }
  const uint64_t row_mask = (uint64_t{1} << row_bits) - 1;
  std::vector<int64_t> order(std::min(n, limit));
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<int64_t>(items[i] & row_mask);
  if (equal_keys != nullptr) {
    equal_keys->assign(order.size(), 0);
    for (size_t i = 1; i < order.size(); ++i) {
      const uint64_t x = (items[i] ^ items[i - 1]) & ~row_mask;
      (*equal_keys)[i] = static_cast<uint32_t>(
          EqualKeys(packed, x != 0 ? 0 : 1, x, keys, comparator, order[i - 1], order[i]));
    }
  }
  return order;
}

template <size_t K>
struct Record {
  std::array<uint64_t, K> key;
  uint64_t row;
};

/// Orders records by their words, then (when the words do not decide every key) by the
/// keys from `from` on, then by row.
template <size_t K>
struct RecordOrder {
  const std::vector<VectorPtr>& keys;
  const RowComparator& comparator;
  size_t from;

  bool operator()(const Record<K>& a, const Record<K>& b) const {
    for (size_t w = 0; w < K; ++w) {
      if (a.key[w] != b.key[w])
        return a.key[w] < b.key[w];
    }
    return Tie(a, b);
  }
  bool Tie(const Record<K>& a, const Record<K>& b) const {
    if (from < keys.size()) {
      const int c = comparator.Compare(keys, static_cast<int64_t>(a.row), keys,
                                       static_cast<int64_t>(b.row), from);
      if (c != 0)
        return c < 0;
    }
    return a.row < b.row;
  }
};

template <size_t K>
std::vector<int64_t> SortRecords(PackedKeys packed, const std::vector<VectorPtr>& keys,
                                 const RowComparator& comparator, size_t limit,
                                 std::vector<uint32_t>* equal_keys) {
  const size_t n = packed.words[0].size();
  std::vector<Record<K>> records(n);
  for (size_t i = 0; i < n; ++i)
    records[i].row = i;
  for (size_t w = 0; w < K; ++w) {
    for (size_t i = 0; i < n; ++i)
      records[i].key[w] = packed.words[w][i];
    std::vector<uint64_t>().swap(packed.words[w]);
  }
  const RecordOrder<K> less{keys, comparator, packed.resolve_from};
  if (limit < n / 4) {
    // A top-N: select the first `limit` records, then sort only those.
    std::nth_element(records.begin(), records.begin() + static_cast<int64_t>(limit), records.end(),
                     less);
    records.resize(limit);
    std::sort(records.begin(), records.end(), less);
  } else if (n >= kRadixMinRows) {
    RadixSort(&records, K, 0, [](const Record<K>& r, size_t w) { return r.key[w]; });
    if (packed.resolve_from < keys.size()) {
      // Rows whose words tie are ordered by the remaining keys, then by row.
      auto tie = [&](const Record<K>& a, const Record<K>& b) { return less.Tie(a, b); };
      for (size_t start = 0; start < n;) {
        size_t end = start + 1;
        while (end < n && records[end].key == records[start].key)
          ++end;
        if (end - start > 1)
          std::sort(records.begin() + static_cast<int64_t>(start),
                    records.begin() + static_cast<int64_t>(end), tie);
        start = end;
      }
    }
  } else {
    std::sort(records.begin(), records.end(), less);
  }
  std::vector<int64_t> order(std::min(n, limit));
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = static_cast<int64_t>(records[i].row);
  if (equal_keys != nullptr) {
    equal_keys->assign(order.size(), 0);
    for (size_t i = 1; i < order.size(); ++i) {
      size_t p = 0;
      while (p < K && records[i].key[p] == records[i - 1].key[p])
        ++p;
      const uint64_t x = p < K ? records[i].key[p] ^ records[i - 1].key[p] : 0;
      (*equal_keys)[i] =
          static_cast<uint32_t>(EqualKeys(packed, p, x, keys, comparator, order[i - 1], order[i]));
    }
  }
  return order;
}

std::vector<TypePtr> TypesOf(const std::vector<VectorPtr>& keys) {
  std::vector<TypePtr> types;
  for (const VectorPtr& key : keys)
    types.push_back(key->type());
  return types;
}

}  // namespace

RowComparator::RowComparator(const std::vector<TypePtr>& types, std::vector<SortOrder> orders)
    : orders_(std::move(orders)) {
  for (const TypePtr& type : types) {
    ValueCompare compare = &CompareValues;
    switch (type->id()) {
      case TypeId::kBoolean:
        compare = &CompareBoolAt;
        break;
      case TypeId::kFloat:
        compare = &CompareFloatingAt<float>;
        break;
      case TypeId::kDouble:
        compare = &CompareFloatingAt<double>;
        break;
      case TypeId::kDecimal:
        compare = &CompareFixed<Int128>;
        break;
      case TypeId::kString:
      case TypeId::kBinary:
        compare = &CompareBytesAt;
        break;
      default:
        VisitWordType(type->id(),
                      [&](auto tag) { compare = &CompareFixed<typename decltype(tag)::Type>; });
    }
    compares_.push_back(compare);
  }
}

int RowComparator::Compare(const std::vector<VectorPtr>& a, int64_t ra,
                           const std::vector<VectorPtr>& b, int64_t rb, size_t first_key) const {
  for (size_t k = first_key; k < compares_.size(); ++k) {
    const int c = CompareKey(k, *a[k], ra, *b[k], rb);
    if (c != 0)
      return c;
  }
  return 0;
}

int RowComparator::CompareKey(size_t k, const Vector& x, int64_t rx, const Vector& y,
                              int64_t ry) const {
  const bool x_null = x.IsNull(rx);
  const bool y_null = y.IsNull(ry);
  if (x_null || y_null) {
    if (x_null == y_null)
      return 0;
    return (x_null == orders_[k].nulls_first) ? -1 : 1;
  }
  const int c = compares_[k](x, rx, y, ry);
  return orders_[k].ascending ? c : -c;
}

std::vector<int64_t> SortRows(const std::vector<VectorPtr>& keys,
                              const std::vector<SortOrder>& orders, int64_t limit,
                              std::vector<uint32_t>* equal_keys) {
  const int64_t n = keys.empty() ? 0 : keys[0]->length();
  if (n == 0) {
    if (equal_keys != nullptr)
      equal_keys->clear();
    return {};
  }
  const auto max_rows = static_cast<size_t>(limit < 0 ? n : std::min(limit, n));
  const RowComparator comparator(TypesOf(keys), orders);
  PackedKeys packed = Pack(EncodeKeys(keys, n, orders), n);
  const int row_bits = static_cast<int>(std::bit_width(static_cast<uint64_t>(n)));
  if (packed.words.size() == 1 && packed.resolve_from == keys.size() &&
      row_bits <= packed.low_bits_free) {
    return SortPackedWithRows(packed, row_bits, max_rows, keys, comparator, equal_keys);
  }
  switch (packed.words.size()) {
    case 1:
      return SortRecords<1>(std::move(packed), keys, comparator, max_rows, equal_keys);
    case 2:
      return SortRecords<2>(std::move(packed), keys, comparator, max_rows, equal_keys);
    case 3:
      return SortRecords<3>(std::move(packed), keys, comparator, max_rows, equal_keys);
    default:
      return SortRecords<4>(std::move(packed), keys, comparator, max_rows, equal_keys);
  }
}

namespace {

template <typename T>
void SelectFixedBefore(const std::vector<VectorPtr>& keys, int64_t num_rows,
                       const std::vector<VectorPtr>& bound, int64_t bound_row,
                       const RowComparator& comparator, std::vector<int64_t>* out) {
  const Vector& key = *keys[0];
  const Vector& limit = *bound[0];
  const SortOrder& order = comparator.orders()[0];
  const bool more_keys = keys.size() > 1;
  auto tie_before = [&](int64_t row) {
    return more_keys && comparator.Compare(keys, row, bound, bound_row, 1) < 0;
  };
  if (limit.IsNull(bound_row)) {
    // Values sort before a null bound when nulls sort last; nulls tie with it.
    for (int64_t row = 0; row < num_rows; ++row) {
      if (key.IsNull(row) ? tie_before(row) : !order.nulls_first)
        out->push_back(row);
    }
    return;
  }
  const uint64_t flip = order.ascending ? 0 : ~uint64_t{0};
  const uint64_t worst = Encode(limit.Value<T>(bound_row)) ^ flip;
  const T* values = key.values_buffer()->data_as<T>() + key.offset();
  if (key.null_count() == 0) {
    for (int64_t row = 0; row < num_rows; ++row) {
      const uint64_t encoded = Encode(values[row]) ^ flip;
      if (encoded < worst || (encoded == worst && tie_before(row)))
        out->push_back(row);
    }
    return;
  }
  for (int64_t row = 0; row < num_rows; ++row) {
    if (key.IsNull(row)) {
      if (order.nulls_first)
        out->push_back(row);
      continue;
    }
    const uint64_t encoded = Encode(values[row]) ^ flip;
    if (encoded < worst || (encoded == worst && tie_before(row)))
      out->push_back(row);
  }
}

}  // namespace

void SelectRowsBefore(const std::vector<VectorPtr>& keys, int64_t num_rows,
                      const std::vector<VectorPtr>& bound, int64_t bound_row,
                      const RowComparator& comparator, std::vector<int64_t>* out) {
  if (keys.empty())
    return;
  const bool typed = VisitWordType(keys[0]->type_id(), [&](auto tag) {
    SelectFixedBefore<typename decltype(tag)::Type>(keys, num_rows, bound, bound_row, comparator,
                                                    out);
  });
  if (typed)
    return;
  for (int64_t row = 0; row < num_rows; ++row) {
    if (comparator.Compare(keys, row, bound, bound_row) < 0)
      out->push_back(row);
  }
}

}  // namespace sluice::exec
