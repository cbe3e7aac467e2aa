// SPDX-License-Identifier: Apache-2.0
//
// Exactly-once Kafka -> Delta under kill -9 (issue 7, Tests). `sluice kafka serve` runs
// as its own process for the whole test (it outlives every crash of the engine); kcat
// produces order events with unique order ids (0..N-1, JSON as `sluice gen orders`
// writes them, keyed by id, spread over 3 partitions) while the pipeline runs, with small
// micro-batches (maxOffsetsPerTrigger), startingOffsets earliest. The pipeline is one of
//   - examples/cpp/kafka_to_delta (readStream kafka -> CAST(value AS STRING) ->
//     from_json -> Delta at a path): every record is a valid order;
//   - `sql`: `sluice run` of a generated pipeline in the shape of
//     examples/pipelines/orders.sql (STREAM read_kafka -> from_json with a corrupt-record
//     column; valid orders into `orders`, the rest with the raw value and the reason into
//     `orders_quarantine`): one record in 25 is malformed (truncated, a wrong type, not
//     JSON), each naming its id.
// The pipeline is killed with SIGKILL at random moments (seeded, the seed printed) and
// restarted from its checkpoint, KILLS times; more records are produced between and
// during the runs. Then it runs with availableNow to drain the topic, and the checks:
//   (a) through sluice: `sluice sql -e "SELECT count(*), count(DISTINCT id) ..."`;
//   (b) independently of sluice: this script replays each table's _delta_log (add/remove
//       actions of the JSON commits) to find the live files and reads them with DuckDB's
//       read_parquet: every produced id exactly once in its table, nothing else;
//   (c) the checkpoint: batch ids in offsets/ and commits/ contiguous, every commit has
//       its offsets, and the last offsets cover every produced record.
// Prints the kills (and where they landed), records, batches and elapsed time; exits
// non-zero on any failure.
//
// Usage: node kafka_kill9.mjs SLUICE WORK_DIR (KAFKA_TO_DELTA | sql)
// Env:   SLUICE_KILL_CAMPAIGN=<kills> (default 20, CI), SLUICE_KILL_SEED=<seed> (default:
//        time), SLUICE_KILL_RECORDS=<records> (default 20000)

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  fail, failures, findTable, killLoop, liveFiles, makeRandom, sleep, sluiceSql, sqlString,
} from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
let DuckDBInstance;
try {
  // DuckDB is installed for the interop tests (npm ci in test/interop); reuse it.
  const require = createRequire(path.join(here, '../interop/package.json'));
  ({ DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href));
} catch (error) {
  console.error(`cannot load DuckDB (${error.message}); run \`npm ci\` in test/interop`);
  process.exit(1);
}

const [sluice, workArg, pipeline] = process.argv.slice(2);
if (!sluice || !workArg || !pipeline) {
  console.error('usage: node kafka_kill9.mjs SLUICE WORK_DIR (KAFKA_TO_DELTA | sql)');
  process.exit(2);
}
const sqlMode = pipeline === 'sql';
const kills = Number(process.env.SLUICE_KILL_CAMPAIGN ?? 20);
const seed = Number(process.env.SLUICE_KILL_SEED ?? (Date.now() % 1000000007));
const totalRecords = Number(process.env.SLUICE_KILL_RECORDS ?? 20000);
const work = path.resolve(workArg);
const warehouse = path.join(work, 'warehouse');
const pipelineFile = path.join(work, 'pipeline.sql');
// kafka_to_delta's table and checkpoint; `sql` keeps the checkpoints under the tables,
// found in the warehouse once they exist.
const exampleTable = path.join(work, 'orders');
const exampleCheckpoint = path.join(work, 'checkpoints', 'orders');
// One record in kMalformedEvery is malformed (sql only).
const kMalformedEvery = 25;
const kTopic = 'orders';
const kPartitions = 3;
const kMaxOffsetsPerTrigger = 250;
// Records in the topic before the first start; the rest arrive in chunks during the runs.
const kInitialRecords = Math.min(totalRecords, 4000);
const kChunks = Math.max(1, kills * 2);
const kMinKillMs = 100;
const kMaxKillMs = 1800;

