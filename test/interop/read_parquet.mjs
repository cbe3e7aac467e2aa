// SPDX-License-Identifier: Apache-2.0
//
// The Parquet interop test: runs parquet_interop_writer, then reads every file it wrote
// with DuckDB (@duckdb/node-api) and with hyparquet (an independent JavaScript reader),
// converts each value to the canonical JSON form the writer documents (see
// parquet_interop_writer.cc) and compares it with the values the writer says it wrote.
// Prints a diff of the first mismatches and exits non-zero on any.
//
// Usage: node read_parquet.mjs WRITER OUT_DIR
//
// A file whose manifest entry lists a reader under known_unsupported (DuckDB 1.5 reads
// BYTE_STREAM_SPLIT only for FLOAT and DOUBLE) may fail in that reader with that error;
// if the reader reads it, its values are compared as for every other file.
//
// How each reader returns values, and what the conversion does about it:
// - DuckDB: integers as number (BIGINT as bigint), DECIMAL as DuckDBDecimalValue (the
//   unscaled bigint and the scale), DATE as days, TIMESTAMP [WITH TIME ZONE] as
//   microseconds, BLOB as bytes, STRUCT/LIST/MAP as entries/items/[{key, value}],
//   VARIANT as a DuckDBVariantValue wrapping DuckDB values. The rows are read ordered by
//   file_row_number.
// - hyparquet: INT64 as bigint; DECIMAL as a lossy double, so the decimal annotations
//   are dropped from the metadata it is given and the raw unscaled numbers (number,
//   bigint or big-endian bytes) are formatted with the schema's scale; DATE and
//   TIMESTAMP through parsers that keep days and microseconds (its defaults make Dates
//   of milliseconds); unannotated BYTE_ARRAY as bytes with utf8: false; maps as objects
//   keyed by the key's text (hence the canonical maps sorted by key text); nulls as
//   undefined or null; VARIANT decoded to JavaScript values. GZIP, BROTLI, ZSTD and
//   LZ4_RAW come from hyparquet-compressors.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The readers come from npm: say how to get them when they are missing.
let DuckDBInstance;
let hyparquet;
let compressors;
try {
  ({ DuckDBInstance } = await import('@duckdb/node-api'));
  hyparquet = await import('hyparquet');
  ({ compressors } = await import('hyparquet-compressors'));
} catch (error) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  console.error(`cannot load the readers (${error.message}); run \`npm ci\` in ${here}`);
  process.exit(1);
}
const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = hyparquet;

const [writer, dir] = process.argv.slice(2);
if (!writer || !dir) {
  console.error('usage: node read_parquet.mjs WRITER OUT_DIR');
  process.exit(2);
}
fs.rmSync(dir, { recursive: true, force: true });
execFileSync(writer, [dir], { stdio: 'inherit' });
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

// ---------------------------------------------------------------------------------------
// Canonical values (see parquet_interop_writer.cc).

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function floatBits(value, width) {
  if (Number.isNaN(value)) return 'NaN';
  const view = new DataView(new ArrayBuffer(8));
  if (width === 32) {
    view.setFloat32(0, value);
    return 'f32:' + view.getUint32(0).toString(16).padStart(8, '0');
  }
  view.setFloat64(0, value);
  return 'f64:' + view.getBigUint64(0).toString(16).padStart(16, '0');
}

// The plain string of unscaled / 10^scale, as sluice's FormatDecimal.
function formatDecimal(unscaled, scale) {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (negative ? '-' : '') + digits;
}

function bigEndianToBigInt(bytes) {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const bits = BigInt(bytes.length * 8);
  if (bytes.length > 0 && bytes[0] & 0x80) value -= 1n << bits;
  return value;
}

// Spark JSON type -> {kind, ...}.
function parseType(type) {
  if (typeof type === 'object') return type;
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return { type: 'decimal', precision: +decimal[1], scale: +decimal[2] };
  return { type };
}

const keyText = (canonical) => (typeof canonical === 'string' ? canonical : JSON.stringify(canonical));

function sortedPairs(pairs) {
  return pairs.sort((a, b) => {
    const ka = keyText(a[0]);
    const kb = keyText(b[0]);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

// Plain JSON of a variant value from either reader.
function variantJson(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(variantJson);
  const name = value.constructor?.name;
  if (name === 'DuckDBVariantValue') return variantJson(value.value);
  if (name === 'DuckDBListValue') return value.items.map(variantJson);
  if (name === 'DuckDBStructValue') {
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, variantJson(v)]));
  }
  if (name === 'DuckDBMapValue') {
    return Object.fromEntries(value.entries.map(({ key, value: v }) => [String(key), variantJson(v)]));
  }
  if (name === 'DuckDBDecimalValue') return Number(formatDecimal(value.value, value.scale));
  if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, variantJson(v)]));
  }
  return value;
}

