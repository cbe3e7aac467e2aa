// SPDX-License-Identifier: Apache-2.0
// hash (Murmur3_x86_32, seed 42), xxhash64 (seed 42), md5, sha1, sha2, crc32, as Spark
// computes them.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "expr/builtins.h"
#include "expr/functions/kernel.h"
#include "expr/functions/string_util.h"

namespace sluice::expr {

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;

uint32_t Rotl32(uint32_t x, int r) {
  return (x << r) | (x >> (32 - r));
}
uint64_t Rotl64(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;  // little-endian, as Spark's Platform.getInt on x86
}
uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Spark's Murmur3_x86_32.
struct Murmur3 {
  static uint32_t MixK1(uint32_t k1) {
    k1 *= 0xcc9e2d51u;
    k1 = Rotl32(k1, 15);
    return k1 * 0x1b873593u;
  }
  static uint32_t MixH1(uint32_t h1, uint32_t k1) {
    h1 ^= k1;
    h1 = Rotl32(h1, 13);
    return h1 * 5 + 0xe6546b64u;
  }
  static uint32_t Fmix(uint32_t h1, uint32_t length) {
    h1 ^= length;
    h1 ^= h1 >> 16;
    h1 *= 0x85ebca6bu;
    h1 ^= h1 >> 13;
    h1 *= 0xc2b2ae35u;
    return h1 ^ (h1 >> 16);
  }
  using Hash = uint32_t;
  static Hash Int(int32_t value, Hash seed) {
    return Fmix(MixH1(seed, MixK1(static_cast<uint32_t>(value))), 4);
  }
  static Hash Long(int64_t value, Hash seed) {
    const uint64_t bits = static_cast<uint64_t>(value);
    uint32_t h1 = MixH1(seed, MixK1(static_cast<uint32_t>(bits)));
    h1 = MixH1(h1, MixK1(static_cast<uint32_t>(bits >> 32)));
    return Fmix(h1, 8);
  }
  // hashUnsafeBytes: whole 4-byte words, then each remaining (signed) byte on its own.
  static Hash Bytes(std::string_view bytes, Hash seed) {
    const size_t aligned = bytes.size() - bytes.size() % 4;
    uint32_t h1 = seed;
    for (size_t i = 0; i < aligned; i += 4) {
      h1 = MixH1(h1, MixK1(Load32(bytes.data() + i)));
    }
    for (size_t i = aligned; i < bytes.size(); ++i) {
      const int32_t half_word = static_cast<int8_t>(bytes[i]);
      h1 = MixH1(h1, MixK1(static_cast<uint32_t>(half_word)));
    }
    return Fmix(h1, static_cast<uint32_t>(bytes.size()));
  }
};

// Spark's XXH64.
struct XxHash64 {
  static constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
  static constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
  static constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
  static constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
  static constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

