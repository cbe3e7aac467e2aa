// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

/// The parse tree of Spark-dialect SQL: what the parser produces and the binder reads.
/// Nothing here is resolved: names are as written, literals keep their text, types are
/// DDL strings. Every node carries the position of its first token so the binder can
/// point at it in errors.
namespace sluice::sql {

/// A place in the SQL text: 1-based line and column, 0-based byte offset.
struct SourcePosition {
  int line = 1;
  int column = 1;
  int offset = 0;
};

struct QueryNode;
struct ParsedExpr;
using ParsedExprPtr = std::unique_ptr<ParsedExpr>;
using QueryPtr = std::unique_ptr<QueryNode>;

/// A possibly qualified name as written: `db.tbl`, `t.col`, `a.b.c`. Quoting with
/// backticks is removed; case is kept (resolution is case-insensitive).
using QualifiedName = std::vector<std::string>;

enum class LiteralKind : uint8_t {
  kNull,
  kBoolean,       // text "true" / "false"
  kInteger,       // digits with an optional suffix: 1, 1L, 1S, 1Y (text keeps the suffix)
  kDecimal,       // 1.5, .5, 1.5BD, 1E10 is kDouble
  kDouble,        // 1.5D, 1e3, 1.5E-2, 1.5F (text keeps the suffix)
  kString,        // text is the unescaped value
  kDate,          // DATE '2024-05-01'; text is the quoted value
  kTimestamp,     // TIMESTAMP '...'; text is the quoted value
  kTimestampNtz,  // TIMESTAMP_NTZ '...'
  kBinary,        // X'1F2E'; text is the hex digits
};

/// An interval literal, normalized the way Spark's CalendarInterval is: months, days and
/// microseconds. `interval 1 hour`, `INTERVAL '10' MINUTE`, `INTERVAL 10 MINUTES`,
/// `interval '1 day 2 hours'`, `INTERVAL '1-2' YEAR TO MONTH`,
/// `INTERVAL '1 02:03:04' DAY TO SECOND` and negative forms all land here.
struct IntervalValue {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
};

enum class ExprKind : uint8_t {
  kLiteral,         // literal_kind + text
  kInterval,        // interval
  kColumnRef,       // name: `col`, `t.col`, `t.col.field` (binder decides what is what)
  kStar,            // `*` (name empty) or `t.*` (name = qualifier); in count(*) too
  kUnary,           // op: "-", "+", "NOT", "~"; children[0]
  kBinary,          // op: "+", "-", "*", "/", "%", "DIV", "||", "=", "==", "<=>", "!=",
                    //     "<>", "<", "<=", ">", ">=", "AND", "OR", "&", "|", "^"
  kFunction,        // name (lower-cased, possibly qualified in name_parts); children = args;
                    // distinct; star_argument for count(*); filter (FILTER (WHERE ...));
                    // ignore_nulls; window when followed by OVER
  kCast,            // CAST(x AS type), x::type, TRY_CAST(x AS type); type_text; try_cast
  kCase,            // CASE [operand] WHEN.. THEN.. [ELSE ..] END: case_operand (may be null),
                    // children = when1, then1, when2, then2, ...; else_expr (may be null)
  kIn,              // children[0] IN (children[1..]); negated
  kInSubquery,      // children[0] IN (subquery); negated
  kExists,          // EXISTS (subquery); negated
  kScalarSubquery,  // (subquery)
  kBetween,         // children[0] BETWEEN children[1] AND children[2]; negated
  kLike,            // children[0] LIKE children[1] [ESCAPE escape]; op: "LIKE", "ILIKE",
                    // "RLIKE" (also REGEXP); negated
  kIsNull,          // children[0] IS [NOT] NULL; negated
  kIsBoolean,       // children[0] IS [NOT] TRUE/FALSE; op "TRUE"/"FALSE"; negated
  kIsDistinctFrom,  // children[0] IS [NOT] DISTINCT FROM children[1]; negated
  kSubscript,       // children[0][children[1]]: array index or map key
  kFieldAccess,     // children[0].name when children[0] is not a plain column path,
                    // e.g. (expr).field, f(x).field, arr[0].field
  kLambda,          // x -> expr or (x, y) -> expr: lambda_params; children[0] is the body
};

/// A window specification: OVER (PARTITION BY ... ORDER BY ... [frame]) or OVER name.
struct WindowSpec;

/// One ORDER BY item.
struct OrderItem {
  ParsedExprPtr expr;
  bool ascending = true;
  /// Unset means Spark's default: NULLS FIRST for ASC, NULLS LAST for DESC.
  std::optional<bool> nulls_first;
};

enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // offset
  kCurrentRow,
  kFollowing,  // offset
  kUnboundedFollowing,
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kUnboundedPreceding;
  ParsedExprPtr offset;  // kPreceding / kFollowing only
};

