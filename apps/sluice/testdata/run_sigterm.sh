#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `sluice run` keeps its streaming tables running until SIGTERM, then stops them cleanly
# (exit 0, "sluice: stopped"), and the tables hold every input row.
# Usage: run_sigterm.sh SLUICE WORK_DIR   (from the repository root)
set -u
sluice="$1"
work="$2"
rm -rf "$work" && mkdir -p "$work"
"$sluice" run examples/pipelines/files_to_delta.sql --warehouse "$work/wh" >"$work/out" 2>&1 &
pid=$!
tries=0
until grep -q 'orders_by_country batch 0' "$work/out"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
    echo "the pipeline did not process its input:"; cat "$work/out"; kill -9 "$pid"; exit 1
  fi
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid"
status=$?
cat "$work/out"
[ "$status" -eq 0 ] || { echo "exit status $status after SIGTERM"; exit 1; }
"$sluice" sql --warehouse "$work/wh" --output csv \
  -e "SELECT count(*) AS bronze FROM orders_bronze; SELECT count(*) AS silver FROM orders_by_country"
