// SPDX-License-Identifier: Apache-2.0
// Pattern functions on RE2: like, ilike, rlike (regexp, regexp_like), regexp_extract,
// regexp_extract_all, regexp_replace, regexp_count, split.
#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <memory>

#include "common/utf8.h"
#include "expr/builtins.h"
#include "expr/functions/core_internal.h"
#include "expr/functions/kernel.h"
#include "expr/functions/string_util.h"

namespace sluice::expr {

namespace {

using Args = std::vector<ExprPtr>;
using Values = std::vector<VectorPtr>;
using RegexPtr = std::shared_ptr<const RE2>;

// Java regex syntax RE2 reads differently: POSIX classes as \p{Alpha}.
std::string TranslateJavaRegex(std::string_view pattern) {
  static const std::map<std::string_view, std::string_view> kPosix = {
      {"Lower", "[:lower:]"}, {"Upper", "[:upper:]"}, {"ASCII", "[:ascii:]"},
      {"Alpha", "[:alpha:]"}, {"Digit", "[:digit:]"}, {"Alnum", "[:alnum:]"},
      {"Punct", "[:punct:]"}, {"Graph", "[:graph:]"}, {"Print", "[:print:]"},
      {"Blank", "[:blank:]"}, {"Cntrl", "[:cntrl:]"}, {"XDigit", "[:xdigit:]"},
      {"Space", "[:space:]"}};
  std::string out;
  int class_depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      if ((pattern[i + 1] == 'p' || pattern[i + 1] == 'P') && i + 2 < pattern.size() &&
          pattern[i + 2] == '{') {
        const size_t close = pattern.find('}', i + 3);
        if (close != std::string_view::npos) {
          auto it = kPosix.find(pattern.substr(i + 3, close - i - 3));
          if (it != kPosix.end()) {
            // "[:alpha:]" negated is "[:^alpha:]" (RE2's syntax). Built by concatenation:
            // gcc 12 -O2 warns (-Wrestrict) on std::string::insert here.
            const std::string_view name = it->second;
            const std::string posix = pattern[i + 1] == 'P'
                                          ? std::string("[:^") + std::string(name.substr(2))
                                          : std::string(name);
            out += class_depth > 0 ? posix : "[" + posix + "]";
            i = close;
            continue;
          }
        }
      }
      out += c;
      out += pattern[++i];
      continue;
    }
    if (c == '[') {
      ++class_depth;
    } else if (c == ']' && class_depth > 0) {
      --class_depth;
    }
    out += c;
  }
  return out;
}

Result<RegexPtr> CompileRegex(std::string_view pattern, std::string_view function,
                              std::string_view parameter = "regexp") {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const RE2>(TranslateJavaRegex(pattern), options);
  if (!regex->ok()) {
    return Status::InvalidArgument(fmt::format(
        "[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) `{}` in `{}` is invalid: "
        "'{}' ({}).",
        parameter, function, pattern, regex->error()));
  }
  return regex;
}

// Spark's StringUtils.escapeLikeRegex.
Result<std::string> LikeToRegex(std::string_view pattern, char32_t escape) {
  std::string out = "(?s)";
  const std::u32string chars = DecodeUtf8(pattern);
  for (size_t i = 0; i < chars.size(); ++i) {
    const char32_t c = chars[i];
    std::string text;
    if (c == escape) {
      if (i + 1 == chars.size()) {
        return Status::InvalidArgument(fmt::format(
            "[INVALID_FORMAT.ESC_AT_THE_END] The format is invalid: '{}'. The escape character "
            "is not allowed to end with.",
            pattern));
      }
      const char32_t next = chars[++i];
      if (next != '_' && next != '%' && next != escape) {
        AppendUtf8(next, &text);
        return Status::InvalidArgument(fmt::format(
            "[INVALID_FORMAT.ESC_IN_THE_MIDDLE] The format is invalid: '{}'. The escape "
            "character is not allowed to precede '{}'.",
            pattern, text));
      }
      AppendUtf8(next, &text);
      out += RE2::QuoteMeta(text);
    } else if (c == '_') {
      out += '.';
    } else if (c == '%') {
      out += ".*";
    } else {
      AppendUtf8(c, &text);
      out += RE2::QuoteMeta(text);
    }
  }
  return out;
}

