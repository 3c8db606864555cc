// Ad-hoc (not committed): timing of the pieces of the visit join on a kept 1M-event dataset.
import { existsSync, mkdirSync } from 'node:fs';
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { generateEvents } from './generate-events.js';
const dataDir = '/tmp/attrib-measure-kept';
const fresh = !existsSync(dataDir);
mkdirSync(dataDir, { recursive: true });
const DATABASE = 'spoor_m';
const ch = createClickHouse(normaliseClickHouseConfig({ dataDir, database: DATABASE, maxExecutionTimeSeconds: 120 }));
await migrate(ch, { database: DATABASE });
if (fresh) await generateEvents(ch, { database: DATABASE, site: 'bench', events: 1_000_000, start: '2026-08-01 00:00:00', days: 90 });
const queries: Record<string, string> = Object.fromEntries(process.argv.slice(2).map((q, i) => [`q${i}`, q]));
for (const [name, q] of Object.entries(queries)) {
  const xs: number[] = [];
  let out: unknown;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    out = await (await ch.query({ query: q.replaceAll('DB', DATABASE), format: 'JSONEachRow' })).json();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  console.log(`${name}: p50 ${xs[2]!.toFixed(0)} ms  ${JSON.stringify(out).slice(0, 120)}  — ${q.slice(0, 150)}`);
}
await ch.close();
