// SPDX-License-Identifier: Apache-2.0
// Property tests: random schemas of every sluice type, nested and null-heavy included,
// written with random writer options (codecs, dictionary on and off with fallback,
// every value encoding, page v1 and v2, tiny pages and row groups) read back equal,
// bit for bit. Fixed seeds: a failure names its seed and options and replays.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "columnar/batch.h"
#include "columnar/builder.h"
#include "columnar/concat.h"
#include "common/json.h"
#include "formats/parquet/leaf.h"
#include "formats/parquet/reader.h"
#include "formats/parquet/writer.h"
#include "types/data_type.h"
#include "types/variant.h"

namespace sluice::parquet {
namespace {

using Rng = std::mt19937_64;

/// How likely a nullable value is null, per generated column: none, some, most, all.
double PickNullRate(Rng& rng) {
  static constexpr double kRates[] = {0.0, 0.1, 0.5, 0.95, 1.0};
  return kRates[rng() % 5];
}

TypePtr RandomPrimitive(Rng& rng) {
  switch (rng() % 17) {
    case 0:
      return BooleanType();
    case 1:
      return ByteType();
    case 2:
      return ShortType();
    case 3:
      return IntType();
    case 4:
      return LongType();
    case 5:
      return FloatType();
    case 6:
      return DoubleType();
    case 7:
      return DecimalType(7, 2);  // INT32
    case 8:
      return DecimalType(15, 4);  // INT64
    case 9:
      return DecimalType(38, 10);  // FIXED_LEN_BYTE_ARRAY
    case 10:
      return DecimalType(22, 0);  // FIXED_LEN_BYTE_ARRAY, shorter
    case 11:
      return StringType();
    case 12:
      return BinaryType();
    case 13:
      return DateType();
    case 14:
      return TimestampType();
    case 15:
      return TimestampNtzType();
    default:
      return rng() % 2 == 0 ? NullType() : VariantType();
  }
}

/// Whether a random value of `type` may be declared non-null: void is null by nature.
bool RandomNullable(Rng& rng, const TypePtr& type) {
  return type->id() == TypeId::kNull || rng() % 4 != 0;
}

TypePtr RandomType(Rng& rng, int depth) {
  const uint64_t pick = depth >= 3 ? 0 : rng() % 8;
  switch (pick) {
    case 5: {
      std::vector<Field> fields;
      const int count = 1 + static_cast<int>(rng() % 3);
      for (int i = 0; i < count; ++i) {
        TypePtr type = RandomType(rng, depth + 1);
        const bool nullable = RandomNullable(rng, type);
        fields.push_back(MakeField(fmt::format("f{}", i), std::move(type), nullable));
      }
      return StructType(std::move(fields));
    }
    case 6: {
      TypePtr element = RandomType(rng, depth + 1);
      const bool contains_null = RandomNullable(rng, element);
      return ArrayType(std::move(element), contains_null);
    }
    case 7: {
      // Map keys are primitive and never null (Parquet requires the key).
      TypePtr key = RandomPrimitive(rng);
      while (key->id() == TypeId::kNull || key->id() == TypeId::kVariant) {
        key = RandomPrimitive(rng);
      }
      TypePtr value = RandomType(rng, depth + 1);
      const bool value_contains_null = RandomNullable(rng, value);
      return MapType(std::move(key), std::move(value), value_contains_null);
    }
    default:
      return RandomPrimitive(rng);
  }
}

std::string RandomBytes(Rng& rng, bool utf8) {
  const size_t length = rng() % 4 == 0 ? rng() % 200 : rng() % 9;
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    // Few distinct values half of the time so that dictionaries are exercised.
    out.push_back(utf8 ? static_cast<char>('a' + rng() % 4) : static_cast<char>(rng() % 256));
  }
  if (utf8 && rng() % 8 == 0)
    out += "\xC3\xA9\xE2\x82\xAC";  // é€
  return out;
}

double RandomDouble(Rng& rng) {
  switch (rng() % 10) {
    case 0:
      return std::nan("");
    case 1:
      return -0.0;
    case 2:
      return rng() % 2 == 0 ? INFINITY : -INFINITY;
    case 3:
      return static_cast<double>(rng() % 5);
    default:
      return std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), -40);
  }
}

Int128 RandomUnscaled(Rng& rng, int precision) {
  Int128 bound = 1;
  for (int i = 0; i < precision; ++i)
    bound *= 10;
  const Int128 raw = (static_cast<Int128>(rng()) << 64) | rng();
  Int128 value = raw % bound;
  if (value < 0)
    value = -value;
  return rng() % 2 == 0 ? value : -value;
}

