// Query API part 2 benchmark: RFM, the "visited ≥ 2 and opened ≥ 2 emails in 30 days" audience preview and a
// customer profile on a 10M-event dataset generated inside ClickHouse, each beside a plain scan of the same columns.
//   npm run bench:part2 -w @spoor/query-api        (BENCH_EVENTS=1000000 for a quick run; CLICKHOUSE_URL for a server;
//   BENCH_DATA_DIR=<dir> keeps the generated dataset there and reuses it on the next run)
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClickHouse, migrate, normaliseClickHouseConfig, createMemoryKeyValue } from '@spoor/infra';
import type { AudienceGroup } from '../src/queries/audiences/audience-definition.js';
import { createQueryRunner } from '../src/clickhouse/query-runner.js';
import { createQueryApi } from '../src/create-query-api.js';
import { compileRules } from '../src/queries/audiences/audience-rules.js';
import { PERSON_MAP_CTE } from '../src/queries/shared/person-id.js';
import { hashApiKey } from '../src/auth/api-key-store.js';
import { BENCH_NOW, BENCH_SITE, generateBenchDataset } from './bench-part2-dataset.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const KEY = 'sk_bench_part2';
const reuseDir = process.env.BENCH_DATA_DIR ? resolve(process.env.BENCH_DATA_DIR) : undefined;
if (reuseDir) mkdirSync(reuseDir, { recursive: true });
const dataDir = process.env.CLICKHOUSE_URL ? undefined : (reuseDir ?? mkdtempSync(join(tmpdir(), 'spoor-bench-part2-')));
const config = normaliseClickHouseConfig({ url: process.env.CLICKHOUSE_URL, dataDir, database: 'spoor_bench_part2', maxExecutionTimeSeconds: 120 });
const client = createClickHouse(config);
const database = config.database;
const log = (line: string) => console.log(line);
const loadStart = loadavg()[0] ?? 0;
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

const eventCount = async () => {
  const rows = await (await client.query({ query: `SELECT count() AS n FROM ${database}.events`, format: 'JSONEachRow' })).json<{ n: number }>();
  return Number(rows[0]?.n ?? 0);
};
// A kept dataset is reused when it holds the requested number of events; migrate() adds (and backfills) newer tables.
const reuse = reuseDir !== undefined && (await client.query({ query: `SELECT count() AS n FROM system.tables WHERE database = '${database}' AND name = 'events'`, format: 'JSONEachRow' }).then((r) => r.json<{ n: number }>())).at(0)?.n === 1 && (await eventCount()) === EVENTS;
const t0 = performance.now();
if (!reuse) {
  await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await migrate(client, { database });
  await generateBenchDataset(client, database, EVENTS, log);
  await client.insert({ table: `${database}.api_keys`, values: [{ key_id: 'bench', key_sha256: hashApiKey(KEY), site_ids: [BENCH_SITE], name: 'bench' }], format: 'JSONEachRow' });
} else {
  const { applied } = await migrate(client, { database });
  log(`reusing the dataset in ${reuseDir}${applied.length ? `; applied ${applied.join(', ')}` : ''}`);
}
const counts = await (await client.query({ query: `SELECT (SELECT count() FROM ${database}.events) AS events, (SELECT count() FROM ${database}.orders) AS orders, (SELECT uniqExact(customer_id) FROM ${database}.identities) AS customers`, format: 'JSONEachRow' })).json<{ events: string; orders: string; customers: string }>();
log(`dataset ${reuse ? 'reused' : 'generated'} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts[0])}`);

