# SPDX-License-Identifier: Apache-2.0
# Sourced by shell tests that need `sluice kafka serve`: set $sluice (the binary) and
# $work (a scratch directory) first. Gives fail (prints the broker's output and exits 1),
# start_broker ARGS... (starts the broker in the background, waits for its ready file, and
# sets $broker_pid and $bootstrap), and kills a broker still running at exit.
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill -9 "$broker_pid" 2>/dev/null
  fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- broker output:"; cat "$work/broker.out" 2>/dev/null
  exit 1
}

# Starts the broker with the given arguments and waits for its ready file (or its death:
# returns 1).
start_broker() {
  rm -f "$work/ready"
  "$sluice" kafka serve --ready-file "$work/ready" "$@" >"$work/broker.out" 2>&1 &
  broker_pid=$!
  tries=0
  until [ -s "$work/ready" ]; do
    tries=$((tries + 1))
    if ! kill -0 "$broker_pid" 2>/dev/null; then
      wait "$broker_pid"
      return 1
    fi
    [ "$tries" -gt 300 ] && fail "the broker did not become ready in 30 s"
    sleep 0.1
  done
  bootstrap=$(cat "$work/ready")
  grep -q "^sluice kafka serve: bootstrap.servers=$bootstrap\$" "$work/broker.out" ||
    fail "the ready line does not name $bootstrap"
  return 0
}