void AppendRandom(VectorBuilder* builder, Rng& rng, double null_rate, bool nullable) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const TypeId id = builder->type()->id();
  if (id == TypeId::kNull || (nullable && unit(rng) < null_rate)) {
    builder->AppendNull();
    return;
  }
  switch (id) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(rng() % 2 == 0);
      return;
    case TypeId::kByte:
      static_cast<Int8Builder*>(builder)->Append(static_cast<int8_t>(rng()));
      return;
    case TypeId::kShort:
      static_cast<Int16Builder*>(builder)->Append(static_cast<int16_t>(rng()));
      return;
    case TypeId::kInt:
      static_cast<Int32Builder*>(builder)->Append(rng() % 2 == 0 ? static_cast<int32_t>(rng())
                                                                 : static_cast<int32_t>(rng() % 7));
      return;
    case TypeId::kDate:
      static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(rng() % 200000) - 100000);
      return;
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      static_cast<Int64Builder*>(builder)->Append(
          rng() % 2 == 0 ? static_cast<int64_t>(rng()) : static_cast<int64_t>(rng() % 11));
      return;
    case TypeId::kFloat:
      static_cast<FloatBuilder*>(builder)->Append(static_cast<float>(RandomDouble(rng)));
      return;
    case TypeId::kDouble:
      static_cast<DoubleBuilder*>(builder)->Append(RandomDouble(rng));
      return;
    case TypeId::kDecimal:
      static_cast<DecimalBuilder*>(builder)->Append(
          RandomUnscaled(rng, builder->type()->precision()));
      return;
    case TypeId::kString:
      static_cast<StringBuilder*>(builder)->Append(RandomBytes(rng, true));
      return;
    case TypeId::kBinary:
      static_cast<StringBuilder*>(builder)->Append(RandomBytes(rng, false));
      return;
    case TypeId::kVariant: {
      const JsonValue json =
          JsonValue::Object({{"k", JsonValue::Int(static_cast<int64_t>(rng() % 100))},
                             {"s", JsonValue::String(RandomBytes(rng, true))}});
      std::string metadata;
      std::string value;
      ASSERT_TRUE(JsonToVariant(json, &metadata, &value).ok());
      static_cast<VariantBuilder*>(builder)->Append(metadata, value);
      return;
    }
    case TypeId::kStruct: {
      auto* row = static_cast<StructBuilder*>(builder);
      const auto& fields = builder->type()->fields();
      for (int k = 0; k < row->num_children(); ++k) {
        AppendRandom(row->child(k), rng, null_rate, fields[k].nullable);
      }
      row->Append();
      return;
    }
    case TypeId::kArray: {
      auto* list = static_cast<ArrayBuilder*>(builder);
      const bool contains_null = builder->type()->contains_null();
      for (uint64_t n = rng() % 5; n > 0; --n) {
        AppendRandom(list->element(), rng, null_rate, contains_null);
      }
      list->Append();
      return;
    }
    case TypeId::kMap: {
      auto* map = static_cast<MapBuilder*>(builder);
      const bool value_contains_null = builder->type()->value_contains_null();
      for (uint64_t n = rng() % 4; n > 0; --n) {
        AppendRandom(map->keys(), rng, 0.0, /*nullable=*/false);
        AppendRandom(map->values(), rng, null_rate, value_contains_null);
      }
      map->Append();
      return;
    }
    default:
      FAIL() << "no random values for " << builder->type()->ToString();
  }
}

BatchPtr RandomBatch(const SchemaPtr& schema, const std::vector<double>& null_rates, int64_t rows,
                     Rng& rng) {
  BatchBuilder builder(schema);
  for (int64_t row = 0; row < rows; ++row) {
    for (int c = 0; c < builder.num_columns(); ++c) {
      AppendRandom(builder.column(c), rng, null_rates[c], schema->field(c).nullable);
    }
  }
  return builder.Finish();
}

/// All rows of `batches` as one batch (empty when there are none).
BatchPtr Concat(const SchemaPtr& schema, const std::vector<BatchPtr>& batches) {
  if (batches.empty())
    return Batch::MakeEmpty(schema);
  Result<BatchPtr> all = ConcatenateBatches(batches);
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  return all.ok() ? *all : nullptr;
}

