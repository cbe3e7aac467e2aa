// SPDX-License-Identifier: Apache-2.0
//
// Result canonicalization and comparison for the differential test. Both engines'
// rows become arrays of canonical values:
//   null                     SQL NULL (any type)
//   true / false             BOOLEAN
//   { num: '123.40' }        any numeric type, as the digits printed (exact for integers)
//   'text'                   STRING/VARCHAR, DATE ('2024-02-29'), TIMESTAMP
//                            ('2024-02-29 10:00:00[.ffffff]', UTC, no trailing zeros)
// Numbers are equal when both are integers with the same value (compared as BigInt), or
// within a relative tolerance of 1e-9 (measured against max(|a|, |b|, 1), so values near
// zero get an absolute tolerance of 1e-9; double sums and variances differ in the last
// bits between engines that add in different orders). NaN equals NaN.

export const kTolerance = 1e-9;

/// Parses one line of JSON (an object) keeping numbers as their source text ({num})
/// and the keys in order with duplicates: returns [[key, value], ...]. Nested objects
/// and arrays become plain JS values (numbers as {num}).
export function parseJsonLine(text) {
  let pos = 0;
  const fail = (what) => {
    throw new Error(`bad JSON at ${pos} (${what}): ${text.slice(0, 200)}`);
  };
  const skip = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const parseString = () => {
    let end = pos + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    if (end >= text.length) fail('unterminated string');
    const value = JSON.parse(text.slice(pos, end + 1));
    pos = end + 1;
    return value;
  };
  const parseValue = (topLevel) => {
    skip();
    const ch = text[pos];
    if (ch === '"') return parseString();
    if (ch === '{') {
      pos++;
      const pairs = [];
      skip();
      if (text[pos] === '}') {
        pos++;
        return topLevel ? pairs : {};
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail('expected a key');
        const key = parseString();
        skip();
        if (text[pos++] !== ':') fail('expected :');
        pairs.push([key, parseValue(false)]);
        skip();
        const sep = text[pos++];
        if (sep === '}') break;
        if (sep !== ',') fail('expected , or }');
      }
      return topLevel ? pairs : Object.fromEntries(pairs);
    }
    if (ch === '[') {
      pos++;
      const items = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return items;
      }
      for (;;) {
        items.push(parseValue(false));
        skip();
        const sep = text[pos++];
        if (sep === ']') break;
        if (sep !== ',') fail('expected , or ]');
      }
      return items;
    }
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      text.slice(pos, pos + 400));
    if (!match) fail('unexpected token');
    pos += match[0].length;
    if (match[0] === 'true') return true;
    if (match[0] === 'false') return false;
    if (match[0] === 'null') return null;
    return { num: match[0] };
  };
  const value = parseValue(true);
  skip();
  if (pos !== text.length || !Array.isArray(value)) fail('expected one object');
  return value;
}

/// '2024-01-01T10:00:00.000Z', '2024-01-01 10:00:00.500000' -> '2024-01-01 10:00:00[.5]'.
export function normalizeTimestamp(text) {
  const match = /^(\d{4,}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|[+-]00(?::?00)?)?$/.exec(
    text);
  if (!match) return text;
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  return `${match[1]} ${match[2]}${fraction ? '.' + fraction : ''}`;
}

/// The canonical kind of a Spark type name from DESCRIBE ('int', 'decimal(10,2)', ...).
export function sparkKind(dataType) {
  const type = dataType.toLowerCase();
  if (/^(tinyint|smallint|int|integer|bigint|long|float|real|double|decimal|numeric)\b/.test(
    type)) {
    return 'number';
  }
  if (type.startsWith('timestamp')) return 'timestamp';
  if (type === 'boolean') return 'boolean';
  if (type === 'void') return 'null';
  if (type === 'string' || type === 'date' || type.startsWith('varchar') ||
      type.startsWith('char')) {
    return 'string';
  }
  return 'other';
}

/// The canonical kind of a DuckDB type (DuckDBType.toString()).
export function duckdbKind(typeText) {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/.test(
    typeText)) {
    return 'number';
  }
  if (typeText.startsWith('TIMESTAMP')) return 'timestamp';
  if (typeText === 'BOOLEAN') return 'boolean';
  if (typeText === 'VARCHAR' || typeText === 'DATE') return 'string';
  if (typeText === '"NULL"' || typeText === 'NULL') return 'null';
  return 'other';
}

/// One value to canonical form, given its kind.
export function canonical(value, kind) {
  if (value === null || value === undefined || kind === 'null') return null;
  switch (kind) {
    case 'number':
      if (typeof value === 'object' && value.num !== undefined) return value;
      return { num: String(value) };  // a JS number, a bigint/decimal string, "NaN"
    case 'timestamp':
      return normalizeTimestamp(String(value));
    case 'boolean':
      return value === true || value === 'true';
    case 'string':
      return String(value);
    default:
      return JSON.stringify(value);
  }
}

function isIntegerText(text) {
  return /^-?\d+$/.test(text);
}

function toNumber(text) {
  if (text === 'Infinity' || text === 'inf') return Infinity;
  if (text === '-Infinity' || text === '-inf') return -Infinity;
  return Number(text);
}

export function numbersEqual(a, b) {
  if (isIntegerText(a) && isIntegerText(b)) return BigInt(a) === BigInt(b);
  const x = toNumber(a);
  const y = toNumber(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= kTolerance * Math.max(Math.abs(x), Math.abs(y), 1);
}

export function valuesEqual(a, b) {
  if (a === null || b === null) return a === b;
  const aNum = typeof a === 'object';
  const bNum = typeof b === 'object';
  if (aNum || bNum) return aNum && bNum && numbersEqual(a.num, b.num);
  return a === b;
}

function rank(value) {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'object') return 2;
  return 3;
}

function compareValues(a, b) {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 2) {
    const x = toNumber(a.num);
    const y = toNumber(b.num);
    if (x < y) return -1;
    if (x > y) return 1;
    return 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareRows(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/// Compares two results (arrays of canonical rows). `ordered`: row order matters;
/// otherwise both are sorted first (a multiset comparison). Returns null when equal,
/// else {reason, index} with the first differing row index (in the compared order)
/// and the rows as compared.
export function compareResults(left, right, ordered) {
  const a = ordered ? left : [...left].sort(compareRows);
  const b = ordered ? right : [...right].sort(compareRows);
  const widthA = a.length ? a[0].length : null;
  const widthB = b.length ? b[0].length : null;
  if (widthA !== null && widthB !== null && widthA !== widthB) {
    return { reason: `column counts differ: ${widthA} vs ${widthB}`, index: 0, a, b };
  }
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const rowA = a[i];
    const rowB = b[i];
    if (rowA.length !== rowB.length || rowA.some((value, j) => !valuesEqual(value, rowB[j]))) {
      return { reason: `row ${i} differs`, index: i, a, b };
    }
  }
  if (a.length !== b.length) {
    return { reason: `row counts differ: ${a.length} vs ${b.length}`,
             index: Math.min(a.length, b.length), a, b };
  }
  return null;
}

/// A canonical row as one line of text for reports.
export function formatRow(row) {
  return '(' + row.map((value) => {
    if (value === null) return 'NULL';
    if (typeof value === 'object') return value.num;
    if (typeof value === 'string') return JSON.stringify(value);
    return String(value);
  }).join(', ') + ')';
}
