import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { createClickHouseEventStore } from '../src/load/clickhouse-event-store.js';
import { loadEnricher } from '../src/enrich/load-enricher.js';
import { buildRows } from '../src/load/build-rows.js';
import { loadBatch } from '../src/load/load-batch.js';
import { decodeMessage } from '../src/pipeline/decode-message.js';
import { syntheticMessage } from '../src/testing/synthetic-events.js';

const client = createClickHouse(normaliseClickHouseConfig({ dataDir: mkdtempSync(join(tmpdir(), 'probe-')) }));
await migrate(client, { database: 'spoor' });
const store = createClickHouseEventStore(client, 'spoor');
const enrich = await loadEnricher({});
for (const size of [1000, 5000, 20000]) {
  for (let round = 0; round < 3; round++) {
    const msgs = Array.from({ length: size }, (_, n) => syntheticMessage(n + round * 1e6 + size * 1e7, { salt: size + round }));
    let t = performance.now();
    const decoded = msgs.map((m) => decodeMessage(m.value)).map((r) => (r.kind === 'ok' ? r.value : null)).filter((x) => x !== null);
    const tDecode = performance.now() - t; t = performance.now();
    const enriched = []; for (const d of decoded) enriched.push(await enrich(d));
    const tEnrich = performance.now() - t; t = performance.now();
    const rows = buildRows(enriched);
    const tRows = performance.now() - t; t = performance.now();
    const timings: Record<string, number> = {};
    const timed = { existingKeys: async (tb: any, r: any) => { const s = performance.now(); const x = await store.existingKeys(tb, r); timings[`q:${tb}`] = performance.now() - s; return x; }, insert: async (tb: any, r: any, tok: string) => { const s = performance.now(); await store.insert(tb, r, tok); timings[`i:${tb}`] = performance.now() - s; } };
    await loadBatch(timed, rows);
    const tLoad = performance.now() - t;
    console.log(size, { tDecode: tDecode.toFixed(0), tEnrich: tEnrich.toFixed(0), tRows: tRows.toFixed(0), tLoad: tLoad.toFixed(0), ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v.toFixed(0)])) });
  }
}
process.exit(0);