const app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: client, database, now: () => BENCH_NOW, limits: { maxExecutionTimeSeconds: 120, maxRows: 1000 } });
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const call = async (path: string, init: RequestInit = {}) => {
  const res = await app.request(path, { ...init, headers });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const scan = async (sql: string) => (await client.query({ query: sql, format: 'JSONEachRow' })).json();
const runner = createQueryRunner({ client, database, maxExecutionTimeSeconds: 120 });

interface Case {
  name: string;
  run: (i: number) => Promise<unknown>;
  scanName?: string;
  scan?: (i: number) => Promise<unknown>;
  target?: number;
}
interface Result {
  name: string;
  p50: number;
  p95: number;
  scanName?: string;
  scanP50?: number;
  scanP95?: number;
  target?: number;
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;
const time = async (f: () => Promise<unknown>) => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};

/** Warm-up (marks, the API key lookup, the profiles' RFM population), then RUNS runs interleaved with the scan. */
async function measure(c: Case): Promise<Result> {
  await c.run(0);
  if (c.scan) await c.scan(0);
  const runs: number[] = [];
  const scans: number[] = [];
  for (let i = 1; i <= RUNS; i += 1) {
    runs.push(await time(() => c.run(i)));
    if (c.scan) scans.push(await time(() => c.scan!(i)));
  }
  const r: Result = { name: c.name, p50: pct(runs, 0.5), p95: pct(runs, 0.95), target: c.target };
  if (c.scan) Object.assign(r, { scanName: c.scanName, scanP50: pct(scans, 0.5), scanP95: pct(scans, 0.95) });
  log(`${c.name.padEnd(66)} p50 ${r.p50.toFixed(1).padStart(8)} ms  p95 ${r.p95.toFixed(1).padStart(8)} ms${c.scan ? ` | scan p50 ${r.scanP50!.toFixed(1)} ms p95 ${r.scanP95!.toFixed(1)} ms` : ''}`);
  return r;
}

const since30 = new Date(BENCH_NOW.getTime() - 30 * 86_400_000).toISOString().replace('T', ' ').replace('Z', '');
const audience = { all: [{ event: 'visit', op: '>=', count: 2, within_days: 30 }, { event: 'email_open', op: '>=', count: 2, within_days: 30 }] } as const;
const preview = await call('/api/v1/audiences/preview', { method: 'POST', body: JSON.stringify({ site: BENCH_SITE, definition: audience, sample_size: 10 }) });
const rfmPage = await call(`/api/v1/rfm?site=${BENCH_SITE}&include=all&limit=1`);
const buyers = await call(`/api/v1/rfm?site=${BENCH_SITE}&limit=1`);
log(`RFM customers: ${rfmPage.total} (${buyers.total} buyers); audience size: ${preview.size}`);

// The audience read from events alone (the path before session_days; still used when a visit condition has property
// filters) — the same answer, measured for comparison.
const eventsPath = compileRules(audience as unknown as AudienceGroup, BENCH_NOW, { path: 'events' });
const eventsPathSize = async () =>
  runner.rows<{ n: number }>(`WITH ${PERSON_MAP_CTE}, members AS (${eventsPath.sql}) SELECT count() AS n FROM members`, { ...eventsPath.params, site: BENCH_SITE });
const eventsPathCount = (await eventsPathSize())[0]?.n;
if (eventsPathCount !== preview.size) throw new Error(`audience read paths disagree: events ${eventsPathCount}, session_days ${preview.size}`);

const customer = (i: number) => `c${(i * 7919) % 100_000}`;
const only = process.env.BENCH_ONLY;
const cases: Case[] = [
  {
    name: 'RFM, every customer (GET /rfm?include=all, first 1000)',
    run: () => call(`/api/v1/rfm?site=${BENCH_SITE}&include=all&limit=1000`),
    scanName: 'all events and orders, same columns',
    scan: () =>
      scan(`SELECT count(), max(ts), max(anonymous_id), max(customer_id), max(type), max(machine_open), max(is_bot) FROM ${database}.events WHERE site_id = '${BENCH_SITE}'`),
  },
  {
    name: 'audience preview: visits >= 2 AND opens >= 2 in 30 d',
    run: () => call('/api/v1/audiences/preview', { method: 'POST', body: JSON.stringify({ site: BENCH_SITE, definition: audience, sample_size: 10 }) }),
    scanName: '30 days of events, same columns',
    scan: () =>
      scan(`SELECT count(), uniqExact(session_id), max(anonymous_id), max(customer_id), max(event_id), max(type), max(machine_open) FROM ${database}.events WHERE site_id = '${BENCH_SITE}' AND ts >= '${since30}' AND NOT is_bot`),
    target: 500,
  },
  { name: '  the same audience read from events only (size only)', run: () => eventsPathSize() },
  {
    name: 'customer profile (GET /customers/{id}, another customer each run)',
    run: (i) => call(`/api/v1/customers/${customer(i)}?site=${BENCH_SITE}`),
    scanName: "one customer's events in `events`, same filter columns",
    scan: (i) =>
      scan(`SELECT count(), max(ts), max(session_id), max(channel), max(type) FROM ${database}.events WHERE site_id = '${BENCH_SITE}' AND (customer_id = '${customer(i)}' OR anonymous_id IN ('a${(i * 7919) % 100_000}', 'a${((i * 7919) % 100_000) + 100_000}'))`),
    target: 50,
  },
];
// Two phases on the same data: the tables as the load and the background merges left them (several parts per monthly
// partition; AggregatingMergeTree rows of one key folded only inside the parts merged so far), then after OPTIMIZE …
// FINAL (one part per partition, every key folded: a best case). The targets are judged on the first.
// BENCH_MERGE=loaded or =merged runs one phase only.
const MERGE = process.env.BENCH_MERGE ?? 'both';
const partCounts = async () => {
  const rows = await (
    await client.query({
      query: `SELECT table, count() AS parts, sum(rows) AS rows FROM system.parts WHERE active AND database = {db:String} AND table IN ('events', 'events_by_visitor', 'session_days', 'customer_browsers', 'orders') GROUP BY table ORDER BY table`,
      query_params: { db: database },
      format: 'JSONEachRow',
    })
  ).json<{ table: string; parts: string; rows: string }>();
  return rows.map((r) => `${r.table} ${r.parts} parts / ${Number(r.rows).toLocaleString('en')} rows`).join(', ');
};
interface Phase {
  name: string;
  parts: string;
  results: Result[];
  verdicts: string[];
}
const ms = (n: number | undefined) => (n === undefined ? '' : `${Math.round(n).toLocaleString('en')} ms`);
async function runPhase(name: string): Promise<Phase> {
  const parts = await partCounts();
  log(`phase "${name}": ${parts}`);
  const results: Result[] = [];
  for (const c of cases) if (!only || only.split(',').some((o) => c.name.trim().startsWith(o))) results.push(await measure(c));
  const verdicts = results.filter((r) => r.target !== undefined).map((r) => `${r.name.trim()}: p50 ${ms(r.p50)} vs target ≤ ${r.target} ms — ${r.p50 <= r.target! ? 'MET' : 'MISSED'}`);
  for (const v of verdicts) log(`[${name}] ${v}`);
  return { name, parts, results, verdicts };
}
const phases: Phase[] = [];
if (MERGE !== 'merged') phases.push(await runPhase('as loaded'));
if (MERGE !== 'loaded') {
  const tables = await (await client.query({ query: `SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree'`, query_params: { db: database }, format: 'JSONEachRow' })).json<{ name: string }>();
  const t = performance.now();
  for (const { name } of tables) await client.command({ query: `OPTIMIZE TABLE ${database}.${name} FINAL`, clickhouse_settings: { max_execution_time: 1800 } });
  log(`OPTIMIZE … FINAL of ${tables.length} tables: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  phases.push(await runPhase('merged'));
}

const loadEnd = loadavg();
log(`load average at the end: ${loadEnd.map((l) => l.toFixed(1)).join(' ')}`);
const phaseTable = (phase: Phase) => `### ${phase.name === 'merged' ? 'After OPTIMIZE … FINAL (fully merged: a best case, not how a running store usually is)' : 'As loaded (several parts per partition, as a running store usually is): the targets are judged here'}

Parts: ${phase.parts}.

| case | p50 | p95 | plain scan | scan p50 | scan p95 | target (p50) |
|---|---:|---:|---|---:|---:|---|
${phase.results.map((r) => `| ${r.name.trim()} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.scanName ?? ''} | ${ms(r.scanP50)} | ${ms(r.scanP95)} | ${r.target ? `≤ ${r.target} ms: **${r.p50 <= r.target ? 'met' : 'missed'}**` : ''} |`).join('\n')}

Verdict (issue 7 targets, ${phase.name}): ${phase.verdicts.join('; ')}.
`;

const doc = `# Query API part 2 — performance (RFM, audience preview, customer profile)

Command: \`${only ? `BENCH_ONLY="${only}" ` : ''}npm run bench:part2 -w @spoor/query-api\` (${new Date().toISOString().slice(0, 16)}Z, commit
\`${commit}\`; ${RUNS} runs per case after one warm-up, each interleaved with its plain scan).
Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared with whatever else runs: 1-minute load
average ${loadStart.toFixed(1)} at the start, ${loadEnd[0]!.toFixed(1)} at the end (${loadEnd.map((l) => l.toFixed(1)).join(' / ')} for 1/5/15 min). On an idle machine the numbers are lower.
Store: embedded chDB (ClickHouse 26.7) in-process; every case goes through the Hono app (\`app.request\`): auth, validation, SQL, JSON.

Dataset (\`bench/bench-part2-dataset.ts\`, generated inside ClickHouse${reuse ? `, reused from BENCH_DATA_DIR` : ''}): ${Number(counts[0]?.events ?? 0).toLocaleString('en')} events, ${Number(counts[0]?.orders ?? 0).toLocaleString('en')} orders,
${Number(counts[0]?.customers ?? 0).toLocaleString('en')} customers (${Number(buyers.total).toLocaleString('en')} of them buyers) over 90 days: 400k browsers, 3 visits of ~8 events each; 160k browsers identified
(half their events anonymous before identify), 6 % email opens (a third machine-flagged), 1 % purchases, 1 in 97 events a bot.
Loaded in time order (ten INSERTs of ~1M events, each the next 9 days), the order the processor writes events in.
Before session 3 each INSERT spread over all 90 days, so every session was split across every part; that layout's
numbers (audience 620 ms, profile 62 ms as loaded) are in docs/performance.md.
The audience has ${Number(preview.size).toLocaleString('en')} members; the session_days path and the events-only path agreed on it in this run.

"Scan" is a trivial aggregate reading the same columns of \`events\` with the same filter — what that much raw data costs
on this machine in the same minute. The profile's scan is the bloom-filter read of one customer's rows in \`events\`,
which the profile no longer does (it reads the visitor-ordered copy \`events_by_visitor\` by primary key).

${phases.map(phaseTable).join('\n')}
## How the targets are approached

- **Audience preview** reads whole days of the window from \`session_days\` (migration 0270: one row per session and UTC
  day with "was it a visit" and the last event time, filled by a materialized view, bots left out), the partial days at
  the window's edges from \`events\`, and only the \`email_open\` rows of \`events\` for the opens condition (the events sort
  key starts (site_id, day, type), so that is a narrow range read). Answers are exactly those of reading every event
  (\`audience-read-paths.integration.test.ts\` cross-checks both paths; the bench checks the sizes agree). A "visit"
  condition with property filters falls back to reading events.
- **Customer profile**: three statements — the customer's anonymous ids (\`customer_browsers\`, sorted by customer, and
  the identity links, both by primary key), then side by side the customer's rows from \`events_by_visitor\` (0271: the
  profile's columns of every event, sorted by (site, anonymous_id, ts), 1024-row granules; a few granules instead of
  bloom-filter scans of \`events\`; 0272: 4–16 KiB compressed blocks, so a lookup decompresses about the granules it
  reads) and the orders (candidates through a bloom filter on \`orders.anonymous_id\`, 0272, then FINAL over just their
  order ids, the sort key). Sessions, summary, emails and
  open carts are built from those rows in TypeScript (\`customer-timeline.ts\`; above 20k rows the same parts are
  aggregated in ClickHouse, tested to agree): in chDB each further statement cost ~15–20 ms however few rows it read
  (measured at load ≈ 2: id lookup ~11 ms, orders ~14 ms, one aggregate query per part 14–23 ms; Promise.all does not
  overlap them, folding them into one statement of scalar subqueries or max_threads = 1 did not help). RFM scores
  rank against the cached buyer population.
- **RFM** has no target; it scans every event once for the last activity and ranks buyers with window functions.
`;
const out = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/performance/query-api-part2.md');
if (process.env.BENCH_WRITE_DOC !== '0') {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, doc);
  log(`wrote ${out}`);
}
await client.close();
if (dataDir && !reuseDir) rmSync(dataDir, { recursive: true, force: true });
