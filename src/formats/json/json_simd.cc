// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_simd.h"

#include <cmath>

#include "types/number_format.h"

namespace sluice::json::internal {
namespace {

using simdjson::error_code;

/// Appends the JSON number `token` (the text of `value`) as Jackson's generator writes
/// what its parser read: an integer keeps its digits (-0 is the int 0); a number with a
/// fraction or exponent is a double, written as Java's Double.toString. A float past the
/// double range (Jackson: Infinity, written quoted) keeps its text.
void AppendJavaNumber(od::value& value, std::string_view token, std::string* out) {
  if (IsJsonInteger(token)) {
    out->append(token == "-0" ? std::string_view("0") : token);
    return;
  }
  double number;
  if (value.get_double().get(number) != simdjson::SUCCESS || !std::isfinite(number)) {
    out->append(token);
    return;
  }
  out->append(FormatDouble(number));
}

/// Reads `value` completely, checking every token; with kAppend, also appends it to
/// `*out` as compact JSON (`out` is unused without). One walker for both, so that what
/// is checked is what is copied; the template keeps validation free of the appending.
template <bool kAppend>
error_code WalkValue(od::value value, int depth, std::string* out, NumberText numbers) {
  if (depth > kMaxNestingDepth) {
    return simdjson::DEPTH_ERROR;
  }
  od::json_type type;
  if (auto error = value.type().get(type)) {
    return error;
  }
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) {
        return error;
      }
      if constexpr (kAppend) {
        out->push_back('{');
      }
      bool first = true;
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) {
          return error;
        }
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) {
          return error;
        }
        if constexpr (kAppend) {
          if (!first) {
            out->push_back(',');
          }
          AppendQuoted(key, out);
          out->push_back(':');
        }
        first = false;
        if (auto error = WalkValue<kAppend>(field.value(), depth + 1, out, numbers)) {
          return error;
        }
      }
      if constexpr (kAppend) {
        out->push_back('}');
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) {
        return error;
      }
      if constexpr (kAppend) {
        out->push_back('[');
      }
      bool first = true;
      for (auto element_result : array) {
        od::value element;
        if (auto error = std::move(element_result).get(element)) {
          return error;
        }
        if constexpr (kAppend) {
          if (!first) {
            out->push_back(',');
          }
        }
        first = false;
        if (auto error = WalkValue<kAppend>(element, depth + 1, out, numbers)) {
          return error;
        }
      }
      if constexpr (kAppend) {
        out->push_back(']');
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) {
        return error;
      }
      if constexpr (kAppend) {
        AppendQuoted(text, out);
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      std::string_view raw = value.raw_json_token();
      const std::string_view token = NumberToken(raw);
      if (!IsJsonNumber(token)) {
        return simdjson::NUMBER_ERROR;
      }
      if constexpr (kAppend) {
        if (numbers == NumberText::kJavaDouble) {
          AppendJavaNumber(value, token, out);
        } else {
          out->append(token);
        }
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool flag;
      if (auto error = value.get_bool().get(flag)) {
        return error;
      }
      if constexpr (kAppend) {
        out->append(flag ? "true" : "false");
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) {
        return error;
      }
      if (!is_null) {
        return simdjson::N_ATOM_ERROR;
      }
      if constexpr (kAppend) {
        out->append("null");
      }
      return simdjson::SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

}  // namespace

error_code ValidateValue(od::value value, int depth) {
  return WalkValue<false>(value, depth, nullptr, NumberText::kAsWritten);
}

error_code AppendCompactJson(od::value value, std::string* out, int depth, NumberText numbers) {
  return WalkValue<true>(value, depth, out, numbers);
}

}  // namespace sluice::json::internal
