// SPDX-License-Identifier: Apache-2.0
//
// The Delta interop test: runs delta_interop_writer (a partitioned sluice Delta table
// with appends, an overwrite and checkpoints; see delta_interop_writer.cc), then checks
// with DuckDB (@duckdb/node-api) that
//   1. every live file's stats agree with its data: numRecords is the row count DuckDB
//      reads, minValues/maxValues bound each column's values (timestamps at millisecond
//      precision, as Delta's stats keep them; strings in code point order), nullCount is
//      DuckDB's null count per column; min/max must be present for the column types
//      Delta skips on (numbers, strings, dates, timestamps) unless the column is all null
//      in the file;
//   2. DuckDB reading the live files (hive_partitioning off, the partition columns added
//      from the manifest's partition values) returns the same rows as sluice's delta::Scan,
//      compared as multisets of the canonical text form (read_parquet.mjs's);
//   3. the checkpoint sluice wrote at the latest version is a Parquet file DuckDB reads,
//      whose add rows are exactly the live files (path, size, partition values), with
//      one protocol and one metaData row.
// Prints what differs (the first mismatches of each kind) and exits non-zero on any.
//
// Usage: node read_delta.mjs WRITER OUT_DIR

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let DuckDBInstance;
try {
  ({ DuckDBInstance } = await import('@duckdb/node-api'));
} catch (error) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  console.error(`cannot load DuckDB (${error.message}); run \`npm ci\` in ${here}`);
  process.exit(1);
}

const [writer, dir] = process.argv.slice(2);
if (!writer || !dir) {
  console.error('usage: node read_delta.mjs WRITER OUT_DIR');
  process.exit(2);
}
try {
  execFileSync(writer, [dir], { stdio: 'inherit' });
} catch (error) {
  console.error(`FAIL ${writer} ${dir} exited with ${error.status ?? error.signal}`);
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const sluiceRows = fs.readFileSync(path.join(dir, 'sluice_rows.jsonl'), 'utf8')
  .split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));

const kMaxDiffs = 10;
const failures = [];
function fail(message) {
  failures.push(message);
  console.log(`FAIL ${message}`);
}

// ---------------------------------------------------------------------------------------
// Canonical values (as read_parquet.mjs, for the flat types of this table).

function floatBits(value) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return 'f64:' + view.getBigUint64(0).toString(16).padStart(16, '0');
}

function formatDecimal(unscaled, scale) {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (negative ? '-' : '') + digits;
}

function decimalType(type) {
  const match = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  return match ? { precision: +match[1], scale: +match[2] } : null;
}

// A DuckDB value -> canonical JSON.
function canonical(value, type) {
  if (value === null || value === undefined) return null;
  const decimal = decimalType(type);
  if (decimal) return formatDecimal(value.value, value.scale);
  switch (type) {
    case 'boolean':
    case 'string':
      return value;
    case 'integer':
    case 'long':
      return String(value);
    case 'double':
      return Number.isNaN(value) ? 'NaN' : floatBits(value);
    case 'date':
      return value.days;
    case 'timestamp':
      return String(value.micros);
    default:
      throw new Error(`no canonical form for type ${JSON.stringify(type)}`);
  }
}

const kDayMillis = 86400000;

// A partition value as Delta serializes it ("2024-03-10", "eu", null) -> canonical JSON.
function canonicalPartition(text, type) {
  if (text === null || text === undefined) return null;
  switch (type) {
    case 'string':
      return text;
    case 'date':
      return Date.parse(`${text}T00:00:00Z`) / kDayMillis;
    case 'integer':
    case 'long':
      return BigInt(text).toString();
    default:
      throw new Error(`no partition value conversion for type ${type}`);
  }
}

// JSON with object keys sorted.
function stable(value) {
  if (Array.isArray(value)) return '[' + value.map(stable).join(',') + ']';
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + stable(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------
// Stats: parsed with every number kept as its source text ({num: "123"}), so 64-bit
// integers and decimals keep every digit.

function parseKeepingNumbers(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i;
      while (j < text.length && /[-+0-9.eE]/.test(text[j])) ++j;
      out += JSON.stringify('\u0000num:' + text.slice(i, j));
      i = j;
    } else {
      out += ch;
      ++i;
    }
  }
  return JSON.parse(out, (key, value) =>
    typeof value === 'string' && value.startsWith('\u0000num:') ? { num: value.slice(5) } : value);
}