// Regexes of a kernel call: the literal pattern compiled at bind time, or per distinct
// pattern of a batch.
class RegexSource {
 public:
  RegexSource(RegexPtr fixed, std::string function, bool like, char32_t escape, bool lower)
      : fixed_(std::move(fixed)),
        function_(std::move(function)),
        like_(like),
        escape_(escape),
        lower_(lower) {}

  Result<const RE2*> Get(std::string_view pattern) {
    if (fixed_ != nullptr) {
      return fixed_.get();
    }
    auto it = cache_.find(std::string(pattern));
    if (it != cache_.end()) {
      return it->second.get();
    }
    SLUICE_ASSIGN_OR_RETURN(RegexPtr regex, Compile(pattern, function_, like_, escape_, lower_));
    const RE2* raw = regex.get();
    cache_.emplace(std::string(pattern), std::move(regex));
    return raw;
  }

  static Result<RegexPtr> Compile(std::string_view pattern, const std::string& function, bool like,
                                  char32_t escape, bool lower) {
    std::string text(pattern);
    if (lower) {
      text = strings::LowerUtf8(text);
    }
    if (!like) {
      return CompileRegex(text, function);
    }
    SLUICE_ASSIGN_OR_RETURN(std::string regex, LikeToRegex(text, escape));
    RE2::Options options;
    options.set_log_errors(false);
    return std::make_shared<const RE2>(regex, options);
  }

 private:
  RegexPtr fixed_;
  std::string function_;
  bool like_;
  char32_t escape_;
  bool lower_;
  std::map<std::string, RegexPtr, std::less<>> cache_;
};

// Compiles a literal pattern argument at bind time (nullptr when not a literal).
Result<RegexPtr> LiteralRegex(const ExprPtr& arg, const std::string& function, bool like,
                              char32_t escape, bool lower) {
  std::optional<std::string> pattern = kernel::LiteralString(arg);
  if (!pattern.has_value()) {
    return RegexPtr();
  }
  return RegexSource::Compile(*pattern, function, like, escape, lower);
}

// like / ilike / rlike.
ScalarBinder MatchBinder(std::string name, bool like, bool lower) {
  return [name, like, lower](const Args& args,
                             const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                            strings::CoerceArgs(ctx, name, args, {StringType()}, 2, like ? 3 : 2));
    char32_t escape = '\\';
    if (args.size() == 3) {
      std::optional<std::string> text = kernel::LiteralString(args[2]);
      std::u32string chars = text.has_value() ? DecodeUtf8(*text) : std::u32string();
      if (chars.size() != 1) {
        return kernel::UnexpectedInputType(ctx, 2, "\"STRING\" (a one-character literal)", args[2]);
      }
      escape = chars[0];
    }
    SLUICE_ASSIGN_OR_RETURN(RegexPtr fixed, LiteralRegex(args[1], name, like, escape, lower));
    ScalarKernel fn = [=](const Values& values, int64_t num_rows,
                          const EvalContext&) -> Result<VectorPtr> {
      RegexSource source(fixed, name, like, escape, lower);
      const Values two = {values[0], values[1]};
      return kernel::Map<bool, std::string_view, std::string_view>(
          two, BooleanType(), num_rows,
          [&](std::string_view text, std::string_view pattern) -> Result<bool> {
            SLUICE_ASSIGN_OR_RETURN(const RE2* regex, source.Get(pattern));
            if (like) {
              return lower ? RE2::FullMatch(strings::LowerUtf8(text), *regex)
                           : RE2::FullMatch(text, *regex);
            }
            return RE2::PartialMatch(text, *regex);
          });
    };
    return kernel::MakeFunction(name, BooleanType(), std::move(types), std::move(fn));
  };
}

// One match of `regex` in text[pos...]: false when none. Groups are filled.
bool Find(const RE2& regex, std::string_view text, size_t pos,
          std::vector<re2::StringPiece>* groups) {
  return regex.Match(re2::StringPiece(text.data(), text.size()), pos, text.size(), RE2::UNANCHORED,
                     groups->data(), static_cast<int>(groups->size()));
}

