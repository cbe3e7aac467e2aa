#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Streaming ingest benchmark W1 (issue 6): ROWS Nexmark bids as NDJSON in FILES files are
# ingested into a Delta streaming table by `sluice run <pipeline> --available-now`, and
# DuckDB converts the same files to Parquet (COPY (SELECT * FROM read_json(...)) TO ...
# (FORMAT parquet)) in the same run, same 8-column schema, at its default thread count.
# Prints both rates (rows/s, wall time of the whole command / query) and the ratio.
# The files are generated once under DIR (default /tmp/sluice_stream_bench) and reused;
# generation is not timed. MAX_FILES is read_files' maxFilesPerTrigger (0: no limit, the
# file source's default: one micro-batch takes every file).
# Usage: bench/run_stream_bench.sh [ROWS] [FILES] [MAX_FILES] [BUILD_DIR] [DIR]
# Needs the release build (cmake --preset release && cmake --build build/release --target
# sluice nexmark_gen) and the bench npm packages (scripts/bootstrap --bench).
set -euo pipefail
rows="${1:-10000000}"
files="${2:-1000}"
max_files="${3:-0}"
here="$(cd "$(dirname "$0")" && pwd)"
build="${4:-$here/../build/release}"
dir="${5:-${TMPDIR:-/tmp}/sluice_stream_bench}"
if (( rows % files != 0 )); then
  echo "run_stream_bench: ROWS ($rows) must be a multiple of FILES ($files)" >&2
  exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
data="$dir/bids_${rows}_${files}"

# The data: one nexmark_gen stream split into FILES files of ROWS/FILES lines each.
if [[ ! -f "$data.done" ]]; then
  rm -rf "$data"
  mkdir -p "$data"
  echo "generating $rows bids in $files files under $data"
  "$build/bench/nexmark_gen" --rows "$rows" --out /dev/fd/3 3>&1 >/dev/null |
    (cd "$data" && split -l $((rows / files)) -d -a 5 --additional-suffix=.json - bids_)
  touch "$data.done"
fi
cat "$data"/*.json >/dev/null  # both engines read from the page cache

schema='event_type STRING, auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING'
limit=""
if (( max_files > 0 )); then
  limit=", maxFilesPerTrigger => '$max_files'"
fi
work="$dir/run_$$"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cat >"$work/pipeline.sql" <<SQL
CREATE OR REFRESH STREAMING TABLE bids
AS SELECT * FROM STREAM read_files('$data', format => 'json', schema => '$schema'$limit);
SQL

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU seconds (user + sys) of each engine's whole process, when GNU time is there.
timer=()
if [[ -x /usr/bin/time ]]; then
  timer=(/usr/bin/time -f "%U %S %M" -o "$work/time.txt")
fi
cpu() {
  [[ -f "$work/time.txt" ]] && awk '{ printf "cpu_seconds=%.2f max_rss_mb=%.0f", $1 + $2, $3 / 1024 }' "$work/time.txt"
}
start=$(date +%s.%N)
"${timer[@]}" "$build/apps/sluice/sluice" run "$work/pipeline.sql" --warehouse "$work/warehouse" \
  --available-now >"$work/sluice.log"
end=$(date +%s.%N)
batches=$(grep -c ' batch ' "$work/sluice.log" || true)
ingested=$(awk '/ batch /{ n += $4 } END { print n + 0 }' "$work/sluice.log")
sluice_seconds=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
sluice_rate=$(awk -v r="$ingested" -v t="$sluice_seconds" 'BEGIN { printf "%.0f", r / t }')
head -3 "$work/sluice.log"
if (( batches > 3 )); then echo "..."; tail -1 "$work/sluice.log"; fi
table_bytes=$(du -sb "$work/warehouse" | cut -f1)
parquet_files=$(find "$work/warehouse" -name '*.parquet' | wc -l)
echo "sluice rows=$ingested batches=$batches seconds=$sluice_seconds rows_per_second=$sluice_rate" \
  "parquet_files=$parquet_files warehouse_bytes=$table_bytes $(cpu)"
if (( ingested != rows )); then
  echo "run_stream_bench: sluice ingested $ingested rows, expected $rows" >&2
  exit 1
fi
rm -rf "$work/warehouse"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/time.txt"
duck_out="$(cd "$here" && "${timer[@]}" node duckdb_json_to_parquet.mjs "$data" "$work/duckdb.parquet" 1)"
echo "$duck_out $(cpu) (cpu: the node process)"
duck_rate="$(echo "$duck_out" | sed -E 's/.*rows_per_second=([0-9]+).*/\1/')"

echo "sluice: ${sluice_rate} rows/s (sluice run --available-now, maxFilesPerTrigger=${max_files/#0/none})"
echo "duckdb: ${duck_rate} rows/s (read_json -> parquet, default threads)"
awk -v s="$sluice_rate" -v d="$duck_rate" 'BEGIN { printf "ratio sluice/duckdb: %.2fx\n", s / d }'
