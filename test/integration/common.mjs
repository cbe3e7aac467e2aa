// SPDX-License-Identifier: Apache-2.0
// What the kill -9 tests share: a seeded random generator, failure collection, and
// independent readers of a warehouse (sluice sql, a Delta table's live files from its
// JSON commits, a table's directory).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// mulberry32: a small seeded generator, so a failing run can be repeated.
export function makeRandom(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A SQL string literal.
export const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

// Failures are collected (and printed at once), so one run reports all of them.
export const failures = [];
export function fail(message) {
  failures.push(message);
  console.log(`FAIL ${message}`);
}

// The rows of `sql` run by `sluice sql` over `warehouse`, as arrays of CSV fields.
export function sluiceSql(sluice, warehouse, sql) {
  const out = execFileSync(sluice, ['sql', '--warehouse', warehouse, '--output', 'csv', '-e', sql],
                           { encoding: 'utf8' });
  const lines = out.split('\n').filter((line) => line.length > 0);
  return lines.slice(1).map((line) => line.split(','));  // no header
}

// The live data files of a Delta table: the JSON commits' add/remove actions in order.
export function liveFiles(table) {
  const log = path.join(table, '_delta_log');
  const commits = fs.readdirSync(log).filter((name) => /^\d{20}\.json$/.test(name)).sort();
  commits.forEach((name, i) => {
    if (Number(name.slice(0, 20)) !== i) fail(`${log}: commit ${i} is missing`);
  });
  const live = new Map();
  for (const name of commits) {
    const text = fs.readFileSync(path.join(log, name), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim().length === 0) continue;
      const action = JSON.parse(line);
      if (action.add) live.set(action.add.path, action.add);
      if (action.remove) live.delete(action.remove.path);
    }
  }
  return [...live.keys()].map((p) => path.join(table, decodeURIComponent(p)));
}

// Independent of sluice: the directory under `warehouse` named for the table that holds
// a _delta_log, or null.
export function findTable(warehouse, name) {
  const stack = [warehouse];
  while (stack.length > 0) {
    const dir = stack.pop();
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === name && fs.existsSync(path.join(full, '_delta_log'))) return full;
      if (!entry.name.startsWith('_')) stack.push(full);
    }
  }
  return null;
}

// Starts a pipeline `kills` times (`start()` returns { child, exited, output }) and kills
// it with SIGKILL after a random delay in [minMs, maxMs); a run that ends on its own, or
// otherwise than by the kill, is a failure. `what` names the pipeline in messages;
// `afterKill` runs after each kill. Returns the number of kills.
export async function killLoop({ kills, start, random, minMs, maxMs, what, afterKill }) {
  let killed = 0;
  for (let round = 0; round < kills; ++round) {
    const run = start();
    const delay = minMs + random() * (maxMs - minMs);
    const early = await Promise.race([run.exited, sleep(delay).then(() => null)]);
    if (early !== null) {
      fail(`round ${round}: ${what} exited on its own (code ${early.code}, signal ` +
           `${early.signal}) before the kill at ${Math.round(delay)} ms:\n${run.output.text}`);
      continue;
    }
    run.child.kill('SIGKILL');
    const end = await run.exited;
    if (end.signal !== 'SIGKILL') {
      fail(`round ${round}: ${what} ended with code ${end.code} instead of being killed:\n` +
           run.output.text);
    }
    killed += 1;
    if (afterKill) afterKill();
  }
  return killed;
}
