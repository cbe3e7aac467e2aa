// SPDX-License-Identifier: Apache-2.0
#include "columnar/concat.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "columnar/row_hash.h"
#include "columnar/tests/columnar_test_util.h"

namespace sluice {
namespace {

using testing::Ints;
using testing::Nulls;
using testing::Strings;
using testing::Variants;

/// Appends a random value (null one time in five unless `non_null`) of the builder's type.
void AppendRandom(VectorBuilder* builder, std::mt19937_64& rng, bool non_null = false) {
  if (!non_null && rng() % 5 == 0) {
    builder->AppendNull();
    return;
  }
  switch (builder->type()->id()) {
    case TypeId::kBoolean:
      static_cast<BooleanBuilder*>(builder)->Append(rng() % 2 == 0);
      return;
    case TypeId::kInt:
      static_cast<Int32Builder*>(builder)->Append(static_cast<int32_t>(rng() % 1000));
      return;
    case TypeId::kLong:
      static_cast<Int64Builder*>(builder)->Append(static_cast<int64_t>(rng()));
      return;
    case TypeId::kDouble:
      static_cast<DoubleBuilder*>(builder)->Append(static_cast<double>(rng() % 1000) / 8);
      return;
    case TypeId::kDecimal:
      static_cast<DecimalBuilder*>(builder)->Append(static_cast<Int128>(rng()) * 1000);
      return;
    case TypeId::kString:
      static_cast<StringBuilder*>(builder)->Append(std::string(rng() % 12, 'a' + rng() % 26));
      return;
    case TypeId::kStruct: {
      auto* row = static_cast<StructBuilder*>(builder);
      for (int k = 0; k < row->num_children(); ++k) {
        AppendRandom(row->child(k), rng);
      }
      row->Append();
      return;
    }
    case TypeId::kArray: {
      auto* list = static_cast<ArrayBuilder*>(builder);
      for (uint64_t n = rng() % 4; n > 0; --n) {
        AppendRandom(list->element(), rng);
      }
      list->Append();
      return;
    }
    case TypeId::kMap: {
      auto* map = static_cast<MapBuilder*>(builder);
      for (uint64_t n = rng() % 4; n > 0; --n) {
        AppendRandom(map->keys(), rng, /*non_null=*/true);
        AppendRandom(map->values(), rng);
      }
      map->Append();
      return;
    }
    default:
      FAIL() << "no random values for " << builder->type()->ToString();
  }
}

TypePtr NestedType() {
  TypePtr point = StructType({MakeField("x", BooleanType()), MakeField("y", DoubleType())});
  return StructType({MakeField("a", IntType()), MakeField("b", ArrayType(StringType())),
                     MakeField("c", MapType(StringType(), point)),
                     MakeField("d", DecimalType(20, 3)), MakeField("e", LongType())});
}

VectorPtr RandomVector(const TypePtr& type, int64_t rows, std::mt19937_64& rng) {
  std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
  for (int64_t i = 0; i < rows; ++i) {
    AppendRandom(builder.get(), rng);
  }
  return builder->Finish();
}

TEST(ConcatTest, IntsWithNullsAndSlices) {
  VectorPtr first = Ints({1, std::nullopt, 3});
  VectorPtr all = Ints({10, 11, 12, 13, 14, 15, 16, 17, 18, std::nullopt, 20, 21});
  VectorPtr slice = all->Slice(7, 4);  // 17, 18, null, 20: unaligned offset
  VectorPtr no_nulls = Ints({30, 31});
  Result<VectorPtr> result = Concatenate({first, slice, no_nulls});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 9);
  EXPECT_EQ(out.offset(), 0);
  EXPECT_EQ(out.null_count(), 2);
  const std::vector<std::optional<int32_t>> expected = {1,  std::nullopt, 3, 17, 18, std::nullopt,
                                                        20, 30,           31};
  for (int64_t i = 0; i < out.length(); ++i) {
    if (expected[i]) {
      ASSERT_TRUE(out.IsValid(i)) << i;
      EXPECT_EQ(out.Value<int32_t>(i), *expected[i]) << i;
    } else {
      EXPECT_TRUE(out.IsNull(i)) << i;
    }
  }
}

TEST(ConcatTest, NoNullsMeansNoBitmap) {
  VectorPtr all = Ints({1, std::nullopt, 3, 4});
  Result<VectorPtr> result = Concatenate({all->Slice(2, 2), Ints({5})});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)->null_count(), 0);
  EXPECT_EQ((*result)->validity_buffer(), nullptr);
  EXPECT_EQ((*result)->Value<int32_t>(2), 5);
}

