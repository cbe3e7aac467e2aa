#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# examples/cpp/kafka_to_delta end to end against `sluice kafka serve` (its own process)
# with kcat (Debian's package) producing the orders:
#   1. 3 orders are in the topic before the query starts: startingOffsets latest skips
#      them (the first run reads 0 records, as the seed's snippet would);
#   2. 5 more orders: the restarted query (same checkpoint) reads exactly those 5;
#   3. a second query from startingOffsets earliest reads all 8;
#   4. `sluice sql` over both Delta tables sees ids 4..8 and 1..8, parsed from the JSON.
# Usage: kafka_to_delta_test.sh SLUICE KAFKA_TO_DELTA WORK_DIR
set -u
sluice="$1"
example="$2"
work="$3"
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../../test/lib/kafka_broker.sh"

start_broker --topic orders_topic:2 || fail "the broker exited"
servers=$bootstrap
echo "broker: $servers"

# Orders first..last as `sluice gen orders` writes them, keyed by order id.
produce() {
  i=$1
  while [ "$i" -le "$2" ]; do
    printf '%d:{"order_id":%d,"customer_id":"C%05d","region":"eu-west","status":"paid","amount":%d.50,"currency":"EUR","items":[{"sku":"SKU-%d","qty":1,"unit_price":%d.50}],"order_time":"2026-11-25T10:00:0%d.000Z"}\n' \
      "$i" "$i" "$i" "$i" "$i" "$i" "$i"
    i=$((i + 1))
  done | kcat -b "$servers" -t orders_topic -P -K: || fail "kcat could not produce"
}

# Runs the example (availableNow) and checks that it read $1 records.
run() {
  expected=$1
  shift
  "$example" "$servers" orders_topic "$@" --availableNow --warehouse "$work/warehouse" \
    >"$work/run.out" 2>&1 || { cat "$work/run.out"; fail "kafka_to_delta failed"; }
  cat "$work/run.out"
  grep -q "^read $expected records\$" "$work/run.out" || fail "expected $expected records read"
}

produce 1 3
run 0 "$work/orders" "$work/checkpoints/orders"
produce 4 8
run 5 "$work/orders" "$work/checkpoints/orders"
run 8 "$work/all_orders" "$work/checkpoints/all_orders" --startingOffsets earliest

"$sluice" sql --warehouse "$work/warehouse" --output csv -e "
  SELECT count(*), min(order_id), max(order_id), sum(amount), count(DISTINCT region)
  FROM delta.\`$work/orders\`;
  SELECT count(*), min(order_id), max(order_id), sum(amount), min(order_time)
  FROM delta.\`$work/all_orders\`" >"$work/sql.out" 2>&1 || {
  cat "$work/sql.out"; fail "sluice sql failed"; }
cat "$work/sql.out"
grep -q '^5,4,8,32.50,1$' "$work/sql.out" || fail "orders: expected ids 4..8 once each"
grep -q '^8,1,8,40.00,2026-11-25T10:00:01.000$' "$work/sql.out" ||
  fail "all_orders: expected ids 1..8 once each"
echo "kafka_to_delta: ok"
