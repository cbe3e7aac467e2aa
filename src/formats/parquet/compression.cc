// SPDX-License-Identifier: Apache-2.0
#include "formats/parquet/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <fmt/format.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "common/ascii.h"

namespace sluice::parquet {
namespace {

using CompressionCodec = format::CompressionCodec;

// Default levels, as Arrow's Parquet writer (and, for ZSTD and GZIP, Spark) uses them.
constexpr int kDefaultGzipLevel = 6;
constexpr int kDefaultZstdLevel = 3;
// Arrow's default, so that sluice's BROTLI files come out as small as Arrow's. Brotli is
// picked for its ratio (anyone after speed picks ZSTD, SNAPPY or LZ4_RAW). Measured on 1 MiB
// pages of Nexmark bid NDJSON, one core: quality 8 gives ratio 0.143 at 21 MB/s, 5 gives
// 0.146 at 77 MB/s, 1 gives 0.177 at 390 MB/s (ZSTD 3: 0.168 at 315 MB/s); callers that
// want speed pass a lower level.
constexpr int kDefaultBrotliQuality = 8;

// A Parquet page size is an i32 in its header; no page may be larger.
constexpr int64_t kMaxPageBytes = std::numeric_limits<int32_t>::max();

// Returns a pointer that is never null: zlib, brotli and LZ4 reject a null output buffer
// even when its capacity is zero.
uint8_t* NonNullOutput(uint8_t* output) {
  static uint8_t empty_output = 0;
  return output != nullptr ? output : &empty_output;
}

const uint8_t* Bytes(std::string_view input) {
  return reinterpret_cast<const uint8_t*>(input.data());
}

Status WrongSize(Codec codec, int64_t expected, int64_t got) {
  return Status::Corruption(
      fmt::format("{} page decompresses to the wrong size: expected {} bytes, got {}",
                  CodecName(codec), expected, got));
}

Status TooLarge(Codec codec, int64_t expected) {
  return Status::Corruption(
      fmt::format("{} page decompresses to the wrong size: expected {} bytes, got more",
                  CodecName(codec), expected));
}

// ---------------------------------------------------------------------------------------
// GZIP

// A zlib stream owned by the thread, reset between pages so that its state and window are
// allocated once per thread rather than once per page.
class ThreadInflater {
 public:
  ThreadInflater() {
    // 15 + 32: a 32 KiB window, with the gzip or zlib header detected from the data.
    ok_ = inflateInit2(&stream_, 15 + 32) == Z_OK;
  }
  ~ThreadInflater() {
    if (ok_) {
      inflateEnd(&stream_);
    }
  }
  ThreadInflater(const ThreadInflater&) = delete;
  ThreadInflater& operator=(const ThreadInflater&) = delete;

