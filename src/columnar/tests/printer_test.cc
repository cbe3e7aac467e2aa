// SPDX-License-Identifier: Apache-2.0
#include "columnar/printer.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>

#include "columnar/builder.h"
#include "columnar/tests/columnar_test_util.h"

namespace sluice {
namespace {

using testing::Longs;
using testing::Nulls;
using testing::Strings;
using testing::Variants;

// Every expected string below is written by hand from Spark's Dataset.showString rules.

BatchPtr OneColumn(const std::string& name, VectorPtr column) {
  SchemaPtr schema = MakeSchema({MakeField(name, column->type())});
  const int64_t rows = column->length();
  return Batch::Make(schema, {std::move(column)}, rows).value();
}

BatchPtr People() {
  SchemaPtr schema = MakeSchema({MakeField("id", LongType()), MakeField("name", StringType())});
  return Batch::Make(schema, {Longs({1, 2, 3}), Strings({"alice", "bob", std::nullopt})}, 3)
      .value();
}

BatchPtr Ids(int64_t count) {
  Int64Builder builder(LongType());
  for (int64_t i = 0; i < count; ++i) {
    builder.Append(i);
  }
  return OneColumn("id", builder.Finish());
}

TEST(PrinterTest, Simple) {
  EXPECT_EQ(ShowString(*People()),
            "+---+-----+\n"
            "| id| name|\n"
            "+---+-----+\n"
            "|  1|alice|\n"
            "|  2|  bob|\n"
            "|  3| NULL|\n"
            "+---+-----+\n");
}

TEST(PrinterTest, WithoutTruncationCellsAlignLeft) {
  EXPECT_EQ(ShowString(*People(), {.num_rows = 20, .truncate = 0}),
            "+---+-----+\n"
            "|id |name |\n"
            "+---+-----+\n"
            "|1  |alice|\n"
            "|2  |bob  |\n"
            "|3  |NULL |\n"
            "+---+-----+\n");
}

TEST(PrinterTest, NestedAndNullValues) {
  TypePtr pair = StructType({MakeField("a", IntType()), MakeField("b", StringType())});
  SchemaPtr schema = MakeSchema({MakeField("arr", ArrayType(IntType())), MakeField("st", pair),
                                 MakeField("m", MapType(StringType(), IntType()))});
  BatchBuilder builder(schema);
  auto* arr = static_cast<ArrayBuilder*>(builder.column(0));
  auto* ints = static_cast<Int32Builder*>(arr->element());
  auto* st = static_cast<StructBuilder*>(builder.column(1));
  auto* a = static_cast<Int32Builder*>(st->child(0));
  auto* b = static_cast<StringBuilder*>(st->child(1));
  auto* m = static_cast<MapBuilder*>(builder.column(2));
  auto* keys = static_cast<StringBuilder*>(m->keys());
  auto* values = static_cast<Int32Builder*>(m->values());
  // [1, 2, NULL] | {1, a} | {a -> 1, b -> NULL}
  ints->Append(1);
  ints->Append(2);
  ints->AppendNull();
  arr->Append();
  a->Append(1);
  b->Append("a");
  st->Append();
  keys->Append("a");
  values->Append(1);
  keys->Append("b");
  values->AppendNull();
  m->Append();
  // [] | NULL | {}
  arr->Append();
  st->AppendNull();
  m->Append();
  // NULL | {NULL, NULL} | {c -> 3}
  arr->AppendNull();
  a->AppendNull();
  b->AppendNull();
  st->Append();
  keys->Append("c");
  values->Append(3);
  m->Append();
  EXPECT_EQ(ShowString(*builder.Finish()),
            "+------------+------------+-------------------+\n"
            "|         arr|          st|                  m|\n"
            "+------------+------------+-------------------+\n"
            "|[1, 2, NULL]|      {1, a}|{a -> 1, b -> NULL}|\n"
            "|          []|        NULL|                 {}|\n"
            "|        NULL|{NULL, NULL}|           {c -> 3}|\n"
            "+------------+------------+-------------------+\n");
}

TEST(PrinterTest, LongCellsAreTruncated) {
  BatchPtr batch =
      OneColumn("s", Strings({"abcdefghijklmnopqrstuvwxyz", "short", "exactly-twenty-chars"}));
  EXPECT_EQ(ShowString(*batch),
            "+--------------------+\n"
            "|                   s|\n"
            "+--------------------+\n"
            "|abcdefghijklmnopq...|\n"
            "|               short|\n"
            "|exactly-twenty-chars|\n"
            "+--------------------+\n");
  EXPECT_EQ(ShowString(*batch, {.truncate = 5}),
            "+-----+\n"
            "|    s|\n"
            "+-----+\n"
            "|ab...|\n"
            "|short|\n"
            "|ex...|\n"
            "+-----+\n");
  // Below 4 there is no room for "...": the cell is just cut.
  EXPECT_EQ(ShowString(*batch, {.truncate = 3}),
            "+---+\n"
            "|  s|\n"
            "+---+\n"
            "|abc|\n"
            "|sho|\n"
            "|exa|\n"
            "+---+\n");
  EXPECT_EQ(ShowString(*batch, {.truncate = 0}),
            "+--------------------------+\n"
            "|s                         |\n"
            "+--------------------------+\n"
            "|abcdefghijklmnopqrstuvwxyz|\n"
            "|short                     |\n"
            "|exactly-twenty-chars      |\n"
            "+--------------------------+\n");
}

TEST(PrinterTest, WideCharactersTakeTwoColumns) {
  BatchPtr batch = OneColumn("name", Strings({"日本語", "abc", "a😀b"}));
  EXPECT_EQ(ShowString(*batch),
            "+------+\n"
            "|  name|\n"
            "+------+\n"
            "|日本語|\n"
            "|   abc|\n"
            "|  a😀b|\n"
            "+------+\n");
  // Truncation counts characters (Java's length), padding counts columns.
  BatchPtr long_wide = OneColumn("w", Strings({"日本語日本語日本語", "hello"}));
  EXPECT_EQ(ShowString(*long_wide, {.truncate = 8}),
            "+-------------+\n"
            "|            w|\n"
            "+-------------+\n"
            "|日本語日本...|\n"
            "|        hello|\n"
            "+-------------+\n");
  // An emoji is two UTF-16 units long, as Java counts.
  BatchPtr emoji = OneColumn("e", Strings({"😀😀😀😀😀"}));
  EXPECT_EQ(ShowString(*emoji, {.truncate = 5}),
            "+-----+\n"
            "|    e|\n"
            "+-----+\n"
            "|😀...|\n"
            "+-----+\n");
}

TEST(PrinterTest, ControlCharactersAreEscaped) {
  BatchPtr batch = OneColumn("a\tb", Strings({"line1\nline2"}));
  EXPECT_EQ(ShowString(*batch),
            "+------------+\n"
            "|        a\\tb|\n"
            "+------------+\n"
            "|line1\\nline2|\n"
            "+------------+\n");
}

TEST(PrinterTest, InvalidUtf8ShowsReplacementCharacters) {
  BatchPtr batch = OneColumn("s", Strings({std::string("a\xff"
                                                       "b")}));
  EXPECT_EQ(ShowString(*batch),
            "+---+\n"
            "|  s|\n"
            "+---+\n"
            "|a\xEF\xBF\xBD"
            "b|\n"
            "+---+\n");
}

TEST(PrinterTest, Vertical) {
  EXPECT_EQ(ShowString(*People()->Slice(0, 2), {.vertical = true}),
            "-RECORD 0-----\n"
            " id   | 1     \n"
            " name | alice \n"
            "-RECORD 1-----\n"
            " id   | 2     \n"
            " name | bob   \n");
  EXPECT_EQ(ShowString(*People(), {.num_rows = 1, .vertical = true}),
            "-RECORD 0-----\n"
            " id   | 1     \n"
            " name | alice \n"
            "only showing top 1 row\n");
  // The widest data cell here is "NULL": the data column is 4 wide.
  EXPECT_EQ(ShowString(*People()->Slice(2, 1), {.vertical = true}),
            "-RECORD 0----\n"
            " id   | 3    \n"
            " name | NULL \n");
  EXPECT_EQ(ShowString(*People()->Slice(0, 0), {.vertical = true}), "(0 rows)\n");
}

TEST(PrinterTest, MoreRowsThanShown) {
  EXPECT_EQ(ShowString(*Ids(5), {.num_rows = 3}),
            "+---+\n"
            "| id|\n"
            "+---+\n"
            "|  0|\n"
            "|  1|\n"
            "|  2|\n"
            "+---+\n"
            "only showing top 3 rows\n");
  EXPECT_EQ(ShowString(*Ids(25)),
            "+---+\n"
            "| id|\n"
            "+---+\n"
            "|  0|\n"
            "|  1|\n"
            "|  2|\n"
            "|  3|\n"
            "|  4|\n"
            "|  5|\n"
            "|  6|\n"
            "|  7|\n"
            "|  8|\n"
            "|  9|\n"
            "| 10|\n"
            "| 11|\n"
            "| 12|\n"
            "| 13|\n"
            "| 14|\n"
            "| 15|\n"
            "| 16|\n"
            "| 17|\n"
            "| 18|\n"
            "| 19|\n"
            "+---+\n"
            "only showing top 20 rows\n");
  EXPECT_EQ(ShowString(*Ids(2), {.num_rows = 0}),
            "+---+\n"
            "| id|\n"
            "+---+\n"
            "+---+\n"
            "only showing top 0 rows\n");
  // Exactly as many rows as asked for: no footer.
  EXPECT_EQ(ShowString(*Ids(2), {.num_rows = 2}),
            "+---+\n"
            "| id|\n"
            "+---+\n"
            "|  0|\n"
            "|  1|\n"
            "+---+\n");
}

TEST(PrinterTest, ShowAllSpansBatchesAndMeasuresOnlyShownRows) {
  BatchPtr first = OneColumn("id", Longs({0, 1}));
  BatchPtr second = OneColumn("id", Longs({7, 2, 123456}))->Slice(1, 2);
  const SchemaPtr& schema = first->schema();
  EXPECT_EQ(ShowAll({first, second}, schema, {.num_rows = 3}),
            "+---+\n"
            "| id|\n"
            "+---+\n"
            "|  0|\n"
            "|  1|\n"
            "|  2|\n"
            "+---+\n"
            "only showing top 3 rows\n");
  EXPECT_EQ(ShowAll({first, Batch::MakeEmpty(schema), second}, schema),
            "+------+\n"
            "|    id|\n"
            "+------+\n"
            "|     0|\n"
            "|     1|\n"
            "|     2|\n"
            "|123456|\n"
            "+------+\n");
  EXPECT_EQ(ShowAll({}, schema),
            "+---+\n"
            "| id|\n"
            "+---+\n"
            "+---+\n");
}

TEST(PrinterTest, FormatCellIntegersBooleansBinary) {
  EXPECT_EQ(FormatCell(*Longs({std::numeric_limits<int64_t>::min()}), 0), "-9223372036854775808");
  Int8Builder bytes(ByteType());
  bytes.Append(-5);
  EXPECT_EQ(FormatCell(*bytes.Finish(), 0), "-5");
  BooleanBuilder booleans(BooleanType());
  booleans.Append(true);
  booleans.Append(false);
  booleans.AppendNull();
  VectorPtr b = booleans.Finish();
  EXPECT_EQ(FormatCell(*b, 0), "true");
  EXPECT_EQ(FormatCell(*b, 1), "false");
  EXPECT_EQ(FormatCell(*b, 2), "NULL");
  StringBuilder binary(BinaryType());
  binary.Append(std::string("\x01\xab\x00", 3));
  binary.Append("");
  VectorPtr bin = binary.Finish();
  EXPECT_EQ(FormatCell(*bin, 0), "[01 AB 00]");
  EXPECT_EQ(FormatCell(*bin, 1), "[]");
  // Strings are returned as they are: escaping and truncation belong to show().
  EXPECT_EQ(FormatCell(*Strings({"a\nb"}), 0), "a\nb");
}

TEST(PrinterTest, TypedCells) {
  SchemaPtr schema = MakeSchema({MakeField("d", DoubleType()), MakeField("dec", DecimalType(5, 2)),
                                 MakeField("day", DateType()), MakeField("ts", TimestampType()),
                                 MakeField("bin", BinaryType())});
  BatchBuilder builder(schema);
  static_cast<DoubleBuilder*>(builder.column(0))->Append(1.5);
  static_cast<DecimalBuilder*>(builder.column(1))->Append(Int128{12345});
  static_cast<Int32Builder*>(builder.column(2))->Append(19723);  // 2024-01-01
  static_cast<Int64Builder*>(builder.column(3))->Append(1704067200500000);
  static_cast<StringBuilder*>(builder.column(4))->Append("\x01\xab");
  BatchPtr batch = builder.Finish();
  // The timestamp is 21 characters long, so it is truncated as Spark does.
  EXPECT_EQ(ShowString(*batch),
            "+---+------+----------+--------------------+-------+\n"
            "|  d|   dec|       day|                  ts|    bin|\n"
            "+---+------+----------+--------------------+-------+\n"
            "|1.5|123.45|2024-01-01|2024-01-01 00:00:...|[01 AB]|\n"
            "+---+------+----------+--------------------+-------+\n");
  EXPECT_EQ(FormatCell(*batch->column(3), 0), "2024-01-01 00:00:00.5");

  Int64Builder ntz(TimestampNtzType());
  ntz.Append(1704067200000000);
  EXPECT_EQ(FormatCell(*ntz.Finish(), 0), "2024-01-01 00:00:00");
  FloatBuilder floats(FloatType());
  floats.Append(0.1f);
  EXPECT_EQ(FormatCell(*floats.Finish(), 0), "0.1");
  ArrayBuilder doubles(ArrayType(DoubleType()));
  static_cast<DoubleBuilder*>(doubles.element())->Append(1.0);
  static_cast<DoubleBuilder*>(doubles.element())->AppendNull();
  doubles.Append();
  EXPECT_EQ(FormatCell(*doubles.Finish(), 0), "[1.0, NULL]");
}

TEST(PrinterTest, VoidAndVariantCells) {
  SchemaPtr schema = MakeSchema({MakeField("n", NullType()), MakeField("v", VariantType())});
  BatchPtr batch = Batch::Make(schema,
                               {Nulls(3), Variants({R"({"b":[1,2.50,null],"a":"x"})", std::nullopt,
                                                    R"("a string longer than twenty")"})},
                               3)
                       .value();
  // Variants show as their JSON text, cut like any other cell.
  EXPECT_EQ(ShowString(*batch),
            "+----+--------------------+\n"
            "|   n|                   v|\n"
            "+----+--------------------+\n"
            "|NULL|{\"a\":\"x\",\"b\":[1,2...|\n"
            "|NULL|                NULL|\n"
            "|NULL|\"a string longer ...|\n"
            "+----+--------------------+\n");
  EXPECT_EQ(FormatCell(*batch->column(0), 2), "NULL");
  EXPECT_EQ(FormatCell(*batch->column(1), 0), R"({"a":"x","b":[1,2.50,null]})");
  EXPECT_EQ(FormatCell(*batch->column(1), 1), "NULL");

  VariantBuilder broken(VariantType());
  broken.Append(std::string("\x01\x00\x00", 3), std::string("\x18\x01", 2));  // cut int64
  EXPECT_EQ(FormatCell(*broken.Finish(), 0),
            "<malformed variant: a value of primitive type 6 needs 8 bytes, 1 remain>");
}

}  // namespace
}  // namespace sluice
