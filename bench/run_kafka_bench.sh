#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Kafka benchmark W2 (issue 7): starts the embedded broker in its own process
# (`sluice kafka serve --topic orders:6`), then runs kafka_bench against it:
#   1. rounds: MESSAGES order messages in rounds the broker can hold, each drained by the
#      Kafka -> from_json -> Delta query (availableNow), beside kafka::Client::Fetch of
#      the same offsets (the librdkafka ceiling), for each maxOffsetsPerTrigger in LIMITS;
#   2. concurrent: the same query running while a producer stays within the broker's
#      retention ahead of it (sustained rate with production on the same 2 cores);
#   3. latency: RATE msgs/s with a 50 ms processingTime trigger, produce -> visible in a
#      Delta commit, p50/p99.
# Usage: bench/run_kafka_bench.sh [MESSAGES] [LIMITS] [RATE] [SECONDS] [BUILD_DIR] [DIR]
# SOURCE_OPTIONS="kafka.fetch.wait.max.ms=10 ..." adds Kafka source options to every query.
# Needs the release build: cmake --preset release &&
#   cmake --build build/release --target sluice kafka_bench -j2
set -euo pipefail
messages="${1:-2000000}"
limits="${2:-50000,200000}"
rate="${3:-100000}"
seconds="${4:-30}"
here="$(cd "$(dirname "$0")" && pwd)"
build="${5:-$here/../build/release}"
dir="${6:-${TMPDIR:-/tmp}/sluice_kafka_bench_$$}"
mkdir -p "$dir"
ready="$dir/broker.ready"

"$build/apps/sluice/sluice" kafka serve --topic orders:6 --ready-file "$ready" \
  >"$dir/broker.log" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
  [[ -s "$ready" ]] && break
  sleep 0.1
done
bootstrap="$(cat "$ready")"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "broker: sluice kafka serve (pid $broker) at $bootstrap"
bench=("$build/bench/kafka_bench" --bootstrap "$bootstrap" --broker-pid "$broker")
for option in ${SOURCE_OPTIONS:-}; do
  bench+=(--source-option "$option")
done
echo "source options: ${SOURCE_OPTIONS:-(none)}"

"${bench[@]}" --mode rounds --messages "$messages" --max-offsets "$limits" --dir "$dir/rounds"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
"${bench[@]}" --mode concurrent --messages "$messages" --max-offsets "$limits" \
  --dir "$dir/concurrent"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
"${bench[@]}" --mode latency --rate "$rate" --trigger-ms 50 --seconds "$seconds" --warmup 5 \
  --dir "$dir/latency"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
