// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the SQL parser: any input either fails cleanly with kParseError or
// parses to statements whose own text parses again as one statement of the same kind;
// the expression parser and the statement splitter never crash either.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/check.h"
#include "sql/ast.h"
#include "sql/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string rest;
  const std::vector<std::string> pieces = sluice::sql::SplitStatements(input, &rest);
  SLUICE_CHECK(rest.size() <= input.size(), "SplitStatements rest longer than its input");

  sluice::Result<sluice::sql::ParsedExprPtr> expr = sluice::sql::ParseExpression(input);
  SLUICE_CHECK(expr.ok() || expr.status().code() == sluice::StatusCode::kParseError,
               "unexpected error code: {}", expr.status().ToString());

  sluice::Result<std::vector<sluice::sql::StatementPtr>> statements =
      sluice::sql::ParseStatements(input);
  if (!statements.ok()) {
    SLUICE_CHECK(statements.status().code() == sluice::StatusCode::kParseError,
                 "unexpected error code: {}", statements.status().ToString());
    return 0;
  }
  for (const sluice::sql::StatementPtr& statement : *statements) {
    sluice::Result<sluice::sql::StatementPtr> again = sluice::sql::ParseStatement(statement->text);
    SLUICE_CHECK(again.ok(), "the text of a parsed statement does not parse: '{}': {}",
                 statement->text, again.status().ToString());
    SLUICE_CHECK((*again)->kind == statement->kind, "statement kind changed on '{}'",
                 statement->text);
  }
  return 0;
}
