#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `sluice kafka serve` against a real Kafka client (kcat, Debian's package).
# Usage: kcat_interop.sh SLUICE WORK_DIR MODE
#   interop: kcat produces keyed messages and `sluice gen orders` produces 50 orders to a
#            2-partition topic; kcat consumes them all (counts, the generator's first record)
#   sigterm: the broker exits 0 on SIGTERM and removes its ready file
#   port:    --port N (a free port from a range) serves kcat as a fixed bootstrap address
set -u
sluice="$1"
work="$2"
mode="$3"
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../../../test/lib/kafka_broker.sh"

stop_broker() {
  kill -TERM "$broker_pid"
  wait "$broker_pid"
  status=$?
  broker_pid=""
  [ "$status" -eq 0 ] || fail "the broker exited with $status after SIGTERM"
  [ ! -e "$work/ready" ] || fail "the ready file outlived the broker"
}

case "$mode" in
sigterm)
  start_broker --topic t:2 || fail "the broker did not start"
  kcat -b "$bootstrap" -L -t t -m 10 | grep -q 'topic "t" with 2 partitions' ||
    fail "kcat does not see topic t with 2 partitions"
  stop_broker
  cat "$work/broker.out"
  ;;
port)
  # A free port: try ports of a range from a pseudo-random start until one listens.
  port=$((20000 + $$ % 20000))
  attempts=0
  until start_broker --topic fixed:1 --port "$port"; do
    attempts=$((attempts + 1))
    [ "$attempts" -gt 20 ] && fail "no free port found from $port"
    port=$((port + 1))
  done
  [ "$bootstrap" = "127.0.0.1:$port" ] || fail "bootstrap $bootstrap is not 127.0.0.1:$port"
  printf 'a:1\nb:2\nc:3\n' | kcat -b "127.0.0.1:$port" -t fixed -P -K: ||
    fail "kcat could not produce through port $port"
  kcat -b "127.0.0.1:$port" -t fixed -C -o beginning -e -q -f '%k=%s\n' >"$work/consumed" ||
    fail "kcat could not consume through port $port"
  [ "$(cat "$work/consumed")" = "$(printf 'a=1\nb=2\nc=3')" ] ||
    fail "consumed through port $port: $(cat "$work/consumed")"
  stop_broker
  echo "port $port: 3 records produced and consumed by kcat"
  ;;
interop)
  # The generator's first event for seed 7 from 2026-11-25T10:00:00Z (pinned: a change to
  # the generator's sequence must be deliberate, as benchmarks and demos rely on it).
  first='{"order_id":1,"customer_id":"C02429","region":"us-east","status":"delivered","amount":20.73,"currency":"USD","items":[{"sku":"SKU-00146","qty":1,"unit_price":20.73}],"order_time":"2026-11-25T09:59:59.838Z"}'
  start_broker --topic t:2 || fail "the broker did not start"
  printf 'k1:hello\nk2:world\nk3:!\n' | kcat -b "$bootstrap" -t t -P -K: ||
    fail "kcat could not produce"
  "$sluice" gen orders --bootstrap "$bootstrap" --topic t --count 50 --seed 7 \
    --start-time 2026-11-25T10:00:00Z --duplicates 4 --malformed 4 --late 10 \
    >"$work/gen.out" 2>&1 || { cat "$work/gen.out"; fail "sluice gen orders failed"; }
  cat "$work/gen.out"
  grep -q '^sluice gen orders: 50 events (4 duplicates, 2 malformed, 6 late) to topic t ' \
    "$work/gen.out" || fail "the generator's summary differs"
  kcat -b "$bootstrap" -t t -C -o beginning -e -q -f '%p %k %s\n' >"$work/consumed" ||
    fail "kcat could not consume"
  total=$(wc -l <"$work/consumed")
  kcat_records=$(grep -c '^[01] k[123] ' "$work/consumed")
  orders=$(grep -c '^[01] [0-9][0-9]* ' "$work/consumed")
  keys=$(grep '^[01] [0-9][0-9]* ' "$work/consumed" | cut -d' ' -f2 | sort -u | wc -l)
  echo "consumed $total records: $kcat_records from kcat, $orders from sluice gen orders ($keys keys)"
  [ "$total" -eq 53 ] && [ "$kcat_records" -eq 3 ] && [ "$orders" -eq 50 ] ||
    fail "expected 53 = 3 + 50 records"
  [ "$keys" -eq 46 ] || fail "expected 46 distinct order keys (50 events, 4 duplicates)"
  grep -q '^[01] k2 world$' "$work/consumed" || fail "kcat's record k2 is missing"
  partition_of_1=$(grep '^[01] 1 ' "$work/consumed" | head -1 | cut -d' ' -f1)
  grep -qxF "$partition_of_1 1 $first" "$work/consumed" ||
    fail "the first order is not $first"
  # A duplicate is the same key and value, so it lands in its original's partition; within
  # a partition new orders come in increasing order_id.
  awk '$2 ~ /^[0-9]+$/ {
         if ($2 in seen) { if (seen[$2] != $0) { print "duplicate differs: " $0; bad = 1 } }
         else { if ($2 + 0 <= last[$1]) { print "out of order: " $0; bad = 1 }
                seen[$2] = $0; last[$1] = $2 + 0 } }
       END { exit bad }' "$work/consumed" || fail "duplicates or order within a partition"
  stop_broker
  echo "interop: kcat and sluice gen orders produced, kcat consumed all 53 records"
  ;;
*)
  echo "unknown mode $mode"; exit 2
  ;;
esac
