import { createClickHouse, normaliseClickHouseConfig } from '@spoor/infra';
import { PERSON_MAP_CTE, PERSON_LOOKUP, linkedCustomerOf } from '../src/queries/person-id.js';
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
const browsers = m.sql.slice(m.sql.indexOf('FROM (') + 6, m.sql.lastIndexOf(') AS b'));
const lk = linkedCustomerOf('b.anonymous_id');
const personExpr = `if(${lk} != '', ${lk}, if(b.customer_id != '', b.customer_id, b.anonymous_id))`;
await q('A current', `WITH ${PERSON_MAP_CTE}, members AS (${m.sql}) SELECT count() FROM members`, m.params);
const B = (filter: string) => `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP} SELECT count() FROM (
SELECT ${personExpr} AS person_id, max(b.last_seen) AS last_seen, uniqExactIfMerge(b.c0_state) AS c0, uniqExactIfMerge(b.c1_state) AS c1
FROM (${browsers}) AS b ${filter} GROUP BY person_id HAVING c0 >= 2 AND c1 >= 2)`;
await q('B transform', B(''), m.params);
const necessary = `(SELECT DISTINCT ${personExpr.replaceAll('b.', 'e.').replace(linkedCustomerOf('e.anonymous_id'), linkedCustomerOf('e.anonymous_id'))} FROM {db:Identifier}.events AS e WHERE e.site_id = 'bench' AND e.ts >= '2026-11-01 00:00:00' AND e.ts < '2026-12-01 00:00:00' AND NOT e.is_bot AND e.type = 'email_open' AND NOT e.machine_open)`;
await q('C transform+prefilter', B(`WHERE ${personExpr} IN ${necessary}`), m.params);
await q('necessary only', `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP} SELECT count() FROM ${necessary}`, m.params);
await c.close();
