// SPDX-License-Identifier: Apache-2.0
// DuckDB baseline for run_stream_bench.sh (W1): converts a directory of Nexmark bid NDJSON
// files to one Parquet file with
//   COPY (SELECT * FROM read_json('<dir>/*.json', format='newline_delimited',
//                                 columns={...})) TO '<out>' (FORMAT parquet)
// at DuckDB's default thread count (the machine's cores), and prints rows/s.
// Usage: node duckdb_json_to_parquet.mjs DIR OUT_FILE [REPETITIONS]
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const out = process.argv[3];
const repetitions = Number(process.argv[4] ?? 1);
if (!dir || !out) {
  console.error('usage: node duckdb_json_to_parquet.mjs DIR OUT_FILE [REPETITIONS]');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const threadsResult = await connection.runAndReadAll("SELECT current_setting('threads')");
const threads = threadsResult.getRows()[0][0];
const columns = "{event_type: 'VARCHAR', auction: 'BIGINT', bidder: 'BIGINT', price: 'BIGINT', " +
    "channel: 'VARCHAR', url: 'VARCHAR', date_time: 'TIMESTAMP', extra: 'VARCHAR'}";
const quote = (text) => text.replaceAll("'", "''");
const sql = `COPY (SELECT * FROM read_json('${quote(dir)}/*.json', format='newline_delimited', ` +
    `columns=${columns})) TO '${quote(out)}' (FORMAT parquet)`;

let best = Infinity;
let rows = 0;
for (let i = 0; i < repetitions; ++i) {
  rmSync(out, { force: true });
  const start = process.hrtime.bigint();
  const result = await connection.runAndReadAll(sql);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rows = Number(result.getRows()[0][0]);  // COPY returns the number of rows written
  best = Math.min(best, seconds);
}
const rate = rows / best;
console.log(`duckdb rows=${rows} threads=${threads} best_seconds=${best.toFixed(3)} ` +
            `rows_per_second=${Math.round(rate)}`);
connection.closeSync?.();
