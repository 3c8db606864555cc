/**
 * npm run bench -w @spoor/cli
 * Event → queryable lag of the all-in-one (collector + processor + query API over the file log and embedded chDB, as
 * `spoor start` runs them) while analysts hammer it: first idle, then with BENCH_FUNNELS (20) clients each requesting
 * a heavy 9-step funnel again as soon as the last one answered. Writes docs/performance/lag-under-query-load.md.
 *
 * Events travel the public path: POST /v1/import (10 per request, BENCH_RATE events/s) → 202 → file log → processor →
 * chDB. Each event's lag is from its 202 to the start (now64() inside the statement) of the first poll that finds it in
 * `events`: every 100 ms, by event id, in the store scheduler's load lane, so the poll starts as soon as the store could
 * show the row to anybody (a query of any lane starting then sees it) and measures when the row landed, not how long a
 * reader of a lower lane would queue for its own turn.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import { clickhouseLane, clickhouseSchedulerStats, freePort, type StoreSchedulerStats } from '@spoor/infra';
import { createSiteKeys, type CreatedKeys } from '../src/admin/site-admin.js';
import { composeSpoor } from '../src/all-in-one/compose-spoor.js';
import { parseSpoorConfig } from '../src/config/spoor-settings.js';

const PRELOAD_EVENTS = Number(process.env.BENCH_PRELOAD_EVENTS ?? 1_000_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 40);
const FUNNELS = Number(process.env.BENCH_FUNNELS ?? 20);
/** Keys the funnel clients share round-robin: 1 is the issue's case (one key); more shows the per-site/total limits. */
const KEYS = Number(process.env.BENCH_KEYS ?? 1);
const SITE = 'bench-shop';
const DAY = 86_400_000;

