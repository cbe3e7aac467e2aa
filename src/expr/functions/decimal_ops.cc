// SPDX-License-Identifier: Apache-2.0
#include "expr/functions/decimal_ops.h"

namespace sluice::expr::decimal_ops {

namespace {

using U128 = unsigned __int128;

struct U256 {
  U128 hi = 0;
  U128 lo = 0;
};

U256 Multiply(U128 a, U128 b) {
  const uint64_t a0 = static_cast<uint64_t>(a);
  const uint64_t a1 = static_cast<uint64_t>(a >> 64);
  const uint64_t b0 = static_cast<uint64_t>(b);
  const uint64_t b1 = static_cast<uint64_t>(b >> 64);
  const U128 p00 = static_cast<U128>(a0) * b0;
  const U128 p01 = static_cast<U128>(a0) * b1;
  const U128 p10 = static_cast<U128>(a1) * b0;
  const U128 p11 = static_cast<U128>(a1) * b1;
  const U128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  U256 out;
  out.lo = (mid << 64) | static_cast<uint64_t>(p00);
  out.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  return out;
}

U128 Magnitude(Int128 value) {
  return value < 0 ? static_cast<U128>(0) - static_cast<U128>(value) : static_cast<U128>(value);
}

constexpr U128 kInt128Max = (static_cast<U128>(1) << 127) - 1;

}  // namespace

bool MulDivRound(Int128 a, Int128 b, Int128 d, Int128* out) {
  // The sign of a negative divisor counts too (x / -5 is a division by -5).
  const bool negative = ((a < 0) != (b < 0)) != (d < 0);
  const U256 n = Multiply(Magnitude(a), Magnitude(b));
  const U128 divisor = Magnitude(d);
  U128 quotient = 0;
  U128 remainder = 0;
  if (n.hi == 0) {
    quotient = n.lo / divisor;
    remainder = n.lo % divisor;
  } else {
    // Long division bit by bit; divisor < 2^127 keeps the remainder's shift in range.
    U256 q;
    for (int bit = 255; bit >= 0; --bit) {
      const U128 next = bit >= 128 ? (n.hi >> (bit - 128)) & 1 : (n.lo >> bit) & 1;
      remainder = (remainder << 1) | next;
      if (remainder >= divisor) {
        remainder -= divisor;
        if (bit >= 128) {
          q.hi |= static_cast<U128>(1) << (bit - 128);
        } else {
          q.lo |= static_cast<U128>(1) << bit;
        }
      }
    }
    if (q.hi != 0) {
      return false;
    }
    quotient = q.lo;
  }
  if (remainder * 2 >= divisor) {
    ++quotient;
  }
  if (quotient > kInt128Max) {
    return false;
  }
  *out = negative ? -static_cast<Int128>(quotient) : static_cast<Int128>(quotient);
  return true;
}

bool ScaleUp(Int128 a, int exponent, Int128* out) {
  if (exponent > 38) {
    if (a != 0) {
      return false;
    }
    *out = 0;
    return true;
  }
  return !__builtin_mul_overflow(a, PowerOfTen(exponent), out);
}

}  // namespace sluice::expr::decimal_ops
