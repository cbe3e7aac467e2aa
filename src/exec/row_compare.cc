// SPDX-License-Identifier: Apache-2.0
#include "exec/row_compare.h"

#include <cmath>

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

}  // namespace sluice::exec
