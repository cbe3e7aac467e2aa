// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/status.h"
#include "formats/parquet/thrift_io.h"

namespace sluice::parquet {

using Codec = format::CompressionCodec::type;

/// Asks Compress for the codec's own default level.
inline constexpr int kDefaultCompressionLevel = std::numeric_limits<int>::min();

/// Decompresses one page body compressed with `codec` into exactly `output_size` bytes at
/// `output`. Every codec of the format: UNCOMPRESSED, SNAPPY, GZIP (concatenated gzip
/// members too), BROTLI, ZSTD, LZ4_RAW and the deprecated LZ4 (Hadoop's framing, falling
/// back to a raw LZ4 block for the old parquet-cpp files that wrote one). Returns
/// kCorruption when the input is malformed or does not decompress to exactly
/// `output_size` bytes, kNotImplemented for LZO. Never writes past `output_size`.
Status Decompress(Codec codec, std::string_view input, uint8_t* output, int64_t output_size);

/// Appends `input` compressed with `codec` to `*out`. Writes UNCOMPRESSED, SNAPPY, GZIP,
/// BROTLI, ZSTD and LZ4_RAW; `level` is the codec's level (ZSTD 1..22, GZIP 1..9, BROTLI
/// 0..11; ignored by the others) or kDefaultCompressionLevel.
Status Compress(Codec codec, int level, std::string_view input, std::string* out);

/// Parses a codec name as Spark's Parquet `compression` option does, case-insensitively:
/// none, uncompressed, snappy, gzip, brotli, zstd, lz4_raw (and lz4raw). Spark's `lz4` is
/// the deprecated Hadoop-framed codec, which sluice reads but does not write: an error
/// that says to use lz4_raw.
Result<Codec> ParseCodec(std::string_view name);

/// Returns the format's name of `codec` ("SNAPPY", "LZ4_RAW", ...).
std::string_view CodecName(Codec codec);

}  // namespace sluice::parquet
