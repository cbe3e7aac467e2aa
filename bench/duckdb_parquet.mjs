// SPDX-License-Identifier: Apache-2.0
// DuckDB baseline for sluice's Parquet writer and reader benchmarks, one thread.
//
// Loads a Nexmark bid NDJSON file (nexmark_gen) into an in-memory table, untimed, with the
// column types sluice reads it as (event_type, channel, url, extra: VARCHAR; auction,
// bidder, price: BIGINT; date_time: TIMESTAMP). Then, with SET threads=1, best of
// REPETITIONS runs each:
//   write: COPY bids TO '<DIR>/duckdb_<codec>.parquet' (FORMAT parquet, COMPRESSION <codec>)
//          for snappy and zstd, DuckDB's defaults otherwise (row groups of 122,880 rows,
//          zstd level 3, dictionary encoding where it pays, data page v1);
//   read:  SELECT * FROM read_parquet(<that file>) as a materialized result.
// The read is a materialized SELECT *, as in duckdb_read_json.mjs, because that is what
// "read every column fully" means for sluice too: every value of every column is decoded
// (decompression, dictionary and level decoding) and copied into the engine's own result
// buffers. A query that only aggregates could be answered partly from Parquet statistics
// or skip decoding (count(*) reads no pages at all), and converting the values to
// JavaScript would time the node bindings instead of DuckDB: fetchChunk() on a
// materialized result only hands out chunks that already exist.
//
// Prints one machine-readable line per measurement, e.g.
//   duckdb write snappy rows=2000000 best_seconds=0.812 rows_per_s=2463054 bytes=98765432
//   duckdb read snappy rows=2000000 best_seconds=0.301 rows_per_s=6644518
// Usage: node duckdb_parquet.mjs FILE [DIR] [REPETITIONS]
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const file = process.argv[2];
const dir = process.argv[3] ?? os.tmpdir();
const repetitions = Number(process.argv[4] ?? 3);
if (!file || !(repetitions >= 1)) {
  console.error('usage: node duckdb_parquet.mjs FILE [DIR] [REPETITIONS]');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });

const quote = (text) => `'${text.replaceAll("'", "''")}'`;

// Runs `sql` REPETITIONS times and returns the best wall time in seconds and the row count
// of the last run's materialized result.
async function bestOf(connection, sql) {
  let best = Infinity;
  let rows = 0;
  for (let i = 0; i < repetitions; ++i) {
    const start = process.hrtime.bigint();
    const result = await connection.run(sql);  // materializes the whole result
    rows = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0;
         chunk = await result.fetchChunk()) {
      rows += chunk.rowCount;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { best, rows };
}

async function scalar(connection, sql) {
  return (await connection.runAndReadAll(sql)).getRows()[0][0];
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run('SET threads=1');

const columns = "{event_type: 'VARCHAR', auction: 'BIGINT', bidder: 'BIGINT', price: 'BIGINT', " +
    "channel: 'VARCHAR', url: 'VARCHAR', date_time: 'TIMESTAMP', extra: 'VARCHAR'}";
await connection.run(`CREATE TABLE bids AS SELECT * FROM read_json(${quote(file)}, ` +
                     `format='newline_delimited', columns=${columns})`);
const version = await scalar(connection, 'SELECT version()');
const tableRows = Number(await scalar(connection, 'SELECT count(*) FROM bids'));
console.log(`duckdb version=${version} rows=${tableRows} threads=1 repetitions=${repetitions}`);

const rate = (rows, seconds) => Math.round(rows / seconds);
for (const codec of ['snappy', 'zstd']) {
  const out = path.join(dir, `duckdb_${codec}.parquet`);
  // COPY returns one row (the number of rows written), not the table: count from the table.
  const { best } = await bestOf(
      connection, `COPY bids TO ${quote(out)} (FORMAT parquet, COMPRESSION ${codec})`);
  const bytes = fs.statSync(out).size;
  console.log(`duckdb write ${codec} rows=${tableRows} best_seconds=${best.toFixed(3)} ` +
              `rows_per_s=${rate(tableRows, best)} bytes=${bytes}`);
}
for (const codec of ['snappy', 'zstd']) {
  const out = path.join(dir, `duckdb_${codec}.parquet`);
  const { best, rows } = await bestOf(connection, `SELECT * FROM read_parquet(${quote(out)})`);
  if (rows !== tableRows) {
    console.error(`read ${rows} rows from ${out}, expected ${tableRows}`);
    process.exit(1);
  }
  console.log(`duckdb read ${codec} rows=${rows} best_seconds=${best.toFixed(3)} ` +
              `rows_per_s=${rate(rows, best)}`);
}
connection.closeSync?.();
