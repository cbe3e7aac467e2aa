// SPDX-License-Identifier: Apache-2.0
// DuckDB baseline for json_decode_bench: reads a Nexmark bid NDJSON file with
// read_json(format='newline_delimited', columns={...}) on one thread, fully
// materialized (a materialized query result, every column), and prints rows/s.
// Usage: node duckdb_read_json.mjs FILE [REPETITIONS]
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const repetitions = Number(process.argv[3] ?? 3);
if (!file) {
  console.error('usage: node duckdb_read_json.mjs FILE [REPETITIONS]');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run('SET threads=1');
const columns = "{event_type: 'VARCHAR', auction: 'BIGINT', bidder: 'BIGINT', price: 'BIGINT', " +
    "channel: 'VARCHAR', url: 'VARCHAR', date_time: 'TIMESTAMP', extra: 'VARCHAR'}";
const path = file.replaceAll("'", "''");
const sql = `SELECT * FROM read_json('${path}', format='newline_delimited', columns=${columns})`;

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
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  best = Math.min(best, seconds);
}
const rate = rows / best;
console.log(`duckdb rows=${rows} best_seconds=${best.toFixed(3)} rows_per_second=${Math.round(rate)}`);
connection.closeSync?.();