// Converts a value as `reader` ('duckdb' or 'hyparquet') returns it to canonical JSON.
function canonical(value, type, reader) {
  if (value === null || value === undefined) return null;
  const t = parseType(type);
  switch (t.type) {
    case 'boolean':
      return value;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return String(value);
    case 'float':
      return floatBits(value, 32);
    case 'double':
      return floatBits(value, 64);
    case 'decimal': {
      if (reader === 'duckdb') return formatDecimal(value.value, value.scale);
      const unscaled = value instanceof Uint8Array ? bigEndianToBigInt(value) : BigInt(value);
      return formatDecimal(unscaled, t.scale);
    }
    case 'string':
      return value;
    case 'binary':
      return hex(reader === 'duckdb' ? value.bytes : value);
    case 'date':
      return reader === 'duckdb' ? value.days : Number(value);
    case 'timestamp':
    case 'timestamp_ntz':
      return String(reader === 'duckdb' ? value.micros : value);
    case 'void':
      return null;
    case 'variant':
      return variantJson(value);
    case 'struct': {
      const entries = reader === 'duckdb' ? value.entries : value;
      const out = {};
      for (const field of t.fields) out[field.name] = canonical(entries[field.name], field.type, reader);
      return out;
    }
    case 'array': {
      const items = reader === 'duckdb' ? value.items : value;
      return items.map((item) => canonical(item, t.elementType, reader));
    }
    case 'map': {
      if (reader === 'duckdb') {
        return sortedPairs(value.entries.map(({ key, value: v }) =>
          [canonical(key, t.keyType, reader), canonical(v, t.valueType, reader)]));
      }
      // hyparquet keys are the keys' text, which is the canonical form of string and
      // integer keys.
      return sortedPairs(Object.entries(value).map(([key, v]) =>
        [key, canonical(v, t.valueType, reader)]));
    }
    default:
      throw new Error(`no canonical form for type ${JSON.stringify(type)}`);
  }
}

// JSON with object keys sorted, so field order does not matter.
function stable(value) {
  if (Array.isArray(value)) return '[' + value.map(stable).join(',') + ']';
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + stable(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------
// Readers.

async function readWithDuckDB(connection, file) {
  const quoted = `'${file.replaceAll("'", "''")}'`;
  const result = await connection.runAndReadAll(
    `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${quoted}, file_row_number = true) ORDER BY file_row_number`);
  const names = result.columnNames();
  return result.getRows().map((row) => Object.fromEntries(row.map((v, i) => [names[i], v])));
}

async function readWithHyparquet(file) {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  for (const element of metadata.schema) {
    if (element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL') {
      delete element.converted_type;
      delete element.logical_type;
    }
  }
  return parquetReadObjects({
    file: buffer,
    metadata,
    compressors,
    utf8: false,
    parsers: { timestampFromMicroseconds: (micros) => micros, dateFromDays: (days) => days },
  });
}

// ---------------------------------------------------------------------------------------

const kMaxDiffs = 10;
let failures = 0;
let skipped = 0;
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();

for (const entry of manifest) {
  const file = path.join(dir, entry.file);
  const expected = fs.readFileSync(path.join(dir, entry.expected), 'utf8')
    .split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
  for (const reader of ['duckdb', 'hyparquet']) {
    let rows;
    try {
      rows = reader === 'duckdb' ? await readWithDuckDB(connection, file) : await readWithHyparquet(file);
    } catch (error) {
      const known = entry.known_unsupported?.[reader];
      if (known && String(error.message ?? error).includes(known)) {
        console.log(`skip ${entry.name} [${reader}]: a known limitation of the reader: ${known}`);
        ++skipped;
      } else {
        console.log(`FAIL ${entry.name} [${reader}]: read error: ${error.stack ?? error}`);
        ++failures;
      }
      continue;
    }
    const diffs = [];
    if (rows.length !== expected.length) {
      diffs.push(`row count: expected ${expected.length}, got ${rows.length}`);
    }
    for (let i = 0; i < Math.min(rows.length, expected.length) && diffs.length < kMaxDiffs; ++i) {
      for (const field of entry.schema.fields) {
        let actual;
        try {
          actual = canonical(rows[i][field.name], field.type, reader);
        } catch (error) {
          actual = `<conversion error: ${error.message}>`;
        }
        const want = stable(expected[i][field.name]);
        const got = stable(actual);
        if (want !== got) {
          diffs.push(`row ${i} column ${field.name}:\n    expected ${want}\n    got      ${got}`);
          if (diffs.length >= kMaxDiffs) break;
        }
      }
    }
    if (diffs.length > 0) {
      ++failures;
      console.log(`FAIL ${entry.name} [${reader}] (${entry.file})`);
      for (const diff of diffs) console.log('  ' + diff);
    } else {
      console.log(`ok   ${entry.name} [${reader}]: ${rows.length} rows, ${entry.row_groups} row groups`);
    }
  }
}

if (failures > 0) {
  console.log(`${failures} file/reader combinations differ`);
  process.exit(1);
}
console.log(`all ${manifest.length} files read identically by DuckDB and hyparquet` +
  (skipped > 0 ? ` (${skipped} file/reader combinations skipped as known limitations)` : ''));