  /// Returns the stream ready for a new member, or null when zlib could not allocate it.
  z_stream* Reset() {
    if (!ok_ || inflateReset(&stream_) != Z_OK) {
      return nullptr;
    }
    return &stream_;
  }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

Status InflateGzip(std::string_view input, uint8_t* output, int64_t output_size) {
  thread_local ThreadInflater inflater;
  z_stream* stream = inflater.Reset();
  if (stream == nullptr) {
    return Status::ResourceExhausted("cannot allocate a GZIP decoder");
  }
  // zlib counts in 32-bit uInt; feed larger buffers in pieces.
  constexpr size_t kMaxChunk = std::numeric_limits<uInt>::max();
  const uint8_t* in = Bytes(input);
  size_t in_left = input.size();
  uint8_t* out = output;
  int64_t out_left = output_size;
  // Once the output is full, one byte of scratch space shows whether the data holds more.
  uint8_t probe = 0;
  while (true) {
    const bool probing = out_left == 0;
    stream->next_in = const_cast<Bytef*>(in);  // zlib does not write through next_in
    stream->avail_in = static_cast<uInt>(std::min(in_left, kMaxChunk));
    stream->next_out = probing ? &probe : out;
    stream->avail_out =
        probing ? 1 : static_cast<uInt>(std::min(static_cast<uint64_t>(out_left), kMaxChunk));
    const int ret = inflate(stream, Z_NO_FLUSH);
    const size_t consumed = static_cast<size_t>(stream->next_in - in);
    const int64_t produced = stream->next_out - (probing ? &probe : out);
    if (probing && produced > 0) {
      return TooLarge(CompressionCodec::GZIP, output_size);
    }
    in += consumed;
    in_left -= consumed;
    out += produced;
    out_left -= produced;
    if (ret == Z_STREAM_END) {
      if (in_left == 0) {
        break;
      }
      // Another gzip member follows (concatenated members, as some writers produce).
      if (inflateReset(stream) != Z_OK) {
        return Status::Internal("cannot reset the GZIP decoder");
      }
      continue;
    }
    if (ret == Z_OK) {
      continue;
    }
    if (ret == Z_BUF_ERROR && in_left == 0) {
      return Status::Corruption(
          fmt::format("truncated GZIP page: the data ends after {} of {} bytes were produced",
                      output_size - out_left, output_size));
    }
    return Status::Corruption(
        fmt::format("invalid GZIP page: {}", stream->msg != nullptr ? stream->msg : zError(ret)));
  }
  if (out_left != 0) {
    return WrongSize(CompressionCodec::GZIP, output_size, output_size - out_left);
  }
  return Status::Ok();
}

// A deflate stream owned by the thread (its state is some 270 KiB at the default level, too
// much to allocate per page), reinitialized only when the level changes.
class ThreadDeflater {
 public:
  ThreadDeflater() = default;
  ~ThreadDeflater() { End(); }
  ThreadDeflater(const ThreadDeflater&) = delete;
  ThreadDeflater& operator=(const ThreadDeflater&) = delete;

  /// Returns the stream ready to write one gzip member at `level`, or null when zlib could
  /// not allocate it.
  z_stream* Reset(int level) {
    if (level_ != level) {
      End();
      // 15 + 16: a 32 KiB window and a gzip header and trailer, as parquet-mr and Arrow
      // write; memory level 8 is zlib's default.
      if (deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return nullptr;
      }
      level_ = level;
      return &stream_;
    }
    return deflateReset(&stream_) == Z_OK ? &stream_ : nullptr;
  }

 private:
  void End() {
    if (level_ != kNone) {
      deflateEnd(&stream_);
      stream_ = z_stream{};
      level_ = kNone;
    }
  }