TEST(ConcatTest, BooleansAcrossUnalignedSlices) {
  BooleanBuilder builder(BooleanType());
  std::vector<bool> bits_in;
  for (int i = 0; i < 37; ++i) {
    bits_in.push_back(i % 3 == 0 || i % 7 == 0);
    builder.Append(bits_in.back());
  }
  VectorPtr all = builder.Finish();
  Result<VectorPtr> result = Concatenate({all->Slice(5, 20), all->Slice(1, 3), all});
  ASSERT_TRUE(result.ok());
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 60);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(out.BoolValue(i), bits_in[5 + i]) << i;
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(out.BoolValue(20 + i), bits_in[1 + i]) << i;
  }
  for (int i = 0; i < 37; ++i) {
    EXPECT_EQ(out.BoolValue(23 + i), bits_in[i]) << i;
  }
}

TEST(ConcatTest, StringsAreRebasedAndCompact) {
  VectorPtr first = Strings({"alpha", std::nullopt, ""});
  VectorPtr second = Strings({"skip-me", "beta", "gamma", "skip-too"})->Slice(1, 2);
  Result<VectorPtr> result = Concatenate({first, second});
  ASSERT_TRUE(result.ok());
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 5);
  EXPECT_EQ(out.StringValue(0), "alpha");
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_EQ(out.StringValue(2), "");
  EXPECT_EQ(out.StringValue(3), "beta");
  EXPECT_EQ(out.StringValue(4), "gamma");
  // Only the bytes of the rows concatenated are kept.
  EXPECT_EQ(out.data_buffer()->size(), 14);
}

TEST(ConcatTest, NestedArrayOfStructsWithSlices) {
  TypePtr item = StructType({MakeField("sku", StringType()), MakeField("qty", IntType())});
  std::unique_ptr<VectorBuilder> made = VectorBuilder::Make(ArrayType(item));
  auto& list = static_cast<ArrayBuilder&>(*made);
  auto& element = static_cast<StructBuilder&>(*list.element());
  auto& sku = static_cast<StringBuilder&>(*element.child(0));
  auto& qty = static_cast<Int32Builder&>(*element.child(1));
  // [{a, 1}], [{b, 2}, null], null, [{c, 3}]
  sku.Append("a");
  qty.Append(1);
  element.Append();
  list.Append();
  sku.Append("b");
  qty.Append(2);
  element.Append();
  element.AppendNull();
  list.Append();
  list.AppendNull();
  sku.Append("c");
  qty.Append(3);
  element.Append();
  list.Append();
  VectorPtr lists = list.Finish();

  Result<VectorPtr> result = Concatenate({lists->Slice(1, 3), lists->Slice(0, 1)});
  ASSERT_TRUE(result.ok());
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 4);
  EXPECT_EQ(out.null_count(), 1);
  ASSERT_EQ(out.ListEnd(0) - out.ListStart(0), 2);
  const Vector& structs = *out.child(0);
  ASSERT_EQ(structs.length(), 4);  // b, null, c, a
  EXPECT_EQ(structs.child(0)->StringValue(out.ListStart(0)), "b");
  EXPECT_TRUE(structs.IsNull(out.ListStart(0) + 1));
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_EQ(out.ListEnd(1) - out.ListStart(1), 0);
  EXPECT_EQ(structs.child(0)->StringValue(out.ListStart(2)), "c");
  EXPECT_EQ(structs.child(1)->Value<int32_t>(out.ListStart(2)), 3);
  EXPECT_EQ(structs.child(0)->StringValue(out.ListStart(3)), "a");
  EXPECT_EQ(structs.child(1)->Value<int32_t>(out.ListStart(3)), 1);
}