/// Compares two values bit for bit (NaN payloads and -0.0 included); nulls equal nulls
/// and what lies under a null is not compared. Returns a description of the first
/// difference, or an empty string.
std::string Difference(const Vector& expected, int64_t e, const Vector& actual, int64_t a,
                       const std::string& where) {
  if (expected.IsNull(e) != actual.IsNull(a)) {
    return fmt::format("{}: null {} vs {}", where, expected.IsNull(e), actual.IsNull(a));
  }
  if (expected.IsNull(e))
    return "";
  switch (expected.type_id()) {
    case TypeId::kNull:
      return "";
    case TypeId::kBoolean:
      return expected.BoolValue(e) == actual.BoolValue(a) ? "" : where + ": boolean differs";
    case TypeId::kByte:
      return expected.Value<int8_t>(e) == actual.Value<int8_t>(a) ? "" : where + ": byte differs";
    case TypeId::kShort:
      return expected.Value<int16_t>(e) == actual.Value<int16_t>(a) ? ""
                                                                    : where + ": short differs";
    case TypeId::kInt:
    case TypeId::kDate:
      return expected.Value<int32_t>(e) == actual.Value<int32_t>(a)
                 ? ""
                 : fmt::format("{}: {} vs {}", where, expected.Value<int32_t>(e),
                               actual.Value<int32_t>(a));
    case TypeId::kLong:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return expected.Value<int64_t>(e) == actual.Value<int64_t>(a)
                 ? ""
                 : fmt::format("{}: {} vs {}", where, expected.Value<int64_t>(e),
                               actual.Value<int64_t>(a));
    case TypeId::kFloat: {
      const float x = expected.Value<float>(e);
      const float y = actual.Value<float>(a);
      return std::memcmp(&x, &y, sizeof x) == 0 ? "" : fmt::format("{}: {} vs {}", where, x, y);
    }
    case TypeId::kDouble: {
      const double x = expected.Value<double>(e);
      const double y = actual.Value<double>(a);
      return std::memcmp(&x, &y, sizeof x) == 0 ? "" : fmt::format("{}: {} vs {}", where, x, y);
    }
    case TypeId::kDecimal:
      return expected.DecimalValue(e) == actual.DecimalValue(a) ? "" : where + ": decimal differs";
    case TypeId::kString:
    case TypeId::kBinary:
      return expected.StringValue(e) == actual.StringValue(a)
                 ? ""
                 : fmt::format("{}: '{}' vs '{}'", where, expected.StringValue(e),
                               actual.StringValue(a));
    case TypeId::kVariant:
      return expected.VariantMetadata(e) == actual.VariantMetadata(a) &&
                     expected.VariantValue(e) == actual.VariantValue(a)
                 ? ""
                 : where + ": variant differs";
    case TypeId::kStruct: {
      const int64_t ep = expected.offset() + e;
      const int64_t ap = actual.offset() + a;
      for (int k = 0; k < expected.num_children(); ++k) {
        std::string diff = Difference(*expected.child(k), ep, *actual.child(k), ap,
                                      where + "." + expected.type()->fields()[k].name);
        if (!diff.empty())
          return diff;
      }
      return "";
    }
    case TypeId::kArray:
    case TypeId::kMap: {
      const int32_t es = expected.ListStart(e);
      const int32_t as = actual.ListStart(a);
      const int32_t length = expected.ListEnd(e) - es;
      if (actual.ListEnd(a) - as != length) {
        return fmt::format("{}: length {} vs {}", where, length, actual.ListEnd(a) - as);
      }
      for (int32_t i = 0; i < length; ++i) {
        for (int k = 0; k < expected.num_children(); ++k) {
          std::string diff = Difference(*expected.child(k), es + i, *actual.child(k), as + i,
                                        fmt::format("{}[{}]", where, i));
          if (!diff.empty())
            return diff;
        }
      }
      return "";
    }
    default:
      return where + ": unexpected type " + expected.type()->ToString();
  }
}

struct Case {
  ParquetWriteOptions options;
  std::string description;
};

Case RandomOptions(Rng& rng) {
  static constexpr Codec kCodecs[] = {
      format::CompressionCodec::UNCOMPRESSED, format::CompressionCodec::SNAPPY,
      format::CompressionCodec::GZIP,         format::CompressionCodec::ZSTD,
      format::CompressionCodec::LZ4_RAW,      format::CompressionCodec::BROTLI};
  static constexpr format::Encoding::type kEncodings[] = {
      format::Encoding::PLAIN, format::Encoding::DELTA_BINARY_PACKED,
      format::Encoding::DELTA_LENGTH_BYTE_ARRAY, format::Encoding::DELTA_BYTE_ARRAY,
      format::Encoding::BYTE_STREAM_SPLIT};
  Case c;
  c.options.compression = kCodecs[rng() % 6];
  c.options.dictionary = rng() % 2 == 0;
  c.options.value_encoding = kEncodings[rng() % 5];
  c.options.data_page_version = rng() % 2 == 0 ? DataPageVersion::kV1 : DataPageVersion::kV2;
  // Small limits force many pages, dictionary fallback and several row groups.
  c.options.data_page_size = rng() % 2 == 0 ? 1 << 20 : 64 + static_cast<int64_t>(rng() % 2000);
  c.options.data_page_row_limit = rng() % 2 == 0 ? 20000 : 1 + static_cast<int64_t>(rng() % 50);
  c.options.dictionary_page_size_limit = rng() % 2 == 0 ? 1 << 20 : 16 + rng() % 500;
  c.options.row_group_size = rng() % 2 == 0 ? 128 << 20 : 256 + static_cast<int64_t>(rng() % 8000);
  c.description = fmt::format(
      "codec={} dictionary={} encoding={} page_v{} page_size={} page_rows={} dict_limit={} "
      "row_group_size={}",
      CodecName(c.options.compression), c.options.dictionary,
      format::to_string(c.options.value_encoding),
      c.options.data_page_version == DataPageVersion::kV1 ? 1 : 2, c.options.data_page_size,
      c.options.data_page_row_limit, c.options.dictionary_page_size_limit,
      c.options.row_group_size);
  return c;
}

