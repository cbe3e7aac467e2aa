// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "columnar/vector.h"
#include "common/result.h"
#include "delta/actions.h"
#include "formats/parquet/statistics.h"
#include "types/data_type.h"

// Partition values and data file paths (delta-io/delta PROTOCOL.md, "Partition Value
// Serialization" and "Add File and Remove File"):
// - an add's partitionValues hold each partition column's value as a string; these
//   functions turn them into typed values (parquet::Literal, which the predicate code
//   prunes with) and into constant columns for scanned batches, and back;
// - data files live in Hive-style directories "col=value/..." whose names escape
//   special characters (Spark's ExternalCatalogUtils.escapePathName);
// - add.path is a URI (RFC 2396): a relative path is percent-encoded, an absolute one is
//   a full URI such as "file:/data/t/a.parquet".

namespace sluice::delta {

/// The directory name Spark and Hive give a null partition value.
inline constexpr std::string_view kHiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

/// Parses a serialized partition value of a column of `type` into a literal of `type`.
/// A missing value (nullopt: absent from partitionValues or JSON null) and the empty
/// string are null for every type, as the protocol says ("An empty string for any type
/// translates to a null partition value"; Spark never writes an empty string, it writes
/// null). Otherwise, by type:
/// - string: the text; binary: its bytes;
/// - boolean: "true" or "false", ignoring ASCII case;
/// - byte, short, int, long: an optional sign and decimal digits, in the type's range;
/// - float, double: a decimal number ("1.5", "-2.0E-3", ".5"), or NaN / Infinity /
///   -Infinity (also "inf", ignoring case); floats are rounded to the nearest float;
/// - decimal(p,s): a decimal number (exponents allowed), rounded half-up to scale s,
///   that fits p digits;
/// - date: "yyyy-MM-dd" (Spark's CAST AS DATE forms);
/// - timestamp: "yyyy-MM-dd HH:mm:ss[.ffffff]" read as UTC (the protocol lets old
///   writers use their own time zone; sluice reads them as UTC), or ISO-8601 with 'T'
///   and an offset or 'Z', as "1971-07-22T03:06:40.000000Z";
/// - timestamp_ntz: "yyyy-MM-dd HH:mm:ss[.ffffff]" (or with 'T'), no zone.
/// kCorruption naming the value and the type when the text does not parse;
/// kInvalidArgument for a type Delta cannot partition by (struct, array, map, variant);
/// void accepts only null.
Result<parquet::Literal> ParsePartitionValue(const TypePtr& type,
                                             const std::optional<std::string>& value);

/// Returns a literal's partition-value text as Spark writes it (CAST AS STRING in UTC):
/// "true"/"false", integers in decimal, floats and doubles as Java prints them ("1.0",
/// "1.0E10", "NaN"), decimals plain with their scale ("1.50"), dates "2024-01-31",
/// timestamps and timestamp_ntz "2024-01-31 10:00:00" with the fraction only when non-zero
/// and without trailing zeros ("2024-01-31 10:00:00.5"), strings as is, binary as its
/// bytes. A null literal, and an empty string or binary (which reads back as null),
/// return nullopt. kInvalidArgument when the value does not hold what its type needs
/// (see parquet::Literal) or the type cannot be a partition column.
Result<std::optional<std::string>> FormatPartitionLiteral(const parquet::Literal& literal);

/// Returns row `row` of `vector` as FormatPartitionLiteral formats it; for writing
/// partitionValues. kInvalidArgument for a vector type that cannot be a partition
/// column.
Result<std::optional<std::string>> FormatPartitionValue(const Vector& vector, int64_t row);

/// Returns the value of row `row` of `vector` (of a primitive type) as a literal of the
/// vector's type; a null row gives a null literal. kInvalidArgument for nested, variant
/// types and rows out of range.
Result<parquet::Literal> LiteralAt(const Vector& vector, int64_t row);

/// Returns a vector of `type` holding `length` copies of `value` (all nulls when `value`
/// is null, as conform.h's MakeNullVector, for any type), e.g. a partition column of a
/// scanned batch. A non-null value must be of a
/// primitive type and hold what that type needs (see parquet::Literal), in the range of
/// `type` (kInvalidArgument otherwise, as for a negative length); its own `type` field
/// is not consulted, so a literal parsed for one type fills a vector of `type`.
Result<VectorPtr> MakeConstantVector(const TypePtr& type, const parquet::Literal& value,
                                     int64_t length);

/// Escapes a partition column name or value for a directory name as Spark and Hive do
/// (ExternalCatalogUtils.escapePathName): bytes 0x00-0x1F, 0x7F and each of
/// "\"#%'*/:=?\\{[]^ become '%' and two upper-case hex digits; everything else, non-ASCII
/// bytes included, stays. ("a=b/c" -> "a%3Db%2Fc".)
std::string EscapePartitionPathName(std::string_view name);

/// Undoes EscapePartitionPathName: each '%' followed by two hex digits becomes that
/// byte; any other '%' stays as is (as Spark's unescapePathName).
std::string UnescapePartitionPathName(std::string_view name);

/// Returns the relative directory of a file with these partition values, in their
/// order: "a=1/b=__HIVE_DEFAULT_PARTITION__", names and values escaped with
/// EscapePartitionPathName, a null or empty value as kHiveDefaultPartition. Empty for no
/// partition columns.
std::string PartitionDirectory(const PartitionValues& values);

/// Percent-decodes a URI path: "%XX" (two hex digits, either case) becomes the byte XX;
/// '+' and every other character stay as they are. kInvalidArgument naming the text and
/// the position of a '%' that is not followed by two hex digits.
Result<std::string> DecodeUriPath(std::string_view text);

/// Percent-encodes a relative file path for add.path as Spark writes it (Hadoop's
/// Path.toUri, java.net.URI's quoting): ASCII letters, digits, "-_.!~*'()", ":@&=+$,;" and
/// '/' stay, every other ASCII byte (space, '%', '#', '?', '"', '<', '>', '[', ']', '\\',
/// '^', '`', '{', '|', '}', controls) becomes "%XX" (upper-case hex); non-ASCII UTF-8
/// characters stay as they are ("data=😈" as Spark writes it) except Unicode controls and
/// space separators, which are encoded byte by byte, as is any byte that is not UTF-8. A
/// ':' before the first '/' is encoded too, so that the path cannot read as a URI scheme.
/// DecodeUriPath(EncodeUriPath(p)) == p for every p.
std::string EncodeUriPath(std::string_view path);

/// Returns the local file path of a data file named by `add_path` (add.path,
/// remove.path, cdc.path) in the table at `table_root` (a local directory, or a "file:"
/// URI of one):
/// - a relative path is percent-decoded and joined to the root;
/// - an absolute path ("/data/x.parquet") is percent-decoded;
/// - a "file:" URI ("file:/x", "file:///x", "file://localhost/x") gives its decoded path.
/// Runs of '/' become one. kCorruption naming the path for a bad percent escape;
/// kNotImplemented naming the scheme for other URI schemes ("s3:", "abfss:") and naming
/// the host for a "file:" URI with a host other than localhost.
Result<std::string> ResolveDataPath(const std::string& table_root, std::string_view add_path);

/// Returns the form of a file path under which log replay compares adds and removes:
/// the same file named by a relative path, an absolute path or a "file:" URI, with or
/// without percent-encoding, gets one string (the decoded absolute local path, runs of
/// '/' made one, "." segments dropped). A URI of another scheme gets its scheme
/// lower-cased and the rest percent-decoded. A path that cannot be decoded is returned as
/// is (reading it fails later, with ResolveDataPath's error).
std::string CanonicalizePath(const std::string& table_root, std::string_view path);

}  // namespace sluice::delta
