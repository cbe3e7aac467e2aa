// SPDX-License-Identifier: Apache-2.0
// DuckDB baseline for sluice's Delta scan benchmark (delta_bench --only scan): reads the
// live Parquet files of the benchmark table, listed one absolute path per line in
// FILES (delta_bench writes DIR/scan_files.txt), as
//   SELECT * FROM read_parquet([file, ...])
// materialized, as duckdb_parquet.mjs does (every value of every column decoded and
// copied into DuckDB's result buffers; see there why not an aggregate), best of
// REPETITIONS runs, first with SET threads=1 and then with DuckDB's default thread count
// (the machine's cores). DuckDB reads the files directly: no Delta log, which sluice's
// scan reads from a snapshot loaded beforehand (untimed on both sides).
//
// Prints one machine-readable line per measurement, e.g.
//   duckdb scan threads=1 rows=10000000 files=10 best_seconds=2.210 rows_per_s=4524887
// Usage: node duckdb_delta_scan.mjs FILES [REPETITIONS]
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';

const listFile = process.argv[2];
const repetitions = Number(process.argv[3] ?? 3);
if (!listFile || !(repetitions >= 1)) {
  console.error('usage: node duckdb_delta_scan.mjs FILES [REPETITIONS]');
  process.exit(2);
}
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter((line) => line !== '');
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const sql = `SELECT * FROM read_parquet([${files.map(quote).join(', ')}])`;

// Runs `sql` REPETITIONS times and returns the best wall time in seconds and the row count
// of the last run's materialized result.
async function bestOf(connection) {
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

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
const defaultThreads = Number(
    (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);
console.log(`duckdb version=${version} files=${files.length} repetitions=${repetitions} ` +
            `cores=${os.availableParallelism()}`);
for (const threads of [1, defaultThreads]) {
  await connection.run(`SET threads=${threads}`);
  const { best, rows } = await bestOf(connection);
  console.log(`duckdb scan threads=${threads} rows=${rows} files=${files.length} ` +
              `best_seconds=${best.toFixed(3)} rows_per_s=${Math.round(rows / best)}`);
}
connection.closeSync?.();
