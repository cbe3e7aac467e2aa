// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <map>
#include <utility>

#include "common/ascii.h"
#include "common/check.h"
#include "expr/builtins.h"
#include "expr/function.h"

namespace sluice::expr {

struct FunctionRegistry::Impl {
  // Lower-cased name -> entry; aliases share the entry.
  std::map<std::string, std::shared_ptr<const FunctionEntry>, std::less<>> entries;
};

namespace {

void Insert(std::map<std::string, std::shared_ptr<const FunctionEntry>, std::less<>>& entries,
            FunctionEntry entry) {
  std::string key = ToLowerAscii(entry.name);
  entry.name = key;
  const bool inserted =
      entries.emplace(key, std::make_shared<const FunctionEntry>(std::move(entry))).second;
  SLUICE_CHECK(inserted, "function {} registered twice", key);
}

}  // namespace

FunctionRegistry::FunctionRegistry() : impl_(std::make_shared<Impl>()) {}

const FunctionRegistry& FunctionRegistry::Default() {
  static const FunctionRegistry* registry = [] {
    auto* built = new FunctionRegistry();
    RegisterBuiltinFunctions(*built);
    return built;
  }();
  return *registry;
}

void FunctionRegistry::AddScalar(std::string name, ScalarBinder binder) {
  FunctionEntry entry;
  entry.name = std::move(name);
  entry.kind = FunctionKind::kScalar;
  entry.scalar = std::move(binder);
  Insert(impl_->entries, std::move(entry));
}

void FunctionRegistry::AddAggregate(std::string name, AggregateBinder binder) {
  FunctionEntry entry;
  entry.name = std::move(name);
  entry.kind = FunctionKind::kAggregate;
  entry.aggregate = std::move(binder);
  Insert(impl_->entries, std::move(entry));
}

void FunctionRegistry::AddWindow(std::string name, WindowBinder binder) {
  FunctionEntry entry;
  entry.name = std::move(name);
  entry.kind = FunctionKind::kWindow;
  entry.window = std::move(binder);
  Insert(impl_->entries, std::move(entry));
}

void FunctionRegistry::AddGenerator(std::string name, GeneratorBinder binder) {
  FunctionEntry entry;
  entry.name = std::move(name);
  entry.kind = FunctionKind::kGenerator;
  entry.generator = std::move(binder);
  Insert(impl_->entries, std::move(entry));
}

void FunctionRegistry::AddAlias(std::string alias, std::string_view name) {
  auto it = impl_->entries.find(ToLowerAscii(name));
  SLUICE_CHECK(it != impl_->entries.end(), "alias {} of unknown function {}", alias, name);
  std::shared_ptr<const FunctionEntry> target = it->second;
  const bool inserted = impl_->entries.emplace(ToLowerAscii(alias), std::move(target)).second;
  SLUICE_CHECK(inserted, "function {} registered twice", alias);
}

const FunctionEntry* FunctionRegistry::Find(std::string_view name) const {
  auto it = impl_->entries.find(ToLowerAscii(name));
  return it == impl_->entries.end() ? nullptr : it->second.get();
}

std::vector<std::string> FunctionRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(impl_->entries.size());
  for (const auto& [name, entry] : impl_->entries) {
    names.push_back(name);
  }
  return names;  // std::map keeps them sorted
}

}  // namespace sluice::expr
