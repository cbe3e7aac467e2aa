// SPDX-License-Identifier: Apache-2.0
//
// Differential test of sluice's SQL engine against DuckDB (@duckdb/node-api).
// For each seed: generates the tables (gen_data.mjs), loads them into a fresh sluice
// warehouse (CREATE TABLE ... AS SELECT CAST(...) FROM json.`file`) and into an
// in-memory DuckDB (read_json with the same casts), runs every query of queries.mjs on
// both (the Spark text on sluice, its DuckDB translation on DuckDB) and compares the
// results as multisets, or in order for queries marked `ordered`. Prints the first
// mismatches (query, seed, both results) and exits non-zero on any mismatch that is not
// in queries.mjs's known_failures.
//
// Usage: node run_differential.mjs SLUICE_BINARY WORK_DIR
// Environment:
//   SLUICE_DIFF_SEED    seeds to run instead of the fixed ones, e.g. "42" or "5,6,7"
//   SLUICE_DIFF_FILTER  a regular expression: only queries whose id matches run
//   SLUICE_DIFF_SHOW    how many mismatches to print in full (default 10)
//   SLUICE_DIFF_STRICT  1: known failures run on every seed and fail the run

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { canonical, compareResults, duckdbKind, formatRow, parseJsonLine,
  sparkKind } from './compare.mjs';
import { generate, TABLES } from './gen_data.mjs';
import { known_failures as listedFailures, queries, toDuckDb } from './queries.mjs';

const kDefaultSeeds = [1, 2, 3];
// sluice processes running queries at once (a failing statement ends its process, so
// the restarts dominate while many queries fail).
const kSluiceProcesses = 3;
const kSluiceTimeoutMs = 300000;
const kMarkerColumn = 'sluice_diff_marker';
const here = path.dirname(fileURLToPath(import.meta.url));
// SLUICE_DIFF_STRICT=1: known failures count as failures and run on every seed.
const knownFailures = process.env.SLUICE_DIFF_STRICT === '1' ? {} : listedFailures;

// DuckDB is installed for test/interop (scripts/bootstrap runs `npm ci` there).
async function loadDuckDb() {
  const interop = path.join(here, '..', 'interop');
  try {
    const require = createRequire(path.join(interop, 'package.json'));
    return await import(require.resolve('@duckdb/node-api'));
  } catch (error) {
    console.error(`cannot load DuckDB (${error.message}); run \`npm ci\` in ${interop}`);
    process.exit(1);
  }
}

function seedsToRun() {
  const text = process.env.SLUICE_DIFF_SEED;
  if (!text) return kDefaultSeeds;
  const seeds = text.split(',').map((part) => Number(part.trim()));
  if (seeds.some((seed) => !Number.isInteger(seed) || seed < 0)) {
    console.error(`SLUICE_DIFF_SEED: expected non-negative integers, got '${text}'`);
    process.exit(2);
  }
  return seeds;
}

function selectedQueries() {
  const ids = new Set();
  for (const query of queries) {
    if (ids.has(query.id)) throw new Error(`duplicate query id ${query.id}`);
    ids.add(query.id);
  }
  for (const id of Object.keys(listedFailures)) {
    if (!ids.has(id)) throw new Error(`known_failures names no query: ${id}`);
  }
  const filter = process.env.SLUICE_DIFF_FILTER;
  if (!filter) return queries;
  const pattern = new RegExp(filter);
  return queries.filter((query) => pattern.test(query.id));
}

// ---------------------------------------------------------------------------------------
// DuckDB side.

async function openDuckDb(DuckDBInstance, dataDir) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // Spark's default null order: NULLS FIRST for ASC, NULLS LAST for DESC.
  await connection.run("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
  await connection.run('SET threads = 2');
  for (const [table, columns] of Object.entries(TABLES)) {
    const raw = { int: 'BIGINT', double: 'DOUBLE', string: 'VARCHAR', boolean: 'BOOLEAN' };
    const spec = columns.map((column) => `${column.name}: '${raw[column.raw]}'`).join(', ');
    const casts = columns.map((column) => `CAST(${column.name} AS ${column.duckdb}) AS ${column.name}`)
      .join(', ');
    const file = path.join(dataDir, `${table}.ndjson`).replaceAll("'", "''");
    await connection.run(`CREATE TABLE ${table} AS SELECT ${casts} FROM read_json('${file}', ` +
      `format = 'newline_delimited', columns = {${spec}})`);
  }
  return { instance, connection };
}