// The unscaled value at `scale` of a decimal number text ("-12.3", "1.5E+2").
function decimalUnscaled(text, scale) {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!match) throw new Error(`not a number: ${text}`);
  let digits = (match[2] || '0') + (match[3] ?? '');
  let exponent = Number(match[4] ?? 0) - (match[3]?.length ?? 0) + scale;
  if (exponent >= 0) {
    digits += '0'.repeat(exponent);
  } else {
    // Fractional digits beyond the scale: not expected in stats of decimal(p, s).
    throw new Error(`${text} has more than ${scale} fraction digits`);
  }
  return (match[1] === '-' ? -1n : 1n) * BigInt(digits);
}

function compareCodePoints(a, b) {
  const x = Array.from(a, (c) => c.codePointAt(0));
  const y = Array.from(b, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); ++i) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// A stats value (as parsed) and DuckDB's min or max of a column, as comparable values:
// returns [stat, actual, compare] where compare orders them. Timestamps compare in
// milliseconds, with the actual value truncated to milliseconds.
function comparable(stat, actual, type, which) {
  const decimal = decimalType(type);
  if (decimal) return [decimalUnscaled(stat.num, decimal.scale), actual.value, cmp];
  switch (type) {
    case 'integer':
    case 'long':
      return [BigInt(stat.num), BigInt(actual), cmp];
    case 'double':
      return [Number(stat.num), actual, cmp];
    case 'string':
      return [stat, actual, compareCodePoints];
    case 'date':
      return [Date.parse(`${stat}T00:00:00Z`) / kDayMillis, actual.days, cmp];
    case 'timestamp': {
      const millis = Date.parse(stat);
      if (Number.isNaN(millis)) throw new Error(`not a timestamp: ${stat}`);
      const micros = BigInt(actual.micros);
      const floorMillis = (micros - (((micros % 1000n) + 1000n) % 1000n)) / 1000n;
      return [BigInt(millis), floorMillis, cmp];
    }
    case 'boolean':
      return [stat, actual, cmp];
    default:
      throw new Error(`no stats comparison for type ${type} (${which})`);
  }
}

const kSkippingTypes = new Set(['integer', 'long', 'double', 'string', 'date', 'timestamp']);

// ---------------------------------------------------------------------------------------

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const ident = (name) => `"${name.replaceAll('"', '""')}"`;

async function query(sql) {
  const result = await connection.runAndReadAll(sql);
  const names = result.columnNames();
  return result.getRows().map((row) => Object.fromEntries(row.map((v, i) => [names[i], v])));
}

const fields = manifest.schema.fields;
const partitionColumns = new Set(manifest.partition_columns);
const dataFields = fields.filter((field) => !partitionColumns.has(field.name));
const duckdbRows = [];

// 1. Stats, and the rows of every file.
for (const file of manifest.files) {
  const name = file.add_path;
  const source = `read_parquet(${quote(file.path)}, hive_partitioning = false)`;
  let rows;
  try {
    rows = await query(`SELECT * FROM ${source}`);
  } catch (error) {
    fail(`${name}: DuckDB cannot read it: ${error.message}`);
    continue;
  }
  const fileColumns = (await query(`DESCRIBE SELECT * FROM ${source}`)).map((row) => row.column_name);
  for (const column of fileColumns) {
    if (partitionColumns.has(column)) fail(`${name}: holds partition column ${column}`);
  }
  for (const row of rows) {
    const out = {};
    for (const field of fields) {
      out[field.name] = partitionColumns.has(field.name)
        ? canonicalPartition(file.partition_values[field.name], field.type)
        : canonical(row[field.name], field.type);
    }
    duckdbRows.push(out);
  }

  if (file.stats === null) {
    fail(`${name}: no stats`);
    continue;
  }
  const stats = parseKeepingNumbers(file.stats);
  const problems = [];
  if (stats.numRecords === undefined || BigInt(stats.numRecords.num) !== BigInt(rows.length)) {
    problems.push(`numRecords ${stats.numRecords?.num} but DuckDB reads ${rows.length} rows`);
  }
  const aggregates = dataFields.map((field, i) =>
    `min(${ident(field.name)}) AS min${i}, max(${ident(field.name)}) AS max${i}, ` +
    `count(*) - count(${ident(field.name)}) AS nulls${i}`).join(', ');
  const [actual] = await query(`SELECT ${aggregates} FROM ${source}`);
  dataFields.forEach((field, i) => {
    const nulls = BigInt(actual[`nulls${i}`]);
    const statNulls = stats.nullCount?.[field.name];
    if (statNulls === undefined) {
      problems.push(`nullCount.${field.name} missing (DuckDB counts ${nulls})`);
    } else if (BigInt(statNulls.num) !== nulls) {
      problems.push(`nullCount.${field.name} = ${statNulls.num} but DuckDB counts ${nulls}`);
    }
    for (const which of ['min', 'max']) {
      const stat = stats[`${which}Values`]?.[field.name];
      const value = actual[`${which}${i}`];
      if (stat === undefined || stat === null) {
        if (value !== null && kSkippingTypes.has(field.type)) {
          problems.push(`${which}Values.${field.name} missing (DuckDB's ${which} is ${value})`);
        }
        continue;
      }
      if (value === null) {
        problems.push(`${which}Values.${field.name} = ${JSON.stringify(stat)} for an all-null column`);
        continue;
      }
      try {
        const [s, a, compare] = comparable(stat, value, field.type, which);
        const order = compare(s, a);
        if ((which === 'min' && order > 0) || (which === 'max' && order < 0)) {
          problems.push(`${which}Values.${field.name} = ${JSON.stringify(stat)} does not bound ` +
                        `DuckDB's ${which} ${canonical(value, field.type)}`);
        }
      } catch (error) {
        problems.push(`${which}Values.${field.name}: ${error.message}`);
      }
    }
  });
  if (problems.length > 0) {
    fail(`${name}: stats disagree with the data (${file.stats})`);
    for (const problem of problems.slice(0, kMaxDiffs)) console.log(`  ${problem}`);
  } else {
    console.log(`ok   ${name}: ${rows.length} rows, stats consistent`);
  }
}

