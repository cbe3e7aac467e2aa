// SPDX-License-Identifier: Apache-2.0
// DuckDB baseline for sluice's SQL benchmark (sql_bench): the same seven queries in
// DuckDB's dialect over the same live Parquet files, which sql_bench lists in
// DIR/bids_files.txt and DIR/auctions_files.txt (one absolute path per line), as views
//   CREATE VIEW bids AS SELECT * FROM read_parquet([file, ...])
// (DuckDB reads the files directly, without the Delta log). Each query runs REPETITIONS
// times (best time kept) under SET threads=N for each N of THREADS, its result
// materialized (every chunk fetched), as sql_bench materializes sluice's.
//
// Prints one machine-readable line per query and thread count, e.g.
//   duckdb sql query=group_by_channel threads=1 best_ms=212.345 rows=4
// with `value=<first column of the first row>` for the queries whose sluice line has it.
// Usage: node duckdb_sql_bench.mjs DIR [REPETITIONS] [THREADS]   (THREADS: e.g. 1,2)
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';

const dir = process.argv[2];
const repetitions = Number(process.argv[3] ?? 3);
const threadCounts = (process.argv[4] ?? '1,2').split(',').map(Number);
if (!dir || !(repetitions >= 1) || threadCounts.some((n) => !(n >= 1))) {
  console.error('usage: node duckdb_sql_bench.mjs DIR [REPETITIONS] [THREADS]');
  process.exit(2);
}

// Keep in step with Queries() in sql_bench.cc: same names, same meaning. The window
// query uses time_bucket (DuckDB's buckets start at the epoch plus whole widths, as
// Spark's window() does for a 10-second window with no start offset).
const QUERIES = [
  { name: 'count', sql: 'SELECT count(*) FROM bids', value: true },
  {
    name: 'filtered_sum',
    sql: "SELECT sum(price) FROM bids WHERE price > 5000 AND channel = 'Google'",
    value: true,
  },
  {
    name: 'group_by_channel',
    sql: 'SELECT channel, count(*), sum(price), avg(price) FROM bids GROUP BY channel',
    value: false,
  },
  {
    name: 'group_by_bidder',
    sql: 'SELECT bidder, count(*), max(price) FROM bids GROUP BY bidder',
    value: false,
  },
  {
    name: 'top10_price',
    sql: 'SELECT price, auction, bidder FROM bids ORDER BY price DESC LIMIT 10',
    value: true,
  },
  {
    name: 'window_10s_by_auction',
    sql: "SELECT count(*) FROM (SELECT time_bucket(INTERVAL '10 seconds', date_time) AS w, " +
        "auction, count(*) AS bids FROM bids " +
        "GROUP BY time_bucket(INTERVAL '10 seconds', date_time), auction)",
    value: true,
  },
  {
    name: 'join_category',
    sql: 'SELECT a.category, sum(b.price) FROM bids b JOIN auctions a ON b.auction = a.id ' +
        'GROUP BY a.category',
    value: false,
  },
  // Scan-only floors: three BIGINT columns, and one dictionary-encoded string column.
  { name: 'scan_longs', sql: 'SELECT max(price), max(auction), max(bidder) FROM bids', value: true },
  { name: 'scan_channel', sql: "SELECT count(*) FROM bids WHERE channel = 'Apple'", value: true },
];

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const listFiles = (name) =>
    fs.readFileSync(`${dir}/${name}`, 'utf8').split('\n').filter((line) => line !== '');

// Runs `sql` REPETITIONS times; returns the best wall time in ms, the row count and the
// first value of the last run's materialized result.
async function bestOf(connection, sql) {
  let best = Infinity;
  let rows = 0;
  let first;
  for (let i = 0; i < repetitions; ++i) {
    const start = process.hrtime.bigint();
    const result = await connection.run(sql);
    rows = 0;
    first = undefined;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0;
         chunk = await result.fetchChunk()) {
      if (first === undefined) first = chunk.getColumnVector(0).getItem(0);
      rows += chunk.rowCount;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { best, rows, first };
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
await connection.run("SET TimeZone = 'UTC'");
const bids = listFiles('bids_files.txt');
const auctions = listFiles('auctions_files.txt');
await connection.run(
    `CREATE VIEW bids AS SELECT * FROM read_parquet([${bids.map(quote).join(', ')}])`);
await connection.run(
    `CREATE VIEW auctions AS SELECT * FROM read_parquet([${auctions.map(quote).join(', ')}])`);
console.log(`duckdb version=${version} bid_files=${bids.length} auction_files=${auctions.length} ` +
            `repetitions=${repetitions} cores=${os.availableParallelism()}`);
for (const threads of threadCounts) {
  await connection.run(`SET threads=${threads}`);
  for (const query of QUERIES) {
    const { best, rows, first } = await bestOf(connection, query.sql);
    const value = query.value && first !== undefined ? ` value=${first}` : '';
    console.log(`duckdb sql query=${query.name} threads=${threads} best_ms=${best.toFixed(3)} ` +
                `rows=${rows}${value}`);
  }
}
connection.closeSync?.();
