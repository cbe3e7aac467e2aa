// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace sluice::parquet {

/// Decodes `count` values of `width` bytes from BYTE_STREAM_SPLIT form (`width` streams
/// of `count` bytes) into `out` (count * width bytes). kCorruption when `size` is not
/// count * width.
Status DecodeByteStreamSplit(const uint8_t* data, int64_t size, int width, int64_t count,
                             uint8_t* out);

/// Appends `count` values of `width` bytes at `values` in BYTE_STREAM_SPLIT form.
void EncodeByteStreamSplit(const uint8_t* values, int width, int64_t count, std::string* out);

}  // namespace sluice::parquet
