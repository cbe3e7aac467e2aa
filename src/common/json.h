// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace sluice {

/// A small JSON document model for metadata (schema strings, configuration, log actions),
/// not for data: bulk records go through formats/json (simdjson). Objects keep their
/// key order and duplicate keys. Numbers keep their source text, so 64-bit integers and
/// decimals round-trip exactly.
class JsonValue {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue Null() { return JsonValue(); }
  static JsonValue Bool(bool value);
  /// `text` must be a valid JSON number.
  static JsonValue NumberText(std::string text);
  static JsonValue Int(int64_t value);
  static JsonValue Double(double value);
  static JsonValue String(std::string value);
  static JsonValue Array(std::vector<JsonValue> items = {});
  static JsonValue Object(std::vector<Member> members = {});

  /// Parses one RFC 8259 document (surrounding white space allowed). Errors are
  /// kParseError naming the byte offset and what was expected.
  static Result<JsonValue> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  bool bool_value() const { return bool_; }
  /// The string's value (kString) or the number's source text (kNumber).
  const std::string& text() const { return text_; }
  /// Returns the number as int64 when it is an integer in range.
  Result<int64_t> AsInt64() const;
  Result<double> AsDouble() const;

  const std::vector<JsonValue>& items() const { return items_; }
  std::vector<JsonValue>& items() { return items_; }
  const std::vector<Member>& members() const { return members_; }
  std::vector<Member>& members() { return members_; }
  /// Returns the first member named `key`, or nullptr.
  const JsonValue* Find(std::string_view key) const;

  /// Writes compact JSON (no spaces), strings escaped as Jackson does.
  std::string Serialize() const;
  void SerializeTo(std::string* out) const;

  bool operator==(const JsonValue& other) const;

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

/// Appends `value` as a quoted JSON string to `out`.
void AppendJsonString(std::string_view value, std::string* out);

}  // namespace sluice
