// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/builder.h"
#include "columnar/vector.h"
#include "common/json.h"
#include "types/data_type.h"

// Shared by checkpoint_reader.cc and checkpoint_writer.cc: a checkpoint's typed
// statistics (add.stats_parsed) to and from the `stats` JSON of the log.
namespace sluice::delta::checkpoint_internal {

/// Returns the index of field `name` of a struct type as Spark resolves names: the exact
/// name, else the one field equal ignoring ASCII case; -1 when absent or ambiguous.
int ResolveField(const DataType& type, std::string_view name);

/// Returns the `stats` JSON of row `row` of a stats_parsed struct vector: numRecords,
/// minValues, maxValues, nullCount and tightBounds in that order, nulls (and binary,
/// list, map, variant values) left out; timestamps "yyyy-MM-ddTHH:mm:ss.SSSZ",
/// timestamp_ntz without the 'Z', dates "yyyy-MM-dd", numbers as JSON numbers, NaN and
/// infinities as strings.
std::string StatsStructToJson(const Vector& stats, int64_t row);

/// The fields of a struct type by name, and the same for its struct fields, built once
/// so that statistics objects are matched to fields in time linear in their members.
class FieldLookup {
 public:
  explicit FieldLookup(const DataType& type);

  /// Returns the index of the field named `name`, or -1.
  int Find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
  }
  /// The lookup of struct field `index`; null for fields of other types.
  const FieldLookup* child(int index) const { return children_[index].get(); }
  int num_fields() const { return static_cast<int>(children_.size()); }

 private:
  std::map<std::string, int, std::less<>> index_;
  std::vector<std::unique_ptr<FieldLookup>> children_;
};

/// Which columns the adds' statistics mention, per section, as a tree over the table
/// schema; it gives the type of stats_parsed.
class StatsShape {
 public:
  /// `table` is the table schema as a struct, named as the statistics key columns (the
  /// physical schema under column mapping); it must outlive the shape.
  explicit StatsShape(const DataType& table);

  /// Takes in the statistics of one add (a parsed `stats` JSON object).
  void Add(const JsonValue& stats);

  /// Returns the stats_parsed type: numRecords; minValues and maxValues of the mentioned
  /// columns whose types have bounds (numbers, decimals, strings, booleans, dates,
  /// timestamps); nullCount of every mentioned column (long; nested structs as structs);
  /// tightBounds when some statistics have it. Null when no add had statistics.
  TypePtr Type() const;

 private:
  /// One struct of the table schema: which of its fields some statistics mention.
  struct Node {
    std::vector<bool> present;
    std::vector<Node> children;
  };

  static void Mark(const JsonValue* object, const FieldLookup& lookup, Node* node);
  TypePtr SectionType(const DataType& type, const Node& node, bool null_count) const;

  const DataType& table_;
  FieldLookup lookup_;
  bool any_ = false;
  bool tight_bounds_ = false;
  Node min_, max_, null_count_;
};

/// Appends a statistic given as JSON (`value`, null or absent: a null) to `builder`, the
/// builder of `type`; `lookup` finds the fields of a struct `type` (FieldLookup(type)). JSON
/// numbers fill numbers and decimals, strings fill strings, dates, timestamps and NaN / infinities,
/// booleans fill booleans, objects fill structs. A value that does not fit its type is appended as
/// null: statistics are hints.
void AppendJsonStatistic(VectorBuilder* builder, const DataType& type, const FieldLookup* lookup,
                         const JsonValue* value);

}  // namespace sluice::delta::checkpoint_internal
