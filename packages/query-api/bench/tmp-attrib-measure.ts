// Ad-hoc (not committed): cost of the visit-attribution join in funnels and of GET /revenue on 1M generated events.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, loadavg } from 'node:os';
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { createQueryApi } from '../src/create-query-api.js';
import { loadFixture } from '../src/testing/load-fixture.js';
import { generateEvents } from './generate-events.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const dataDir = mkdtempSync(join(tmpdir(), 'attrib-measure-'));
const DATABASE = 'spoor_m';
const SITE = 'bench';
const clickhouse = createClickHouse(normaliseClickHouseConfig({ dataDir, database: DATABASE, maxExecutionTimeSeconds: 120 }));
await migrate(clickhouse, { database: DATABASE });
await generateEvents(clickhouse, { database: DATABASE, site: SITE, events: EVENTS, start: '2026-08-01 00:00:00', days: 90 });
await clickhouse.command({
  query: `INSERT INTO ${DATABASE}.orders (site_id, order_id, event_id, ts, anonymous_id, session_id, customer_id, revenue, currency, items_count, channel)
          SELECT site_id, order_id, event_id, ts, anonymous_id, session_id, customer_id, revenue, currency, 1, channel FROM ${DATABASE}.events WHERE type = 'purchase'`,
});
await loadFixture(clickhouse, DATABASE, { apiKeys: [{ key: 'sk_bench', siteIds: [SITE] }] });
const app = createQueryApi({ clickhouse, database: DATABASE, limits: { maxExecutionTimeSeconds: 120 } });
const headers = { authorization: 'Bearer sk_bench', 'content-type': 'application/json' };
const call = async (path: string, body?: object) => {
  const res = await app.request(path, body ? { method: 'POST', headers, body: JSON.stringify(body) } : { headers });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const funnel = (breakdown?: string) => () =>
  call('/api/v1/funnels', {
    site: SITE, from: '2026-08-01', to: '2026-10-31', window_seconds: 86_400,
    steps: [{ type: 'page_view', path: '/products/*' }, { type: 'add_to_cart' }, { type: 'checkout_start' }, { type: 'purchase' }],
    ...(breakdown ? { breakdown } : {}),
  });
const revenue = (model: string) => () => call(`/api/v1/revenue?site=${SITE}&from=2026-08-01&to=2026-10-31&by=channel&model=${model}`);
const cases: Array<[string, () => Promise<unknown>]> = [
  ['funnel, no breakdown', funnel()],
  ['funnel, breakdown device (event column)', funnel('device')],
  ['funnel, breakdown channel (visit attribution)', funnel('channel')],
  ['revenue by channel, visit', revenue('visit')],
  ['revenue by channel, last_non_direct', revenue('last_non_direct')],
  ['revenue by channel, first_touch', revenue('first_touch')],
];
const times = new Map<string, number[]>(cases.map(([n]) => [n, []]));
for (const [, fn] of cases) await fn();
for (let i = 0; i < RUNS; i++) {
  for (const [name, fn] of cases) {
    const t = performance.now();
    await fn();
    times.get(name)!.push(performance.now() - t);
  }
}
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`events ${EVENTS}, runs ${RUNS} interleaved, load ${loadavg()[0]?.toFixed(1)}`);
for (const [name, xs] of times) console.log(`${name}: p50 ${p50(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`);
console.log(JSON.stringify(((await call(`/api/v1/revenue?site=${SITE}&from=2026-08-01&to=2026-10-31&by=channel&model=last_non_direct&limit=3`)) as { rows: unknown[] }).rows));
await clickhouse.close();
rmSync(dataDir, { recursive: true, force: true });
