// SPDX-License-Identifier: Apache-2.0
// String functions: concat, concat_ws, substring, left, right, lower, upper, trim,
// length, replace, instr, locate, lpad, rpad, initcap, repeat, reverse, ascii, chr,
// startswith, endswith, contains, translate, split_part, uuid. format_string is in
// format_string.cc, the regexp family in regexp.cc.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <random>

#include "columnar/concat.h"
#include "common/utf8.h"
#include "expr/builtins.h"
#include "expr/functions/core_internal.h"
#include "expr/functions/kernel.h"
#include "expr/functions/string_util.h"

namespace sluice::expr {

namespace strings {

Result<std::vector<TypePtr>> CoerceArgs(const BindContext& ctx, std::string_view name,
                                        const std::vector<ExprPtr>& args,
                                        const std::vector<TypePtr>& expected, size_t min_args,
                                        size_t max_args) {
  if (args.size() < min_args || args.size() > max_args) {
    std::string range = min_args == max_args ? std::to_string(min_args)
                        : max_args == std::numeric_limits<size_t>::max()
                            ? fmt::format("> {}", min_args - 1)
                            : fmt::format("[{}, {}]", min_args, max_args);
    return kernel::WrongNumArgs(name, range, args.size());
  }
  std::vector<TypePtr> types;
  for (size_t i = 0; i < args.size(); ++i) {
    const TypePtr& want = expected[std::min(i, expected.size() - 1)];
    if (want == nullptr) {
      types.push_back(args[i]->type());
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(
        TypePtr type,
        kernel::ImplicitArgType(ctx, i, args[i], want, "\"" + kernel::TypeSql(want) + "\""));
    types.push_back(std::move(type));
  }
  return types;
}

}  // namespace strings

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;
using strings::CharSlice;
using strings::CoerceArgs;
using strings::NumChars;
constexpr size_t kAny = std::numeric_limits<size_t>::max();

// Registers a function whose arguments are cast to `expected` and whose kernel is `fn`.
void AddSimple(FunctionRegistry& registry, const std::string& name, TypePtr result,
               std::vector<TypePtr> expected, size_t min_args, size_t max_args, ScalarKernel fn,
               bool null_intolerant = true) {
  registry.AddScalar(
      name, [=](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
        SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                                CoerceArgs(ctx, name, args, expected, min_args, max_args));
        return kernel::MakeFunction(name, result, std::move(types), fn, null_intolerant);
      });
}

// ---- case mapping (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic) ----

char32_t ToLowerChar(char32_t c) {
  if (c < 0x80) {
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  }
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
      (c >= 0x410 && c <= 0x42F)) {
    return c + 32;
  }
  if (c >= 0x400 && c <= 0x40F) {
    return c + 80;
  }
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x17F) {
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? (c % 2 == 1) : (c % 2 == 0)) {
      return c + 1;
    }
  }
  return c;
}

char32_t ToUpperChar(char32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') ? c - 32 : c;
  }
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7) || (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) ||
      (c >= 0x430 && c <= 0x44F)) {
    return c - 32;
  }
  if (c == 0xFF) {
    return 0x178;
  }
  if (c >= 0x450 && c <= 0x45F) {
    return c - 80;
  }
  if (c >= 0x100 && c <= 0x17F && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
    const bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? (c % 2 == 0) : (c % 2 == 1)) {
      return c - 1;
    }
  }
  return c;
}

template <char32_t (*Map)(char32_t)>
std::string MapCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(static_cast<char>(Map(byte)));
      ++pos;
      continue;
    }
    const size_t start = pos;
    const char32_t c = DecodeUtf8CodePoint(text, &pos);
    if (c == kReplacementCharacter) {
      out.append(text.substr(start, pos - start));  // keep bytes that are not UTF-8
    } else {
      AppendUtf8(Map(c), &out);
    }
  }
  return out;
}

}  // namespace

namespace strings {
std::string LowerUtf8(std::string_view text) {
  return MapCase<ToLowerChar>(text);
}
}  // namespace strings