const dataDir = mkdtempSync(join(tmpdir(), 'spoor-bench-lag-'));
const env = parseSpoorConfig({ SPOOR_DATA_DIR: dataDir, RATE_LIMITS: 'off' }).config;
const spoor = await composeSpoor(env, new Set(['collector', 'processor', 'query-api']), []);
await spoor.processor!.start();
const { client, database } = spoor.clickhouse;
const poller = clickhouseLane(client, 'load');
const keys: CreatedKeys[] = [];
for (let i = 0; i < KEYS; i++) keys.push(await createSiteKeys(client, database, { siteId: SITE, name: 'Bench shop', allowedOrigins: [], allowedRedirectHosts: [] }));
const port = await freePort();
const server = serve({ fetch: spoor.app.fetch, port, hostname: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;

// Heavy history: PRELOAD_EVENTS over the last 14 days, 9 step types in turn per visitor, 100k visitors.
const t0 = performance.now();
const now = Date.now();
const from = new Date(now - 14 * DAY).toISOString().slice(0, 10);
const to = new Date(now).toISOString().slice(0, 10);
const STEP_TYPES = ['page_view', 'product_view', 'add_to_cart', 'search', 'page_view', 'checkout_start', 'custom', 'purchase', 'page_view'];
for (let offset = 0; offset < PRELOAD_EVENTS; offset += 500_000) {
  await client.command({
    query: `INSERT INTO {db:Identifier}.events (site_id, event_id, type, ts, device_ts, received_at, anonymous_id, session_id, path, url)
            SELECT {site:String}, generateUUIDv4(), {types:Array(String)}[(number % 9) + 1],
                   fromUnixTimestamp64Milli({start:Int64}) + toIntervalMillisecond(intDiv(number * 1209600000, {total:UInt64})) AS t, t, t,
                   concat('v', toString(intDiv(number, 9) % 100000)), concat('v', toString(intDiv(number, 9) % 100000), '-', toString(intDiv(number, 900000))),
                   '/p', 'https://bench.example/p'
            FROM numbers({offset:UInt64}, {n:UInt64})`,
    query_params: { db: database, site: SITE, types: STEP_TYPES, start: now - 14 * DAY, total: PRELOAD_EVENTS, offset, n: Math.min(500_000, PRELOAD_EVENTS - offset) },
    clickhouse_settings: { max_execution_time: 600 },
  });
}
const preloadSeconds = (performance.now() - t0) / 1000;
console.log(`[bench] preloaded ${PRELOAD_EVENTS.toLocaleString('en-US')} events in ${preloadSeconds.toFixed(1)} s`);

const FUNNEL = { site: SITE, from, to, window_seconds: 7 * 86_400, steps: STEP_TYPES.map((type) => ({ type })) };

// --- the event stream and the lag poller ---
const pending = new Map<string, number>(); // event id → wall-clock time of its 202
let lags: number[] = [];
let importErrors = 0;
let streaming = false;
async function stream(seconds: number) {
  streaming = true;
  const perRequest = 10;
  const interval = (1000 * perRequest) / RATE;
  const started = performance.now();
  let sent = 0;
  const inflight: Promise<void>[] = [];
  while (performance.now() - started < seconds * 1000) {
    const ts = Date.now();
    const events = Array.from({ length: perRequest }, (_, i) => ({
      id: randomUUID(),
      type: 'page_view',
      ts,
      anonymousId: `live-${(sent + i) % 1000}`,
      sessionId: `live-${(sent + i) % 1000}-s`,
      url: 'https://bench.example/live',
    }));
    inflight.push(
      fetch(`${base}/v1/import?site=${SITE}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys[0]!.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sentAt: ts, events }),
      }).then(async (res) => {
        const at = Date.now();
        await res.arrayBuffer();
        if (res.status === 202) for (const e of events) pending.set(e.id, at);
        else importErrors++;
      }, () => void importErrors++),
    );
    sent += perRequest;
    const next = started + (sent / perRequest) * interval;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
  }
  await Promise.all(inflight);
  streaming = false;
}
async function pollQueryable() {
  let streamEnded = 0;
  while (streaming || pending.size) {
    if (!streaming && !streamEnded) streamEnded = performance.now();
    if (streamEnded && performance.now() - streamEnded > 120_000) throw new Error(`${pending.size} acknowledged events not queryable 120 s after the stream ended`);
    const ids = [...pending.keys()];
    if (ids.length) {
      const found = await (
        await poller.query({
          // now64() is the statement's start: the row was stored by then, whatever the poll itself waited in the queue.
          query: `SELECT toString(event_id) AS id, toUnixTimestamp64Milli(now64(3)) AS at FROM {db:Identifier}.events
                  WHERE site_id = {site:String} AND event_id IN {ids:Array(UUID)}`,
          query_params: { db: database, site: SITE, ids },
          format: 'JSONEachRow',
        })
      ).json<{ id: string; at: number }>();
      for (const { id, at } of found) {
        const acked = pending.get(id);
        if (acked !== undefined) {
          lags.push(at - acked);
          pending.delete(id);
        }
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
async function measureLag(seconds: number) {
  lags = [];
  await Promise.all([stream(seconds), pollQueryable()]);
  return summarise(lags);
}

// --- the analysts ---
const statuses = new Map<number, number>();
const funnelMs: number[] = [];
let analysing = false;
async function analyst(i: number) {
  const key = keys[i % keys.length]!.apiKey;
  while (analysing) {
    const started = performance.now();
    const res = await fetch(`${base}/api/v1/funnels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(FUNNEL),
    });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200) funnelMs.push(performance.now() - started);
    // A rejected client comes back quickly (not after Retry-After): the abusive case.
    else await new Promise((r) => setTimeout(r, 250));
  }
}

function summarise(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
  return { n: sorted.length, p50: pct(50), p95: pct(95), max: Math.round(sorted.at(-1) ?? NaN) };
}

// One funnel alone, for scale.
const single = performance.now();
const alone = await fetch(`${base}/api/v1/funnels`, { method: 'POST', headers: { authorization: `Bearer ${keys[0]!.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(FUNNEL) });
const aloneBody = (await alone.json()) as { steps?: Array<{ count: number }> };
const aloneMs = performance.now() - single;
console.log(`[bench] one 9-step funnel alone: ${alone.status} in ${Math.round(aloneMs)} ms, steps ${aloneBody.steps?.map((s) => s.count).join(' → ')}`);

const loadIdle = loadavg()[0]!;
const statsIdle = clickhouseSchedulerStats(client);
const idle = await measureLag(IDLE_SECONDS);
console.log(`[bench] idle lag: p50 ${idle.p50} ms, p95 ${idle.p95} ms, max ${idle.max} ms (${idle.n} events)`);

const statsBefore = clickhouseSchedulerStats(client);
analysing = true;
const analysts = Array.from({ length: FUNNELS }, (_, i) => analyst(i));
await new Promise((r) => setTimeout(r, 2_000)); // the funnels are queued and running before the stream starts
const loadBusy = loadavg()[0]!;
const busy = await measureLag(LOAD_SECONDS);
analysing = false;
await Promise.all(analysts);
const funnels = summarise(funnelMs);
const statsAfter = clickhouseSchedulerStats(client);
const laneLine = (lane: 'load' | 'default' | 'analytics', before?: StoreSchedulerStats, after?: StoreSchedulerStats) => {
  if (!before || !after) return `${lane}: no scheduler (ClickHouse server)`;
  const a = after.totals[lane];
  const b = before.totals[lane];
  const count = a.count - b.count;
  return `${lane}: ${count} statements, waited avg ${count ? Math.round((a.totalWaitMs - b.totalWaitMs) / count) : 0} ms (max over the run ${Math.round(a.maxWaitMs)}), ran avg ${count ? Math.round((a.totalRunMs - b.totalRunMs) / count) : 0} ms (max ${Math.round(a.maxRunMs)})`;
};
const lanes = (['load', 'default', 'analytics'] as const).map((lane) => laneLine(lane, statsBefore, statsAfter));
const idleLanes = (['load', 'default'] as const).map((lane) => laneLine(lane, statsIdle, statsBefore));
for (const line of idleLanes) console.log(`[bench] scheduler, idle phase: ${line}`);
for (const line of lanes) console.log(`[bench] scheduler, loaded phase: ${line}`);
const counts = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
console.log(`[bench] lag under ${FUNNELS} parallel funnels: p50 ${busy.p50} ms, p95 ${busy.p95} ms, max ${busy.max} ms (${busy.n} events)`);
console.log(`[bench] funnel answers: ${JSON.stringify(counts)}; 200s took p50 ${funnels.p50} ms, p95 ${funnels.p95} ms, max ${funnels.max} ms; import errors ${importErrors}`);

server.close();
await spoor.close();
rmSync(dataDir, { recursive: true, force: true });

const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const report = `# Event → queryable lag under analyst load (all-in-one, embedded)

Written by \`npm run bench -w @spoor/cli\` (packages/cli/bench/lag-under-query-load.ts) at ${date} on ${cpus().length} cores;
1-minute load average ${loadIdle.toFixed(2)} at the idle phase, ${loadBusy.toFixed(2)} at the loaded phase (other work was
running on the machine: see docs/performance.md).

Setup: \`composeSpoor\` with collector + processor + query API over a temporary data dir (file log, embedded chDB,
in-process state), defaults for every limit. ${PRELOAD_EVENTS.toLocaleString('en-US')} events preloaded over 14 days (100k visitors,
9 step types in turn; ${preloadSeconds.toFixed(0)} s). A 9-step funnel over them (window 7 days) answers ${alone.status} in
${Math.round(aloneMs)} ms alone. Events: ${RATE} events/s through \`POST /v1/import\` (10 per request); lag = 202 → start of the
first id poll (every 100 ms, in the scheduler's load lane, so it measures when the row landed, not how long a reader of
a lower lane queues) that finds the event.

| phase | events | lag p50 | lag p95 | lag max |
|---|---|---|---|---|
| idle (${IDLE_SECONDS} s) | ${idle.n} | ${idle.p50} ms | ${idle.p95} ms | ${idle.max} ms |
| ${FUNNELS} clients requesting the funnel back to back, ${KEYS} key${KEYS === 1 ? '' : 's'} (${LOAD_SECONDS} s) | ${busy.n} | ${busy.p50} ms | **${busy.p95} ms** | ${busy.max} ms |

Funnel requests during the loaded phase, by status: ${Object.entries(counts).map(([s, n]) => `${s}: ${n}`).join(', ')} (a client
whose request was refused asks again 250 ms later). Answered funnels took p50 ${funnels.p50} ms, p95 ${funnels.p95} ms,
max ${funnels.max} ms, queueing included. Import requests that failed: ${importErrors}.

The embedded store scheduler (averages per phase; maxima are over the whole run):

${idleLanes.map((l) => `- idle phase, ${l}`).join('\n')}
${lanes.map((l) => `- loaded phase, ${l}`).join('\n')}
`;
const out = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/performance/lag-under-query-load.md');
writeFileSync(out, report);
console.log(`[bench] wrote ${out}`);
process.exit(0);