// The position after an empty match at `pos`: one character on.
size_t AfterEmpty(std::string_view text, size_t pos) {
  if (pos >= text.size()) {
    return pos + 1;
  }
  DecodeUtf8CodePoint(text, &pos);
  return pos;
}

Status GroupIndexError(std::string_view function, int groups, int32_t index) {
  return Status::InvalidArgument(fmt::format(
      "[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` in `{}` is "
      "invalid: Expects group index between 0 and {}, but got {}.",
      function, groups, index));
}

ScalarBinder ExtractBinder(std::string name, bool all) {
  return [name, all](const Args& args, const BindContext& ctx) -> Result<BoundScalarFunction> {
    SLUICE_ASSIGN_OR_RETURN(
        std::vector<TypePtr> types,
        strings::CoerceArgs(ctx, name, args, {StringType(), StringType(), IntType()}, 2, 3));
    SLUICE_ASSIGN_OR_RETURN(RegexPtr fixed, LiteralRegex(args[1], name, false, 0, false));
    TypePtr result = all ? ArrayType(StringType()) : StringType();
    ScalarKernel fn = [=](const Values& values, int64_t num_rows,
                          const EvalContext&) -> Result<VectorPtr> {
      RegexSource source(fixed, name, false, 0, false);
      const int64_t length = kernel::OutputLength(values, num_rows);
      ArrayBuilder arrays(ArrayType(StringType()));
      StringBuilder strings_out(StringType());
      auto* elements = static_cast<StringBuilder*>(arrays.element());
      for (int64_t row = 0; row < length; ++row) {
        bool any_null = false;
        for (const VectorPtr& v : values) {
          any_null = any_null || kernel::IsNullAt(*v, row);
        }
        if (any_null) {
          all ? arrays.AppendNull() : strings_out.AppendNull();
          continue;
        }
        const std::string_view text = kernel::ReadAt<std::string_view>(*values[0], row);
        SLUICE_ASSIGN_OR_RETURN(const RE2* regex,
                                source.Get(kernel::ReadAt<std::string_view>(*values[1], row)));
        const int32_t index = values.size() == 3 ? kernel::ReadAt<int32_t>(*values[2], row) : 1;
        const int groups = regex->NumberOfCapturingGroups();
        if (index < 0 || index > groups) {
          return GroupIndexError(name, groups, index);
        }
        std::vector<re2::StringPiece> match(static_cast<size_t>(groups) + 1);
        if (!all) {
          if (Find(*regex, text, 0, &match) && match[index].data() != nullptr) {
            strings_out.Append(std::string_view(match[index].data(), match[index].size()));
          } else {
            strings_out.Append("");
          }
          continue;
        }
        size_t pos = 0;
        while (pos <= text.size() && Find(*regex, text, pos, &match)) {
          const re2::StringPiece& group = match[index];
          elements->Append(group.data() == nullptr ? std::string_view()
                                                   : std::string_view(group.data(), group.size()));
          const size_t end = static_cast<size_t>(match[0].data() - text.data()) + match[0].size();
          pos = match[0].empty() ? AfterEmpty(text, end) : end;
        }
        arrays.Append();
      }
      return all ? arrays.Finish() : strings_out.Finish();
    };
    return kernel::MakeFunction(name, result, std::move(types), std::move(fn));
  };
}

// Java's Matcher.appendReplacement: $n and ${name} are groups, \x is x.
Status AppendReplacement(const RE2& regex, std::string_view replacement,
                         const std::vector<re2::StringPiece>& match, std::string* out) {
  for (size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size()) {
      out->push_back(replacement[++i]);
    } else if (c == '$' && i + 1 < replacement.size()) {
      int group = -1;
      if (replacement[i + 1] == '{') {
        const size_t close = replacement.find('}', i + 2);
        if (close == std::string_view::npos) {
          return Status::InvalidArgument(
              "[INVALID_PARAMETER_VALUE.PATTERN] named capturing "
              "group is missing trailing '}'");
        }
        const std::string name(replacement.substr(i + 2, close - i - 2));
        auto it = regex.NamedCapturingGroups().find(name);
        if (it == regex.NamedCapturingGroups().end()) {
          return Status::InvalidArgument(
              fmt::format("[INVALID_PARAMETER_VALUE.PATTERN] No group with name {{{}}}", name));
        }
        group = it->second;
        i = close;
      } else if (replacement[i + 1] >= '0' && replacement[i + 1] <= '9') {
        group = replacement[++i] - '0';
        // Java takes more digits while they still name a group.
        while (i + 1 < replacement.size() && replacement[i + 1] >= '0' &&
               replacement[i + 1] <= '9' &&
               group * 10 + (replacement[i + 1] - '0') < static_cast<int>(match.size())) {
          group = group * 10 + (replacement[++i] - '0');
        }
        if (group >= static_cast<int>(match.size())) {
          return Status::InvalidArgument(
              fmt::format("[INVALID_PARAMETER_VALUE.PATTERN] No group {}", group));
        }
      } else {
        return Status::InvalidArgument(
            "[INVALID_PARAMETER_VALUE.PATTERN] Illegal group reference in the replacement");
      }
      if (match[group].data() != nullptr) {
        out->append(match[group].data(), match[group].size());
      }
    } else {
      out->push_back(c);
    }
  }
  return Status::Ok();
}