async function runDuckDb(connection, sql) {
  try {
    const reader = await connection.runAndReadAll(sql);
    const kinds = reader.columnTypes().map((type) => duckdbKind(type.toString()));
    const rows = reader.getRowsJson().map((row) => row.map((value, i) => canonical(value, kinds[i])));
    return { rows, columns: reader.columnNames() };
  } catch (error) {
    return { error: error.message };
  }
}

// ---------------------------------------------------------------------------------------
// sluice side: one `sluice sql -f` process runs many queries; a marker row before each
// query's DESCRIBE QUERY (for the column names and types) and before its rows tells the
// output apart. When a statement fails the process stops: that query gets the error and
// a new process resumes after it.

// CREATE TABLE ... AS SELECT with a CAST per column, so the types are fixed.
function sluiceLoadScript(dataDir) {
  const statements = ["SET spark.sql.session.timeZone = 'UTC'"];
  for (const [table, columns] of Object.entries(TABLES)) {
    const casts = columns.map((column) => `CAST(${column.name} AS ${column.spark}) AS ${column.name}`)
      .join(', ');
    const file = path.join(dataDir, `${table}.ndjson`).replaceAll('`', '``');
    statements.push(`CREATE TABLE ${table} AS SELECT ${casts} FROM json.\`${file}\``);
  }
  return statements.join(';\n') + ';\n';
}

// Runs `sluice sql -f` on `script`; resolves to {status, stdout, stderr}.
function runSluice(binary, warehouse, scriptPath, script) {
  fs.writeFileSync(scriptPath, script);
  return new Promise((resolve) => {
    const child = spawn(binary,
      ['sql', '--warehouse', warehouse, '-f', scriptPath, '--output', 'json'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), kSluiceTimeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: -1, stdout: '', stderr: String(error) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') +
          (signal ? `\n(killed by ${signal}${signal === 'SIGKILL' ? ', timeout?' : ''})` : '') });
    });
  });
}

function marker(tag) {
  return `SELECT '${tag}' AS ${kMarkerColumn}`;
}

function queryScript(batch) {
  const statements = ["SET spark.sql.session.timeZone = 'UTC'"];
  batch.forEach((query, index) => {
    statements.push(marker(`D:${index}`), `DESCRIBE QUERY ${query.sql}`);
    statements.push(marker(`R:${index}`), query.sql);
  });
  statements.push(marker('END'));
  return statements.join(';\n') + ';\n';
}

/// Splits a run's stdout into sections by marker: {tag: [lines]}, and the last tag.
function splitSections(stdout) {
  const sections = new Map();
  let current = null;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`{"${kMarkerColumn}":`)) {
      current = JSON.parse(line)[kMarkerColumn];
      sections.set(current, []);
    } else if (current !== null && line.length > 0) {
      sections.get(current).push(line);
    }
  }
  return { sections, last: current };
}

function sluiceResult(describeLines, rowLines) {
  try {
    const schema = describeLines.map((line) => Object.fromEntries(parseJsonLine(line)));
    const names = schema.map((column) => column.col_name);
    const kinds = schema.map((column) => sparkKind(column.data_type));
    const rows = rowLines.map((line) => {
      // Null fields are left out of the JSON; the rest come in column order.
      const pairs = parseJsonLine(line);
      let next = 0;
      return names.map((name, i) => {
        if (next < pairs.length && pairs[next][0] === name) return canonical(pairs[next++][1], kinds[i]);
        return null;
      });
    });
    return { rows, columns: names, types: schema.map((column) => column.data_type) };
  } catch (error) {
    return { error: `cannot read sluice's output: ${error.message}` };
  }
}