struct WindowFrame {
  bool rows = true;  // ROWS; false = RANGE
  FrameBound start;
  FrameBound end;
};

struct WindowSpec {
  std::string name;  // OVER w (a named window); empty otherwise
  std::vector<ParsedExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::optional<WindowFrame> frame;
};

/// An expression as written.
struct ParsedExpr {
  ExprKind kind = ExprKind::kLiteral;
  SourcePosition position;

  LiteralKind literal_kind = LiteralKind::kNull;
  /// The literal's text (kLiteral), the operator (kUnary, kBinary, kLike, kIsBoolean),
  /// the function name lower-cased (kFunction), the field name (kFieldAccess), the
  /// cast's target type as DDL text (kCast, e.g. "DECIMAL(10, 2)").
  std::string text;
  /// kColumnRef: the name parts; kStar: the qualifier parts; kFunction: the name as
  /// written, parts (e.g. a db-qualified function).
  QualifiedName name;
  std::vector<ParsedExprPtr> children;

  IntervalValue interval;  // kInterval

  bool negated = false;                // NOT IN / NOT BETWEEN / NOT LIKE / IS NOT ... / NOT EXISTS
  bool distinct = false;               // count(DISTINCT x)
  bool star_argument = false;          // count(*)
  bool try_cast = false;               // TRY_CAST
  std::optional<bool> ignore_nulls;    // first(x) IGNORE NULLS / RESPECT NULLS
  ParsedExprPtr filter;                // agg(x) FILTER (WHERE cond)
  std::unique_ptr<WindowSpec> window;  // f(...) OVER (...)
  ParsedExprPtr case_operand;          // CASE x WHEN ...
  ParsedExprPtr else_expr;             // CASE ... ELSE
  ParsedExprPtr escape;                // LIKE ... ESCAPE 'c'
  QueryPtr subquery;                   // kInSubquery, kExists, kScalarSubquery
  std::vector<std::string> lambda_params;  // kLambda
};

/// One item of a SELECT list.
struct SelectItem {
  ParsedExprPtr expr;
  std::string alias;  // empty when none was written
  /// `AS (a, b)` after a generator (explode of a map, posexplode, json_tuple).
  std::vector<std::string> multi_alias;
};

/// Time travel on a table reference.
struct TimeTravel {
  std::optional<int64_t> version;  // VERSION AS OF n, table@v5
  ParsedExprPtr timestamp;         // TIMESTAMP AS OF expr, table@yyyyMMddHHmmssSSS (as literal)
};

enum class TableRefKind : uint8_t {
  kNamed,        // name (db.table or table), time_travel
  kPath,         // format.`path`: format is "delta", "parquet", "json", "csv" ...; path
  kSubquery,     // (query) [AS] alias [(columns)]
  kJoin,         // left JOIN right
  kFunction,     // name(args): table_changes, read_files, range, ...
  kValues,       // VALUES (...), (...) [AS] alias [(columns)]
  kLateralView,  // left LATERAL VIEW [OUTER] generator(args) alias [AS] columns
};

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kLeftSemi, kLeftAnti, kCross };

struct TableRef;
using TableRefPtr = std::unique_ptr<TableRef>;

/// A FROM-clause item.
struct TableRef {
  TableRefKind kind = TableRefKind::kNamed;
  SourcePosition position;
  QualifiedName name;  // kNamed, kFunction (the function name)
  std::string format;  // kPath
  std::string path;    // kPath
  std::optional<TimeTravel> time_travel;

