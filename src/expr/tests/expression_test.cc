// SPDX-License-Identifier: Apache-2.0
#include "expr/expression.h"

#include <gtest/gtest.h>

#include "expr/function.h"

namespace sluice::expr {
namespace {

TEST(ExpressionTest, RemapColumnsRewritesEveryReference) {
  ExprPtr sum = Expression::And(Expression::Column(2, BooleanType()),
                                Expression::Or(Expression::Column(0, BooleanType()),
                                               Expression::Literal(MakeBooleanScalar(true))));
  std::vector<int> columns;
  sum->CollectColumns(&columns);
  EXPECT_EQ(columns, (std::vector<int>{2, 0}));
  ExprPtr remapped = sum->RemapColumns({5, -1, 1});
  EXPECT_EQ(remapped->ToString(), "(#1 AND (#5 OR true))");
  EXPECT_EQ(sum->ToString(), "(#2 AND (#0 OR true))");
  EXPECT_FALSE(sum->IsConstant());
  EXPECT_TRUE(remapped->child(1)->child(1)->IsConstant());
}

TEST(ExpressionTest, RegistryFindsNamesAndAliasesInAnyCase) {
  FunctionRegistry registry;
  registry.AddScalar(
      "upper", [](const std::vector<ExprPtr>&, const BindContext&) -> Result<BoundScalarFunction> {
        BoundScalarFunction function;
        function.name = "upper";
        function.return_type = StringType();
        return function;
      });
  registry.AddAlias("ucase", "UPPER");
  ASSERT_NE(registry.Find("UCase"), nullptr);
  EXPECT_EQ(registry.Find("UCase")->name, "upper");
  EXPECT_EQ(registry.Find("lower"), nullptr);
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"ucase", "upper"}));
}

}  // namespace
}  // namespace sluice::expr
