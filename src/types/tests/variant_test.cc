// SPDX-License-Identifier: Apache-2.0
#include "types/variant.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sluice {
namespace {

struct Encoded {
  std::string metadata;
  std::string value;
};

Encoded Encode(std::string_view json_text) {
  Result<JsonValue> json = JsonValue::Parse(json_text);
  EXPECT_TRUE(json.ok()) << json_text << ": " << json.status().ToString();
  Encoded encoded;
  if (json.ok()) {
    Status status = JsonToVariant(*json, &encoded.metadata, &encoded.value);
    EXPECT_TRUE(status.ok()) << json_text << ": " << status.ToString();
  }
  return encoded;
}

/// Encodes `json_text` and decodes it back to JSON text.
std::string RoundTrip(std::string_view json_text) {
  Encoded encoded = Encode(json_text);
  Result<std::string> back = VariantToJson(encoded.metadata, encoded.value);
  EXPECT_TRUE(back.ok()) << json_text << ": " << back.status().ToString();
  return back.ok() ? *back : "(error)";
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int byte : bytes) {
    out.push_back(static_cast<char>(byte));
  }
  return out;
}

std::string LittleEndian(uint64_t value, int size) {
  std::string out;
  for (int i = 0; i < size; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
  return out;
}

/// Metadata with no keys, as Spark writes it.
const std::string kEmptyMetadata = Bytes({0x01, 0x00, 0x00});

std::string DecodeOrError(const std::string& metadata, const std::string& value) {
  Result<std::string> json = VariantToJson(metadata, value);
  return json.ok() ? *json : json.status().ToString();
}

TEST(VariantTest, EncodesAsSparkParseJson) {
  // parse_json('{"a":1}') in Spark 4.0: dictionary ["a"]; an object of one field, 1-byte
  // ids and offsets, holding an int8.
  Encoded object = Encode(R"({"a":1})");
  EXPECT_EQ(object.metadata, Bytes({0x01, 0x01, 0x00, 0x01, 'a'}));
  EXPECT_EQ(object.value, Bytes({0x02, 0x01, 0x00, 0x00, 0x02, 0x0C, 0x01}));
  Encoded array = Encode("[null,true,false]");
  EXPECT_EQ(array.metadata, kEmptyMetadata);
  EXPECT_EQ(array.value, Bytes({0x03, 0x03, 0x00, 0x01, 0x02, 0x03, 0x00, 0x04, 0x08}));
  EXPECT_EQ(Encode("300").value, Bytes({0x10, 0x2C, 0x01}));            // int16
  EXPECT_EQ(Encode("1.50").value, Bytes({0x20, 0x02, 0x96, 0, 0, 0}));  // decimal4, scale 2
  EXPECT_EQ(Encode(R"("hi")").value, Bytes({0x09, 'h', 'i'}));          // short string
}

TEST(VariantTest, RoundTripsNestedDocuments) {
  for (std::string_view json : {
           R"({"a":1,"b":[true,false,null,"x"],"c":{"d":1.5,"e":-12345678901234}})",
           R"([[],{},[[[]]],{"k":{"k":{"k":[1,{"k":null}]}}}])",
           R"({"":"empty key","a b":"space","z":[{"a":1},{"a":2,"b":3}]})",
           "null",
           "true",
           R"("just a string")",
           "[]",
           "{}",
       }) {
    EXPECT_EQ(RoundTrip(json), json);
  }
}

TEST(VariantTest, ObjectsListFieldsInKeyOrder) {
  // Values stay in document order inside the encoding; fields print in key order.
  EXPECT_EQ(RoundTrip(R"({"b":1,"a":{"z":2,"y":3},"c":[{"q":1,"p":2}]})"),
            R"({"a":{"y":3,"z":2},"b":1,"c":[{"p":2,"q":1}]})");
  // UTF-8 byte order: "Z" < "a" < "é".
  EXPECT_EQ(RoundTrip(R"({"é":1,"a":2,"Z":3})"), R"({"Z":3,"a":2,"é":1})");
  // Keys repeated across objects share one dictionary entry.
  Encoded encoded = Encode(R"([{"id":1},{"id":2},{"id":3}])");
  EXPECT_EQ(encoded.metadata, Bytes({0x01, 0x01, 0x00, 0x02, 'i', 'd'}));
}

TEST(VariantTest, NumberKinds) {
  struct Case {
    std::string json;
    std::string back;
    int header;  // the first value byte: the encoding chosen
  };
  const std::vector<Case> cases = {
      {"0", "0", 0x0C},
      {"-0", "0", 0x0C},
      {"127", "127", 0x0C},
      {"-128", "-128", 0x0C},
      {"128", "128", 0x10},
      {"-32768", "-32768", 0x10},
      {"40000", "40000", 0x14},
      {"-2147483648", "-2147483648", 0x14},
      {"2147483648", "2147483648", 0x18},
      {"9223372036854775807", "9223372036854775807", 0x18},
      {"-9223372036854775808", "-9223372036854775808", 0x18},
      // Beyond int64: a decimal of scale 0.
      {"9223372036854775808", "9223372036854775808", 0x28},
      {"1.5", "1.5", 0x20},
      {"-0.001", "-0.001", 0x20},
      {"0.000", "0.000", 0x20},
      {"123456789", "123456789", 0x14},
      {"1234567.89", "1234567.89", 0x20},
      {"1234567890.12", "1234567890.12", 0x24},
      {"0.1234567890", "0.1234567890", 0x24},
      {"-12345678901234567890.123", "-12345678901234567890.123", 0x28},
      {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678", 0x28},
      {"0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678",
       0x28},
      // 39 digits or an exponent: a double.
      {"123456789012345678901234567890123456789", "1.2345678901234568E38", 0x1C},
      {"1e2", "100.0", 0x1C},
      {"1.5E-7", "1.5E-7", 0x1C},
      {"-2.5e+3", "-2500.0", 0x1C},
      {"1e400", R"("Infinity")", 0x1C},
      {"-1e400", R"("-Infinity")", 0x1C},
  };
  for (const Case& c : cases) {
    Encoded encoded = Encode(c.json);
    ASSERT_FALSE(encoded.value.empty()) << c.json;
    EXPECT_EQ(static_cast<uint8_t>(encoded.value[0]), c.header) << c.json;
    EXPECT_EQ(DecodeOrError(encoded.metadata, encoded.value), c.back) << c.json;
  }
}

TEST(VariantTest, StringsShortLongAndUnicode) {
  EXPECT_EQ(RoundTrip(R"("héllo 日本 😀")"), R"("héllo 日本 😀")");
  EXPECT_EQ(RoundTrip(R"("quote \" backslash \\ newline \n tab \t control \u0001 slash \/")"),
            R"("quote \" backslash \\ newline \n tab \t control \u0001 slash /")");
  const std::string short63(63, 'x');
  const std::string long64(64, 'y');
  Encoded encoded = Encode("\"" + short63 + "\"");
  EXPECT_EQ(static_cast<uint8_t>(encoded.value[0]), (63 << 2) | 1);
  EXPECT_EQ(encoded.value.size(), 64u);
  encoded = Encode("\"" + long64 + "\"");
  EXPECT_EQ(encoded.value.substr(0, 5), Bytes({0x40, 64, 0, 0, 0}));
  EXPECT_EQ(DecodeOrError(encoded.metadata, encoded.value), "\"" + long64 + "\"");
  const std::string long_unicode = "\"" + std::string(30, 'a') + "€😀" + std::string(40, 'b') + "\"";
  EXPECT_EQ(RoundTrip(long_unicode), long_unicode);
  // Keys are escaped like strings.
  EXPECT_EQ(RoundTrip(R"({"a\"b":1,"ключ":"значение"})"), R"({"a\"b":1,"ключ":"значение"})");
}

TEST(VariantTest, LargeObjectsAndArraysUseWiderFields) {
  // 300 elements: 4-byte element count; 300 distinct keys: 2-byte ids; over 255 bytes of
  // values: 2-byte offsets.
  std::string array = "[";
  std::string object = "{";
  for (int i = 0; i < 300; ++i) {
    if (i > 0) {
      array += ",";
      object += ",";
    }
    array += std::to_string(i);
    object += "\"k" + std::to_string(1000 + i) + "\":" + std::to_string(i);
  }
  array += "]";
  object += "}";
  Encoded encoded = Encode(array);
  EXPECT_EQ(static_cast<uint8_t>(encoded.value[0]), ((1 << 2 | 1) << 2) | 3);
  EXPECT_EQ(DecodeOrError(encoded.metadata, encoded.value), array);
  encoded = Encode(object);
  EXPECT_EQ(static_cast<uint8_t>(encoded.value[0]), ((1 << 4 | 1 << 2 | 1) << 2) | 2);
  EXPECT_EQ(DecodeOrError(encoded.metadata, encoded.value), object);
  // A long dictionary: 2-byte metadata offsets.
  EXPECT_EQ(static_cast<uint8_t>(encoded.metadata[0]), 0x41);
}

TEST(VariantTest, ReadsSortedAndUnsortedDictionaries) {
  // {"a":1,"b":2} with the dictionary ["a","b"] flagged sorted (header 0x11).
  const std::string sorted = Bytes({0x11, 0x02, 0x00, 0x01, 0x02, 'a', 'b'});
  const std::string value_sorted =
      Bytes({0x02, 0x02, 0x00, 0x01, 0x00, 0x02, 0x04, 0x0C, 0x01, 0x0C, 0x02});
  EXPECT_EQ(DecodeOrError(sorted, value_sorted), R"({"a":1,"b":2})");
  // The same object over the unsorted dictionary ["b","a"]: ids listed in key order
  // (a = 1, b = 0), values stored b first.
  const std::string unsorted = Bytes({0x01, 0x02, 0x00, 0x01, 0x02, 'b', 'a'});
  const std::string value_unsorted =
      Bytes({0x02, 0x02, 0x01, 0x00, 0x02, 0x00, 0x04, 0x0C, 0x02, 0x0C, 0x01});
  EXPECT_EQ(DecodeOrError(unsorted, value_unsorted), R"({"a":1,"b":2})");
  // 2-byte dictionary offsets (offset_size_minus_one = 1) and 2-byte value offsets.
  const std::string wide = Bytes({0x41, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 'k', 'e', 'y'});
  const std::string value_wide = Bytes({0x06, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00});
  EXPECT_EQ(DecodeOrError(wide, value_wide), R"({"key":null})");
}

TEST(VariantTest, DecodesEveryPrimitive) {
  struct Case {
    std::string value;
    std::string json;
  };
  auto primitive = [](int type, const std::string& data) {
    return static_cast<char>(type << 2) + data;
  };
  const std::vector<Case> cases = {
      {primitive(0, ""), "null"},
      {primitive(1, ""), "true"},
      {primitive(2, ""), "false"},
      {primitive(3, LittleEndian(0xFF, 1)), "-1"},
      {primitive(4, LittleEndian(0x8000, 2)), "-32768"},
      {primitive(5, LittleEndian(0x7FFFFFFF, 4)), "2147483647"},
      {primitive(6, LittleEndian(uint64_t{1} << 63, 8)), "-9223372036854775808"},
      {primitive(7, LittleEndian(0x3FF8000000000000ULL, 8)), "1.5"},
      {primitive(7, LittleEndian(0x4202A05F20000000ULL, 8)), "1.0E10"},
      {primitive(7, LittleEndian(0x7FF8000000000000ULL, 8)), R"("NaN")"},
      {primitive(7, LittleEndian(0xFFF0000000000000ULL, 8)), R"("-Infinity")"},
      {primitive(8, Bytes({2}) + LittleEndian(static_cast<uint32_t>(-12345), 4)), "-123.45"},
      {primitive(8, Bytes({3}) + LittleEndian(5, 4)), "0.005"},
      {primitive(9, Bytes({0}) + LittleEndian(999999999999999999ULL, 8)), "999999999999999999"},
      {primitive(10, Bytes({38}) + LittleEndian(1, 8) + LittleEndian(0, 8)),
       "0.00000000000000000000000000000000000001"},
      {primitive(10, Bytes({1}) + LittleEndian(~uint64_t{0}, 8) + LittleEndian(~uint64_t{0}, 8)),
       "-0.1"},
      {primitive(11, LittleEndian(19753, 4)), R"("2024-01-31")"},
      {primitive(11, LittleEndian(static_cast<uint32_t>(-1), 4)), R"("1969-12-31")"},
      {primitive(12, LittleEndian(1706695200500000ULL, 8)), R"("2024-01-31 10:00:00.5+00:00")"},
      {primitive(13, LittleEndian(1706695200000000ULL, 8)), R"("2024-01-31 10:00:00")"},
      {primitive(14, LittleEndian(0x3FC00000, 4)), "1.5"},
      {primitive(14, LittleEndian(0x7F800000, 4)), R"("Infinity")"},
      {primitive(15, LittleEndian(5, 4) + Bytes({0x00, 0x01, 0xFE, 0xFF, 0x10})), R"("AAH+/xA=")"},
      {primitive(15, LittleEndian(0, 4)), R"("")"},
      {primitive(15, LittleEndian(4, 4) + "abcd"), R"("YWJjZA==")"},
      {primitive(16, LittleEndian(3, 4) + "a\"b"), R"("a\"b")"},
      {primitive(20, Bytes({0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x01, 0x23, 0x45, 0x67,
                            0x89, 0xAB, 0xCD, 0xEF})),
       R"("12345678-9abc-def0-0123-456789abcdef")"},
      {Bytes({(3 << 2) | 1, 'a', 'b', 'c'}), R"("abc")"},
      {Bytes({1}), R"("")"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DecodeOrError(kEmptyMetadata, c.value), c.json) << c.json;
  }
}

TEST(VariantTest, MalformedBytesAreErrors) {
  auto code_of = [](const std::string& metadata, const std::string& value) {
    Result<std::string> json = VariantToJson(metadata, value);
    return json.ok() ? StatusCode::kOk : json.status().code();
  };
  const std::string null_value = Bytes({0x00});
  EXPECT_EQ(code_of("", null_value), StatusCode::kCorruption);
  EXPECT_EQ(code_of(Bytes({0x02, 0x00, 0x00}), null_value), StatusCode::kCorruption);  // version 2
  EXPECT_EQ(code_of(Bytes({0x01, 0x05, 0x00}), null_value), StatusCode::kCorruption);  // 5 keys?
  EXPECT_EQ(code_of(Bytes({0x01}), null_value), StatusCode::kCorruption);
  EXPECT_EQ(code_of(kEmptyMetadata, ""), StatusCode::kCorruption);
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x18, 0x01})), StatusCode::kCorruption);  // int64
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x09, 'a'})), StatusCode::kCorruption);   // 2 chars
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x40, 0x10, 0, 0, 0, 'a'})), StatusCode::kCorruption);
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({21 << 2})), StatusCode::kCorruption);
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({17 << 2, 0, 0, 0, 0, 0, 0, 0, 0})),
            StatusCode::kNotImplemented);
  // A decimal4 beyond 9 digits, a scale beyond 38.
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x20, 0x00}) + LittleEndian(1000000000, 4)),
            StatusCode::kCorruption);
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x20, 39}) + LittleEndian(1, 4)),
            StatusCode::kCorruption);
  // An object whose field id is not in the (empty) dictionary.
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x02, 0x01, 0x00, 0x00, 0x01, 0x00})),
            StatusCode::kCorruption);
  // An array whose element offset is past its data, and one whose data is cut short.
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x03, 0x01, 0x01, 0x01, 0x00})),
            StatusCode::kCorruption);
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x03, 0x01, 0x00, 0x05, 0x00})),
            StatusCode::kCorruption);
  // An array of 2^32 - 1 elements in 7 bytes.
  EXPECT_EQ(code_of(kEmptyMetadata, Bytes({0x07 << 2 | 3, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00})),
            StatusCode::kCorruption);
}

TEST(VariantTest, NestingIsLimited) {
  // 1001 arrays of one element each, with 4-byte offsets: an error, not a stack overflow.
  std::string value = Bytes({0x00});
  for (int i = 0; i < 1001; ++i) {
    value =
        Bytes({(3 << 2) | 3, 0x01}) + LittleEndian(0, 4) + LittleEndian(value.size(), 4) + value;
  }
  Result<std::string> json = VariantToJson(kEmptyMetadata, value);
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.status().code(), StatusCode::kCorruption);
  EXPECT_NE(json.status().message().find("nested deeper than 1000"), std::string::npos);
}

TEST(VariantTest, DuplicateKeysAreRejected) {
  Result<JsonValue> json = JsonValue::Parse(R"({"a":{"x":1,"y":2,"x":3}})");
  ASSERT_TRUE(json.ok());
  std::string metadata;
  std::string value;
  Status status = JsonToVariant(*json, &metadata, &value);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "variant: duplicate object key \"x\"");
}

}  // namespace
}  // namespace sluice