  std::string alias;                        // empty when none
  std::vector<std::string> column_aliases;  // t(a, b)

  QueryPtr subquery;  // kSubquery

  JoinType join_type = JoinType::kInner;  // kJoin
  bool natural = false;                   // NATURAL JOIN
  TableRefPtr left;
  TableRefPtr right;
  ParsedExprPtr join_condition;            // ON
  std::vector<std::string> using_columns;  // USING (a, b)

  std::vector<ParsedExprPtr> function_args;  // kFunction: positional arguments
  /// Named arguments of a table function, `name => value`, in order.
  std::vector<std::pair<std::string, ParsedExprPtr>> named_args;

  std::vector<std::vector<ParsedExprPtr>> values_rows;  // kValues

  /// kLateralView: the generator call (on `left`), OUTER; the view's alias is `alias`
  /// and its column names `column_aliases`.
  ParsedExprPtr generator;
  bool lateral_outer = false;

  /// STREAM(t), STREAM t, STREAM delta.`path`, STREAM read_files(...): read as a stream
  /// (kNamed, kPath, kFunction). Only a streaming table's query may hold one.
  bool stream = false;
};

/// SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... (one query block).
struct SelectCore {
  SourcePosition position;
  bool distinct = false;
  std::vector<SelectItem> select_list;
  TableRefPtr from;  // null when there is no FROM; several FROM items become cross joins
  ParsedExprPtr where;
  std::vector<ParsedExprPtr> group_by;  // expressions or ordinals (integer literals)
  bool group_by_all = false;            // GROUP BY ALL
  ParsedExprPtr having;
  ParsedExprPtr qualify;
  /// WINDOW w AS (...), in order.
  std::vector<std::pair<std::string, WindowSpec>> named_windows;
};

enum class SetOpKind : uint8_t { kUnion, kIntersect, kExcept };

enum class QueryBodyKind : uint8_t {
  kSelect,  // select
  kSetOp,   // left op right
  kValues,  // VALUES rows (a top-level VALUES statement or a set-op operand)
  kQuery,   // a parenthesized query with its own ORDER BY / LIMIT
};

struct QueryBody;
using QueryBodyPtr = std::unique_ptr<QueryBody>;

struct QueryBody {
  QueryBodyKind kind = QueryBodyKind::kSelect;
  SourcePosition position;
  std::unique_ptr<SelectCore> select;
  SetOpKind set_op = SetOpKind::kUnion;
  bool all = false;  // UNION ALL; false = DISTINCT (the default)
  QueryBodyPtr left;
  QueryBodyPtr right;
  std::vector<std::vector<ParsedExprPtr>> values_rows;
  QueryPtr query;
};

/// A common table expression: name [(columns)] AS (query).
struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_aliases;
  QueryPtr query;
};

/// A whole query: [WITH ...] body [ORDER BY ...] [LIMIT n] [OFFSET m].
struct QueryNode {
  SourcePosition position;
  std::vector<CommonTableExpr> ctes;
  QueryBodyPtr body;
  std::vector<OrderItem> order_by;
  ParsedExprPtr limit;   // null when none; LIMIT ALL is none
  ParsedExprPtr offset;  // null when none
};

/// A column of CREATE TABLE / ALTER TABLE ADD COLUMNS.
struct ColumnDefinition {
  std::string name;
  std::string type_text;  // DDL text, e.g. "ARRAY<STRUCT<a: INT>>"
  bool not_null = false;
  std::string comment;  // empty when none
  SourcePosition position;
};

