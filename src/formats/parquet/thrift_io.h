// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "parquet_types.h"  // generated from parquet.thrift

namespace sluice::parquet {

// The generated Parquet metadata structs (parquet.thrift) live in
// sluice::parquet::format: format::FileMetaData, format::PageHeader, ...

/// Limits applied while decoding Thrift from a file, so that hostile metadata cannot
/// make the decoder allocate without bound: no string or container may claim more bytes
/// or elements than remain in the input, and nesting is capped.
struct ThriftLimits {
  /// The largest serialized message accepted (the footer of a file with very many
  /// columns and row groups stays far below this).
  int64_t max_message_bytes = 256 << 20;
};

/// Decodes one Thrift compact-protocol struct of type T from the front of `input` and
/// sets `*consumed` to the number of bytes it took (a page header is followed by its
/// page). Returns kCorruption naming `what` (e.g. "file footer", "page header") and the
/// Thrift error when the bytes are not a valid T.
template <typename T>
Status DeserializeThrift(std::string_view input, std::string_view what, T* out,
                         uint32_t* consumed = nullptr);

/// Encodes `value` with the Thrift compact protocol and appends it to `*out`.
template <typename T>
Status SerializeThrift(const T& value, std::string* out);

// Instantiated in thrift_io.cc for the structs sluice reads and writes on its own.
#define SLUICE_PARQUET_THRIFT_TYPES(X) \
  X(format::FileMetaData)              \
  X(format::FileCryptoMetaData)        \
  X(format::PageHeader)                \
  X(format::ColumnMetaData)            \
  X(format::ColumnIndex)               \
  X(format::OffsetIndex)
#define SLUICE_PARQUET_DECLARE_THRIFT(T)                                                          \
  extern template Status DeserializeThrift<T>(std::string_view, std::string_view, T*, uint32_t*); \
  extern template Status SerializeThrift<T>(const T&, std::string*);
SLUICE_PARQUET_THRIFT_TYPES(SLUICE_PARQUET_DECLARE_THRIFT)
#undef SLUICE_PARQUET_DECLARE_THRIFT

}  // namespace sluice::parquet
