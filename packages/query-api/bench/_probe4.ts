import { createClickHouse, normaliseClickHouseConfig } from '@spoor/infra';
import { PERSON_MAP_CTE } from '../src/queries/person-id.js';
import { compileRules } from '../src/queries/audience-rules.js';
const c = createClickHouse(normaliseClickHouseConfig({ dataDir: '/tmp/q2bench/data', database: 'spoor_bench_part2', maxExecutionTimeSeconds: 120 }));
const db = 'spoor_bench_part2';
const q = async (label: string, sql: string, params: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) => {
  const ts: number[] = []; let rows: unknown[] = [];
  for (let i = 0; i < 5; i++) { const s = performance.now(); rows = await (await c.query({ query: sql, query_params: { db, site: 'bench', ...params }, format: 'JSONEachRow', clickhouse_settings: settings as never })).json(); ts.push(performance.now() - s); }
  ts.sort((a, b) => a - b); console.log(label.padEnd(30), ts[2]!.toFixed(1), 'ms', JSON.stringify(rows).slice(0, 120));
};
const def = { all: [{ event: 'visit', op: '>=', count: 2, within_days: 30 }, { event: 'email_open', op: '>=', count: 2, within_days: 30 }] } as never;
const m = compileRules(def, new Date('2026-12-01T00:00:00Z'));
await q('full preview', `WITH ${PERSON_MAP_CTE}, members AS (${m.sql}) SELECT count() FROM members`, m.params);
await q('full preview aio', `WITH ${PERSON_MAP_CTE}, members AS (${m.sql}) SELECT count() FROM members`, m.params, { optimize_aggregation_in_order: 1 });
await q('person_map', `WITH ${PERSON_MAP_CTE} SELECT count() FROM person_map`);
await q('person_map aio', `WITH ${PERSON_MAP_CTE} SELECT count() FROM person_map`, {}, { optimize_aggregation_in_order: 1 });
const browsers = m.sql.slice(m.sql.indexOf('FROM (') + 6, m.sql.lastIndexOf(') AS b'));
await q('stage1 only', `SELECT count() FROM (${browsers})`, m.params);
await q('scan', `SELECT count(), uniqExact(session_id), max(anonymous_id), max(customer_id), max(event_id), max(type), max(machine_open) FROM {db:Identifier}.events WHERE site_id = 'bench' AND ts >= '2026-11-01 00:00:00' AND NOT is_bot`);
await c.close();
