#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Delta benchmarks (see delta_bench.cc): commit latency of small appends against the
# durable-commit floor, snapshot load of a 10,000-commit table (latest and time travel),
# and the scan of a 10 M-row table beside DuckDB reading the same live Parquet files.
# The tables are built once under DIR and reused (delete DIR to rebuild them); the first
# run spends about 7 minutes building the 10,000-commit table.
# Usage: bench/run_delta_bench.sh [ROWS] [BUILD_DIR] [DIR]
# Needs the release build (cmake --preset release && cmake --build --preset release) and
# the bench npm packages (scripts/bootstrap --bench).
set -euo pipefail
rows="${1:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
build="${2:-$here/../build/release}"
dir="${3:-${TMPDIR:-/tmp}/sluice_delta_bench}"
mkdir -p "$dir"

out="$dir/results.txt"
"$build/bench/delta_bench" --dir "$dir" --rows "$rows" | tee "$out"
(cd "$here" && node duckdb_delta_scan.mjs "$dir/scan_files.txt" 3) | tee -a "$out"

# Side by side: commit p50/p99 against the floor measured here and against the 1.33 ms
# p50 / 4.3 ms p99 of the shared docs/performance.md (D6); scan rows/s of both engines.
awk '
  function field(name,   i, kv) {
    for (i = 3; i <= NF; ++i) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
    return ""
  }
  $1 == "sluice" && $2 == "commit" { p50[$3] = field("p50_ms"); p99[$3] = field("p99_ms"); order[++n] = $3 }
  $2 == "scan" { rate[$1, field("threads")] = field("rows_per_s"); threads[field("threads")] = 1 }
  END {
    for (i = 1; i <= n; ++i) {
      k = order[i]
      printf "commit %-36s p50 %7.3f ms (%.2fx floor here, %.2fx 1.33 ms)  p99 %7.3f ms (%.2fx floor here, %.2fx 4.3 ms)\n",
             k, p50[k], p50[k] / p50["floor"], p50[k] / 1.33, p99[k], p99[k] / p99["floor"], p99[k] / 4.3
    }
    for (t in threads) {
      s = rate["sluice", t]; d = rate["duckdb", t]
      if (s != "" && d != "") printf "scan threads=%-3s sluice %10.0f rows/s  duckdb %10.0f rows/s  ratio %.2fx\n", t, s, d, s / d
    }
  }' "$out"
