import { describe, expect, it } from 'vitest';
import { encodeRawEvent } from '@spoor/events';
import { embeddedInsert } from '@spoor/infra';
import { freshClickHouseDatabase } from '@spoor/test-harness';
import { createEnricher } from '../enrich/enrich-event.js';
import { NO_GEO } from '../enrich/geo-lookup.js';
import { createUserAgentParser } from '../enrich/parse-user-agent.js';
import { loadReferrerDataset } from '../enrich/referrer-dataset.js';
import { decodeMessage } from '../pipeline/decode-message.js';
import { syntheticRawEvent } from '../testing/synthetic-events.js';
import { buildRows, TABLES } from './build-rows.js';
import { createClickHouseEventStore } from './clickhouse-event-store.js';
import { dedupToken, loadBatch } from './load-batch.js';

const enrich = createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });

async function rowsOf(count: number) {
  const events = [];
  for (let n = 0; n < count; n++) {
    const decoded = decodeMessage(encodeRawEvent(syntheticRawEvent(n, { salt: 13 })));
    if (decoded.kind !== 'ok') throw new Error('synthetic event does not decode');
    events.push(await enrich(decoded.value));
  }
  return buildRows(events);
}

// The raw insert exists on embedded chDB only; against a ClickHouse server (CLICKHOUSE_URL) there is nothing to compare.
const onServer = Boolean(process.env.CLICKHOUSE_URL);

describe('ClickHouse event store (chDB)', () => {
  it.skipIf(onServer)('stores the same rows through chDB raw insert and through @clickhouse/client, and drops a repeated block (skipped with CLICKHOUSE_URL: a server has no raw insert)', async () => {
    const { client, database: viaRaw } = await freshClickHouseDatabase();
    const { database: viaClient } = await freshClickHouseDatabase();
    expect(embeddedInsert(client), 'embedded chDB offers its raw insert').toBeDefined();
    const rows = await rowsOf(60);
    await loadBatch(createClickHouseEventStore(client, viaRaw), rows);
    await loadBatch(createClickHouseEventStore(client, viaClient, { rawInsert: false }), rows);
    const dump = async (database: string, table: string) => {
      const result = await client.query({ query: `SELECT * EXCEPT inserted_at FROM ${database}.${table} ORDER BY tuple(*)`, format: 'JSONEachRow' });
      return result.json();
    };
    for (const table of TABLES) {
      const stored = await dump(viaRaw, table);
      expect(stored.length, `${table} rows`).toBeGreaterThan(0);
      expect(stored, table).toEqual(await dump(viaClient, table));
    }
    const count = async (sql: string) => Number(((await (await client.query({ query: sql, format: 'JSONEachRow' })).json()) as Array<{ c: string }>)[0]!.c);
    for (const database of [viaRaw, viaClient]) expect(await count(`SELECT uniqExactMerge(events) AS c FROM ${database}.sessions`), `sessions of ${database}`).toBe(60);

    // The same block again with its token (an insert whose acknowledgement was lost): ClickHouse drops it.
    const store = createClickHouseEventStore(client, viaRaw);
    await store.insert('events', rows.events.map((r) => r.row), dedupToken('events', rows.events));
    expect(await count(`SELECT count() AS c FROM ${viaRaw}.events`)).toBe(60);
    expect(await count(`SELECT uniqExactMerge(events) AS c FROM ${viaRaw}.sessions`)).toBe(60);
    // …and so does the row-copying view behind it (events_by_visitor keeps rows, not idempotent aggregates).
    expect(await count(`SELECT count() AS c FROM ${viaRaw}.events_by_visitor`)).toBe(60);

    // The token belonged to that insert only (not left behind as a session setting): a later insert into the same
    // table without a token is not deduplicated against it.
    const row = { site_id: 'site-x', event_id: '7d1c2a4e-0000-4000-8000-000000000001', type: 'page_view', ts: '2026-01-01 00:00:00.000', device_ts: '2026-01-01 00:00:00.000', received_at: '2026-01-01 00:00:00.000' };
    await client.insert({ table: `${viaRaw}.events`, values: [row], format: 'JSONEachRow' });
    expect(await count(`SELECT count() AS c FROM ${viaRaw}.events`)).toBe(61);
  });

  it('repairs every view fed by events for rows an interrupted insert left without them, and repairing twice adds nothing', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const store = createClickHouseEventStore(client, database);
    const rows = await rowsOf(40);
    await loadBatch(store, rows);
    const count = async (sql: string) => Number(((await (await client.query({ query: sql, format: 'JSONEachRow' })).json()) as Array<{ c: string }>)[0]!.c);
    const snapshot = async () => ({
      sessions: await count(`SELECT sum(n) AS c FROM (SELECT uniqExactMerge(events) AS n FROM ${database}.sessions GROUP BY site_id, session_id)`),
      sessionDays: await count(`SELECT count() AS c FROM (SELECT 1 FROM ${database}.session_days GROUP BY site_id, day, anonymous_id, customer_id, session_id)`),
      browsers: await count(`SELECT count() AS c FROM (SELECT DISTINCT site_id, customer_id, anonymous_id FROM ${database}.customer_browsers)`),
      byVisitor: await count(`SELECT count() AS c FROM ${database}.events_by_visitor`),
      byVisitorIds: await count(`SELECT uniqExact(event_id) AS c FROM ${database}.events_by_visitor`),
    });
    const complete = await snapshot();
    expect(complete.sessions).toBe(40);
    expect(complete.byVisitor).toBe(40);
    expect(complete.sessionDays).toBeGreaterThan(0);
    expect(complete.browsers).toBeGreaterThan(0);

    // A crash after the events part was written but before its views were: empty every view target.
    for (const table of ['sessions', 'session_days', 'customer_browsers', 'events_by_visitor']) {
      await client.command({ query: `TRUNCATE TABLE ${database}.${table}` });
    }
    await store.repairProjections(rows.events);
    expect(await snapshot()).toEqual(complete);
    await store.repairProjections(rows.events);
    expect(await snapshot()).toEqual(complete);
  });
});
