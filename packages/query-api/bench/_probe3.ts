import { createClickHouse, normaliseClickHouseConfig } from '@spoor/infra';
import { PERSON_MAP_CTE, PERSON_LOOKUP, linkedCustomerOf } from '../src/queries/person-id.js';
const c = createClickHouse(normaliseClickHouseConfig({ dataDir: '/tmp/q2bench/data', database: 'spoor_bench_part2', maxExecutionTimeSeconds: 120 }));
const db = 'spoor_bench_part2';
const q = async (label: string, sql: string) => {
  const ts: number[] = []; let rows: unknown[] = [];
  for (let i = 0; i < 5; i++) { const s = performance.now(); rows = await (await c.query({ query: sql, query_params: { db, site: 'bench' }, format: 'JSONEachRow' })).json(); ts.push(performance.now() - s); }
  ts.sort((a, b) => a - b); console.log(label.padEnd(30), ts[2]!.toFixed(1), 'ms', JSON.stringify(rows).slice(0, 120));
};
const W = `site_id = 'bench' AND day > '2026-11-01' AND day < '2026-12-01'`;
await q('V1 states', `SELECT count() FROM (SELECT anonymous_id, customer_id, max(last_seen), uniqExactIfState(session_id, visit = 1) FROM {db:Identifier}.session_days WHERE ${W} GROUP BY 1, 2)`);
await q('V2 two-level', `SELECT count(), sum(v) FROM (SELECT anonymous_id, customer_id, max(ls) AS l, countIf(vis) AS v FROM (SELECT anonymous_id, customer_id, session_id, max(last_seen) AS ls, max(visit) AS vis FROM {db:Identifier}.session_days WHERE ${W} GROUP BY 1, 2, 3) GROUP BY 1, 2)`);
await q('V3 person per row', `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP} SELECT count(), sum(v) FROM (SELECT p, max(ls) AS l, countIf(vis) AS v FROM (SELECT if(${linkedCustomerOf('anonymous_id')} != '', ${linkedCustomerOf('anonymous_id')}, if(customer_id != '', customer_id, anonymous_id)) AS p, session_id, max(last_seen) AS ls, max(visit) AS vis FROM {db:Identifier}.session_days WHERE ${W} GROUP BY 1, 2) GROUP BY 1)`);
await q('V4 person states', `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP} SELECT count() FROM (SELECT if(${linkedCustomerOf('anonymous_id')} != '', ${linkedCustomerOf('anonymous_id')}, if(customer_id != '', customer_id, anonymous_id)) AS p, max(last_seen) AS l, uniqExactIf(session_id, visit = 1) AS v FROM {db:Identifier}.session_days WHERE ${W} GROUP BY 1)`);
await q('person_map only', `WITH ${PERSON_MAP_CTE}, ${PERSON_LOOKUP} SELECT length(person_lookup.1)`);
await c.close();
