/**
 * npx tsx packages/processor/bench/pipeline-cost.ts   (BATCH=10000 BATCHES=6 VARIANTS=client,raw)
 * The processor's stages without Kafka, per event: decode, enrich, row building, load (existence checks + inserts
 * into embedded chDB), as wall time and process CPU (chDB runs in this process, so its threads count too).
 * Variants load through @clickhouse/client ("client") or chDB's raw insert ("raw"). Used for the "where the time
 * goes" part of docs/performance/processor.md; run it under `node --cpu-prof` (via tsx) for a profile.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRawEvent } from '@spoor/events';
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import type { EnrichedEvent } from '../src/enrich/enrich-event.js';
import { loadEnricher } from '../src/enrich/load-enricher.js';
import { buildRows } from '../src/load/build-rows.js';
import { createClickHouseEventStore } from '../src/load/clickhouse-event-store.js';
import { loadBatch } from '../src/load/load-batch.js';
import { decodeMessage, type DecodedEvent } from '../src/pipeline/decode-message.js';
import { syntheticRawEvent } from '../src/testing/synthetic-events.js';

const BATCH = Number(process.env.BATCH ?? 10_000);
const BATCHES = Number(process.env.BATCHES ?? 6);
const VARIANTS = (process.env.VARIANTS ?? 'client,raw').split(',');
const clickhouse = createClickHouse(normaliseClickHouseConfig({ dataDir: mkdtempSync(join(tmpdir(), 'spoor-pipeline-cost-')) }));
const enrich = await loadEnricher({ userAgentCacheSize: 10_000 });

const stages = ['decode', 'enrich', 'rows', 'load'] as const;
type Totals = Record<(typeof stages)[number], { wall: number; cpu: number }>;

async function stage<T>(totals: Totals, name: keyof Totals, fn: () => Promise<T> | T): Promise<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  totals[name].wall += performance.now() - t0;
  const c = process.cpuUsage(c0);
  totals[name].cpu += (c.user + c.system) / 1000;
  return result;
}

const results: Record<string, Totals> = {};
for (const variant of VARIANTS) {
  const database = `pc_${variant.replaceAll("-", "_")}_${Date.now().toString(36)}`;
  await migrate(clickhouse, { database });
  // Diagnostics: what the sessions view and background merges cost (never how Spoor runs).
  if (variant.includes('nomv')) await clickhouse.command({ query: `DROP VIEW ${database}.sessions_mv` });
  if (variant.includes('zstd1')) {
    await clickhouse.command({ query: `ALTER TABLE ${database}.raw_events MODIFY COLUMN event_json String CODEC(ZSTD(1)), MODIFY COLUMN user_agent String CODEC(ZSTD(1))` });
    await clickhouse.command({ query: `ALTER TABLE ${database}.events MODIFY COLUMN props String CODEC(ZSTD(1))` });
  }
  if (variant.includes('lz4')) {
    await clickhouse.command({ query: `ALTER TABLE ${database}.raw_events MODIFY COLUMN event_json String CODEC(LZ4), MODIFY COLUMN user_agent String CODEC(LZ4)` });
    await clickhouse.command({ query: `ALTER TABLE ${database}.events MODIFY COLUMN props String CODEC(LZ4)` });
  }
  if (variant.includes('nomerge')) for (const t of ['events', 'raw_events', 'sessions']) await clickhouse.command({ query: `SYSTEM STOP MERGES ${database}.${t}` });
  const inner = createClickHouseEventStore(clickhouse, database, { rawInsert: variant !== 'client' });
  // Wall time per store operation (they overlap inside a batch, so these are not additive).
  const ops = new Map<string, number>();
  const time = async <T>(op: string, fn: () => Promise<T>) => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      ops.set(op, (ops.get(op) ?? 0) + performance.now() - t0);
    }
  };
  const store: typeof inner = {
    existingKeys: (table, rows) => time(`check ${table}`, () => inner.existingKeys(table, rows)),
    insert: (table, rows, token) => time(`insert ${table}`, () => inner.insert(table, rows, token)),
    repairProjections: (rows) => time('repair', () => inner.repairProjections(rows)),
    markUnsettledVisits: (visits) => time('mark', () => inner.markUnsettledVisits(visits)),
    ping: () => inner.ping(),
    retractOrders: (refused) => inner.retractOrders(refused),
  };
  const totals = Object.fromEntries(stages.map((s) => [s, { wall: 0, cpu: 0 }])) as Totals;
  for (let b = 0; b < BATCHES; b++) {
    const messages = Array.from({ length: BATCH }, (_, i) => encodeRawEvent(syntheticRawEvent(b * BATCH + i, { salt: 21 })));
    const decoded = await stage(totals, 'decode', () => {
      const out: DecodedEvent[] = [];
      for (const m of messages) {
        const d = decodeMessage(m);
        if (d.kind === 'ok') out.push(d.value);
      }
      return out;
    });
    const enriched = await stage(totals, 'enrich', async () => {
      const out: EnrichedEvent[] = [];
      for (const d of decoded) out.push(await enrich(d));
      return out;
    });
    const rows = await stage(totals, 'rows', () => buildRows(enriched));
    await stage(totals, 'load', () => loadBatch(store, rows));
  }
  results[variant] = totals;
  const events = BATCH * BATCHES;
  const fmt = (ms: number) => ((ms * 1000) / events).toFixed(1).padStart(6);
  console.log(`[${variant}] µs/event wall | cpu: ` + stages.map((s) => `${s} ${fmt(totals[s].wall)} | ${fmt(totals[s].cpu)}`).join('   '));
  console.log(`[${variant}] store ops, µs/event wall: ` + [...ops].map(([op, ms]) => `${op} ${((ms * 1000) / events).toFixed(1)}`).join(', '));
  const count = await clickhouse.query({ query: `SELECT count() - uniqExact(event_id) AS d, count() AS c FROM ${database}.events`, format: 'JSONEachRow' });
  console.log(`[${variant}] events stored:`, JSON.stringify(await count.json()));
}
await clickhouse.close();