TEST(ConcatTest, SlicedStructReadsItsChildrenAtTheOffset) {
  TypePtr type = StructType({MakeField("k", IntType()), MakeField("v", StringType())});
  StructBuilder builder(type);
  for (int i = 0; i < 10; ++i) {
    if (i == 6) {
      builder.AppendNull();
      continue;
    }
    static_cast<Int32Builder*>(builder.child(0))->Append(i);
    static_cast<StringBuilder*>(builder.child(1))->Append(std::string(1, 'a' + i));
    builder.Append();
  }
  VectorPtr all = builder.Finish();
  Result<VectorPtr> result = Concatenate({all->Slice(5, 3), all->Slice(0, 1)});
  ASSERT_TRUE(result.ok());
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 4);
  EXPECT_EQ(out.child(0)->Value<int32_t>(0), 5);
  EXPECT_EQ(out.child(1)->StringValue(0), "f");
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_EQ(out.child(0)->Value<int32_t>(2), 7);
  EXPECT_EQ(out.child(1)->StringValue(3), "a");
}

TEST(ConcatTest, Maps) {
  MapBuilder builder(MapType(StringType(), LongType()));
  auto* keys = static_cast<StringBuilder*>(builder.keys());
  auto* values = static_cast<Int64Builder*>(builder.values());
  keys->Append("x");
  values->Append(1);
  builder.Append();  // {x -> 1}
  keys->Append("y");
  values->AppendNull();
  keys->Append("z");
  values->Append(3);
  builder.Append();  // {y -> null, z -> 3}
  VectorPtr maps = builder.Finish();
  Result<VectorPtr> result = Concatenate({maps->Slice(1, 1), maps});
  ASSERT_TRUE(result.ok());
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 3);
  ASSERT_EQ(out.child(0)->length(), 5);
  ASSERT_EQ(out.child(1)->length(), 5);
  EXPECT_EQ(out.ListStart(0), 0);
  EXPECT_EQ(out.ListEnd(0), 2);
  EXPECT_EQ(out.child(0)->StringValue(0), "y");
  EXPECT_TRUE(out.child(1)->IsNull(0));
  EXPECT_EQ(out.child(0)->StringValue(2), "x");
  EXPECT_EQ(out.child(1)->Value<int64_t>(4), 3);
}