Result<BoundScalarFunction> BindRegexpReplace(const Args& args, const BindContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<TypePtr> types,
      strings::CoerceArgs(ctx, "regexp_replace", args,
                          {StringType(), StringType(), StringType(), IntType()}, 3, 4));
  SLUICE_ASSIGN_OR_RETURN(RegexPtr fixed, LiteralRegex(args[1], "regexp_replace", false, 0, false));
  ScalarKernel fn = [fixed](const Values& values, int64_t num_rows,
                            const EvalContext&) -> Result<VectorPtr> {
    RegexSource source(fixed, "regexp_replace", false, 0, false);
    return kernel::ForEachRow<std::string>(
        values, StringType(), num_rows, [&](int64_t row, StringBuilder& out) -> Status {
          for (const VectorPtr& v : values) {
            if (kernel::IsNullAt(*v, row)) {
              out.AppendNull();
              return Status::Ok();
            }
          }
          const std::string_view text = kernel::ReadAt<std::string_view>(*values[0], row);
          SLUICE_ASSIGN_OR_RETURN(const RE2* regex,
                                  source.Get(kernel::ReadAt<std::string_view>(*values[1], row)));
          const std::string_view rep = kernel::ReadAt<std::string_view>(*values[2], row);
          const int32_t position =
              values.size() == 4 ? kernel::ReadAt<int32_t>(*values[3], row) : 1;
          if (position < 1) {
            return Status::InvalidArgument(fmt::format(
                "[INVALID_PARAMETER_VALUE.REGEX_POSITION] The value of parameter(s) "
                "`position` in `regexp_replace` is invalid: Expects a positive int, but got {}.",
                position));
          }
          size_t pos = strings::CharOffset(text, position - 1);
          std::string result(text.substr(0, pos));
          size_t copied = pos;
          std::vector<re2::StringPiece> match(
              static_cast<size_t>(regex->NumberOfCapturingGroups()) + 1);
          while (pos <= text.size() && Find(*regex, text, pos, &match)) {
            const size_t start = static_cast<size_t>(match[0].data() - text.data());
            const size_t end = start + match[0].size();
            result.append(text.substr(copied, start - copied));
            SLUICE_RETURN_IF_ERROR(AppendReplacement(*regex, rep, match, &result));
            copied = end;
            pos = match[0].empty() ? AfterEmpty(text, end) : end;
          }
          if (copied < text.size()) {
            result.append(text.substr(copied));
          }
          out.Append(result);
          return Status::Ok();
        });
  };
  return kernel::MakeFunction("regexp_replace", StringType(), std::move(types), std::move(fn));
}

// Java's String.split(regex, limit) with Spark's limit 0 as -1.
void SplitInto(const RE2& regex, std::string_view text, int32_t limit, bool empty_regex,
               StringBuilder* out) {
  std::vector<re2::StringPiece> match(1);
  size_t index = 0;
  int32_t count = 0;
  size_t pos = 0;
  bool matched_any = false;
  while (pos <= text.size() && (limit <= 0 || count < limit - 1) &&
         Find(regex, text, pos, &match)) {
    const size_t start = static_cast<size_t>(match[0].data() - text.data());
    const size_t end = start + match[0].size();
    pos = match[0].empty() ? AfterEmpty(text, end) : end;
    if (start == 0 && end == 0) {
      continue;  // no leading empty string for a zero-width match at the start
    }
    if (empty_regex && start == text.size()) {
      break;
    }
    out->Append(text.substr(index, start - index));
    ++count;
    index = end;
    matched_any = true;
  }
  if (!matched_any) {
    out->Append(text);
    return;
  }
  out->Append(text.substr(index));
}