  static constexpr int kNone = -1;
  z_stream stream_{};
  int level_ = kNone;  // the level the stream was set up for; kNone when not set up
};

Status DeflateGzip(int level, std::string_view input, std::string* out) {
  thread_local ThreadDeflater deflater;
  z_stream* stream = deflater.Reset(level);
  if (stream == nullptr) {
    return Status::ResourceExhausted("cannot allocate a GZIP encoder");
  }
  const size_t start = out->size();
  const uLong bound = deflateBound(stream, static_cast<uLong>(input.size()));
  out->resize(start + bound);
  stream->next_in = const_cast<Bytef*>(Bytes(input));  // zlib does not write through next_in
  stream->avail_in = static_cast<uInt>(input.size());
  stream->next_out = reinterpret_cast<Bytef*>(out->data() + start);
  stream->avail_out = static_cast<uInt>(bound);
  const int ret = deflate(stream, Z_FINISH);
  if (ret != Z_STREAM_END) {
    out->resize(start);
    return Status::Internal(fmt::format("GZIP compression failed: {}", zError(ret)));
  }
  out->resize(start + stream->total_out);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// ZSTD

// A ZSTD context owned by the thread: its tables are allocated once, not once per page.
template <typename Context, size_t (*kFree)(Context*)>
class ThreadZstdContext {
 public:
  explicit ThreadZstdContext(Context* context) : context_(context) {}
  ~ThreadZstdContext() { kFree(context_); }
  ThreadZstdContext(const ThreadZstdContext&) = delete;
  ThreadZstdContext& operator=(const ThreadZstdContext&) = delete;

  /// Returns the context, or null when ZSTD could not allocate it.
  Context* get() const { return context_; }

 private:
  Context* context_;
};

Status DecompressZstd(std::string_view input, uint8_t* output, int64_t output_size) {
  thread_local ThreadZstdContext<ZSTD_DCtx, ZSTD_freeDCtx> context(ZSTD_createDCtx());
  if (context.get() == nullptr) {
    return Status::ResourceExhausted("cannot allocate a ZSTD decoder");
  }
  // Decodes every frame of the input (a writer may emit several) and checks each frame's
  // declared content size against what it produced.
  const size_t ret =
      ZSTD_decompressDCtx(context.get(), NonNullOutput(output), static_cast<size_t>(output_size),
                          input.data(), input.size());
  if (ZSTD_isError(ret)) {
    if (ZSTD_getErrorCode(ret) == ZSTD_error_dstSize_tooSmall) {
      return TooLarge(CompressionCodec::ZSTD, output_size);
    }
    return Status::Corruption(fmt::format("invalid ZSTD page: {}", ZSTD_getErrorName(ret)));
  }
  if (static_cast<int64_t>(ret) != output_size) {
    return WrongSize(CompressionCodec::ZSTD, output_size, static_cast<int64_t>(ret));
  }
  return Status::Ok();
}

Status CompressZstd(int level, std::string_view input, std::string* out) {
  thread_local ThreadZstdContext<ZSTD_CCtx, ZSTD_freeCCtx> context(ZSTD_createCCtx());
  if (context.get() == nullptr) {
    return Status::ResourceExhausted("cannot allocate a ZSTD encoder");
  }
  const size_t start = out->size();
  const size_t bound = ZSTD_compressBound(input.size());
  out->resize(start + bound);
  const size_t ret = ZSTD_compressCCtx(context.get(), out->data() + start, bound, input.data(),
                                       input.size(), level);
  if (ZSTD_isError(ret)) {
    out->resize(start);
    return Status::Internal(fmt::format("ZSTD compression failed: {}", ZSTD_getErrorName(ret)));
  }
  out->resize(start + ret);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// BROTLI

Status DecompressBrotli(std::string_view input, uint8_t* output, int64_t output_size) {
  BrotliDecoderState* state = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
  if (state == nullptr) {
    return Status::ResourceExhausted("cannot allocate a BROTLI decoder");
  }
  size_t in_left = input.size();
  const uint8_t* in = Bytes(input);
  size_t out_left = static_cast<size_t>(output_size);
  uint8_t* out = NonNullOutput(output);
  const BrotliDecoderResult result =
      BrotliDecoderDecompressStream(state, &in_left, &in, &out_left, &out, nullptr);
  const char* error = BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state));
  BrotliDecoderDestroyInstance(state);
  switch (result) {
    case BROTLI_DECODER_RESULT_SUCCESS:
      if (in_left != 0) {
        return Status::Corruption(
            fmt::format("invalid BROTLI page: {} bytes follow the end of the stream", in_left));
      }
      if (out_left != 0) {
        return WrongSize(CompressionCodec::BROTLI, output_size,
                         output_size - static_cast<int64_t>(out_left));
      }
      return Status::Ok();
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
      return TooLarge(CompressionCodec::BROTLI, output_size);
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
      return Status::Corruption(
          fmt::format("truncated BROTLI page: the data ends after {} of {} bytes were produced",
                      output_size - static_cast<int64_t>(out_left), output_size));
    case BROTLI_DECODER_RESULT_ERROR:
      break;
  }
  return Status::Corruption(fmt::format("invalid BROTLI page: {}", error));
}

Status CompressBrotli(int quality, std::string_view input, std::string* out) {
  const size_t bound = BrotliEncoderMaxCompressedSize(input.size());
  if (bound == 0) {
    return Status::InvalidArgument(
        fmt::format("page too large for BROTLI compression: {} bytes", input.size()));
  }
  const size_t start = out->size();
  out->resize(start + bound);
  size_t encoded_size = bound;
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.size(),
                             Bytes(input), &encoded_size,
                             reinterpret_cast<uint8_t*>(out->data() + start))) {
    out->resize(start);
    return Status::Internal("BROTLI compression failed");
  }
  out->resize(start + encoded_size);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// LZ4

uint32_t LoadBigEndian32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Decodes Hadoop's LZ4 framing (what parquet-mr's deprecated LZ4 codec writes): a sequence
// of blocks, each [4-byte big-endian decompressed size] followed by chunks
// [4-byte big-endian compressed size][raw LZ4 block] until the block's decompressed size
// is reached (Hadoop's BlockCompressorStream; Arrow writes one chunk per block). Returns
// whether the whole input parsed as such blocks and filled exactly `output_size` bytes;
// the output may have been written to either way.
bool DecompressHadoopLz4(std::string_view input, uint8_t* output, int64_t output_size) {
  const uint8_t* in = Bytes(input);
  size_t in_left = input.size();
  int64_t produced = 0;
  while (in_left > 0) {
    if (in_left < 4) {
      return false;
    }
    const int64_t block_size = LoadBigEndian32(in);
    in += 4;
    in_left -= 4;
    if (block_size > output_size - produced) {
      return false;
    }
    if (block_size == 0 && in_left == 0) {
      break;  // Hadoop's header for an empty stream, with no chunk after it
    }
    const int64_t block_end = produced + block_size;
    do {
      if (in_left < 4) {
        return false;
      }
      const uint32_t chunk_size = LoadBigEndian32(in);
      in += 4;
      in_left -= 4;
      if (chunk_size > in_left || chunk_size > static_cast<uint32_t>(LZ4_MAX_INPUT_SIZE)) {
        return false;
      }
      const int got = LZ4_decompress_safe(
          reinterpret_cast<const char*>(in), reinterpret_cast<char*>(output) + produced,
          static_cast<int>(chunk_size), static_cast<int>(block_end - produced));
      if (got < 0 || (got == 0 && block_size != 0)) {
        return false;
      }
      in += chunk_size;
      in_left -= chunk_size;
      produced += got;
    } while (produced < block_end);
  }
  return produced == output_size;
}

Status DecompressLz4Raw(Codec codec, std::string_view input, uint8_t* output, int64_t output_size) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE) || output_size > kMaxPageBytes) {
    return Status::Corruption(fmt::format("{} page too large for an LZ4 block: {} bytes in, {} out",
                                          CodecName(codec), input.size(), output_size));
  }
  const int got =
      LZ4_decompress_safe(input.data(), reinterpret_cast<char*>(NonNullOutput(output)),
                          static_cast<int>(input.size()), static_cast<int>(output_size));
  if (got < 0) {
    // LZ4 cannot tell a malformed block from one that decompresses to more than fits.
    if (codec == CompressionCodec::LZ4) {
      return Status::Corruption(fmt::format(
          "invalid LZ4 page: neither Hadoop-framed LZ4 nor a raw LZ4 block of the expected {} "
          "bytes",
          output_size));
    }
    return Status::Corruption(fmt::format(
        "invalid LZ4_RAW page: not an LZ4 block of the expected {} bytes (malformed or longer)",
        output_size));
  }
  if (got != output_size) {
    return WrongSize(codec, output_size, got);
  }
  return Status::Ok();
}

