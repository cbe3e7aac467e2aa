// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/ast.h"

namespace sluice::sql {

/// Parses a script of Spark-dialect SQL statements separated by `;` (a trailing `;` and
/// empty statements are allowed). Keywords are case-insensitive; identifiers keep their
/// case; backticks quote identifiers; '...' and "..." are string literals with Spark's
/// backslash escapes; `--` and `/* */` are comments.
///
/// Errors are kParseError with Spark's text, the error class first and the position last:
///   [PARSE_SYNTAX_ERROR] Syntax error at or near 'FORM'. SQLSTATE: 42601 (line 1, pos 9)
///   [PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 (line 1, pos 20)
/// `pos` is Spark's: the 0-based character offset within the line.
Result<std::vector<StatementPtr>> ParseStatements(std::string_view sql);

/// Parses exactly one statement (a trailing `;` is allowed).
Result<StatementPtr> ParseStatement(std::string_view sql);

/// Parses a standalone expression, e.g. a DataFrame filter string "amount > 10".
Result<ParsedExprPtr> ParseExpression(std::string_view sql);

/// Splits a script into statement texts at top-level `;` (outside quotes and comments),
/// for the shell to know when a statement is complete. Returns the complete statements
/// and, in `rest`, the trailing incomplete text (only whitespace/comments when none).
std::vector<std::string> SplitStatements(std::string_view sql, std::string* rest);

}  // namespace sluice::sql