void RunSeed(uint64_t seed) {
  Rng rng(seed);
  std::vector<Field> fields;
  std::vector<double> null_rates;
  const int columns = 1 + static_cast<int>(rng() % 5);
  for (int i = 0; i < columns; ++i) {
    TypePtr type = RandomType(rng, 0);
    const bool nullable = RandomNullable(rng, type);
    fields.push_back(MakeField(fmt::format("c{}", i), std::move(type), nullable));
    null_rates.push_back(PickNullRate(rng));
  }
  const SchemaPtr schema = MakeSchema(std::move(fields));
  const Case c = RandomOptions(rng);
  SCOPED_TRACE(fmt::format("seed {}: {} schema {}", seed, c.description, schema->ToString()));

  std::vector<BatchPtr> batches;
  const int batch_count = static_cast<int>(rng() % 4);  // zero batches: an empty file
  for (int i = 0; i < batch_count; ++i) {
    batches.push_back(RandomBatch(schema, null_rates, static_cast<int64_t>(rng() % 300), rng));
    ASSERT_NE(batches.back(), nullptr);
  }
  Result<std::string> file = WriteParquetToString(schema, batches, c.options);
  ASSERT_TRUE(file.ok()) << file.status().ToString();

  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(
      MakeBufferFile("random.parquet", std::make_shared<const std::string>(std::move(*file))));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_TRUE((*reader)->schema()->Equals(*schema))
      << (*reader)->schema()->ToTreeString() << " vs " << schema->ToTreeString();
  Result<std::vector<BatchPtr>> read = (*reader)->ReadAll();
  ASSERT_TRUE(read.ok()) << read.status().ToString();

  const BatchPtr expected = Concat(schema, batches);
  const BatchPtr actual = Concat(schema, *read);
  ASSERT_NE(expected, nullptr);
  ASSERT_NE(actual, nullptr);
  ASSERT_EQ(actual->num_rows(), expected->num_rows());
  for (int column = 0; column < schema->num_fields(); ++column) {
    for (int64_t row = 0; row < expected->num_rows(); ++row) {
      const std::string diff =
          Difference(*expected->column(column), row, *actual->column(column), row,
                     fmt::format("row {} column {}", row, schema->field(column).name));
      ASSERT_TRUE(diff.empty()) << diff;
    }
  }
}

TEST(RoundTripPropertyTest, RandomSchemasAndOptionsReadBackEqual) {
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    RunSeed(seed);
    if (::testing::Test::HasFatalFailure())
      return;
  }
}

TEST(RoundTripPropertyTest, NullHeavyNestedColumnsReadBackEqual) {
  // Deep nesting where nearly everything is null: levels at every depth.
  for (uint64_t seed = 1000; seed < 1100; ++seed) {
    Rng rng(seed);
    const TypePtr type = MapType(
        StringType(),
        ArrayType(StructType({MakeField("a", ArrayType(IntType())), MakeField("b", StringType()),
                              MakeField("c", DecimalType(30, 3), /*nullable=*/false)})));
    const SchemaPtr schema = MakeSchema({MakeField("m", type), MakeField("id", LongType(), false)});
    const Case c = RandomOptions(rng);
    SCOPED_TRACE(fmt::format("seed {}: {}", seed, c.description));
    std::vector<BatchPtr> batches = {RandomBatch(schema, {0.95, 0.0}, 500, rng)};
    Result<std::string> file = WriteParquetToString(schema, batches, c.options);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(
        MakeBufferFile("nested.parquet", std::make_shared<const std::string>(std::move(*file))));
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    Result<std::vector<BatchPtr>> read = (*reader)->ReadAll();
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    const BatchPtr actual = Concat(schema, *read);
    ASSERT_NE(actual, nullptr);
    ASSERT_EQ(actual->num_rows(), 500);
    for (int64_t row = 0; row < 500; ++row) {
      for (int k = 0; k < 2; ++k) {
        const std::string diff = Difference(*batches[0]->column(k), row, *actual->column(k), row,
                                            fmt::format("row {} column {}", row, k));
        ASSERT_TRUE(diff.empty()) << diff;
      }
    }
  }
}

}  // namespace
}  // namespace sluice::parquet