Status DecompressHadoopOrRawLz4(std::string_view input, uint8_t* output, int64_t output_size) {
  if (output_size <= kMaxPageBytes &&
      DecompressHadoopLz4(input, NonNullOutput(output), output_size)) {
    return Status::Ok();
  }
  // Old parquet-cpp versions wrote a bare LZ4 block under the LZ4 codec.
  return DecompressLz4Raw(CompressionCodec::LZ4, input, output, output_size);
}

Status CompressLz4Raw(std::string_view input, std::string* out) {
  const int bound = LZ4_compressBound(static_cast<int>(input.size()));
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE) || bound <= 0) {
    return Status::InvalidArgument(
        fmt::format("page too large for LZ4_RAW compression: {} bytes", input.size()));
  }
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(bound));
  const int written = LZ4_compress_default(input.data(), out->data() + start,
                                           static_cast<int>(input.size()), bound);
  if (written <= 0) {
    out->resize(start);
    return Status::Internal("LZ4_RAW compression failed");
  }
  out->resize(start + static_cast<size_t>(written));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// SNAPPY

Status DecompressSnappy(std::string_view input, uint8_t* output, int64_t output_size) {
  size_t length = 0;
  if (!snappy::GetUncompressedLength(input.data(), input.size(), &length)) {
    return Status::Corruption("invalid SNAPPY page: unreadable uncompressed length");
  }
  // Checked before decoding: RawUncompress writes as many bytes as the input declares.
  if (length != static_cast<uint64_t>(output_size)) {
    return WrongSize(CompressionCodec::SNAPPY, output_size, static_cast<int64_t>(length));
  }
  if (!snappy::RawUncompress(input.data(), input.size(),
                             reinterpret_cast<char*>(NonNullOutput(output)))) {
    return Status::Corruption("invalid SNAPPY page: malformed compressed data");
  }
  return Status::Ok();
}

