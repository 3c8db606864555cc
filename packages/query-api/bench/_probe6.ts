import { createClickHouse, normaliseClickHouseConfig } from '@spoor/infra';
import { PERSON_MAP_CTE, PERSON_LOOKUP, linkedCustomerOf, joinPersonMap, personOf, customerOf } from '../src/queries/person-id.js';
import { compileRules } from '../src/queries/audience-rules.js';
const c = createClickHouse(normaliseClickHouseConfig({ dataDir: '/tmp/q2bench/data', database: 'spoor_bench_part2', maxExecutionTimeSeconds: 120 }));
const db = 'spoor_bench_part2';
const q = async (label: string, sql: string, params: Record<string, unknown> = {}) => {
  const ts: number[] = []; let rows: unknown[] = [];
  for (let i = 0; i < 3; i++) { const s = performance.now(); rows = await (await c.query({ query: sql, query_params: { db, site: 'bench', ...params }, format: 'JSONEachRow' })).json(); ts.push(performance.now() - s); }
  ts.sort((a, b) => a - b); console.log(label.padEnd(30), ts[1]!.toFixed(1), 'ms', JSON.stringify(rows).slice(0, 120));
};
const def = { all: [{ event: 'visit', op: '>=', count: 2, within_days: 30 }, { event: 'email_open', op: '>=', count: 2, within_days: 30 }] } as never;
const m = compileRules(def, new Date('2026-12-01T00:00:00Z'));
const rows = `
  SELECT d.anonymous_id AS anonymous_id, d.customer_id AS customer_id, d.last_seen AS ts, d.session_id AS session_id, toUUIDOrZero('') AS event_id, d.visit = 1 AND d.day > toDate('2026-11-01') AS f0, 0 AS f1
  FROM {db:Identifier}.session_days AS d WHERE d.site_id = 'bench' AND d.day > '2026-11-01' AND d.day < '2026-12-01'
  UNION ALL
  SELECT e.anonymous_id, e.customer_id, e.ts, e.session_id, e.event_id, e.type NOT IN ('email_open', 'email_click') AND e.ts >= '2026-11-01 00:00:00', e.type = 'email_open' AND NOT e.machine_open
  FROM {db:Identifier}.events AS e WHERE e.site_id = 'bench' AND e.ts >= '2026-11-01 00:00:00' AND e.ts < '2026-12-01 00:00:00' AND NOT e.is_bot AND (toDate(e.ts) IN ['2026-11-01', '2026-12-01'] OR e.type IN ['email_open'])`;
const lk = linkedCustomerOf('r.anonymous_id');
await q('D transform per row', `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP} SELECT count() FROM (
  SELECT if(${lk} != '', ${lk}, if(r.customer_id != '', r.customer_id, r.anonymous_id)) AS person_id, max(r.ts) AS last_seen, uniqExactIf(r.session_id, r.f0) AS c0, uniqExactIf(r.event_id, r.f1) AS c1
  FROM (${rows}) AS r GROUP BY person_id HAVING c0 >= 2 AND c1 >= 2)`);
await q('E join per row', `WITH ${PERSON_MAP_CTE} SELECT count() FROM (
  SELECT ${personOf('r', 'customer_id')} AS person_id, max(r.ts) AS last_seen, uniqExactIf(r.session_id, r.f0) AS c0, uniqExactIf(r.event_id, r.f1) AS c1
  FROM (${rows}) AS r ${joinPersonMap('r')} GROUP BY person_id HAVING c0 >= 2 AND c1 >= 2)`);
await q('A current', `WITH ${PERSON_MAP_CTE}, members AS (${m.sql}) SELECT count() FROM members`, m.params);
await c.close();
