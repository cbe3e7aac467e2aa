#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SQL benchmark (issue 5; see sql_bench.cc): seven queries over a 10 M-row Nexmark bids
# Delta table and an auction dimension table through sluice's Session, beside DuckDB
# running the same queries on the same live Parquet files (duckdb_sql_bench.mjs), at
# 1 and 2 threads, best of 3 each. Prints both times per query and thread count, the
# ratio sluice/DuckDB (below 1: sluice is faster) and the geometric mean of the ratios
# per thread count. The tables are built once under DIR and reused (delete DIR to
# rebuild them).
# Usage: bench/run_sql_bench.sh [ROWS] [BUILD_DIR] [DIR]
# Needs the release build (cmake --preset release && cmake --build --preset release) and
# the bench npm packages (scripts/bootstrap --bench).
set -euo pipefail
rows="${1:-10000000}"
here="$(cd "$(dirname "$0")" && pwd)"
build="${2:-$here/../build/release}"
dir="${3:-${TMPDIR:-/tmp}/sluice_sql_bench}"
threads=1,2
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

out="$dir/results.txt"
"$build/bench/sql_bench" --dir "$dir" --rows "$rows" --repeat 3 --threads "$threads" | tee "$out"
(cd "$here" && node duckdb_sql_bench.mjs "$dir" 3 "$threads") | tee -a "$out"

# Side by side: per query and thread count both best times and sluice/DuckDB; then the
# geometric mean of the ratios per thread count (over the queries both engines ran).
awk '
  function field(name,   i, kv) {
    for (i = 3; i <= NF; ++i) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
    return ""
  }
  $2 == "sql" && field("query") != "" {
    q = field("query"); t = field("threads")
    if (!((q, t) in seen)) { seen[q, t] = 1; order[++n] = q SUBSEP t }
    if (!(t in tseen)) { tseen[t] = 1; torder[++nt] = t }
    ms[$1, q, t] = field("best_ms")
    rows[$1, q, t] = field("rows")
  }
  END {
    printf "%-22s %7s %12s %12s %8s\n", "query", "threads", "sluice_ms", "duckdb_ms", "ratio"
    for (i = 1; i <= n; ++i) {
      split(order[i], k, SUBSEP); q = k[1]; t = k[2]
      s = ms["sluice", q, t]; d = ms["duckdb", q, t]
      if (s != "" && d != "") {
        r = s / d; logsum[t] += log(r); count[t]++
        flag = (rows["sluice", q, t] != rows["duckdb", q, t]) ? "  (rows differ: " rows["sluice", q, t] " vs " rows["duckdb", q, t] ")" : ""
        printf "%-22s %7s %12.1f %12.1f %7.2fx%s\n", q, t, s, d, r, flag
      } else {
        printf "%-22s %7s %12s %12s %8s\n", q, t, (s != "" ? sprintf("%.1f", s) : "failed"), (d != "" ? sprintf("%.1f", d) : "failed"), "-"
      }
    }
    for (j = 1; j <= nt; ++j)
      if ((t = torder[j]) in count) printf "geometric mean sluice/duckdb threads=%s: %.2fx over %d queries\n", t, exp(logsum[t] / count[t]), count[t]
  }' "$out"
