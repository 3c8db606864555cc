import { createClickHouse, normaliseClickHouseConfig } from '@spoor/infra';
const c = createClickHouse(normaliseClickHouseConfig({ dataDir: '/tmp/q2bench/data', database: 'spoor_bench_part2', maxExecutionTimeSeconds: 120 }));
const db = 'spoor_bench_part2';
const q = async (label: string, sql: string, params: Record<string, unknown> = {}) => {
  const ts: number[] = [];
  let rows: unknown[] = [];
  let stats = '';
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    const r = await c.query({ query: sql, query_params: { db, site: 'bench', ...params }, format: 'JSONEachRow' });
    rows = await r.json();
    ts.push(performance.now() - s);
  }
  ts.sort((a, b) => a - b);
  console.log(label.padEnd(40), ts[2]!.toFixed(1), 'ms', JSON.stringify(rows).slice(0, 150), stats);
};
const ids = { scan: ['a7919', 'a107919'], linked: ['a7919', 'a107919'], customer: 'c7919' };
await q('trivial', 'SELECT 1');
await q('customer_browsers', `SELECT DISTINCT anonymous_id FROM {db:Identifier}.customer_browsers WHERE site_id = {site:String} AND customer_id = 'c7919'`);
await q('identities by anon', `SELECT anonymous_id, customer_id, max(last_seen) FROM {db:Identifier}.identities WHERE site_id = {site:String} AND anonymous_id IN ['a7919','a107919'] GROUP BY 1,2`);
await q('visitor_events', `SELECT count(), max(ts) FROM {db:Identifier}.visitor_events WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)}`, ids);
await q('visitor_event_details', `SELECT count(), max(ts) FROM {db:Identifier}.visitor_event_details WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)}`, ids);
await q('orders FINAL all', `SELECT count() FROM (SELECT * FROM {db:Identifier}.orders FINAL WHERE site_id = {site:String}) WHERE anonymous_id IN {scan:Array(String)}`, ids);
await q('orders no final', `SELECT count() FROM {db:Identifier}.orders WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)}`, ids);
await q('parts', `SELECT table, count() AS parts, sum(rows) FROM system.parts WHERE database = '${db}' AND active GROUP BY table`);
await q('session_days 29d', `SELECT count(), uniqExact(anonymous_id) FROM {db:Identifier}.session_days WHERE site_id = {site:String} AND day > '2026-11-01' AND day < '2026-12-01'`);
await q('session_days 29d group', `SELECT count() FROM (SELECT anonymous_id, customer_id, max(last_seen), uniqExactIfState(session_id, visit = 1) FROM {db:Identifier}.session_days WHERE site_id = {site:String} AND day > '2026-11-01' AND day < '2026-12-01' GROUP BY 1, 2)`);
await q('email opens 30d', `SELECT count() FROM {db:Identifier}.events WHERE site_id = {site:String} AND ts >= '2026-11-01 00:00:00' AND ts < '2026-12-01 00:00:00' AND type IN ['email_open'] AND NOT is_bot`);
await q('edge day', `SELECT count() FROM {db:Identifier}.events WHERE site_id = {site:String} AND ts >= '2026-11-01 00:00:00' AND ts < '2026-12-01 00:00:00' AND toDate(ts) IN ['2026-11-01','2026-12-01'] AND NOT is_bot`);
await c.close();
