#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Compares sluice's NDJSON decoder with DuckDB's read_json on the same Nexmark bid file,
# one thread each. Usage: bench/run_json_bench.sh [ROWS] [BUILD_DIR]
# Needs the release build (cmake --preset release && cmake --build --preset release) and
# `npm install` in bench/.
set -euo pipefail
rows="${1:-1000000}"
here="$(cd "$(dirname "$0")" && pwd)"
build="${2:-$here/../build/release}"
file="${TMPDIR:-/tmp}/sluice_nexmark_bids_${rows}.ndjson"

"$build/bench/nexmark_gen" --rows "$rows" --out "$file"

sluice_out="$(SLUICE_BENCH_FILE="$file" "$build/bench/json_decode_bench" \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null)"
echo "$sluice_out" | grep -E "median" || true
sluice_rate="$(echo "$sluice_out" | grep median | sed -E 's/.*items_per_second=([0-9.]+)([kMG]?)\/s.*/\1 \2/' |
  awk '{m = ($2 == "G") ? 1e9 : ($2 == "M") ? 1e6 : ($2 == "k") ? 1e3 : 1; printf "%.0f", $1 * m}')"

duck_out="$(cd "$here" && node duckdb_read_json.mjs "$file" 5)"
echo "$duck_out"
duck_rate="$(echo "$duck_out" | sed -E 's/.*rows_per_second=([0-9]+).*/\1/')"

echo "sluice: ${sluice_rate} rows/s (1 thread)"
echo "duckdb: ${duck_rate} rows/s (threads=1)"
awk -v s="$sluice_rate" -v d="$duck_rate" 'BEGIN { printf "ratio sluice/duckdb: %.2fx\n", s / d }'
