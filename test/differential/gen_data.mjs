// SPDX-License-Identifier: Apache-2.0
//
// The differential test's data: four related tables (customers, products, orders,
// items) as NDJSON files, the same bytes for the same seed. The values exercise what
// engines disagree on: nulls in every column, duplicate rows, negative numbers, empty
// and blank strings, strings with leading/trailing spaces, non-ASCII text (accents,
// Greek, Cyrillic, CJK, emoji outside the BMP), dates from 2015 to 2026 with leap
// days, keys that match nothing on the other side of a join, and null keys.
//
// Every value is written so that Spark's JSON reader and DuckDB's read_json agree on
// it: integers and doubles as JSON numbers, decimals, dates and timestamps as strings
// (each side CASTs them; see TABLES), text as JSON strings.
//
// Usage as a module: generate(seed, dir) writes <dir>/<table>.ndjson and returns the
// row counts. As a script: node gen_data.mjs SEED DIR.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/// The tables and their columns with the SQL type each side casts to. `spark` and
/// `duckdb` are the type names in each dialect; `raw` is the JSON type read before the
/// cast ('int' for JSON integers, 'double', 'string').
export const TABLES = {
  customers: [
    { name: 'c_id', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
    { name: 'name', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'city', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'segment', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'signup', raw: 'string', spark: 'DATE', duckdb: 'DATE' },
    { name: 'credit', raw: 'double', spark: 'DOUBLE', duckdb: 'DOUBLE' },
    { name: 'vip', raw: 'boolean', spark: 'BOOLEAN', duckdb: 'BOOLEAN' },
    { name: 'referrer', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
  ],
  products: [
    { name: 'sku', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'category', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'weight', raw: 'double', spark: 'DOUBLE', duckdb: 'DOUBLE' },
    { name: 'list_price', raw: 'string', spark: 'DECIMAL(8,2)', duckdb: 'DECIMAL(8,2)' },
    { name: 'launched', raw: 'string', spark: 'DATE', duckdb: 'DATE' },
  ],
  orders: [
    { name: 'o_id', raw: 'int', spark: 'BIGINT', duckdb: 'BIGINT' },
    { name: 'c_id', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
    { name: 'o_date', raw: 'string', spark: 'DATE', duckdb: 'DATE' },
    { name: 'o_ts', raw: 'string', spark: 'TIMESTAMP', duckdb: 'TIMESTAMP' },
    { name: 'status', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'amount', raw: 'string', spark: 'DECIMAL(10,2)', duckdb: 'DECIMAL(10,2)' },
    { name: 'discount', raw: 'double', spark: 'DOUBLE', duckdb: 'DOUBLE' },
    { name: 'qty', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
    { name: 'priority', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
    { name: 'note', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
  ],
  items: [
    { name: 'i_id', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
    { name: 'o_id', raw: 'int', spark: 'BIGINT', duckdb: 'BIGINT' },
    { name: 'sku', raw: 'string', spark: 'STRING', duckdb: 'VARCHAR' },
    { name: 'price', raw: 'double', spark: 'DOUBLE', duckdb: 'DOUBLE' },
    { name: 'qty', raw: 'int', spark: 'INT', duckdb: 'INTEGER' },
    { name: 'ship_date', raw: 'string', spark: 'DATE', duckdb: 'DATE' },
  ],
};

/// mulberry32: a small deterministic generator of uniform doubles in [0, 1).
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Name pieces: ASCII, accented Latin, Greek, Cyrillic, CJK and an emoji, all with
// one-to-one case mappings (no ß or dotted İ, whose upper/lower case Java and DuckDB
// map differently), and no combining characters (reverse() works on code points in
// Spark and on grapheme clusters in DuckDB).
const kFirstNames = ['Ann', 'bob', 'CARL', 'Zoë', 'José', 'Øyvind', 'Élodie', 'Ωmega', 'Жанна',
  '李雷', 'Mia', 'noah', 'Li', 'Ümit', 'Ana-Maria', "O'Brien", 'Chloé', 'Ana', 'Ben', 'Émile'];
const kLastNames = ['Smith', 'müller', 'García', 'Ng', 'van Dijk', 'Δήμου', 'Иванов', '王',
  'Dubois', 'Rossi', 'Søren', 'Kim', 'Lee', 'Brown'];
const kCities = ['Paris', 'Berlin', 'São Paulo', 'Zürich', 'Tokyo', '東京', 'New York',
  'paris', 'Kraków', 'Αθήνα', 'Москва', 'Lima', 'Oslo'];
const kSegments = ['retail', 'corporate', 'SMB', 'Retail', 'public'];
const kStatuses = ['open', 'shipped', 'cancelled', 'returned', 'SHIPPED'];
const kCategories = ['tools', 'garden', 'toys', 'Books', 'books', 'food & drink', 'électronique'];
const kWords = ['fast', 'slow', 'gift', 'urgent', 'fragile', 'café', 'naïve', 'über', 'test',
  '50%', 'a_b', 'x-y', 'smile😀', '火', 'ok', 'NULL', 'null', 'Fast', 'GIFT', 'ab,cd'];

const kDay = 86400000;
const kEpoch2015 = Date.UTC(2015, 0, 1);
const kEpoch2018 = Date.UTC(2018, 0, 1);

function pad(number, width) {
  return String(number).padStart(width, '0');
}

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoTimestamp(ms) {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

class Gen {
  constructor(seed) {
    this.random = makeRandom(seed * 7919 + 17);
  }
  float() {
    return this.random();
  }
  int(lo, hi) {  // inclusive
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  pick(array) {
    return array[Math.floor(this.random() * array.length)];
  }
  chance(p) {
    return this.random() < p;
  }
  // A number with two decimals in [lo, hi], as a JSON number (never -0).
  cents(lo, hi) {
    const value = this.int(Math.round(lo * 100), Math.round(hi * 100)) / 100;
    return value === 0 ? 0 : value;
  }
  date(startMs, days) {
    return isoDate(startMs + this.int(0, days) * kDay);
  }
  // A string from the pools, or one of the awkward ones.
  text(pool) {
    const roll = this.float();
    if (roll < 0.04) return '';
    if (roll < 0.07) return '  ' + this.pick(pool) + ' ';
    if (roll < 0.09) return ' ';
    return this.pick(pool);
  }
}

function customers(gen, count) {
  const rows = [];
  for (let id = 1; id <= count; id++) {
    const name = gen.chance(0.05) ? null
      : gen.chance(0.05) ? gen.text(kFirstNames)
      : `${gen.pick(kFirstNames)} ${gen.pick(kLastNames)}`;
    rows.push({
      c_id: id,
      name,
      city: gen.chance(0.08) ? null : gen.text(kCities),
      segment: gen.chance(0.1) ? null : gen.pick(kSegments),
      signup: gen.chance(0.05) ? null : gen.date(kEpoch2015, 4017),
      credit: gen.chance(0.07) ? null : gen.cents(-500, 5000),
      vip: gen.chance(0.1) ? null : gen.chance(0.3),
      referrer: gen.chance(0.4) ? null : gen.chance(0.02) ? id : gen.int(1, count + 20),
    });
  }
  return rows;
}

function products(gen, count) {
  const rows = [];
  for (let n = 1; n <= count; n++) {
    rows.push({
      sku: gen.chance(0.05) ? `sku-${pad(n, 3)}` : `SKU-${pad(n, 3)}`,
      category: gen.chance(0.08) ? null : gen.text(kCategories),
      weight: gen.chance(0.1) ? null : gen.cents(0, 80),
      list_price: gen.chance(0.05) ? null : gen.cents(0.5, 999).toFixed(2),
      launched: gen.chance(0.1) ? null : gen.date(kEpoch2015, 4200),
    });
  }
  // Two rows with a duplicate key, so joins on sku fan out.
  rows.push({ ...rows[3], category: 'dup' }, { ...rows[7] });
  return rows;
}

function note(gen) {
  if (gen.chance(0.15)) return null;
  const words = [];
  const count = gen.int(0, 4);
  for (let i = 0; i < count; i++) words.push(gen.pick(kWords));
  const text = words.join(' ');
  return gen.chance(0.1) ? `  ${text}  ` : text;
}

// Customers whose id is a multiple of 17 place no orders (anti joins, NOT EXISTS).
function customerOf(id) {
  return id % 17 === 0 ? id + 1 : id;
}

function orders(gen, count, numCustomers) {
  const rows = [];
  for (let id = 1; id <= count; id++) {
    const dateMs = kEpoch2018 + gen.int(0, 3287) * kDay;
    const row = {
      o_id: id,
      c_id: gen.chance(0.04) ? null : customerOf(gen.int(1, numCustomers + 40)),
      o_date: gen.chance(0.03) ? null : isoDate(dateMs),
      o_ts: gen.chance(0.03) ? null : isoTimestamp(dateMs + gen.int(0, 86399) * 1000),
      status: gen.chance(0.05) ? null : gen.chance(0.03) ? '' : gen.pick(kStatuses),
      amount: gen.chance(0.05) ? null : gen.cents(-100, 2000).toFixed(2),
      discount: gen.chance(0.1) ? null : gen.cents(-0.05, 0.5),
      qty: gen.chance(0.04) ? null : gen.int(-5, 50),
      priority: gen.chance(0.1) ? null : gen.int(1, 5),
      note: note(gen),
    };
    rows.push(row);
    // About 1% exact duplicate rows.
    if (gen.chance(0.01)) rows.push({ ...row });
  }
  return rows;
}

function items(gen, count, numOrders, numProducts) {
  const rows = [];
  for (let id = 1; id <= count; id++) {
    const sku = gen.chance(0.03) ? null
      : gen.chance(0.03) ? `SKU-${pad(numProducts + gen.int(1, 9), 3)}`
      : `SKU-${pad(gen.int(1, numProducts), 3)}`;
    rows.push({
      i_id: id,
      o_id: gen.chance(0.03) ? null : gen.int(1, numOrders + 60),
      sku,
      price: gen.chance(0.05) ? null : gen.cents(-20, 500),
      qty: gen.chance(0.03) ? null : gen.int(-2, 12),
      ship_date: gen.chance(0.2) ? null : gen.date(kEpoch2018, 3400),
    });
  }
  return rows;
}

/// Writes the four tables for `seed` under `dir`; returns {table: rowCount}.
export function generate(seed, dir) {
  const gen = new Gen(seed);
  const numCustomers = 400;
  const numProducts = 120;
  const numOrders = 3000;
  const tables = {
    customers: customers(gen, numCustomers),
    products: products(gen, numProducts),
    orders: orders(gen, numOrders, numCustomers),
    items: items(gen, 5000, numOrders, numProducts),
  };
  fs.mkdirSync(dir, { recursive: true });
  const counts = {};
  for (const [name, rows] of Object.entries(tables)) {
    // Keys in TABLES order; nulls written explicitly so both readers see every column.
    const columns = TABLES[name].map((column) => column.name);
    const lines = rows.map((row) => JSON.stringify(Object.fromEntries(
      columns.map((column) => [column, row[column] ?? null]))));
    fs.writeFileSync(path.join(dir, `${name}.ndjson`), lines.join('\n') + '\n');
    counts[name] = rows.length;
  }
  return counts;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [seed, dir] = process.argv.slice(2);
  if (!seed || !dir) {
    console.error('usage: node gen_data.mjs SEED DIR');
    process.exit(2);
  }
  console.log(JSON.stringify(generate(Number(seed), dir)));
}
