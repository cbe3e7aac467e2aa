#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Ctrl-C in a terminal sends SIGINT to the whole foreground process group: `sluice demo`
# must stop its queries before its broker goes away, and exit at once and cleanly.
# Usage: demo_ctrl_c.sh SLUICE WORK_DIR
set -u
sluice="$1"
work="$2"
rm -rf "$work" && mkdir -p "$work"
fail() {
  echo "FAIL: $*"
  echo "--- demo output:"; cat "$work/out.txt"
  exit 1
}
# A process group of its own, as a shell's foreground job has.
setsid "$sluice" demo --rate 200 --refresh 2 --warehouse "$work/warehouse" --dir "$work/logs" \
  >"$work/out.txt" 2>&1 &
pid=$!
tries=0
until grep -q "after [0-9]* s:" "$work/out.txt" 2>/dev/null; do
  tries=$((tries + 1))
  kill -0 "$pid" 2>/dev/null || fail "the demo ended before its first report"
  [ "$tries" -gt 600 ] && fail "no report in 60 s"
  sleep 0.1
done
kill -INT "-$pid"
tries=0
while kill -0 "$pid" 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ]; then
    kill -9 "-$pid" 2>/dev/null
    fail "the demo did not exit within 20 s of Ctrl-C"
  fi
  sleep 0.1
done
wait "$pid"
status=$?
[ "$status" -eq 0 ] || fail "the demo exited with $status"
grep -q "STREAM_FAILED" "$work/out.txt" && fail "a query failed on Ctrl-C"
grep -q "sluice demo: stopped" "$work/out.txt" || fail "no closing message"
echo "PASS"
