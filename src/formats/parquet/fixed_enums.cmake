# SPDX-License-Identifier: Apache-2.0
# Gives every enum of the Thrift-generated header a fixed underlying type
# ("enum type : int"). A file may hold any i32 where an enum is expected; with a fixed
# underlying type every int32 is a valid value of the enum, so copying a struct that
# holds an out-of-range value is defined behaviour (readers then reject the value).
# Usage: cmake -DFILE=<parquet_types.h> -P fixed_enums.cmake
file(READ "${FILE}" text)
string(REPLACE "  enum type {" "  enum type : int {" text "${text}")
file(WRITE "${FILE}" "${text}")
