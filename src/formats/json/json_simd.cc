// SPDX-License-Identifier: Apache-2.0
#include "formats/json/json_simd.h"

namespace sluice::json::internal {

using simdjson::error_code;

error_code ValidateValue(od::value value, int depth) {
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
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) {
          return error;
        }
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) {
          return error;
        }
        if (auto error = ValidateValue(field.value(), depth + 1)) {
          return error;
        }
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) {
        return error;
      }
      for (auto element_result : array) {
        od::value element;
        if (auto error = std::move(element_result).get(element)) {
          return error;
        }
        if (auto error = ValidateValue(element, depth + 1)) {
          return error;
        }
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view text;
      return value.get_string().get(text);
    }
    case od::json_type::number: {
      std::string_view raw = value.raw_json_token();
      return IsJsonNumber(NumberToken(raw)) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    }
    case od::json_type::boolean: {
      bool flag;
      return value.get_bool().get(flag);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) {
        return error;
      }
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

error_code AppendCompactJson(od::value value, std::string* out, int depth) {
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
      out->push_back('{');
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
        if (!first) {
          out->push_back(',');
        }
        first = false;
        AppendQuoted(key, out);
        out->push_back(':');
        if (auto error = AppendCompactJson(field.value(), out, depth + 1)) {
          return error;
        }
      }
      out->push_back('}');
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) {
        return error;
      }
      out->push_back('[');
      bool first = true;
      for (auto element_result : array) {
        od::value element;
        if (auto error = std::move(element_result).get(element)) {
          return error;
        }
        if (!first) {
          out->push_back(',');
        }
        first = false;
        if (auto error = AppendCompactJson(element, out, depth + 1)) {
          return error;
        }
      }
      out->push_back(']');
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) {
        return error;
      }
      AppendQuoted(text, out);
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      std::string_view raw = value.raw_json_token();
      const std::string_view token = NumberToken(raw);
      if (!IsJsonNumber(token)) {
        return simdjson::NUMBER_ERROR;
      }
      out->append(token);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool flag;
      if (auto error = value.get_bool().get(flag)) {
        return error;
      }
      out->append(flag ? "true" : "false");
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
      out->append("null");
      return simdjson::SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

}  // namespace sluice::json::internal