Status CompressSnappy(std::string_view input, std::string* out) {
  const size_t start = out->size();
  out->resize(start + snappy::MaxCompressedLength(input.size()));
  size_t written = 0;
  snappy::RawCompress(input.data(), input.size(), out->data() + start, &written);
  out->resize(start + written);
  return Status::Ok();
}

Status CheckLevel(Codec codec, int level, int min, int max) {
  if (level < min || level > max) {
    return Status::InvalidArgument(fmt::format("{} compression level: expected {}..{}, got {}",
                                               CodecName(codec), min, max, level));
  }
  return Status::Ok();
}

}  // namespace

Status Decompress(Codec codec, std::string_view input, uint8_t* output, int64_t output_size) {
  if (output_size < 0) {
    return Status::Corruption(
        fmt::format("{} page has a negative uncompressed size: {}", CodecName(codec), output_size));
  }
  if (codec == CompressionCodec::LZO) {
    return Status::NotImplemented("LZO-compressed Parquet is not supported");
  }
  // An empty page body needs no decoding: writers skip compressing one (a DataPageV2 whose
  // values are all null), whatever the codec.
  const bool known_codec =
      codec >= CompressionCodec::UNCOMPRESSED && codec <= CompressionCodec::LZ4_RAW;
  if (input.empty() && output_size == 0 && known_codec) {
    return Status::Ok();
  }
  switch (codec) {
    case CompressionCodec::UNCOMPRESSED:
      if (static_cast<int64_t>(input.size()) != output_size) {
        return WrongSize(codec, output_size, static_cast<int64_t>(input.size()));
      }
      if (output_size > 0) {
        std::memcpy(output, input.data(), input.size());
      }
      return Status::Ok();
    case CompressionCodec::SNAPPY:
      return DecompressSnappy(input, output, output_size);
    case CompressionCodec::GZIP:
      return InflateGzip(input, output, output_size);
    case CompressionCodec::BROTLI:
      return DecompressBrotli(input, output, output_size);
    case CompressionCodec::ZSTD:
      return DecompressZstd(input, output, output_size);
    case CompressionCodec::LZ4_RAW:
      return DecompressLz4Raw(codec, input, output, output_size);
    case CompressionCodec::LZ4:
      return DecompressHadoopOrRawLz4(input, output, output_size);
    case CompressionCodec::LZO:
      break;  // answered above
  }
  return Status::NotImplemented(
      fmt::format("unknown Parquet compression codec: {}", static_cast<int>(codec)));
}