namespace {

std::string InitCap(std::string_view text) {
  std::string lower = MapCase<ToLowerChar>(text);
  std::string out;
  out.reserve(lower.size());
  size_t pos = 0;
  bool word_start = true;
  while (pos < lower.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8CodePoint(lower, &pos);
    if (word_start && c != kReplacementCharacter) {
      AppendUtf8(ToUpperChar(c), &out);
    } else {
      out.append(lower, start, pos - start);
    }
    word_start = c == ' ';
  }
  return out;
}

// ---- substring family ----

// Spark's UTF8String.substringSQL(pos, length), on characters (or bytes for binary).
std::string_view SubstringSql(std::string_view text, int64_t pos, int64_t length, bool bytes) {
  const int64_t count = bytes ? static_cast<int64_t>(text.size()) : NumChars(text);
  int64_t start = pos > 0 ? pos - 1 : (pos < 0 ? count + pos : 0);
  int64_t end = start + length;
  end = std::clamp<int64_t>(end, std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::max());
  start = std::max<int64_t>(start, 0);
  if (start >= end) {
    return {};
  }
  if (bytes) {
    end = std::min(end, count);
    return start >= count ? std::string_view() : text.substr(start, end - start);
  }
  return CharSlice(text, start, end);
}

Result<BoundScalarFunction> BindSubstring(const Args& args, const BindContext& ctx) {
  const bool binary = !args.empty() && args[0]->type()->id() == TypeId::kBinary;
  const TypePtr str = binary ? BinaryType() : StringType();
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          CoerceArgs(ctx, "substring", args, {str, IntType()}, 2, 3));
  ScalarKernel fn = [binary, str](const Values& values, int64_t num_rows, const EvalContext&) {
    if (values.size() == 2) {
      return kernel::Map<std::string_view, std::string_view, int32_t>(
          values, str, num_rows, [binary](std::string_view s, int32_t pos) {
            return SubstringSql(s, pos, std::numeric_limits<int32_t>::max(), binary);
          });
    }
    return kernel::Map<std::string_view, std::string_view, int32_t, int32_t>(
        values, str, num_rows, [binary](std::string_view s, int32_t pos, int32_t len) {
          return SubstringSql(s, pos, len, binary);
        });
  };
  return kernel::MakeFunction("substring", str, std::move(types), std::move(fn));
}

// ---- trim ----

bool InSet(std::u32string_view set, char32_t c) {
  return set.find(c) != std::u32string_view::npos;
}

std::string_view TrimChars(std::string_view text, std::string_view chars, bool left, bool right) {
  const std::u32string set = DecodeUtf8(chars);
  size_t begin = 0;
  size_t end = text.size();
  if (left) {
    while (begin < end) {
      size_t next = begin;
      if (!InSet(set, DecodeUtf8CodePoint(text, &next))) {
        break;
      }
      begin = next;
    }
  }
  if (right) {
    while (end > begin) {
      const size_t start = Utf8CharacterStart(text, end - 1);
      size_t next = start;
      if (!InSet(set, DecodeUtf8CodePoint(text, &next))) {
        break;
      }
      end = start;
    }
  }
  return text.substr(begin, end - begin);
}

void AddTrim(FunctionRegistry& registry, const std::string& name, bool left, bool right) {
  AddSimple(registry, name, StringType(), {StringType()}, 1, 2,
            [left, right](const Values& values, int64_t num_rows, const EvalContext&) {
              if (values.size() == 1) {
                return kernel::Map<std::string_view, std::string_view>(
                    values, StringType(), num_rows,
                    [=](std::string_view s) { return TrimChars(s, " ", left, right); });
              }
              return kernel::Map<std::string_view, std::string_view, std::string_view>(
                  values, StringType(), num_rows, [=](std::string_view s, std::string_view c) {
                    return TrimChars(s, c, left, right);
                  });
            });
}

// ---- search ----

