// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "types/decimal.h"

/// Exact decimal arithmetic on unscaled Int128 values with a 256-bit intermediate, for
/// the arithmetic kernels (private to src/expr/functions).
namespace sluice::expr::decimal_ops {

/// round_half_up(a * b / d) for any d != 0; false when the result does not fit an Int128.
bool MulDivRound(Int128 a, Int128 b, Int128 d, Int128* out);

/// a * 10^exponent (0 <= exponent); false on Int128 overflow.
bool ScaleUp(Int128 a, int exponent, Int128* out);

}  // namespace sluice::expr::decimal_ops