console.log(`kafka_kill9: seed ${seed} (SLUICE_KILL_SEED=${seed} repeats it), ${kills} kills, ` +
            `${totalRecords} records, pipeline ${sqlMode ? 'sluice run (SQL)' : 'kafka_to_delta'}`);

const random = makeRandom(seed);
const producerRandom = makeRandom(seed ^ 0x5bd1e995);


fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(warehouse, { recursive: true });

// ---------------------------------------------------------------------------------------
// The broker, in its own process for the whole test.

const readyFile = path.join(work, 'broker.ready');
const broker = spawn(sluice, ['kafka', 'serve', '--topic', `${kTopic}:${kPartitions}`,
                              '--ready-file', readyFile], { stdio: ['ignore', 'pipe', 'pipe'] });
let brokerOutput = '';
broker.stdout.on('data', (chunk) => { brokerOutput += chunk.toString(); });
broker.stderr.on('data', (chunk) => { brokerOutput += chunk.toString(); });
let brokerExited = false;
broker.on('exit', () => { brokerExited = true; });
process.on('exit', () => {
  if (!brokerExited) broker.kill('SIGKILL');
});

async function waitForBroker() {
  for (let tries = 0; tries < 300; ++tries) {
    if (brokerExited) break;
    if (fs.existsSync(readyFile)) {
      const servers = fs.readFileSync(readyFile, 'utf8').trim();
      if (servers.length > 0) return servers;
    }
    await sleep(100);
  }
  console.log(`FAIL the broker did not become ready:\n${brokerOutput}`);
  process.exit(1);
}
const servers = await waitForBroker();
console.log(`broker: bootstrap.servers=${servers}`);

// ---------------------------------------------------------------------------------------
// The producer: kcat, records keyed by order id.

const kRegions = ['us-east', 'us-west', 'eu-central', 'eu-west', 'ap-south', 'ap-northeast'];
const kStatuses = ['placed', 'paid', 'shipped', 'delivered', 'cancelled'];
let produced = 0;

function orderJson(id) {
  const qty = 1 + (id % 4);
  const price = (id % 5000) / 100 + 1;
  return JSON.stringify({
    order_id: id, customer_id: `C${String(id % 5000).padStart(5, '0')}`,
    region: kRegions[id % kRegions.length], status: kStatuses[id % kStatuses.length],
    amount: Number((qty * price).toFixed(2)), currency: 'USD',
    items: [{ sku: `SKU-${id % 997}`, qty, unit_price: price }],
    order_time: new Date(Date.UTC(2026, 10, 25, 10) + id * 10).toISOString(),
  });
}

// Malformed records (sql only): each holds its id as the first number of its text.
const isMalformed = (id) => sqlMode && id % kMalformedEvery === 7;
function malformedValue(id) {
  switch (Math.floor(id / kMalformedEvery) % 3) {
    case 0: return orderJson(id).slice(0, 30);  // truncated
    case 1: return orderJson(id).replace(`"order_id":${id}`, `"order_id":"${id}-x"`);
    default: return `order ${id} without braces`;
  }
}
const recordValue = (id) => (isMalformed(id) ? malformedValue(id) : orderJson(id));