  static uint64_t Fmix(uint64_t hash) {
    hash ^= hash >> 33;
    hash *= kPrime2;
    hash ^= hash >> 29;
    hash *= kPrime3;
    return hash ^ (hash >> 32);
  }
  static uint64_t Round(uint64_t acc, uint64_t input) {
    acc += input * kPrime2;
    acc = Rotl64(acc, 31);
    return acc * kPrime1;
  }
  static uint64_t MergeRound(uint64_t hash, uint64_t v) {
    hash ^= Round(0, v);
    return hash * kPrime1 + kPrime4;
  }
  using Hash = uint64_t;
  static Hash Int(int32_t value, Hash seed) {
    uint64_t hash = seed + kPrime5 + 4;
    hash ^= (static_cast<uint64_t>(static_cast<uint32_t>(value))) * kPrime1;
    hash = Rotl64(hash, 23) * kPrime2 + kPrime3;
    return Fmix(hash);
  }
  static Hash Long(int64_t value, Hash seed) {
    uint64_t hash = seed + kPrime5 + 8;
    hash ^= Rotl64(static_cast<uint64_t>(value) * kPrime2, 31) * kPrime1;
    hash = Rotl64(hash, 27) * kPrime1 + kPrime4;
    return Fmix(hash);
  }
  static Hash Bytes(std::string_view bytes, Hash seed) {
    const char* p = bytes.data();
    const size_t length = bytes.size();
    size_t offset = 0;
    uint64_t hash;
    if (length >= 32) {
      uint64_t v1 = seed + kPrime1 + kPrime2;
      uint64_t v2 = seed + kPrime2;
      uint64_t v3 = seed;
      uint64_t v4 = seed - kPrime1;
      do {
        v1 = Round(v1, Load64(p + offset));
        v2 = Round(v2, Load64(p + offset + 8));
        v3 = Round(v3, Load64(p + offset + 16));
        v4 = Round(v4, Load64(p + offset + 24));
        offset += 32;
      } while (offset + 32 <= length);
      hash = Rotl64(v1, 1) + Rotl64(v2, 7) + Rotl64(v3, 12) + Rotl64(v4, 18);
      hash = MergeRound(hash, v1);
      hash = MergeRound(hash, v2);
      hash = MergeRound(hash, v3);
      hash = MergeRound(hash, v4);
    } else {
      hash = seed + kPrime5;
    }
    hash += length;
    while (offset + 8 <= length) {
      hash ^= Round(0, Load64(p + offset));
      hash = Rotl64(hash, 27) * kPrime1 + kPrime4;
      offset += 8;
    }
    if (offset + 4 <= length) {
      hash ^= static_cast<uint64_t>(Load32(p + offset)) * kPrime1;
      hash = Rotl64(hash, 23) * kPrime2 + kPrime3;
      offset += 4;
    }
    while (offset < length) {
      hash ^= static_cast<uint64_t>(static_cast<uint8_t>(p[offset])) * kPrime5;
      hash = Rotl64(hash, 11) * kPrime1;
      ++offset;
    }
    return Fmix(hash);
  }
};

// BigInteger.toByteArray: minimal big-endian two's complement bytes.
std::string BigIntegerBytes(Int128 value) {
  std::string bytes;
  for (int i = 15; i >= 0; --i) {
    bytes.push_back(static_cast<char>(static_cast<uint8_t>(value >> (8 * i))));
  }
  size_t start = 0;
  while (start + 1 < bytes.size()) {
    const uint8_t first = static_cast<uint8_t>(bytes[start]);
    const uint8_t next = static_cast<uint8_t>(bytes[start + 1]);
    if ((first == 0x00 && (next & 0x80) == 0) || (first == 0xFF && (next & 0x80) != 0)) {
      ++start;
    } else {
      break;
    }
  }
  return bytes.substr(start);
}

// Folds value `i` of `v` into `seed` as Spark's HashExpression does for its type.
template <typename H>
typename H::Hash HashValue(const Vector& v, int64_t i, typename H::Hash seed) {
  if (v.IsNull(i)) {
    return seed;
  }
  switch (v.type_id()) {
    case TypeId::kBoolean:
      return H::Int(v.BoolValue(i) ? 1 : 0, seed);
    case TypeId::kByte:
      return H::Int(v.Value<int8_t>(i), seed);
    case TypeId::kShort:
      return H::Int(v.Value<int16_t>(i), seed);
    case TypeId::kInt:
    case TypeId::kDate:
      return H::Int(v.Value<int32_t>(i), seed);
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return H::Long(v.Value<int64_t>(i), seed);
    case TypeId::kFloat: {
      float f = v.Value<float>(i);
      int32_t bits = 0x7fc00000;  // Float.floatToIntBits of any NaN
      if (f == 0.0f) {
        f = 0.0f;  // -0.0 hashes as 0.0
      }
      if (f == f) {
        std::memcpy(&bits, &f, 4);
      }
      return H::Int(bits, seed);
    }
    case TypeId::kDouble: {
      double d = v.Value<double>(i);
      int64_t bits = 0x7ff8000000000000LL;
      if (d == 0.0) {
        d = 0.0;
      }
      if (d == d) {
        std::memcpy(&bits, &d, 8);
      }
      return H::Long(bits, seed);
    }
    case TypeId::kDecimal:
      if (v.type()->precision() <= 18) {
        return H::Long(static_cast<int64_t>(v.DecimalValue(i)), seed);
      }
      return H::Bytes(BigIntegerBytes(v.DecimalValue(i)), seed);
    case TypeId::kString:
    case TypeId::kBinary:
      return H::Bytes(v.StringValue(i), seed);
    case TypeId::kArray: {
      typename H::Hash hash = seed;
      for (int32_t e = v.ListStart(i); e < v.ListEnd(i); ++e) {
        hash = HashValue<H>(*v.child(0), e, hash);
      }
      return hash;
    }
    case TypeId::kMap: {
      typename H::Hash hash = seed;
      for (int32_t e = v.ListStart(i); e < v.ListEnd(i); ++e) {
        hash = HashValue<H>(*v.child(0), e, hash);
        hash = HashValue<H>(*v.child(1), e, hash);
      }
      return hash;
    }
    case TypeId::kStruct: {
      typename H::Hash hash = seed;
      for (int f = 0; f < v.num_children(); ++f) {
        hash = HashValue<H>(*v.child(f), v.offset() + i, hash);
      }
      return hash;
    }
    case TypeId::kVariant:
      return H::Bytes(v.VariantValue(i), H::Bytes(v.VariantMetadata(i), seed));
    case TypeId::kNull:
      return seed;
  }
  return seed;
}

template <typename H, typename Out>
ScalarBinder HashBinder(std::string name, TypePtr result) {
  return [name, result](const Args& args, const BindContext&) -> Result<BoundScalarFunction> {
    if (args.empty()) {
      return kernel::WrongNumArgs(name, "> 0", 0);
    }
    std::vector<TypePtr> types;
    for (const ExprPtr& arg : args) {
      types.push_back(arg->type());
    }
    ScalarKernel fn = [result](const Values& values, int64_t num_rows, const EvalContext&) {
      return kernel::ForEachRow<Out>(values, result, num_rows,
                                     [&](int64_t row, kernel::BuilderOf<Out>& out) {
                                       typename H::Hash hash = 42;
                                       for (const VectorPtr& v : values) {
                                         hash = HashValue<H>(*v, kernel::RowOf(*v, row), hash);
                                       }
                                       out.Append(static_cast<Out>(hash));
                                       return Status::Ok();
                                     });
    };
    return kernel::MakeFunction(name, result, std::move(types), std::move(fn),
                                /*null_intolerant=*/false);
  };
}

std::string Hex(const unsigned char* bytes, unsigned int length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xF]);
  }
  return out;
}

