// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace sluice {

/// Returns Java's Double.toString(value), which Spark uses to show doubles: the shortest
/// digits that read back the same, "1.0", "0.001", "1.0E-4", "1.2345678E7", "NaN",
/// "Infinity", "-Infinity", "-0.0".
std::string FormatDouble(double value);
/// Returns Java's Float.toString(value), shortest digits for a float.
std::string FormatFloat(float value);

}  // namespace sluice
