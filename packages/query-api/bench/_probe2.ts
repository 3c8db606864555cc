import { createClickHouse, normaliseClickHouseConfig } from '@spoor/infra';
const c = createClickHouse(normaliseClickHouseConfig({ dataDir: '/tmp/q2bench/data', database: 'spoor_bench_part2', maxExecutionTimeSeconds: 120 }));
const q = async (sql: string) => console.log(JSON.stringify(await (await c.query({ query: sql, format: 'JSONEachRow' })).json()));
await q(`SELECT table, count() AS parts, sum(rows) AS rows, formatReadableSize(sum(bytes_on_disk)) AS size FROM system.parts WHERE database = 'spoor_bench_part2' AND active GROUP BY table ORDER BY table`);
await q(`SELECT table, elapsed, progress FROM system.merges`);
await q(`SELECT count() FROM system.mutations WHERE NOT is_done`);
for (let i = 0; i < 5; i++) { const s = performance.now(); await q('SELECT 1'); console.log(performance.now() - s); }
await c.close();