std::optional<std::string> Digest(const EVP_MD* md, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, md, nullptr) != 1) {
    return std::nullopt;
  }
  return Hex(digest.data(), length);
}

ScalarBinder DigestBinder(std::string name, const EVP_MD* (*md)()) {
  return [name, md](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                            strings::CoerceArgs(ctx, name, args, {BinaryType()}, 1, 1));
    ScalarKernel fn = [md](const Values& values, int64_t num_rows, const EvalContext&) {
      return kernel::Map<std::string, std::string_view>(
          values, StringType(), num_rows,
          [md](std::string_view data) { return Digest(md(), data); });
    };
    return kernel::MakeFunction(name, StringType(), std::move(types), std::move(fn));
  };
}

Result<BoundScalarFunction> BindSha2(const Args& args, const BindContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          strings::CoerceArgs(ctx, "sha2", args, {BinaryType(), IntType()}, 2, 2));
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<std::string, std::string_view, int32_t>(
        values, StringType(), num_rows,
        [](std::string_view data, int32_t bits) -> std::optional<std::string> {
          switch (bits) {
            case 0:
            case 256:
              return Digest(EVP_sha256(), data);
            case 224:
              return Digest(EVP_sha224(), data);
            case 384:
              return Digest(EVP_sha384(), data);
            case 512:
              return Digest(EVP_sha512(), data);
            default:
              return std::nullopt;
          }
        });
  };
  return kernel::MakeFunction("sha2", StringType(), std::move(types), std::move(fn));
}

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) {
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      }
      t[n] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc = table[(crc ^ static_cast<uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFu;
}

Result<BoundScalarFunction> BindCrc32(const Args& args, const BindContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          strings::CoerceArgs(ctx, "crc32", args, {BinaryType()}, 1, 1));
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<int64_t, std::string_view>(
        values, LongType(), num_rows,
        [](std::string_view data) { return static_cast<int64_t>(Crc32(data)); });
  };
  return kernel::MakeFunction("crc32", LongType(), std::move(types), std::move(fn));
}

}  // namespace

void RegisterHashFunctions(FunctionRegistry& registry) {
  registry.AddScalar("hash", HashBinder<Murmur3, int32_t>("hash", IntType()));
  registry.AddScalar("xxhash64", HashBinder<XxHash64, int64_t>("xxhash64", LongType()));
  registry.AddScalar("md5", DigestBinder("md5", EVP_md5));
  registry.AddScalar("sha1", DigestBinder("sha1", EVP_sha1));
  registry.AddAlias("sha", "sha1");
  registry.AddScalar("sha2", BindSha2);
  registry.AddScalar("crc32", BindCrc32);
}

}  // namespace sluice::expr