// The 0-based character index of `needle` in `text` from character `from`, or -1.
int64_t CharIndexOf(std::string_view text, std::string_view needle, int64_t from) {
  const size_t start = strings::CharOffset(text, from);
  if (start > text.size() || (start == text.size() && !needle.empty())) {
    return -1;
  }
  const size_t found = text.find(needle, start);
  if (found == std::string_view::npos) {
    return -1;
  }
  return NumChars(text.substr(0, found));
}

std::string Replace(std::string_view text, std::string_view search, std::string_view with) {
  if (search.empty()) {
    return std::string(text);
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t found = text.find(search, pos);
    if (found == std::string_view::npos) {
      break;
    }
    out.append(text.substr(pos, found - pos));
    out.append(with);
    pos = found + search.size();
  }
  out.append(text.substr(pos));
  return out;
}

// Spark's UTF8String.lpad / rpad.
std::string Pad(std::string_view text, int32_t length, std::string_view pad, bool left) {
  const int64_t count = NumChars(text);
  const int64_t spaces = static_cast<int64_t>(length) - count;
  if (spaces <= 0 || pad.empty()) {
    return std::string(CharSlice(text, 0, std::max<int32_t>(length, 0)));
  }
  const int64_t pad_chars = NumChars(pad);
  std::string fill;
  for (int64_t i = 0; i < spaces / pad_chars; ++i) {
    fill.append(pad);
  }
  fill.append(CharSlice(pad, 0, spaces % pad_chars));
  return left ? fill + std::string(text) : std::string(text) + fill;
}

std::string Translate(std::string_view text, std::string_view from, std::string_view to) {
  const std::u32string from_chars = DecodeUtf8(from);
  const std::u32string to_chars = DecodeUtf8(to);
  std::map<char32_t, std::optional<char32_t>> mapping;
  for (size_t i = 0; i < from_chars.size(); ++i) {
    if (mapping.count(from_chars[i]) == 0) {
      mapping[from_chars[i]] =
          i < to_chars.size() ? std::optional<char32_t>(to_chars[i]) : std::nullopt;
    }
  }
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t c = DecodeUtf8CodePoint(text, &pos);
    auto it = mapping.find(c);
    if (it == mapping.end()) {
      out.append(text.substr(start, pos - start));
    } else if (it->second.has_value()) {
      AppendUtf8(*it->second, &out);
    }
  }
  return out;
}

std::string ReverseChars(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t end = text.size();
  while (end > 0) {
    const size_t start = Utf8CharacterStart(text, end - 1);
    out.append(text.substr(start, end - start));
    end = start;
  }
  return out;
}

Result<std::optional<std::string>> SplitPart(std::string_view text, std::string_view delimiter,
                                             int32_t part) {
  if (part == 0) {
    return Status::InvalidArgument(
        "[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 "
        "(the first element has index 1).");
  }
  std::vector<std::string_view> parts;
  if (delimiter.empty()) {
    parts.push_back(text);
  } else {
    size_t pos = 0;
    while (true) {
      const size_t found = text.find(delimiter, pos);
      if (found == std::string_view::npos) {
        parts.push_back(text.substr(pos));
        break;
      }
      parts.push_back(text.substr(pos, found - pos));
      pos = found + delimiter.size();
    }
  }
  const int64_t count = static_cast<int64_t>(parts.size());
  const int64_t index = part > 0 ? part - 1 : count + part;
  if (index < 0 || index >= count) {
    return std::optional<std::string>("");
  }
  return std::optional<std::string>(std::string(parts[index]));
}

// ---- concat ----