// 2. The same rows as sluice's scan, as multisets.
function counts(rows) {
  const map = new Map();
  for (const row of rows) {
    const key = stable(row);
    map.set(key, (map.get(key) ?? 0) + 1);
  }
  return map;
}
const ours = counts(sluiceRows);
const theirs = counts(duckdbRows);
const onlySluice = [];
const onlyDuckdb = [];
for (const [key, n] of ours) {
  const m = theirs.get(key) ?? 0;
  if (n > m) onlySluice.push(`${n - m} x ${key}`);
}
for (const [key, n] of theirs) {
  const m = ours.get(key) ?? 0;
  if (n > m) onlyDuckdb.push(`${n - m} x ${key}`);
}
if (sluiceRows.length !== manifest.rows) {
  fail(`sluice_rows.jsonl has ${sluiceRows.length} rows, the manifest says ${manifest.rows}`);
}
if (onlySluice.length > 0 || onlyDuckdb.length > 0) {
  fail(`rows differ: sluice's scan read ${sluiceRows.length}, DuckDB ${duckdbRows.length} ` +
       `(${onlySluice.length} distinct rows only in sluice's, ${onlyDuckdb.length} only in DuckDB's)`);
  for (const row of onlySluice.slice(0, kMaxDiffs)) console.log(`  only sluice: ${row}`);
  for (const row of onlyDuckdb.slice(0, kMaxDiffs)) console.log(`  only DuckDB: ${row}`);
} else {
  console.log(`ok   rows: sluice's scan and DuckDB both read the same ${sluiceRows.length} rows ` +
              `from ${manifest.files.length} live files`);
}

// 3. The checkpoint.
try {
  const list = `[${manifest.checkpoint.files.map(quote).join(', ')}]`;
  const adds = await query(`SELECT add.path AS path, add.size AS size, ` +
                           `add.partitionValues AS pv FROM read_parquet(${list}) WHERE add IS NOT NULL`);
  const [{ protocols, metadatas }] = await query(
    `SELECT count(protocol) AS protocols, count(metaData) AS metadatas FROM read_parquet(${list})`);
  // path, size and partition values of each add, as text.
  const describe = (p, size, values) => `${p} size=${size} ${stable(values)}`;
  const want = manifest.files.map((file) => describe(file.add_path, file.size, file.partition_values)).sort();
  const got = adds.map((row) => describe(row.path, Number(row.size), Object.fromEntries(
    (row.pv?.entries ?? []).map(({ key, value }) => [key, value])))).sort();
  if (stable(want) !== stable(got) || Number(protocols) !== 1 || Number(metadatas) !== 1) {
    fail(`checkpoint ${manifest.checkpoint.version}: ${got.length} add rows for ` +
         `${want.length} live files, ${protocols} protocol and ${metadatas} metaData rows`);
    const missing = want.filter((p) => !got.includes(p));
    const extra = got.filter((p) => !want.includes(p));
    for (const p of missing.slice(0, kMaxDiffs)) console.log(`  live file without its add row: ${p}`);
    for (const p of extra.slice(0, kMaxDiffs)) console.log(`  add row of no live file: ${p}`);
  } else {
    console.log(`ok   checkpoint ${manifest.checkpoint.version}: DuckDB reads ${got.length} add ` +
                `rows, one per live file (path, size, partition values)`);
  }
} catch (error) {
  fail(`checkpoint ${manifest.checkpoint.version}: DuckDB cannot read it: ${error.message}`);
}

if (failures.length > 0) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`Delta table version ${manifest.version}: stats, rows and checkpoint agree with DuckDB`);
