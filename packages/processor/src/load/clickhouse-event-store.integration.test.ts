import { describe, expect, it } from 'vitest';
import { encodeRawEvent } from '@spoor/events';
import type { ClickHouseClient } from '@clickhouse/client';
import { embeddedInsert, PROJECTIONS, syncProjections } from '@spoor/infra';
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
    const count = async (sql: string) => Number((await (await client.query({ query: sql, format: 'JSONEachRow' })).json<{ c: string }>())[0]!.c);
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

  it('repairs every view an interrupted insert missed to exactly the rows the views write, and repairing twice adds nothing', async () => {
    const rows = await rowsOf(120);
    // What the views write when nothing goes wrong.
    const { client, database: complete } = await freshClickHouseDatabase();
    await loadBatch(createClickHouseEventStore(client, complete), rows);
    // The crash: every table written, no view fed (the identities view too: a retried identities insert carries the
    // same dedup token, so ClickHouse drops it and its view is not fed again either). Then the views come back
    // (migrate's last step recreates the missing ones from projections.ts) and the redelivered batch repairs.
    const { database: interrupted } = await freshClickHouseDatabase();
    for (const { view } of PROJECTIONS) await client.command({ query: `DROP VIEW ${interrupted}.${view}` });
    const store = createClickHouseEventStore(client, interrupted);
    await loadBatch(store, rows);
    await client.command({ query: `TRUNCATE TABLE ${interrupted}.schema_projections` });
    expect(await syncProjections(client, { database: interrupted })).toEqual(PROJECTIONS.map((p) => p.view));

    const targets = [...new Set(PROJECTIONS.map((p) => p.target))];
    const contents = async (database: string) => {
      const all: Record<string, unknown[]> = {};
      for (const table of targets) all[table] = await tableContents(client, database, table);
      return all;
    };
    const expected = await contents(complete);
    for (const table of targets) expect(expected[table]!.length, `${table} holds rows`).toBeGreaterThan(0);
    const attributed = (expected.sessions as Array<{ attribution: string }>).filter((s) => s.attribution !== '');
    expect(attributed.length, 'sessions with a landing attribution').toBeGreaterThan(0);
    for (const table of targets) expect((await contents(interrupted))[table], `${table} before the repair`).toEqual([]);

    const missed = rows.events;
    await store.repairProjections(missed);
    expect(await contents(interrupted)).toEqual(expected);
    await store.repairProjections(missed);
    expect(await contents(interrupted)).toEqual(expected);
  });
});

/**
 * A projection table's rows, comparable across databases: aggregate states finalised, rows that fold merged (FINAL)
 * except for events_by_visitor, whose rows are copies (a duplicate there is a wrong answer, so it must show).
 */
async function tableContents(client: ClickHouseClient, database: string, table: string): Promise<unknown[]> {
  const columns = await (
    await client.query({
      query: 'SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String} ORDER BY position',
      query_params: { db: database, table },
      format: 'JSONEachRow',
    })
  ).json<{ name: string; type: string }>();
  const list = columns.map(({ name, type }) => (type.startsWith('AggregateFunction(') ? `finalizeAggregation(${name}) AS ${name}` : name)).join(', ');
  const final = table === 'events_by_visitor' ? '' : 'FINAL';
  const result = await client.query({ query: `SELECT * FROM (SELECT ${list} FROM ${database}.${table} ${final}) ORDER BY tuple(*)`, format: 'JSONEachRow' });
  return result.json();
}