// Produces order ids [from, to) and waits until kcat has delivered them.
function produce(from, to) {
  return new Promise((resolve, reject) => {
    const kcat = spawn('kcat', ['-b', servers, '-t', kTopic, '-P', '-K:'],
                       { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    kcat.stderr.on('data', (chunk) => { errors += chunk.toString(); });
    kcat.on('error', reject);
    kcat.on('exit', (code) => {
      if (code === 0) {
        produced = Math.max(produced, to);
        resolve();
      } else {
        reject(new Error(`kcat exited with ${code}: ${errors}`));
      }
    });
    const lines = [];
    for (let id = from; id < to; ++id) lines.push(`${id}:${recordValue(id)}`);
    kcat.stdin.end(lines.join('\n') + '\n');
  });
}

// The rest of the records in kChunks chunks over `spanMs`, while the kill loop runs.
async function producer(spanMs) {
  const rest = totalRecords - kInitialRecords;
  let next = kInitialRecords;
  for (let chunk = 0; chunk < kChunks; ++chunk) {
    await sleep(producerRandom() * 2 * (spanMs / kChunks));
    const end = kInitialRecords + Math.round((rest * (chunk + 1)) / kChunks);
    if (end > next) await produce(next, end);
    next = end;
  }
}

// ---------------------------------------------------------------------------------------
// The kill loop.

let batches = 0;
let recoveries = 0;

const kOrderSchema =
  'order_id BIGINT, customer_id STRING, region STRING, status STRING, amount DECIMAL(12,2), ' +
  'currency STRING, items ARRAY<STRUCT<sku: STRING, qty: INT, unit_price: DECIMAL(12,2)>>, ' +
  'order_time TIMESTAMP';

// The shape of examples/pipelines/orders.sql, with small batches.
function writePipeline() {
  const parsed = `SELECT value, partition, offset, from_json(CAST(value AS STRING),
      ${sqlString(`${kOrderSchema}, _corrupt_record STRING`)},
      map('columnNameOfCorruptRecord', '_corrupt_record')) AS o
    FROM STREAM read_kafka(bootstrapServers => ${sqlString(servers)}, subscribe => '${kTopic}',
                           startingOffsets => 'earliest',
                           maxOffsetsPerTrigger => ${kMaxOffsetsPerTrigger})`;
  fs.writeFileSync(pipelineFile, `-- generated by test/integration/kafka_kill9.mjs
CREATE OR REFRESH STREAMING TABLE orders
AS SELECT o.order_id, o.customer_id, o.region, o.status, o.amount, o.currency, o.items,
          o.order_time, partition AS kafka_partition, offset AS kafka_offset
FROM (${parsed})
WHERE o IS NOT NULL AND o._corrupt_record IS NULL;

CREATE OR REFRESH STREAMING TABLE orders_quarantine
AS SELECT CAST(value AS STRING) AS raw_value,
          CASE WHEN get_json_object(CAST(value AS STRING), '$') IS NULL THEN 'not valid JSON'
               ELSE 'a field does not match the orders schema' END AS error,
          partition AS kafka_partition, offset AS kafka_offset
FROM (${parsed})
WHERE o IS NULL OR o._corrupt_record IS NOT NULL;
`);
}

function startPipeline(availableNow) {
  const args = sqlMode
    ? ['run', pipelineFile, '--warehouse', warehouse,
       ...(availableNow ? ['--available-now'] : ['--trigger-interval', '10 milliseconds'])]
    : [servers, kTopic, exampleTable, exampleCheckpoint, '--startingOffsets', 'earliest',
       '--maxOffsetsPerTrigger', String(kMaxOffsetsPerTrigger), '--warehouse', warehouse,
       ...(availableNow ? ['--availableNow'] : ['--processingTime', '10 milliseconds'])];
  const child = spawn(sqlMode ? sluice : pipeline, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { text: '' };
  const keep = (chunk) => {
    const text = chunk.toString();
    // kafka_to_delta: "batch 3: 250 rows ..."; sluice run: "orders batch 3: 250 input rows".
    batches += (text.match(/^(orders )?batch \d+: [1-9]\d* (input )?rows/gm) ?? []).length;
    // The driver logs this when it finds a batch logged but not committed: a kill landed
    // inside a micro-batch.
    recoveries += text.split('re-running uncommitted batch').length - 1;
    output.text = (output.text + text).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited, output };
}

// The tables under test: where each lives, its checkpoint, the id each row stands for (in
// DuckDB's and sluice's SQL) and which produced ids it must hold once each.

function tables() {
  if (!sqlMode) {
    return [{ name: 'orders', dir: exampleTable, checkpoint: exampleCheckpoint,
              duckId: 'order_id', sluiceId: 'order_id', holds: () => true }];
  }
  const at = (name) => {
    const dir = findTable(warehouse, name);
    return { dir, checkpoint: dir === null ? null : path.join(dir, '_checkpoint') };
  };
  return [
    { name: 'orders', ...at('orders'), duckId: 'order_id', sluiceId: 'order_id',
      holds: (id) => !isMalformed(id) },
    { name: 'orders_quarantine', ...at('orders_quarantine'),
      duckId: "CAST(regexp_extract(raw_value, '[0-9]+') AS BIGINT)",
      sluiceId: "CAST(regexp_extract(raw_value, '([0-9]+)', 1) AS BIGINT)",
      holds: isMalformed },
  ];
}

// Where a kill landed, from the files it left: the last batch id in the offset log, in
// the commit log, and in the Delta table's txn actions (the sink's appId/version), for
// the first table.
const landed = { between: 0, beforeDelta: 0, afterDelta: 0 };
function lastId(checkpoint, sub) {
  const dir = checkpoint === null ? null : path.join(checkpoint, sub);
  if (dir === null || !fs.existsSync(dir)) return -1;
  return Math.max(-1, ...fs.readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number));
}
function lastDeltaTxn(table) {
  const log = table === null ? null : path.join(table, '_delta_log');
  if (log === null || !fs.existsSync(log)) return -1;
  let version = -1;
  for (const name of fs.readdirSync(log).filter((n) => /^\d{20}\.json$/.test(n))) {
    for (const line of fs.readFileSync(path.join(log, name), 'utf8').split('\n')) {
      if (line.includes('"txn"')) version = Math.max(version, JSON.parse(line).txn.version);
    }
  }
  return version;
}
function classifyKill() {
  const [{ dir, checkpoint }] = tables();
  const logged = lastId(checkpoint, 'offsets');
  if (logged === lastId(checkpoint, 'commits')) {
    landed.between += 1;
  } else if (lastDeltaTxn(dir) >= logged) {
    landed.afterDelta += 1;  // the restart must not write this batch to Delta again
  } else {
    landed.beforeDelta += 1;
  }
}


// ---------------------------------------------------------------------------------------
// Checks.



// Batch ids contiguous (old entries are purged, as Spark's minBatchesToRetain), commits
// covered by offsets, and the last offsets (Spark's offset log: "v1", the batch metadata,
// then the source's {"orders":{"0":n,...}}) at the end of every partition.
function checkCheckpoint({ name, checkpoint }) {
  const ids = (sub) => {
    const dir = path.join(checkpoint, sub);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  };
  const offsets = ids('offsets');
  const commits = ids('commits');
  const contiguous = (list) => list.every((id, i) => id === list[0] + i);
  if (!contiguous(offsets)) fail(`${checkpoint}/offsets: batch ids not contiguous: ${offsets}`);
  if (!contiguous(commits)) fail(`${checkpoint}/commits: batch ids not contiguous: ${commits}`);
  if (offsets.length === 0 || commits.length === 0) {
    fail(`${checkpoint}: no batches`);
    return 0;
  }
  for (const id of commits) {
    if (!offsets.includes(id)) fail(`${checkpoint}: commit ${id} has no offset entry`);
  }
  const lastBatch = offsets[offsets.length - 1];
  if (lastBatch !== commits[commits.length - 1]) {
    fail(`${checkpoint}: batch ${lastBatch} is logged but not committed after the drain`);
  }
  const last = fs.readFileSync(path.join(checkpoint, 'offsets', String(lastBatch)), 'utf8')
    .split('\n').filter((line) => line.length > 0);
  const ends = JSON.parse(last[2])[kTopic] ?? {};
  const covered = Object.values(ends).reduce((sum, n) => sum + Number(n), 0);
  console.log(`checkpoint ${name}: ${lastBatch + 1} committed batches (${commits.length} kept), ` +
              `last offsets ${last[2]} (${covered} records)`);
  if (covered !== produced) {
    fail(`checkpoint ${name}: the last offsets cover ${covered} of ${produced}`);
  }
  return lastBatch + 1;
}

function expectedIds(table) {
  const ids = [];
  for (let id = 0; id < produced; ++id) {
    if (table.holds(id)) ids.push(id);
  }
  return ids;
}

async function checkWithDuckDB(connection, table) {
  const files = liveFiles(table.dir);
  const expected = expectedIds(table);
  if (files.length === 0) {
    fail(`duckdb ${table.name}: no live files`);
    return;
  }
  const list = files.map(sqlString).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT count(*)::BIGINT, count(DISTINCT ${table.duckId})::BIGINT
     FROM read_parquet([${list}])`);
  const [count, distinct] = reader.getRows()[0].map(Number);
  const idsReader = await connection.runAndReadAll(
    `SELECT DISTINCT (${table.duckId})::BIGINT FROM read_parquet([${list}])`);
  const seen = new Set(idsReader.getRows().map((row) => Number(row[0])));
  const missing = expected.filter((id) => !seen.has(id));
  const wanted = new Set(expected);
  const extra = [...seen].filter((id) => !wanted.has(id));
  console.log(`duckdb ${table.name}: ${files.length} live files, ${count} rows, ${distinct} ` +
              `distinct ids (expected ${expected.length})`);
  if (count !== expected.length || distinct !== expected.length) {
    fail(`duckdb ${table.name}: ${count} rows, ${distinct} distinct; expected ` +
         `${expected.length} exactly once each`);
  }
  if (missing.length > 0) fail(`duckdb ${table.name}: missing ids ${missing.slice(0, 10)}`);
  if (extra.length > 0) fail(`duckdb ${table.name}: unexpected ids ${extra.slice(0, 10)}`);
  if (table.name === 'orders') {
    const unparsed = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT FROM read_parquet([${list}])
       WHERE region IS NULL OR order_time IS NULL OR amount IS NULL`);
    const count = Number(unparsed.getRows()[0][0]);
    if (count !== 0) fail(`duckdb orders: ${count} rows with fields from_json did not parse`);
  }
}