// Runs `chunk` in as many processes as it takes: each failing statement ends one.
async function runSluiceChunk(binary, warehouse, scriptPath, chunk) {
  const results = new Array(chunk.length);
  let start = 0;
  let processes = 0;
  while (start < chunk.length) {
    processes++;
    const rest = chunk.slice(start);
    const run = await runSluice(binary, warehouse, scriptPath, queryScript(rest));
    const { sections, last } = splitSections(run.stdout);
    for (let i = 0; i < rest.length; i++) {
      const rows = sections.get(`R:${i}`);
      const nextTag = i + 1 < rest.length ? `D:${i + 1}` : 'END';
      if (rows !== undefined && sections.has(nextTag)) {
        results[start + i] = sluiceResult(sections.get(`D:${i}`), rows);
      }
    }
    if (last === 'END') break;
    const message = run.stderr.trim() || `exit status ${run.status}, no message`;
    if (last === null) {
      // Not even the first marker ran: the CLI itself is failing.
      for (let i = start; i < chunk.length; i++) results[i] ??= { error: message };
      break;
    }
    // The statement after the last marker failed: its query gets the error.
    const failed = Number(last.slice(2));
    results[start + failed] = { error: last.startsWith('D:')
      ? `DESCRIBE QUERY failed: ${message}` : message };
    start += failed + 1;
  }
  return { results, processes };
}

// The queries split into kSluiceProcesses contiguous chunks run side by side.
async function runSluiceQueries(binary, warehouse, workDir, batch) {
  const size = Math.ceil(batch.length / kSluiceProcesses);
  const chunks = [];
  for (let i = 0; i < batch.length; i += size) chunks.push(batch.slice(i, i + size));
  const runs = await Promise.all(chunks.map((chunk, i) =>
    runSluiceChunk(binary, warehouse, path.join(workDir, `queries-${i}.sql`), chunk)));
  return { results: runs.flatMap((run) => run.results),
    processes: runs.reduce((sum, run) => sum + run.processes, 0) };
}

// ---------------------------------------------------------------------------------------
// The run.

function describeSide(result, limit = 12) {
  if (result.error) return `  ERROR: ${result.error.split('\n').slice(0, 6).join('\n    ')}`;
  const lines = [`  ${result.rows.length} rows; columns ${JSON.stringify(result.columns)}` +
    (result.types ? ` types ${JSON.stringify(result.types)}` : '')];
  return lines.join('\n');
}

function reportMismatch(mismatch) {
  const { query, seed, sluice, duckdb, diff } = mismatch;
  const out = [`--- MISMATCH ${query.id} (seed ${seed}): ${mismatch.reason}`,
    `  spark SQL : ${query.sql}`];
  const translated = toDuckDb(query);
  if (translated !== query.sql) out.push(`  duckdb SQL: ${translated}`);
  out.push('sluice:', describeSide(sluice), 'duckdb:', describeSide(duckdb));
  if (diff) {
    const from = Math.max(0, diff.index - 2);
    const to = diff.index + 6;
    out.push(`rows ${from}..${to - 1} as compared (${query.ordered ? 'in order' : 'sorted'}):`);
    for (let i = from; i < to && (i < diff.a.length || i < diff.b.length); i++) {
      const a = i < diff.a.length ? formatRow(diff.a[i]) : '<none>';
      const b = i < diff.b.length ? formatRow(diff.b[i]) : '<none>';
      out.push(`  ${i === diff.index ? '>' : ' '} [${i}] sluice ${a}`);
      out.push(`  ${i === diff.index ? '>' : ' '} [${i}] duckdb ${b}`);
    }
  }
  console.log(out.join('\n'));
}

// One line on why a query failed, for the summary.
function summary(outcome) {
  const error = outcome.duckdb.error ?? outcome.sluice.error;
  if (!error) return outcome.reason;
  const lines = error.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const line = lines.find((text) => /ERROR: AddressSanitizer|runtime error|\[[A-Z_]+\]/.test(text)) ??
    lines[0] ?? '';
  return `${outcome.reason}: ${line.slice(0, 160)}`;
}

