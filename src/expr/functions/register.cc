// SPDX-License-Identifier: Apache-2.0
#include "expr/builtins.h"

namespace sluice::expr {

void RegisterBuiltinFunctions(FunctionRegistry& registry) {
  RegisterArithmeticFunctions(registry);
  RegisterComparisonFunctions(registry);
  RegisterLogicalFunctions(registry);
  RegisterConditionalFunctions(registry);
  RegisterStringFunctions(registry);
  RegisterHashFunctions(registry);
  RegisterDatetimeFunctions(registry);
  RegisterJsonFunctions(registry);
  RegisterCollectionFunctions(registry);
  RegisterAggregateFunctions(registry);
  RegisterWindowFunctions(registry);
  RegisterGeneratorFunctions(registry);
}

}  // namespace sluice::expr
