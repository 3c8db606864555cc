import { describe, expect, it } from 'vitest';
import { encodeRawEvent } from '@spoor/events';
import { createEnricher } from '../enrich/enrich-event.js';
import { NO_GEO } from '../enrich/geo-lookup.js';
import { createUserAgentParser } from '../enrich/parse-user-agent.js';
import { loadReferrerDataset } from '../enrich/referrer-dataset.js';
import { decodeMessage } from '../pipeline/decode-message.js';
import { createMemoryEventStore } from '../testing/memory-event-store.js';
import { syntheticRawEvent } from '../testing/synthetic-events.js';
import { buildRows, type TableName } from './build-rows.js';
import type { EventStore } from './event-store.js';
import { loadBatch } from './load-batch.js';
import { columnIndex } from './table-columns.js';

const enrich = createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });

async function rowsOf(from: number, count: number) {
  const events = [];
  for (let n = from; n < from + count; n++) {
    const decoded = decodeMessage(encodeRawEvent(syntheticRawEvent(n, { salt: 5 })));
    if (decoded.kind !== 'ok') throw new Error('synthetic event does not decode');
    events.push(await enrich(decoded.value));
  }
  return buildRows(events);
}

/** Records the calls made to the store, and can fail the insert into one table (after or before it was carried out). */
function observed(inner: EventStore) {
  const checks: Array<{ table: TableName; keys: number }> = [];
  const inserts: Array<TableName | 'mark'> = [];
  let failInsertOf: { table: TableName; afterWrite: boolean } | null = null;
  const store: EventStore = {
    async existingKeys(table, rows) {
      checks.push({ table, keys: rows.length });
      return inner.existingKeys(table, rows);
    },
    repairProjections: (rows) => inner.repairProjections(rows),
    async markUnsettledVisits(visits) {
      inserts.push('mark');
      return inner.markUnsettledVisits(visits);
    },
    ping: () => inner.ping(),
    retractOrders: (refused) => inner.retractOrders(refused),
    async insert(table, rows, token) {
      inserts.push(table);
      if (failInsertOf?.table === table) {
        if (failInsertOf.afterWrite) await inner.insert(table, rows, token);
        throw new Error(`insert into ${table} failed (injected)`);
      }
      return inner.insert(table, rows, token);
    },
  };
  return { store, checks, inserts, fail: (f: typeof failInsertOf) => (failInsertOf = f) };
}

describe('loadBatch', () => {
  it('checks events only for the ids raw_events already holds', async () => {
    const memory = createMemoryEventStore();
    const { store, checks } = observed(memory);
    const first = await rowsOf(0, 40);
    await loadBatch(store, first);
    expect(checks.filter((c) => c.table === 'events')).toEqual([]);
    expect(checks.find((c) => c.table === 'raw_events')).toEqual({ table: 'raw_events', keys: 40 });

    // 10 of these were loaded before (a redelivery overlapping the first batch): only those 10 are checked in events.
    checks.length = 0;
    const report = await loadBatch(store, await rowsOf(30, 20));
    expect(checks.filter((c) => c.table === 'events')).toEqual([{ table: 'events', keys: 10 }]);
    expect(report.alreadyStored.events).toBe(10);
    expect(report.inserted.events).toBe(10);
    expect(memory.rows('events')).toHaveLength(50);
    expect(memory.rows('raw_events')).toHaveLength(50);
  });

  it('never writes events an unacknowledged raw_events insert left out, and completes them on the retry', async () => {
    const memory = createMemoryEventStore();
    const { store, inserts, fail } = observed(memory);
    const rows = await rowsOf(0, 30);
    fail({ table: 'raw_events', afterWrite: false });
    await expect(loadBatch(store, rows)).rejects.toThrow(/raw_events/);
    expect(inserts).not.toContain('events');
    expect(memory.rows('events')).toHaveLength(0);

    // raw_events written but its acknowledgement lost, then events: the retry finds them in raw_events, checks events.
    fail({ table: 'raw_events', afterWrite: true });
    await expect(loadBatch(store, rows)).rejects.toThrow(/raw_events/);
    fail(null);
    const report = await loadBatch(store, rows);
    expect(report.alreadyStored.raw_events).toBe(30);
    expect(report.inserted.events).toBe(30);
    expect(memory.rows('raw_events')).toHaveLength(30);
    expect(memory.rows('events')).toHaveLength(30);
  });

  it('completes events after a crash between the raw_events and the events insert, repairing nothing twice', async () => {
    const memory = createMemoryEventStore();
    const { store, fail } = observed(memory);
    const rows = await rowsOf(0, 25);
    fail({ table: 'events', afterWrite: true });
    await expect(loadBatch(store, rows)).rejects.toThrow(/events/);
    fail(null);
    const report = await loadBatch(store, rows);
    expect(report.inserted.events).toBe(0);
    expect(report.alreadyStored.events).toBe(25);
    // Rows whose insert was acknowledged late may have missed the sessions view: they are fed to it again.
    expect(memory.repaired).toBe(25);
    expect(memory.rows('events')).toHaveLength(25);
    expect(memory.rows('orders')).toHaveLength(rows.orders.length);
  });

  it('checks every event when the batch brings no raw_events rows (the archive replay loads derived tables only)', async () => {
    const memory = createMemoryEventStore();
    const { store, checks } = observed(memory);
    const rows = { ...(await rowsOf(0, 20)), raw_events: [] };
    expect((await loadBatch(store, rows)).inserted.events).toBe(20);
    expect(checks.filter((c) => c.table === 'events')).toEqual([{ table: 'events', keys: 20 }]);
    const again = await loadBatch(store, rows);
    expect(again.inserted.events).toBe(0);
    expect(again.alreadyStored.events).toBe(20);
    expect(memory.rows('events')).toHaveLength(20);
    expect(memory.rows('raw_events')).toHaveLength(0);
  });

  it('marks the visits of a batch only after its events are stored, and again when a failed attempt is redelivered', async () => {
    const memory = createMemoryEventStore();
    const { store, inserts, fail } = observed(memory);
    const rows = await rowsOf(0, 30);
    const sessions = new Set(rows.events.map((r) => `${r.siteId}\u0000${String(r.row[columnIndex('events').session_id!])}`));
    fail({ table: 'events', afterWrite: true });
    await expect(loadBatch(store, rows)).rejects.toThrow(/events/);
    expect(memory.unsettledVisits.size, 'nothing is marked before the events insert succeeded').toBe(0);
    fail(null);
    inserts.length = 0;
    await loadBatch(store, rows);
    expect(inserts.at(-1)).toBe('mark');
    expect(inserts.indexOf('mark')).toBeGreaterThan(inserts.lastIndexOf('events'));
    expect(memory.unsettledVisits).toEqual(sessions);
  });
});
