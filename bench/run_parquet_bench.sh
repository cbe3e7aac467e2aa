#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compares sluice's Parquet writer and reader with DuckDB's on the same Nexmark bids, one
# thread each: write from in-memory rows (SNAPPY and ZSTD), read every column back, and
# the file sizes. Usage: bench/run_parquet_bench.sh [ROWS] [BUILD_DIR]
# Needs the release build (cmake --preset release && cmake --build --preset release) and
# the bench npm packages (scripts/bootstrap --bench).
set -euo pipefail
rows="${1:-2000000}"
here="$(cd "$(dirname "$0")" && pwd)"
build="${2:-$here/../build/release}"
dir="${TMPDIR:-/tmp}/sluice_parquet_bench"
mkdir -p "$dir"
file="$dir/bids_${rows}.ndjson"

[[ -f "$file" ]] || "$build/bench/nexmark_gen" --rows "$rows" --out "$file"

out="$dir/results.txt"
"$build/bench/parquet_bench" --in "$file" --dir "$dir" --repeat 3 | tee "$out"
(cd "$here" && node duckdb_parquet.mjs "$file" "$dir") | tee -a "$out"

# Side by side: rows/s and bytes of both, and sluice/DuckDB ratios.
awk '
  { key = $2 " " $3; for (i = 4; i <= NF; ++i) { split($i, kv, "="); v[$1, key, kv[1]] = kv[2] } keys[key] = 1 }
  END {
    for (key in keys) {
      s = v["sluice", key, "rows_per_s"]; d = v["duckdb", key, "rows_per_s"]
      if (s != "" && d != "") printf "%-14s sluice %10.0f rows/s  duckdb %10.0f rows/s  ratio %.2fx\n", key, s, d, s / d
      sb = v["sluice", key, "bytes"]; db = v["duckdb", key, "bytes"]
      if (sb != "" && db != "") printf "%-14s sluice %10d bytes   duckdb %10d bytes   ratio %.2fx\n", key, sb, db, sb / db
    }
  }' "$out" | sort