Status Compress(Codec codec, int level, std::string_view input, std::string* out) {
  if (static_cast<int64_t>(input.size()) > kMaxPageBytes) {
    return Status::InvalidArgument(
        fmt::format("page too large for {} compression: {} bytes", CodecName(codec), input.size()));
  }
  const bool default_level = level == kDefaultCompressionLevel;
  switch (codec) {
    case CompressionCodec::UNCOMPRESSED:
      out->append(input);
      return Status::Ok();
    case CompressionCodec::SNAPPY:
      return CompressSnappy(input, out);
    case CompressionCodec::GZIP:
      if (default_level) {
        level = kDefaultGzipLevel;
      }
      SLUICE_RETURN_IF_ERROR(CheckLevel(codec, level, 1, 9));
      return DeflateGzip(level, input, out);
    case CompressionCodec::BROTLI:
      if (default_level) {
        level = kDefaultBrotliQuality;
      }
      SLUICE_RETURN_IF_ERROR(CheckLevel(codec, level, BROTLI_MIN_QUALITY, BROTLI_MAX_QUALITY));
      return CompressBrotli(level, input, out);
    case CompressionCodec::ZSTD:
      if (default_level) {
        level = kDefaultZstdLevel;
      }
      SLUICE_RETURN_IF_ERROR(CheckLevel(codec, level, 1, ZSTD_maxCLevel()));
      return CompressZstd(level, input, out);
    case CompressionCodec::LZ4_RAW:
      return CompressLz4Raw(input, out);
    case CompressionCodec::LZ4:
      return Status::InvalidArgument(
          "cannot write LZ4 (Hadoop-framed, deprecated) Parquet pages: use LZ4_RAW");
    case CompressionCodec::LZO:
      return Status::InvalidArgument("cannot write LZO Parquet pages: LZO is not supported");
  }
  return Status::InvalidArgument(
      fmt::format("unknown Parquet compression codec: {}", static_cast<int>(codec)));
}

Result<Codec> ParseCodec(std::string_view name) {
  const std::string lower = ToLowerAscii(name);
  if (lower == "none" || lower == "uncompressed") {
    return CompressionCodec::UNCOMPRESSED;
  }
  if (lower == "snappy") {
    return CompressionCodec::SNAPPY;
  }
  if (lower == "gzip") {
    return CompressionCodec::GZIP;
  }
  if (lower == "brotli") {
    return CompressionCodec::BROTLI;
  }
  if (lower == "zstd") {
    return CompressionCodec::ZSTD;
  }
  if (lower == "lz4_raw" || lower == "lz4raw") {
    return CompressionCodec::LZ4_RAW;
  }
  if (lower == "lz4") {
    return Status::InvalidArgument(
        "compression: lz4 is Hadoop's deprecated LZ4 framing, which sluice reads but does not "
        "write; use lz4_raw");
  }
  if (lower == "lzo") {
    return Status::InvalidArgument("compression: lzo is not supported; use zstd or snappy");
  }
  return Status::InvalidArgument(fmt::format(
      "compression: expected none, uncompressed, snappy, gzip, brotli, zstd or lz4_raw, got '{}'",
      name));
}

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case CompressionCodec::UNCOMPRESSED:
      return "UNCOMPRESSED";
    case CompressionCodec::SNAPPY:
      return "SNAPPY";
    case CompressionCodec::GZIP:
      return "GZIP";
    case CompressionCodec::LZO:
      return "LZO";
    case CompressionCodec::BROTLI:
      return "BROTLI";
    case CompressionCodec::LZ4:
      return "LZ4";
    case CompressionCodec::ZSTD:
      return "ZSTD";
    case CompressionCodec::LZ4_RAW:
      return "LZ4_RAW";
  }
  return "UNKNOWN";
}

}  // namespace sluice::parquet
