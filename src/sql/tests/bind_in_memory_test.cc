// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/builder.h"
#include "common/ascii.h"
#include "sql/binder.h"
#include "sql/parser.h"

namespace sluice::sql {
namespace {

/// A catalog with one in-memory table `mem` (a INT NOT NULL, b STRING) of two batches.
class MemoryResolver final : public TableResolver {
 public:
  MemoryResolver() {
    auto data = std::make_shared<InMemoryRelation>();
    data->schema = MakeSchema({MakeField("a", IntType(), false), MakeField("b", StringType())});
    for (int batch = 0; batch < 2; ++batch) {
      Int32Builder a(IntType());
      StringBuilder b(StringType());
      a.Append(batch * 10 + 1);
      b.Append("x");
      a.Append(batch * 10 + 2);
      b.AppendNull();
      data->batches.push_back(
          std::make_shared<Batch>(data->schema, std::vector<VectorPtr>{a.Finish(), b.Finish()}, 2));
    }
    data_ = data;
  }

  Result<ResolvedTable> ResolveTable(const QualifiedName& name) override {
    if (!name.empty() && EqualsIgnoreCase(name.back(), "mem")) {
      return ResolvedTable{"`mem`", "", data_};
    }
    return Status::NotFound("[TABLE_OR_VIEW_NOT_FOUND] The table or view cannot be found.");
  }

  const std::shared_ptr<const InMemoryRelation>& data() const { return data_; }

 private:
  std::shared_ptr<const InMemoryRelation> data_;
};

Result<BoundQuery> Bind(MemoryResolver& resolver, std::string_view sql) {
  SLUICE_ASSIGN_OR_RETURN(StatementPtr statement, ParseStatement(sql));
  Binder binder(resolver, BinderOptions{});
  return binder.BindQuery(*statement->query);
}

/// The leaf of a chain of single-child plan nodes.
const LogicalPlan& Leaf(const LogicalPlan& plan) {
  const LogicalPlan* node = &plan;
  while (!node->children().empty()) {
    node = node->child(0).get();
  }
  return *node;
}

TEST(BindInMemoryTest, NameBindsToValuesOverTheBatches) {
  MemoryResolver resolver;
  Result<BoundQuery> bound = Bind(resolver, "SELECT * FROM mem");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  const SchemaPtr& schema = bound->plan->schema();
  ASSERT_EQ(schema->num_fields(), 2);
  EXPECT_EQ(schema->field(0).name, "a");
  EXPECT_FALSE(schema->field(0).nullable);
  EXPECT_EQ(schema->field(1).name, "b");
  const LogicalPlan& leaf = Leaf(*bound->plan);
  ASSERT_EQ(leaf.kind(), PlanKind::kValues);
  const auto& values = static_cast<const ValuesNode&>(leaf);
  EXPECT_EQ(values.batches, resolver.data()->batches);
}

TEST(BindInMemoryTest, ColumnsQualifyByNameOrAlias) {
  MemoryResolver resolver;
  Result<BoundQuery> bound = Bind(resolver, "SELECT mem.a, b FROM mem WHERE mem.a > 1");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ(bound->plan->schema()->field(0).name, "a");
  EXPECT_EQ(Leaf(*bound->plan).kind(), PlanKind::kValues);

  bound = Bind(resolver, "SELECT m.b AS c FROM default.mem m");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ(bound->plan->schema()->field(0).name, "c");

  bound = Bind(resolver, "SELECT mem.a FROM mem m");
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("UNRESOLVED_COLUMN"), std::string::npos)
      << bound.status().ToString();
}

TEST(BindInMemoryTest, CastOfAColumnKeepsTheColumnName) {
  // Spark's ResolveAliases: selectExpr("CAST(value AS STRING)") yields a column `value`.
  MemoryResolver resolver;
  Result<BoundQuery> bound =
      Bind(resolver,
           "SELECT CAST(a AS STRING), b::BIGINT, CAST(1 AS STRING), TRY_CAST(a AS INT) "
           "FROM mem");
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  const SchemaPtr& schema = bound->plan->schema();
  ASSERT_EQ(schema->num_fields(), 4);
  EXPECT_EQ(schema->field(0).name, "a");
  EXPECT_EQ(schema->field(1).name, "b");
  EXPECT_EQ(schema->field(2).name, "CAST(1 AS STRING)");
  EXPECT_EQ(schema->field(3).name, "TRY_CAST(a AS INT)");
}

TEST(BindInMemoryTest, TimeTravelIsAnError) {
  MemoryResolver resolver;
  Result<BoundQuery> bound = Bind(resolver, "SELECT * FROM mem VERSION AS OF 1");
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), StatusCode::kBindError);
  EXPECT_EQ(bound.status().message().rfind("[UNSUPPORTED_FEATURE.TIME_TRAVEL]", 0), 0u)
      << bound.status().ToString();
}

TEST(BindInMemoryTest, StreamInABatchQueryIsAnError) {
  MemoryResolver resolver;
  for (std::string_view sql : {"SELECT * FROM STREAM(mem)", "SELECT * FROM mem JOIN STREAM mem",
                               "SELECT * FROM (SELECT * FROM STREAM delta.`/none`)"}) {
    Result<BoundQuery> bound = Bind(resolver, sql);
    ASSERT_FALSE(bound.ok()) << sql;
    EXPECT_EQ(bound.status().code(), StatusCode::kBindError) << sql;
    EXPECT_EQ(bound.status().message().rfind(
                  "Queries with streaming sources must be executed with writeStream.start()", 0),
              0u)
        << bound.status().ToString();
  }
}

}  // namespace
}  // namespace sluice::sql