Result<BoundScalarFunction> BindSplit(const Args& args, const BindContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<TypePtr> types,
      strings::CoerceArgs(ctx, "split", args, {StringType(), StringType(), IntType()}, 2, 3));
  SLUICE_ASSIGN_OR_RETURN(RegexPtr fixed, LiteralRegex(args[1], "split", false, 0, false));
  const TypePtr result = ArrayType(StringType());
  ScalarKernel split = [fixed, result](const Values& values, int64_t num_rows,
                                       const EvalContext&) -> Result<VectorPtr> {
    RegexSource source(fixed, "split", false, 0, false);
    const int64_t length = kernel::OutputLength(values, num_rows);
    ArrayBuilder builder(result);
    auto* elements = static_cast<StringBuilder*>(builder.element());
    for (int64_t row = 0; row < length; ++row) {
      bool any_null = false;
      for (const VectorPtr& v : values) {
        any_null = any_null || kernel::IsNullAt(*v, row);
      }
      if (any_null) {
        builder.AppendNull();
        continue;
      }
      const std::string_view pattern = kernel::ReadAt<std::string_view>(*values[1], row);
      SLUICE_ASSIGN_OR_RETURN(const RE2* regex, source.Get(pattern));
      const int32_t limit = values.size() == 3 ? kernel::ReadAt<int32_t>(*values[2], row) : -1;
      SplitInto(*regex, kernel::ReadAt<std::string_view>(*values[0], row), limit, pattern.empty(),
                elements);
      builder.Append();
    }
    return builder.Finish();
  };
  return kernel::MakeFunction("split", result, std::move(types), std::move(split));
}

Result<BoundScalarFunction> BindRegexpCount(const Args& args, const BindContext& ctx) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<TypePtr> types,
                          strings::CoerceArgs(ctx, "regexp_count", args, {StringType()}, 2, 2));
  SLUICE_ASSIGN_OR_RETURN(RegexPtr fixed, LiteralRegex(args[1], "regexp_count", false, 0, false));
  ScalarKernel fn = [fixed](const Values& values, int64_t num_rows,
                            const EvalContext&) -> Result<VectorPtr> {
    RegexSource source(fixed, "regexp_count", false, 0, false);
    return kernel::Map<int32_t, std::string_view, std::string_view>(
        values, IntType(), num_rows,
        [&](std::string_view text, std::string_view pattern) -> Result<int32_t> {
          SLUICE_ASSIGN_OR_RETURN(const RE2* regex, source.Get(pattern));
          std::vector<re2::StringPiece> match(1);
          int32_t count = 0;
          size_t pos = 0;
          while (pos <= text.size() && Find(*regex, text, pos, &match)) {
            ++count;
            const size_t end = static_cast<size_t>(match[0].data() - text.data()) + match[0].size();
            pos = match[0].empty() ? AfterEmpty(text, end) : end;
          }
          return count;
        });
  };
  return kernel::MakeFunction("regexp_count", IntType(), std::move(types), std::move(fn));
}

}  // namespace

void RegisterRegexpFunctions(FunctionRegistry& registry) {
  registry.AddScalar("like", MatchBinder("like", true, false));
  registry.AddScalar("ilike", MatchBinder("ilike", true, true));
  registry.AddScalar("rlike", MatchBinder("rlike", false, false));
  registry.AddAlias("regexp", "rlike");
  registry.AddAlias("regexp_like", "rlike");
  registry.AddScalar("regexp_extract", ExtractBinder("regexp_extract", false));
  registry.AddScalar("regexp_extract_all", ExtractBinder("regexp_extract_all", true));
  registry.AddScalar("regexp_replace", BindRegexpReplace);
  registry.AddScalar("regexp_count", BindRegexpCount);
  registry.AddScalar("split", BindSplit);
}

}  // namespace sluice::expr