function checkWithSluice(table) {
  const expected = expectedIds(table);
  const [[count, distinct, min, max]] = sluiceSql(sluice, warehouse, 
    `SELECT count(*), count(DISTINCT ${table.sluiceId}), min(${table.sluiceId}), ` +
    `max(${table.sluiceId}) FROM delta.\`${table.dir}\``);
  console.log(`sluice ${table.name}: ${count} rows, ${distinct} distinct ids ${min}..${max}`);
  if (Number(count) !== expected.length || Number(distinct) !== expected.length ||
      Number(min) !== expected[0] || Number(max) !== expected[expected.length - 1]) {
    fail(`sluice ${table.name}: ${count} rows, ${distinct} distinct, ids ${min}..${max}; ` +
         `expected ${expected.length} ids ${expected[0]}..${expected[expected.length - 1]} ` +
         'exactly once');
  }
}

// ---------------------------------------------------------------------------------------

const started = Date.now();
if (sqlMode) writePipeline();
await produce(0, kInitialRecords);
const expectedSpanMs = kills * ((kMinKillMs + kMaxKillMs) / 2 + 100);
const kill = killLoop({
  kills, start: () => startPipeline(false), random, minMs: kMinKillMs, maxMs: kMaxKillMs,
  what: 'the pipeline', afterKill: classifyKill,
});
const [killed] = await Promise.all([kill, producer(expectedSpanMs)]);
const beforeDrain = lastId(tables()[0].checkpoint, 'commits') + 1;
console.log(`kill loop: ${killed} kills (${landed.between} between batches, ` +
            `${landed.beforeDelta} in a batch before its Delta commit, ${landed.afterDelta} ` +
            `after its Delta commit before the checkpoint's), ${beforeDrain} batches committed, ` +
            `${recoveries} re-runs of a batch a kill interrupted; draining with availableNow`);
const drain = startPipeline(true);
const drained = await drain.exited;
if (drained.code !== 0) {
  fail(`the availableNow drain exited with code ${drained.code} signal ${drained.signal}:\n` +
       drain.output.text);
}
let committed = 0;
if (failures.length === 0) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const table of tables()) {
    if (table.dir === null) {
      fail(`no Delta table directory named ${table.name} under ${warehouse}`);
      continue;
    }
    checkWithSluice(table);
    await checkWithDuckDB(connection, table);
    committed += checkCheckpoint(table);
  }
}
broker.kill('SIGTERM');
const elapsed = ((Date.now() - started) / 1000).toFixed(1);
const malformed = expectedIds({ holds: isMalformed }).length;
console.log(`kafka_kill9: ${killed} kills (${recoveries} re-runs of a batch a kill interrupted), ` +
            `${produced} records (${malformed} malformed), ${batches} batches with rows over ` +
            `all runs, ${committed} committed, ${elapsed} s, seed ${seed}`);
if (failures.length > 0) {
  console.log(`kafka_kill9: ${failures.length} failure(s); repeat with SLUICE_KILL_SEED=${seed}`);
  process.exit(1);
}
fs.rmSync(work, { recursive: true, force: true });
console.log('kafka_kill9: ok');