enum class StatementKind : uint8_t {
  kQuery,                      // query
  kInsert,                     // INSERT INTO|OVERWRITE [TABLE] table [(cols)] query
  kCreateTable,                // CREATE [OR REPLACE] TABLE [IF NOT EXISTS] ... [AS query]
  kDropTable,                  // DROP TABLE [IF EXISTS] table
  kAlterTableSetProperties,    // ALTER TABLE t SET TBLPROPERTIES (...)
  kAlterTableUnsetProperties,  // ALTER TABLE t UNSET TBLPROPERTIES [IF EXISTS] (...)
  kAlterTableAddColumns,       // ALTER TABLE t ADD COLUMN[S] (...)
  kCreateDatabase,     // CREATE DATABASE|SCHEMA [IF NOT EXISTS] name [LOCATION ..] [COMMENT ..]
  kDropDatabase,       // DROP DATABASE|SCHEMA [IF EXISTS] name [CASCADE]
  kUseDatabase,        // USE [DATABASE|SCHEMA] name
  kShowDatabases,      // SHOW DATABASES|SCHEMAS [LIKE 'pattern']
  kShowTables,         // SHOW TABLES [FROM|IN db] [LIKE 'pattern']
  kShowTblProperties,  // SHOW TBLPROPERTIES table [('key')]
  kShowColumns,        // SHOW COLUMNS FROM|IN table
  kDescribeTable,      // DESCRIBE|DESC [TABLE] [EXTENDED] table
  kDescribeHistory,    // DESCRIBE HISTORY table [LIMIT n]
  kDescribeDetail,     // DESCRIBE DETAIL table
  kDescribeQuery,      // DESCRIBE [QUERY] query
  kExplain,            // EXPLAIN [EXTENDED|FORMATTED|COST|CODEGEN] statement
  kSet,                // SET key = value | SET key | SET (key empty: list all)
  kReset,              // RESET [key]
  /// CREATE [OR REFRESH] STREAMING TABLE [IF NOT EXISTS] name [(columns)]
  /// [PARTITIONED BY (..)] [COMMENT ..] [TBLPROPERTIES (..)] AS query
  kCreateStreamingTable,
};

struct Statement;
using StatementPtr = std::unique_ptr<Statement>;

/// One SQL statement.
struct Statement {
  StatementKind kind = StatementKind::kQuery;
  SourcePosition position;
  /// The statement's own text (from its first token through its last, without `;`).
  std::string text;

  QueryPtr query;  // kQuery, kInsert, kCreateTable (AS SELECT), kDescribeQuery

  /// The table (kInsert, kCreateTable, kDropTable, kAlterTable*, kShowTblProperties,
  /// kShowColumns, kDescribe*): kNamed or kPath (delta.`/path`).
  TableRefPtr table;
  /// The database (kCreateDatabase, kDropDatabase, kUseDatabase, kShowTables FROM db).
  std::string database;

  bool if_not_exists = false;
  bool if_exists = false;
  bool or_replace = false;
  bool or_refresh = false;  // CREATE OR REFRESH STREAMING TABLE
  bool overwrite = false;   // INSERT OVERWRITE
  bool extended = false;    // DESCRIBE EXTENDED, EXPLAIN EXTENDED
  bool cascade = false;     // DROP DATABASE ... CASCADE
  bool external = false;    // CREATE EXTERNAL TABLE

  std::vector<std::string> insert_columns;  // INSERT INTO t (a, b)
  /// INSERT ... PARTITION (a = 1, b): static values (a constant expression) or, null,
  /// a dynamic column the query supplies.
  std::vector<std::pair<std::string, ParsedExprPtr>> insert_partition;

  // CREATE TABLE and ALTER TABLE ADD COLUMNS.
  std::vector<ColumnDefinition> columns;
  std::string using_format;               // USING DELTA (lower-cased); empty = default
  std::vector<std::string> partition_by;  // PARTITIONED BY (a, b)
  std::string location;                   // LOCATION '...'
  std::string comment;                    // COMMENT '...'
  /// TBLPROPERTIES / OPTIONS / SET TBLPROPERTIES, in order; values unquoted text.
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<std::string> property_keys;  // UNSET TBLPROPERTIES, SHOW TBLPROPERTIES t ('k')

  std::string pattern;  // SHOW ... LIKE 'pattern'
  ParsedExprPtr limit;  // DESCRIBE HISTORY t LIMIT n

  StatementPtr explained;    // kExplain
  std::string explain_mode;  // "", "extended", "formatted", "cost", "codegen"

  std::string set_key;    // kSet, kReset
  std::string set_value;  // kSet: the raw text after '=', trimmed; empty for `SET key`
  bool set_has_value = false;
};

}  // namespace sluice::sql
