// SPDX-License-Identifier: Apache-2.0
// The `_last_checkpoint` file.

#include "delta/checkpoint.h"

#include <fmt/format.h>

namespace sluice::delta {

namespace {

// Reads the fields of the `_last_checkpoint` object; a JSON null counts as absent.
class LastCheckpointReader {
 public:
  LastCheckpointReader(std::string_view file, const JsonValue& object)
      : file_(file), object_(object) {}

  const JsonValue* Find(std::string_view name) const {
    const JsonValue* value = object_.Find(name);
    return value == nullptr || value->is_null() ? nullptr : value;
  }

  Status Invalid(std::string_view field, std::string_view expected) const {
    return Status::Corruption(fmt::format("{}: field '{}' is not {}", file_, field, expected));
  }

  Result<std::optional<int64_t>> OptionalInt(std::string_view name) const {
    const JsonValue* value = Find(name);
    if (value == nullptr) {
      return std::optional<int64_t>();
    }
    if (!value->is_number()) {
      return Invalid(name, "an integer");
    }
    Result<int64_t> number = value->AsInt64();
    if (!number.ok()) {
      return Invalid(name, "an integer");
    }
    return std::optional<int64_t>(*number);
  }

  Result<int64_t> RequiredInt(std::string_view name) const {
    SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalInt(name));
    if (!value.has_value()) {
      return Status::Corruption(fmt::format("{}: required field '{}' is missing", file_, name));
    }
    return *value;
  }

 private:
  std::string_view file_;
  const JsonValue& object_;
};

Result<std::optional<StringMap>> ParseTags(const JsonValue* value, std::string_view file) {
  if (value == nullptr || value->is_null()) {
    return std::optional<StringMap>();
  }
  if (!value->is_object()) {
    return Status::Corruption(fmt::format("{}: field 'tags' is not an object", file));
  }
  StringMap tags;
  for (const auto& [key, item] : value->members()) {
    if (item.is_string()) {
      tags.emplace_back(key, item.text());
    } else if (!item.is_null()) {
      tags.emplace_back(key, item.Serialize());
    }
  }
  return std::optional<StringMap>(std::move(tags));
}

Result<LastCheckpointV2> ParseV2(const JsonValue& value, std::string_view file) {
  if (!value.is_object()) {
    return Status::Corruption(fmt::format("{}: field 'v2Checkpoint' is not an object", file));
  }
  LastCheckpointReader in(file, value);
  LastCheckpointV2 v2;
  const JsonValue* path = in.Find("path");
  if (path == nullptr || !path->is_string()) {
    return in.Invalid("v2Checkpoint.path", "a string");
  }
  v2.path = path->text();
  SLUICE_ASSIGN_OR_RETURN(v2.size_in_bytes, in.RequiredInt("sizeInBytes"));
  SLUICE_ASSIGN_OR_RETURN(v2.modification_time, in.RequiredInt("modificationTime"));
  if (const JsonValue* actions = in.Find("nonFileActions")) {
    if (!actions->is_array()) {
      return in.Invalid("v2Checkpoint.nonFileActions", "an array");
    }
    v2.non_file_actions.emplace();
    for (const JsonValue& item : actions->items()) {
      Result<std::optional<Action>> action = ParseAction(item);
      if (!action.ok()) {
        return std::move(action).status().WithContext(file);
      }
      if (action->has_value()) {
        v2.non_file_actions->push_back(std::move(**action));
      }
    }
  }
  if (const JsonValue* sidecars = in.Find("sidecarFiles")) {
    if (!sidecars->is_array()) {
      return in.Invalid("v2Checkpoint.sidecarFiles", "an array");
    }
    v2.sidecar_files.emplace();
    for (const JsonValue& item : sidecars->items()) {
      Result<std::optional<Action>> action =
          ParseAction(JsonValue::Object({JsonValue::Member("sidecar", item)}));
      if (!action.ok()) {
        return std::move(action).status().WithContext(file);
      }
      v2.sidecar_files->push_back(std::get<Sidecar>(std::move(**action)));
    }
  }
  return v2;
}

}  // namespace

