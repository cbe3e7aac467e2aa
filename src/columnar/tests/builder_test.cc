// SPDX-License-Identifier: Apache-2.0
#include "columnar/builder.h"

#include <gtest/gtest.h>

#include "columnar/batch.h"
#include "columnar/tests/columnar_test_util.h"

namespace sluice {
namespace {

TEST(BuilderTest, FixedWidthWithNulls) {
  Int64Builder builder(LongType());
  builder.Append(1);
  builder.AppendNull();
  builder.Append(3);
  VectorPtr vector = builder.Finish();
  ASSERT_EQ(vector->length(), 3);
  EXPECT_EQ(vector->null_count(), 1);
  EXPECT_EQ(vector->Value<int64_t>(0), 1);
  EXPECT_TRUE(vector->IsNull(1));
  EXPECT_EQ(vector->Value<int64_t>(2), 3);
  EXPECT_EQ(builder.length(), 0);  // reset for reuse
  EXPECT_EQ(reinterpret_cast<uintptr_t>(vector->values_buffer()->data()) % Buffer::kAlignment, 0u);
}

TEST(BuilderTest, NoNullsMeansNoBitmap) {
  Int32Builder builder(IntType());
  for (int i = 0; i < 100; ++i) {
    builder.Append(i);
  }
  VectorPtr vector = builder.Finish();
  EXPECT_EQ(vector->validity_buffer(), nullptr);
  EXPECT_EQ(vector->Value<int32_t>(99), 99);
}

TEST(BuilderTest, BooleansAreBitPacked) {
  BooleanBuilder builder(BooleanType());
  for (int i = 0; i < 20; ++i) {
    if (i == 7) {
      builder.AppendNull();
    } else {
      builder.Append(i % 3 == 0);
    }
  }
  VectorPtr vector = builder.Finish();
  EXPECT_EQ(vector->values_buffer()->size(), 3);
  EXPECT_TRUE(vector->BoolValue(0));
  EXPECT_FALSE(vector->BoolValue(1));
  EXPECT_TRUE(vector->BoolValue(9));
  EXPECT_TRUE(vector->IsNull(7));
  EXPECT_EQ(vector->null_count(), 1);
}

TEST(BuilderTest, StringsAndSlices) {
  StringBuilder builder(StringType());
  builder.Append("alpha");
  builder.AppendNull();
  builder.Append("");
  builder.Append("gamma");
  VectorPtr vector = builder.Finish();
  EXPECT_EQ(vector->StringValue(0), "alpha");
  EXPECT_TRUE(vector->IsNull(1));
  EXPECT_EQ(vector->StringValue(2), "");
  EXPECT_EQ(vector->StringValue(3), "gamma");
  VectorPtr slice = vector->Slice(1, 3);
  EXPECT_EQ(slice->length(), 3);
  EXPECT_EQ(slice->null_count(), 1);
  EXPECT_TRUE(slice->IsNull(0));
  EXPECT_EQ(slice->StringValue(2), "gamma");
  VectorPtr tail = vector->Slice(2, 2);
  EXPECT_EQ(tail->null_count(), 0);
  EXPECT_EQ(tail->validity_buffer(), nullptr);
}

TEST(BuilderTest, NestedArrayOfStructAndMap) {
  TypePtr item = StructType({MakeField("sku", StringType()), MakeField("qty", IntType())});
  TypePtr type = ArrayType(item);
  std::unique_ptr<VectorBuilder> made = VectorBuilder::Make(type);
  auto& list = static_cast<ArrayBuilder&>(*made);
  auto& element = static_cast<StructBuilder&>(*list.element());
  auto& sku = static_cast<StringBuilder&>(*element.child(0));
  auto& qty = static_cast<Int32Builder&>(*element.child(1));
  // [{a, 1}, {b, 2}], null, [], [null]
  sku.Append("a");
  qty.Append(1);
  element.Append();
  sku.Append("b");
  qty.Append(2);
  element.Append();
  list.Append();
  list.AppendNull();
  list.Append();
  element.AppendNull();
  list.Append();
  VectorPtr vector = list.Finish();
  ASSERT_EQ(vector->length(), 4);
  EXPECT_EQ(vector->ListEnd(0) - vector->ListStart(0), 2);
  EXPECT_TRUE(vector->IsNull(1));
  EXPECT_EQ(vector->ListEnd(2) - vector->ListStart(2), 0);
  const VectorPtr& structs = vector->child(0);
  EXPECT_EQ(structs->length(), 3);
  EXPECT_EQ(structs->child(0)->StringValue(1), "b");
  EXPECT_EQ(structs->child(1)->Value<int32_t>(1), 2);
  EXPECT_TRUE(structs->IsNull(2));

  MapBuilder map(MapType(StringType(), LongType()));
  static_cast<StringBuilder&>(*map.keys()).Append("k");
  static_cast<Int64Builder&>(*map.values()).Append(9);
  map.Append();
  VectorPtr maps = map.Finish();
  EXPECT_EQ(maps->child(0)->StringValue(0), "k");
  EXPECT_EQ(maps->child(1)->Value<int64_t>(0), 9);
}

TEST(BuilderTest, TruncateDropsNestedRows) {
  std::unique_ptr<VectorBuilder> made = VectorBuilder::Make(ArrayType(StringType()));
  auto& list = static_cast<ArrayBuilder&>(*made);
  auto& element = static_cast<StringBuilder&>(*list.element());
  element.Append("keep");
  list.Append();
  element.Append("drop1");
  element.AppendNull();
  list.Append();
  list.Truncate(1);
  element.Append("after");
  list.Append();
  VectorPtr vector = list.Finish();
  ASSERT_EQ(vector->length(), 2);
  EXPECT_EQ(vector->child(0)->length(), 2);
  EXPECT_EQ(vector->child(0)->null_count(), 0);
  EXPECT_EQ(vector->child(0)->StringValue(1), "after");
}

TEST(BuilderTest, VoidVectorsHaveNoBuffers) {
  std::unique_ptr<VectorBuilder> made = VectorBuilder::Make(NullType());
  ASSERT_NE(dynamic_cast<NullBuilder*>(made.get()), nullptr);
  for (int i = 0; i < 5; ++i) {
    made->AppendNull();
  }
  made->Truncate(4);
  VectorPtr vector = made->Finish();
  ASSERT_EQ(vector->length(), 4);
  EXPECT_EQ(vector->null_count(), 4);
  EXPECT_EQ(vector->validity_buffer(), nullptr);
  EXPECT_EQ(vector->values_buffer(), nullptr);
  EXPECT_EQ(vector->data_buffer(), nullptr);
  EXPECT_EQ(vector->num_children(), 0);
  for (int64_t i = 0; i < vector->length(); ++i) {
    EXPECT_TRUE(vector->IsNull(i)) << i;
  }
  VectorPtr slice = vector->Slice(1, 2);
  EXPECT_EQ(slice->length(), 2);
  EXPECT_EQ(slice->null_count(), 2);
  EXPECT_TRUE(slice->IsNull(0));
  EXPECT_EQ(made->length(), 0);  // Finish resets
  EXPECT_EQ(made->Finish()->length(), 0);
}

TEST(BuilderTest, VariantsKeepMetadataAndValueChildren) {
  std::unique_ptr<VectorBuilder> made = VectorBuilder::Make(VariantType());
  auto* builder = dynamic_cast<VariantBuilder*>(made.get());
  ASSERT_NE(builder, nullptr);
  builder->Append("m0", "v0");
  builder->AppendNull();
  builder->Append("m2", "value2");
  builder->Append("dropped", "dropped");
  builder->Truncate(3);
  builder->Append("m3", "v3");
  VectorPtr vector = builder->Finish();
  ASSERT_EQ(vector->length(), 4);
  EXPECT_EQ(vector->null_count(), 1);
  ASSERT_EQ(vector->num_children(), 2);
  EXPECT_TRUE(vector->child(0)->type()->Equals(*BinaryType()));
  EXPECT_TRUE(vector->child(1)->type()->Equals(*BinaryType()));
  EXPECT_EQ(vector->child(0)->length(), 4);
  EXPECT_EQ(vector->child(1)->null_count(), 0);
  EXPECT_TRUE(vector->IsNull(1));
  EXPECT_EQ(vector->VariantMetadata(0), "m0");
  EXPECT_EQ(vector->VariantValue(2), "value2");
  EXPECT_EQ(vector->VariantMetadata(3), "m3");
  VectorPtr slice = vector->Slice(2, 2);
  EXPECT_EQ(slice->null_count(), 0);
  EXPECT_EQ(slice->VariantValue(0), "value2");
  EXPECT_EQ(slice->VariantValue(1), "v3");
}

TEST(BuilderTest, StructOfVoidAndVariant) {
  TypePtr type = StructType({MakeField("n", NullType()), MakeField("v", VariantType())});
  StructBuilder builder(type);
  builder.child(0)->AppendNull();
  static_cast<VariantBuilder*>(builder.child(1))->Append("m", "v");
  builder.Append();
  builder.AppendNull();
  VectorPtr vector = builder.Finish();
  ASSERT_EQ(vector->length(), 2);
  EXPECT_EQ(vector->child(0)->null_count(), 2);
  EXPECT_EQ(vector->child(1)->null_count(), 1);
  EXPECT_EQ(vector->child(1)->VariantValue(0), "v");
}

TEST(BuilderTest, BatchChecksShapes) {
  SchemaPtr schema = MakeSchema({MakeField("id", LongType()), MakeField("name", StringType())});
  BatchBuilder builder(schema);
  static_cast<Int64Builder*>(builder.column(0))->Append(7);
  static_cast<StringBuilder*>(builder.column(1))->Append("x");
  EXPECT_EQ(builder.num_rows(), 1);
  BatchPtr batch = builder.Finish();
  EXPECT_EQ(batch->num_rows(), 1);
  EXPECT_EQ(batch->column(1)->StringValue(0), "x");
  Result<BatchPtr> bad = Batch::Make(schema, {batch->column(0)}, 1);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  Result<BatchPtr> swapped = Batch::Make(schema, {batch->column(1), batch->column(0)}, 1);
  EXPECT_EQ(swapped.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Batch::MakeEmpty(schema)->num_rows(), 0);
}

TEST(BuilderTest, BatchTruncateDropsHalfAppendedStructRow) {
  SchemaPtr schema = MakeSchema(
      {MakeField("s", StructType({MakeField("a", LongType()), MakeField("b", LongType())}))});
  BatchBuilder builder(schema);
  auto* row = static_cast<StructBuilder*>(builder.column(0));
  static_cast<Int64Builder*>(row->child(0))->Append(1);
  static_cast<Int64Builder*>(row->child(1))->Append(2);
  row->Append();
  // A second row fails after its first field: the struct itself was never closed.
  static_cast<Int64Builder*>(row->child(0))->Append(3);
  builder.Truncate(1);
  BatchPtr batch = builder.Finish();
  ASSERT_EQ(batch->num_rows(), 1);
  EXPECT_EQ(batch->column(0)->child(0)->length(), 1);
}

}  // namespace
}  // namespace sluice