TEST(ConcatTest, RejectsMismatchedAndEmptyInput) {
  EXPECT_EQ(Concatenate({}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Concatenate({Ints({1}), Strings({"a"})}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Concatenate({Ints({1}), nullptr}).status().code(), StatusCode::kInvalidArgument);
  ArrayBuilder nullable(ArrayType(IntType(), true));
  ArrayBuilder not_null(ArrayType(IntType(), false));
  EXPECT_EQ(Concatenate({nullable.Finish(), not_null.Finish()}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ConcatTest, EmptyVectorsAndSlices) {
  VectorPtr strings = Strings({"a", "b"});
  Result<VectorPtr> result = Concatenate({strings->Slice(2, 0), Strings({}), strings->Slice(1, 0)});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)->length(), 0);
  EXPECT_EQ((*result)->values_buffer()->data_as<int32_t>()[0], 0);
}

TEST(ConcatTest, Batches) {
  SchemaPtr schema = MakeSchema({MakeField("id", IntType()), MakeField("name", StringType())});
  BatchPtr first = *Batch::Make(schema, {Ints({1, 2, 3}), Strings({"a", "b", "c"})}, 3);
  BatchPtr second = *Batch::Make(schema, {Ints({4}), Strings({std::nullopt})}, 1);
  Result<BatchPtr> result =
      ConcatenateBatches({first->Slice(1, 2), Batch::MakeEmpty(schema), second});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Batch& out = **result;
  ASSERT_EQ(out.num_rows(), 3);
  EXPECT_EQ(out.schema(), schema);
  EXPECT_EQ(out.column(0)->Value<int32_t>(0), 2);
  EXPECT_EQ(out.column(1)->StringValue(1), "c");
  EXPECT_EQ(out.column(0)->Value<int32_t>(2), 4);
  EXPECT_TRUE(out.column(1)->IsNull(2));

  SchemaPtr other = MakeSchema({MakeField("id", IntType()), MakeField("label", StringType())});
  BatchPtr renamed = *Batch::Make(other, {Ints({1}), Strings({"x"})}, 1);
  EXPECT_EQ(ConcatenateBatches({first, renamed}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConcatenateBatches({}).status().code(), StatusCode::kInvalidArgument);
}

TEST(ConcatTest, BatchesWithoutColumns) {
  SchemaPtr schema = MakeSchema({});
  BatchBuilder builder(schema);
  builder.AppendEmptyRow();
  builder.AppendEmptyRow();
  BatchPtr two = builder.Finish();
  Result<BatchPtr> result = ConcatenateBatches({two, two});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)->num_rows(), 4);
}

TEST(ConcatTest, TakeReordersRepeatsAndChecksRange) {
  VectorPtr strings = Strings({"a", std::nullopt, "c", "d", "e"})->Slice(1, 4);  // null c d e
  Result<VectorPtr> taken = Take(*strings, {3, 1, 2, 2, 0});
  ASSERT_TRUE(taken.ok());
  const Vector& out = **taken;
  ASSERT_EQ(out.length(), 5);
  EXPECT_EQ(out.StringValue(0), "e");
  EXPECT_EQ(out.StringValue(1), "c");
  EXPECT_EQ(out.StringValue(2), "d");
  EXPECT_EQ(out.StringValue(3), "d");
  EXPECT_TRUE(out.IsNull(4));
  EXPECT_EQ(out.null_count(), 1);
  EXPECT_EQ(Take(*strings, {}).value()->length(), 0);
  EXPECT_EQ(Take(*strings, {4}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Take(*strings, {-1}).status().code(), StatusCode::kInvalidArgument);
}

TEST(ConcatTest, AppendValueCopiesNestedRows) {
  TypePtr type = MapType(StringType(), ArrayType(IntType()));
  MapBuilder builder(type);
  auto* keys = static_cast<StringBuilder*>(builder.keys());
  auto* lists = static_cast<ArrayBuilder*>(builder.values());
  auto* ints = static_cast<Int32Builder*>(lists->element());
  builder.AppendNull();
  keys->Append("k");
  ints->Append(7);
  ints->AppendNull();
  lists->Append();
  builder.Append();  // {k -> [7, null]}
  VectorPtr whole = builder.Finish();
  VectorPtr source = whole->Slice(1, 1);

  MapBuilder copy(type);
  AppendValue(*source, 0, &copy);
  AppendValue(*source, 0, &copy);
  AppendValue(*whole, 0, &copy);
  VectorPtr out = copy.Finish();
  ASSERT_EQ(out->length(), 3);
  EXPECT_EQ(out->null_count(), 1);
  EXPECT_TRUE(out->IsNull(2));
  EXPECT_EQ(out->child(0)->length(), 2);
  ASSERT_EQ(out->ListEnd(1) - out->ListStart(1), 1);
  EXPECT_EQ(out->child(0)->StringValue(1), "k");
  const Vector& values = *out->child(1);
  ASSERT_EQ(values.ListEnd(1) - values.ListStart(1), 2);
  EXPECT_EQ(values.child(0)->Value<int32_t>(values.ListStart(1)), 7);
  EXPECT_TRUE(values.child(0)->IsNull(values.ListStart(1) + 1));
}

TEST(ConcatTest, VoidVectors) {
  Result<VectorPtr> result = Concatenate({Nulls(3), Nulls(0), Nulls(5)->Slice(1, 2)});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Vector& out = **result;
  EXPECT_TRUE(out.type()->Equals(*NullType()));
  EXPECT_EQ(out.length(), 5);
  EXPECT_EQ(out.null_count(), 5);
  EXPECT_EQ(out.validity_buffer(), nullptr);
  EXPECT_TRUE(out.IsNull(4));
  Result<VectorPtr> taken = Take(out, {4, 0, 0});
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ((*taken)->length(), 3);
  EXPECT_EQ((*taken)->null_count(), 3);
  NullBuilder copy(NullType());
  AppendValue(out, 2, &copy);
  EXPECT_EQ(copy.null_count(), 1);
}

TEST(ConcatTest, VariantsWithNullsAndSlices) {
  VectorPtr first = Variants({R"({"a":1})", std::nullopt, "[1,2]"});
  VectorPtr second = Variants({"true", R"("s")", std::nullopt, "null"});
  Result<VectorPtr> result = Concatenate({first->Slice(1, 2), second, first->Slice(0, 1)});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Vector& out = **result;
  ASSERT_EQ(out.length(), 7);
  EXPECT_EQ(out.null_count(), 2);
  EXPECT_EQ(out.offset(), 0);
  const std::vector<std::optional<int64_t>> sources = {1, 2, std::nullopt};
  EXPECT_TRUE(out.IsNull(0));
  EXPECT_TRUE(ValuesEqual(out, 1, *first, 2));
  EXPECT_TRUE(ValuesEqual(out, 2, *second, 0));
  EXPECT_TRUE(ValuesEqual(out, 3, *second, 1));
  EXPECT_TRUE(out.IsNull(4));
  EXPECT_TRUE(ValuesEqual(out, 5, *second, 3));
  EXPECT_TRUE(ValuesEqual(out, 6, *first, 0));
  EXPECT_EQ(out.VariantValue(6), first->VariantValue(0));
  EXPECT_EQ(out.VariantMetadata(6), first->VariantMetadata(0));
  EXPECT_EQ(out.child(0)->length(), 7);

  Result<VectorPtr> taken = Take(out, {6, 6, 0, 2});
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ((*taken)->VariantValue(1), first->VariantValue(0));
  EXPECT_TRUE((*taken)->IsNull(2));
  EXPECT_EQ((*taken)->VariantValue(3), second->VariantValue(0));

  VariantBuilder copy(VariantType());
  AppendValue(*first->Slice(1, 2), 1, &copy);
  AppendValue(*first, 1, &copy);
  VectorPtr copied = copy.Finish();
  EXPECT_EQ(copied->VariantValue(0), first->VariantValue(2));
  EXPECT_EQ(copied->VariantMetadata(0), first->VariantMetadata(2));
  EXPECT_TRUE(copied->IsNull(1));
}

// Cross-checks the block copies of Concatenate and Take against the row-by-row copy
// of AppendValue on random nested data with random slices.
TEST(ConcatTest, RandomNestedAgreesWithRowCopies) {
  std::mt19937_64 rng(42);
  TypePtr type = NestedType();
  for (int round = 0; round < 20; ++round) {
    std::vector<VectorPtr> pieces;
    std::vector<std::pair<const Vector*, int64_t>> expected_rows;
    for (int p = 0; p < 4; ++p) {
      VectorPtr whole = RandomVector(type, 40, rng);
      const int64_t offset = static_cast<int64_t>(rng() % 20);
      const int64_t length = static_cast<int64_t>(rng() % 20);
      pieces.push_back(whole->Slice(offset, length));
    }
    for (const VectorPtr& piece : pieces) {
      for (int64_t i = 0; i < piece->length(); ++i) {
        expected_rows.emplace_back(piece.get(), i);
      }
    }
    Result<VectorPtr> result = Concatenate(pieces);
    ASSERT_TRUE(result.ok());
    const Vector& out = **result;
    ASSERT_EQ(out.length(), static_cast<int64_t>(expected_rows.size()));

    std::unique_ptr<VectorBuilder> copy = VectorBuilder::Make(type);
    int64_t nulls = 0;
    for (size_t i = 0; i < expected_rows.size(); ++i) {
      const auto& [piece, row] = expected_rows[i];
      ASSERT_TRUE(ValuesEqual(out, static_cast<int64_t>(i), *piece, row)) << round << " " << i;
      nulls += piece->IsNull(row) ? 1 : 0;
      AppendValue(*piece, row, copy.get());
    }
    EXPECT_EQ(out.null_count(), nulls);
    VectorPtr copied = copy->Finish();
    for (int64_t i = 0; i < out.length(); ++i) {
      ASSERT_TRUE(ValuesEqual(out, i, *copied, i)) << round << " " << i;
    }

    std::vector<int64_t> rows;
    for (int64_t n = out.length(); n > 0; --n) {
      rows.push_back(static_cast<int64_t>(rng() % static_cast<uint64_t>(out.length())));
    }
    Result<VectorPtr> taken = Take(out, rows);
    ASSERT_TRUE(taken.ok());
    for (size_t i = 0; i < rows.size(); ++i) {
      ASSERT_TRUE(ValuesEqual(**taken, static_cast<int64_t>(i), out, rows[i])) << i;
    }
  }
}

// Take of flat types gathers row by row: checked against the source rows over sliced
// inputs with nulls, repeats and any order, with and without nulls, and for one run.
TEST(ConcatTest, TakeOfFlatSlicesAgreesWithSourceRows) {
  std::mt19937_64 rng(7);
  const TypePtr types[] = {BooleanType(), IntType(),          LongType(),
                           DoubleType(),  DecimalType(20, 3), StringType()};
  for (const TypePtr& type : types) {
    for (bool with_nulls : {true, false}) {
      std::unique_ptr<VectorBuilder> builder = VectorBuilder::Make(type);
      for (int64_t i = 0; i < 300; ++i) {
        AppendRandom(builder.get(), rng, /*non_null=*/!with_nulls);
      }
      VectorPtr source = builder->Finish()->Slice(5, 290);
      std::vector<int64_t> rows;
      for (int64_t n = 0; n < 200; ++n) {
        rows.push_back(static_cast<int64_t>(rng() % 290));
      }
      std::vector<int64_t> run;
      for (int64_t r = 17; r < 150; ++r) {
        run.push_back(r);
      }
      for (const std::vector<int64_t>& taken_rows : {rows, run}) {
        Result<VectorPtr> taken = Take(*source, taken_rows);
        ASSERT_TRUE(taken.ok()) << taken.status().ToString();
        const Vector& out = **taken;
        ASSERT_EQ(out.length(), static_cast<int64_t>(taken_rows.size()));
        EXPECT_EQ(out.offset(), 0);
        int64_t nulls = 0;
        for (size_t i = 0; i < taken_rows.size(); ++i) {
          nulls += source->IsNull(taken_rows[i]) ? 1 : 0;
          ASSERT_TRUE(ValuesEqual(out, static_cast<int64_t>(i), *source, taken_rows[i]))
              << type->ToString() << " " << i;
          ASSERT_EQ(out.IsNull(static_cast<int64_t>(i)), source->IsNull(taken_rows[i]));
        }
        EXPECT_EQ(out.null_count(), nulls);
        EXPECT_EQ(out.validity_buffer() == nullptr, nulls == 0);
      }
    }
  }
}

}  // namespace
}  // namespace sluice