Result<LastCheckpoint> ParseLastCheckpoint(std::string_view text, std::string_view file_name) {
  Result<JsonValue> json = JsonValue::Parse(text);
  if (!json.ok() || !json->is_object()) {
    return Status::Corruption(
        fmt::format("{} is not a JSON object: {}", file_name,
                    json.ok() ? std::string("another JSON value") : json.status().message()));
  }
  LastCheckpointReader in(file_name, *json);
  LastCheckpoint last;
  SLUICE_ASSIGN_OR_RETURN(last.version, in.RequiredInt("version"));
  if (last.version < 0) {
    return in.Invalid("version", "a version >= 0");
  }
  SLUICE_ASSIGN_OR_RETURN(last.size, in.RequiredInt("size"));
  SLUICE_ASSIGN_OR_RETURN(last.parts, in.OptionalInt("parts"));
  SLUICE_ASSIGN_OR_RETURN(last.size_in_bytes, in.OptionalInt("sizeInBytes"));
  if (!last.size_in_bytes.has_value()) {
    SLUICE_ASSIGN_OR_RETURN(last.size_in_bytes, in.OptionalInt("size_in_bytes"));
  }
  SLUICE_ASSIGN_OR_RETURN(last.num_of_add_files, in.OptionalInt("numOfAddFiles"));
  if (const JsonValue* schema = in.Find("checkpointSchema")) {
    last.checkpoint_schema = *schema;
  }
  if (const JsonValue* v2 = in.Find("v2Checkpoint")) {
    SLUICE_ASSIGN_OR_RETURN(last.v2_checkpoint, ParseV2(*v2, file_name));
  }
  SLUICE_ASSIGN_OR_RETURN(last.tags, ParseTags(in.Find("tags"), file_name));
  if (const JsonValue* checksum = in.Find("checksum")) {
    if (!checksum->is_string()) {
      return in.Invalid("checksum", "a string");
    }
    last.checksum = checksum->text();
  }
  return last;
}

Result<std::optional<LastCheckpoint>> ReadLastCheckpoint(const std::string& log_dir,
                                                         FileSystem& fs) {
  const std::string path = JoinPath(log_dir, kLastCheckpointFileName);
  Result<std::string> text = fs.ReadFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return std::optional<LastCheckpoint>();
    }
    return text.status();
  }
  SLUICE_ASSIGN_OR_RETURN(LastCheckpoint last, ParseLastCheckpoint(*text, path));
  return std::optional<LastCheckpoint>(std::move(last));
}

std::string SerializeLastCheckpoint(const LastCheckpoint& last) {
  std::vector<JsonValue::Member> members;
  auto put_int = [&members](std::string_view name, std::optional<int64_t> value) {
    if (value.has_value()) {
      members.emplace_back(std::string(name), JsonValue::Int(*value));
    }
  };
  put_int("version", last.version);
  put_int("size", last.size);
  put_int("parts", last.parts);
  put_int("sizeInBytes", last.size_in_bytes);
  put_int("numOfAddFiles", last.num_of_add_files);
  if (last.checkpoint_schema.has_value()) {
    members.emplace_back("checkpointSchema", *last.checkpoint_schema);
  }
  if (last.v2_checkpoint.has_value()) {
    const LastCheckpointV2& v2 = *last.v2_checkpoint;
    std::vector<JsonValue::Member> fields;
    fields.emplace_back("path", JsonValue::String(v2.path));
    fields.emplace_back("sizeInBytes", JsonValue::Int(v2.size_in_bytes));
    fields.emplace_back("modificationTime", JsonValue::Int(v2.modification_time));
    if (v2.non_file_actions.has_value()) {
      std::vector<JsonValue> actions;
      for (const Action& action : *v2.non_file_actions) {
        actions.push_back(ActionToJson(action));
      }
      fields.emplace_back("nonFileActions", JsonValue::Array(std::move(actions)));
    }
    if (v2.sidecar_files.has_value()) {
      std::vector<JsonValue> sidecars;
      for (const Sidecar& sidecar : *v2.sidecar_files) {
        sidecars.push_back(ActionToJson(sidecar).members().front().second);
      }
      fields.emplace_back("sidecarFiles", JsonValue::Array(std::move(sidecars)));
    }
    members.emplace_back("v2Checkpoint", JsonValue::Object(std::move(fields)));
  }
  if (last.tags.has_value()) {
    std::vector<JsonValue::Member> tags;
    for (const auto& [key, value] : *last.tags) {
      tags.emplace_back(key, JsonValue::String(value));
    }
    members.emplace_back("tags", JsonValue::Object(std::move(tags)));
  }
  return JsonValue::Object(std::move(members)).Serialize();
}

}  // namespace sluice::delta