async function runSeed(seed, batch, DuckDBInstance, workRoot) {
  const workDir = path.join(workRoot, `seed-${seed}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  const dataDir = path.join(workDir, 'data');
  const warehouse = path.join(workDir, 'warehouse');
  const counts = generate(seed, dataDir);
  console.log(`seed ${seed}: ${JSON.stringify(counts)}`);

  const started = Date.now();
  const load = await runSluice(process.argv[2], warehouse, path.join(workDir, 'load.sql'),
    sluiceLoadScript(dataDir));
  if (load.status !== 0) {
    console.log(`FAIL seed ${seed}: loading the tables into sluice failed:\n${load.stderr}`);
    return null;
  }
  const { connection } = await openDuckDb(DuckDBInstance, dataDir);
  const loaded = Date.now();
  const { results: sluiceResults, processes } =
    await runSluiceQueries(process.argv[2], warehouse, workDir, batch);
  console.log(`seed ${seed}: sluice loaded the tables in ${(loaded - started) / 1000}s, ran ` +
    `the queries in ${(Date.now() - loaded) / 1000}s (${processes} processes)`);
  const outcomes = [];
  for (let i = 0; i < batch.length; i++) {
    const query = batch[i];
    const duckdb = await runDuckDb(connection, toDuckDb(query));
    const sluice = sluiceResults[i] ?? { error: 'no result (the output could not be split)' };
    let reason = null;
    let diff = null;
    if (duckdb.error) {
      reason = 'DuckDB failed (fix the translation)';
    } else if (sluice.error) {
      reason = 'sluice failed';
    } else {
      diff = compareResults(sluice.rows, duckdb.rows, query.ordered === true);
      reason = diff?.reason ?? null;
    }
    outcomes.push({ query, seed, sluice, duckdb, diff, reason });
  }
  return outcomes;
}

async function main() {
  const [binary, workRoot] = process.argv.slice(2);
  if (!binary || !workRoot) {
    console.error('usage: node run_differential.mjs SLUICE_BINARY WORK_DIR');
    process.exit(2);
  }
  const { DuckDBInstance } = await loadDuckDb();
  const batch = selectedQueries();
  const show = Number(process.env.SLUICE_DIFF_SHOW ?? 10);
  let failed = false;
  let shown = 0;
  const failing = new Map();  // id -> {seeds, why}
  const knownSeen = new Map();
  let compared = 0;
  const seeds = seedsToRun();
  for (const seed of seeds) {
    // Known failures run on the first seed only: each failing statement costs a new
    // sluice process, and they are known.
    const queriesForSeed = seed === seeds[0] ? batch
      : batch.filter((query) => !(query.id in knownFailures));
    const outcomes = await runSeed(seed, queriesForSeed, DuckDBInstance, workRoot);
    if (outcomes === null) {
      failed = true;
      continue;
    }
    for (const outcome of outcomes) {
      compared++;
      if (outcome.reason === null) continue;
      const id = outcome.query.id;
      if (id in knownFailures && !outcome.reason.startsWith('DuckDB')) {
        knownSeen.set(id, [...(knownSeen.get(id) ?? []), seed]);
        continue;
      }
      failed = true;
      const entry = failing.get(id) ?? { seeds: [], why: summary(outcome) };
      entry.seeds.push(seed);
      failing.set(id, entry);
      if (shown++ < show) reportMismatch(outcome);
    }
  }
  console.log(`\n${compared} query runs compared over seeds ${seeds.join(', ')}; ` +
    `${batch.length} queries (known failures on seed ${seeds[0]} only)`);
  for (const [id, reason] of Object.entries(knownFailures)) {
    if (!batch.some((query) => query.id === id)) continue;
    console.log(knownSeen.has(id) ? `known failure ${id}: ${reason}`
      : `known failure ${id} PASSED: remove it from known_failures`);
  }
  if (failing.size > 0) {
    console.log(`FAIL ${failing.size} queries mismatch:`);
    for (const [id, { seeds, why }] of failing) {
      console.log(`  ${id} (seeds ${seeds.join(',')}): ${why}`);
    }
  }
  if (failed) process.exit(1);
  console.log('PASS');
}

await main();
