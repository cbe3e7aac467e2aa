// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "exec/tests/test_util.h"
#include "expr/function.h"

namespace sluice::exec {
namespace {

using testing::Col;
using testing::RunBoth;

// (id, arr): 1 [1, 2]; 2 null; 3 []; 4 [3].
sql::PlanPtr Arrays() {
  TypePtr array = ArrayType(LongType());
  SchemaPtr schema = MakeSchema({MakeField("id", LongType()), MakeField("arr", array)});
  BatchBuilder builder(schema);
  auto* ids = static_cast<Int64Builder*>(builder.column(0));
  auto* arrays = static_cast<ArrayBuilder*>(builder.column(1));
  auto* elements = static_cast<Int64Builder*>(arrays->element());
  ids->Append(1);
  elements->Append(1);
  elements->Append(2);
  arrays->Append();
  ids->Append(2);
  arrays->AppendNull();
  ids->Append(3);
  arrays->Append();
  ids->Append(4);
  elements->Append(3);
  arrays->Append();
  return testing::Values({builder.Finish()});
}

sql::PlanPtr Explode(bool outer, bool with_pos) {
  auto child = Arrays();
  std::vector<expr::ExprPtr> args = {Col(1, child->schema()->field(1).type)};
  const std::string name = with_pos ? "posexplode" : "explode";
  const expr::FunctionEntry* entry = expr::FunctionRegistry::Default().Find(name);
  EXPECT_NE(entry, nullptr);
  auto generator = entry->generator(args, expr::BindContext{});
  EXPECT_TRUE(generator.ok()) << generator.status().ToString();
  std::vector<Field> fields = child->schema()->fields();
  for (const Field& field : generator->output_fields)
    fields.push_back(field);
  return std::make_shared<sql::GenerateNode>(MakeSchema(fields), child, *generator, args, outer);
}

TEST(GenerateTest, ExplodeRepeatsTheInputColumns) {
  EXPECT_EQ(RunBoth(Explode(false, false)),
            (std::vector<std::string>{"1|[1, 2]|1", "1|[1, 2]|2", "4|[3]|3"}));
}

TEST(GenerateTest, OuterKeepsRowsThatGenerateNothing) {
  EXPECT_EQ(RunBoth(Explode(true, false)),
            (std::vector<std::string>{"1|[1, 2]|1", "1|[1, 2]|2", "2|NULL|NULL", "3|[]|NULL",
                                      "4|[3]|3"}));
}

TEST(GenerateTest, PosexplodeOuterGivesNullPositions) {
  EXPECT_EQ(RunBoth(Explode(true, true)),
            (std::vector<std::string>{"1|[1, 2]|0|1", "1|[1, 2]|1|2", "2|NULL|NULL|NULL",
                                      "3|[]|NULL|NULL", "4|[3]|0|3"}));
}

}  // namespace
}  // namespace sluice::exec