Result<BoundScalarFunction> BindConcat(const Args& args, const BindContext& ctx) {
  const bool all_binary = !args.empty() && std::all_of(args.begin(), args.end(), [](auto& a) {
    return a->type()->id() == TypeId::kBinary;
  });
  const bool all_arrays = !args.empty() && std::all_of(args.begin(), args.end(), [](auto& a) {
    return a->type()->id() == TypeId::kArray || a->type()->id() == TypeId::kNull;
  }) && std::any_of(args.begin(), args.end(), [](auto& a) {
    return a->type()->id() == TypeId::kArray;
  });
  if (all_arrays) {
    TypePtr type;
    for (const ExprPtr& arg : args) {
      if (arg->type()->id() == TypeId::kArray) {
        type = type == nullptr || type->Equals(*arg->type()) ? arg->type() : nullptr;
        if (type == nullptr) {
          return kernel::UnexpectedInputType(ctx, 0, "\"ARRAY\" of one element type", arg);
        }
      }
    }
    ScalarKernel fn = [type](const Values& values, int64_t num_rows,
                             const EvalContext&) -> Result<VectorPtr> {
      const int64_t length = kernel::OutputLength(values, num_rows);
      ArrayBuilder builder(type);
      for (int64_t row = 0; row < length; ++row) {
        bool any_null = false;
        for (const VectorPtr& v : values) {
          any_null = any_null || kernel::IsNullAt(*v, row);
        }
        if (any_null) {
          builder.AppendNull();
          continue;
        }
        for (const VectorPtr& v : values) {
          const int64_t i = kernel::RowOf(*v, row);
          for (int32_t e = v->ListStart(i); e < v->ListEnd(i); ++e) {
            AppendValue(*v->child(0), e, builder.element());
          }
        }
        builder.Append();
      }
      return builder.Finish();
    };
    return kernel::MakeFunction("concat", type, std::vector<TypePtr>(args.size(), type),
                                std::move(fn));
  }
  const TypePtr str = all_binary ? BinaryType() : StringType();
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          CoerceArgs(ctx, "concat", args, {str}, 0, kAny));
  ScalarKernel fn = [str](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::ForEachRow<std::string_view>(
        values, str, num_rows, [&](int64_t row, StringBuilder& out) {
          std::string text;
          for (const VectorPtr& v : values) {
            if (kernel::IsNullAt(*v, row)) {
              out.AppendNull();
              return Status::Ok();
            }
            text.append(kernel::ReadAt<std::string_view>(*v, row));
          }
          out.Append(text);
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("concat", str, std::move(types), std::move(fn));
}

Result<BoundScalarFunction> BindConcatWs(const Args& args, const BindContext& ctx) {
  if (args.empty()) {
    return kernel::WrongNumArgs("concat_ws", "> 0", 0);
  }
  std::vector<TypePtr> types;
  for (size_t i = 0; i < args.size(); ++i) {
    const TypePtr& type = args[i]->type();
    if (i > 0 && type->id() == TypeId::kArray) {
      if (type->element_type()->id() != TypeId::kString) {
        return kernel::UnexpectedInputType(ctx, i, "(\"ARRAY<STRING>\" or \"STRING\")", args[i]);
      }
      types.push_back(type);
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(TypePtr t,
                            kernel::ImplicitArgType(ctx, i, args[i], StringType(),
                                                    "(\"ARRAY<STRING>\" or \"STRING\")"));
    types.push_back(std::move(t));
  }
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::ForEachRow<std::string_view>(
        values, StringType(), num_rows, [&](int64_t row, StringBuilder& out) {
          if (kernel::IsNullAt(*values[0], row)) {
            out.AppendNull();
            return Status::Ok();
          }
          const std::string_view sep = kernel::ReadAt<std::string_view>(*values[0], row);
          std::string text;
          bool first = true;
          auto add = [&](std::string_view part) {
            if (!first) {
              text.append(sep);
            }
            text.append(part);
            first = false;
          };
          for (size_t a = 1; a < values.size(); ++a) {
            const Vector& v = *values[a];
            if (kernel::IsNullAt(v, row)) {
              continue;
            }
            const int64_t i = kernel::RowOf(v, row);
            if (v.type_id() == TypeId::kArray) {
              const Vector& elements = *v.child(0);
              for (int32_t e = v.ListStart(i); e < v.ListEnd(i); ++e) {
                if (!elements.IsNull(e)) {
                  add(elements.StringValue(e));
                }
              }
            } else {
              add(v.StringValue(i));
            }
          }
          out.Append(text);
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("concat_ws", StringType(), std::move(types), std::move(fn),
                              /*null_intolerant=*/false);
}

Result<BoundScalarFunction> BindReverse(const Args& args, const BindContext& ctx) {
  if (args.size() == 1 && args[0]->type()->id() == TypeId::kArray) {
    const TypePtr type = args[0]->type();
    ScalarKernel fn = [type](const Values& values, int64_t num_rows,
                             const EvalContext&) -> Result<VectorPtr> {
      const Vector& v = *values[0];
      const int64_t length = kernel::OutputLength(values, num_rows);
      ArrayBuilder builder(type);
      for (int64_t row = 0; row < length; ++row) {
        if (kernel::IsNullAt(v, row)) {
          builder.AppendNull();
          continue;
        }
        const int64_t i = kernel::RowOf(v, row);
        for (int32_t e = v.ListEnd(i) - 1; e >= v.ListStart(i); --e) {
          AppendValue(*v.child(0), e, builder.element());
        }
        builder.Append();
      }
      return builder.Finish();
    };
    return kernel::MakeFunction("reverse", type, {type}, std::move(fn));
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          CoerceArgs(ctx, "reverse", args, {StringType()}, 1, 1));
  ScalarKernel fn = [](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<std::string, std::string_view>(values, StringType(), num_rows, ReverseChars);
  };
  return kernel::MakeFunction("reverse", StringType(), std::move(types), std::move(fn));
}

std::string RandomUuid(std::mt19937_64& engine) {
  const uint64_t high = (engine() & ~uint64_t{0xF000}) | 0x4000;
  const uint64_t low = (engine() & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
}

Result<BoundScalarFunction> BindUuid(const Args& args, const BindContext&) {
  if (args.size() > 1) {
    return kernel::WrongNumArgs("uuid", "0", args.size());
  }
  struct State {
    std::mutex mutex;
    std::mt19937_64 engine{std::random_device{}()};
  };
  auto state = std::make_shared<State>();
  ScalarKernel fn = [state](const Values&, int64_t num_rows, const EvalContext&) {
    StringBuilder builder(StringType());
    std::lock_guard<std::mutex> lock(state->mutex);
    for (int64_t i = 0; i < num_rows; ++i) {
      builder.Append(RandomUuid(state->engine));
    }
    return Result<VectorPtr>(builder.Finish());
  };
  std::vector<TypePtr> types;
  for (const ExprPtr& arg : args) {
    types.push_back(arg->type());
  }
  return kernel::MakeFunction("uuid", StringType(), std::move(types), std::move(fn), false,
                              /*deterministic=*/false);
}

template <typename Out, typename... Ins, typename F>
ScalarKernel MapKernel(TypePtr type, F f) {
  return [type, f](const Values& values, int64_t num_rows, const EvalContext&) {
    return kernel::Map<Out, Ins...>(values, type, num_rows, f);
  };
}

void RegisterSearchFunctions(FunctionRegistry& registry) {
  const TypePtr s = StringType();
  AddSimple(registry, "instr", IntType(), {s, s}, 2, 2,
            MapKernel<int32_t, std::string_view, std::string_view>(
                IntType(), [](std::string_view text, std::string_view sub) {
                  return static_cast<int32_t>(CharIndexOf(text, sub, 0) + 1);
                }));
  AddSimple(registry, "locate", IntType(), {s, s, IntType()}, 2, 3,
            [](const Values& values, int64_t num_rows, const EvalContext&) {
              if (values.size() == 2) {
                return kernel::Map<int32_t, std::string_view, std::string_view>(
                    values, IntType(), num_rows, [](std::string_view sub, std::string_view text) {
                      return static_cast<int32_t>(CharIndexOf(text, sub, 0) + 1);
                    });
              }
              return kernel::Map<int32_t, std::string_view, std::string_view, int32_t>(
                  values, IntType(), num_rows,
                  [](std::string_view sub, std::string_view text, int32_t pos) {
                    if (pos < 1) {
                      return 0;
                    }
                    return static_cast<int32_t>(CharIndexOf(text, sub, pos - 1) + 1);
                  });
            });
  AddSimple(registry, "replace", s, {s, s, s}, 2, 3,
            [](const Values& values, int64_t num_rows, const EvalContext&) {
              if (values.size() == 2) {
                return kernel::Map<std::string, std::string_view, std::string_view>(
                    values, StringType(), num_rows,
                    [](std::string_view t, std::string_view f) { return Replace(t, f, ""); });
              }
              return kernel::Map<std::string, std::string_view, std::string_view, std::string_view>(
                  values, StringType(), num_rows, Replace);
            });
  auto predicate = [&](const std::string& name, bool (*test)(std::string_view, std::string_view)) {
    registry.AddScalar(
        name,
        [name, test](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
          const bool binary = args.size() == 2 && args[0]->type()->id() == TypeId::kBinary &&
                              args[1]->type()->id() == TypeId::kBinary;
          const TypePtr type = binary ? BinaryType() : StringType();
          SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                                  CoerceArgs(ctx, name, args, {type}, 2, 2));
          return kernel::MakeFunction(
              name, BooleanType(), std::move(types),
              MapKernel<bool, std::string_view, std::string_view>(BooleanType(), test));
        });
  };
  predicate("startswith",
            [](std::string_view a, std::string_view b) { return a.substr(0, b.size()) == b; });
  predicate("endswith", [](std::string_view a, std::string_view b) {
    return a.size() >= b.size() && a.substr(a.size() - b.size()) == b;
  });
  predicate("contains", [](std::string_view a, std::string_view b) {
    return a.find(b) != std::string_view::npos;
  });
}

void RegisterShapeFunctions(FunctionRegistry& registry) {
  const TypePtr s = StringType();
  AddSimple(registry, "lower", s, {s}, 1, 1,
            MapKernel<std::string, std::string_view>(s, MapCase<ToLowerChar>));
  registry.AddAlias("lcase", "lower");
  AddSimple(registry, "upper", s, {s}, 1, 1,
            MapKernel<std::string, std::string_view>(s, MapCase<ToUpperChar>));
  registry.AddAlias("ucase", "upper");
  AddSimple(registry, "initcap", s, {s}, 1, 1,
            MapKernel<std::string, std::string_view>(s, InitCap));
  AddSimple(registry, "left", s, {s, IntType()}, 2, 2,
            MapKernel<std::string_view, std::string_view, int32_t>(
                s, [](std::string_view text, int32_t n) {
                  return n <= 0 ? std::string_view() : SubstringSql(text, 1, n, false);
                }));
  AddSimple(registry, "right", s, {s, IntType()}, 2, 2,
            MapKernel<std::string_view, std::string_view, int32_t>(
                s, [](std::string_view text, int32_t n) {
                  return n <= 0 ? std::string_view() : SubstringSql(text, -n, n, false);
                }));
  auto pad = [&](const std::string& name, bool left) {
    AddSimple(registry, name, s, {s, IntType(), s}, 2, 3,
              [left](const Values& values, int64_t num_rows, const EvalContext&) {
                if (values.size() == 2) {
                  return kernel::Map<std::string, std::string_view, int32_t>(
                      values, StringType(), num_rows,
                      [left](std::string_view t, int32_t n) { return Pad(t, n, " ", left); });
                }
                return kernel::Map<std::string, std::string_view, int32_t, std::string_view>(
                    values, StringType(), num_rows,
                    [left](std::string_view t, int32_t n, std::string_view p) {
                      return Pad(t, n, p, left);
                    });
              });
  };
  pad("lpad", true);
  pad("rpad", false);
  AddSimple(registry, "repeat", s, {s, IntType()}, 2, 2,
            MapKernel<std::string, std::string_view, int32_t>(s, [](std::string_view t, int32_t n) {
              std::string out;
              for (int32_t i = 0; i < n; ++i) {
                out.append(t);
              }
              return out;
            }));
  AddSimple(registry, "space", s, {IntType()}, 1, 1,
            MapKernel<std::string, int32_t>(s, [](int32_t n) {
              return std::string(static_cast<size_t>(std::max(n, 0)), ' ');
            }));
  AddSimple(
      registry, "translate", s, {s, s, s}, 3, 3,
      MapKernel<std::string, std::string_view, std::string_view, std::string_view>(s, Translate));
  AddSimple(registry, "split_part", s, {s, s, IntType()}, 3, 3,
            MapKernel<std::string, std::string_view, std::string_view, int32_t>(s, SplitPart));
  AddTrim(registry, "trim", true, true);
  AddTrim(registry, "btrim", true, true);
  AddTrim(registry, "ltrim", true, false);
  AddTrim(registry, "rtrim", false, true);
}

void RegisterCharacterFunctions(FunctionRegistry& registry) {
  const TypePtr s = StringType();
  registry.AddScalar(
      "length", [](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
        const bool binary = args.size() == 1 && args[0]->type()->id() == TypeId::kBinary;
        SLUICE_ASSIGN_OR_RETURN(
            std::vector<TypePtr> types,
            CoerceArgs(ctx, "length", args, {binary ? BinaryType() : StringType()}, 1, 1));
        return kernel::MakeFunction(
            "length", IntType(), std::move(types),
            MapKernel<int32_t, std::string_view>(IntType(), [binary](std::string_view text) {
              return static_cast<int32_t>(binary ? static_cast<int64_t>(text.size())
                                                 : NumChars(text));
            }));
      });
  registry.AddAlias("char_length", "length");
  registry.AddAlias("character_length", "length");
  registry.AddAlias("len", "length");
  auto byte_length = [&](const std::string& name, int32_t factor) {
    registry.AddScalar(
        name,
        [name, factor](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
          const bool binary = args.size() == 1 && args[0]->type()->id() == TypeId::kBinary;
          SLUICE_ASSIGN_OR_RETURN(
              std::vector<TypePtr> types,
              CoerceArgs(ctx, name, args, {binary ? BinaryType() : StringType()}, 1, 1));
          return kernel::MakeFunction(
              name, IntType(), std::move(types),
              MapKernel<int32_t, std::string_view>(IntType(), [factor](std::string_view text) {
                return static_cast<int32_t>(text.size()) * factor;
              }));
        });
  };
  byte_length("octet_length", 1);
  byte_length("bit_length", 8);
  AddSimple(registry, "ascii", IntType(), {s}, 1, 1,
            MapKernel<int32_t, std::string_view>(IntType(), [](std::string_view text) {
              if (text.empty()) {
                return 0;
              }
              size_t pos = 0;
              return static_cast<int32_t>(DecodeUtf8CodePoint(text, &pos));
            }));
  AddSimple(registry, "chr", s, {LongType()}, 1, 1,
            MapKernel<std::string, int64_t>(s, [](int64_t n) {
              std::string out;
              if (n >= 0) {
                AppendUtf8(static_cast<char32_t>(n & 0xFF), &out);
              }
              return out;
            }));
  registry.AddAlias("char", "chr");
}

}  // namespace

void RegisterStringFunctions(FunctionRegistry& registry) {
  registry.AddScalar("concat", BindConcat);
  registry.AddScalar("concat_ws", BindConcatWs);
  registry.AddScalar("substring", BindSubstring);
  registry.AddAlias("substr", "substring");
  registry.AddScalar("reverse", BindReverse);
  registry.AddScalar("uuid", BindUuid);
  RegisterSearchFunctions(registry);
  RegisterShapeFunctions(registry);
  RegisterCharacterFunctions(registry);
  RegisterRegexpFunctions(registry);
  RegisterFormatFunctions(registry);
  RegisterStringEncodeFunctions(registry);
}

}  // namespace sluice::expr
