import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeRawEvent, type RawEvent } from '@spoor/events';
import { createMemoryKeyValue, type BatchControl, type ConsumedBatch, type LogMessage } from '@spoor/infra';
import { createSeenSet } from '../dedupe/seen-set.js';
import { createEnricher } from '../enrich/enrich-event.js';
import { NO_GEO } from '../enrich/geo-lookup.js';
import { createUserAgentParser } from '../enrich/parse-user-agent.js';
import { loadReferrerDataset } from '../enrich/referrer-dataset.js';
import type { TableName } from '../load/build-rows.js';
import { leakyEnricher } from '../testing/leaky-enricher.js';
import { createMemoryEventStore } from '../testing/memory-event-store.js';
import { syntheticRawEvent } from '../testing/synthetic-events.js';
import { createCoalescingLoader, createDirectLoader, type EventLoader } from './event-loader.js';
import { createBatchHandler } from './handle-batch.js';

const enrich = createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });
const fast = { initialDelayMs: 1, maxDelayMs: 2 };
const POISON = 'poison \u2620 title';

function batchOf(values: Uint8Array[], partition = 3): ConsumedBatch {
  return { topic: 'spoor.raw', partition, messages: values.map((value, i) => ({ topic: 'spoor.raw', partition, offset: String(100 + i), key: null, value: Buffer.from(value), timestamp: 0 })) };
}
const control = (active = () => true): BatchControl => ({ heartbeat: async () => undefined, isActive: active });

/** Event n of a stream, with `title` (the store below refuses POISON in any table's row). */
function eventWith(n: number, salt: number, change: Record<string, unknown> = {}, raw: Partial<RawEvent> = {}): RawEvent {
  const base = syntheticRawEvent(n, { salt });
  return { ...base, ...raw, eventJson: JSON.stringify({ ...JSON.parse(base.eventJson), ...change }) };
}
function withId(raw: RawEvent, id: string): RawEvent {
  return { ...raw, eventId: id, eventJson: JSON.stringify({ ...JSON.parse(raw.eventJson), id }) };
}
const refusesPoison = (_table: TableName, row: Record<string, unknown>) => Object.values(row).some((v) => typeof v === 'string' && v.includes(POISON));

function setup(options: { loader?: (store: ReturnType<typeof createMemoryEventStore>) => EventLoader; enrich?: typeof enrich } = {}) {
  const store = createMemoryEventStore();
  const letters: LogMessage[] = [];
  const handle = createBatchHandler({
    enrich: options.enrich ?? enrich,
    deadLetters: { send: async (m) => void letters.push(...m) },
    seenSet: createSeenSet(createMemoryKeyValue()),
    retry: fast,
    loader: options.loader?.(store) ?? createDirectLoader({ store, retry: fast, maxEventsPerInsert: 1000 }),
    heartbeatEveryMs: 1000,
  });
  const decoded = () => letters.map((l) => decodeDeadLetter(l.value)).map((d) => (d.ok ? d.value : null));
  return { store, letters, decoded, handle };
}

describe('a batch the store refuses', () => {
  it('is split: every accepted row stored once, each refused row dead-lettered with the store reason and its source, then commit', async () => {
    const { store, decoded, handle } = setup();
    // As in ClickHouse: the raw archive holds the event JSON-escaped (accepted), the events row holds the title itself.
    store.refuseRows((table, row) => table === 'events' && refusesPoison(table, row));
    const events = Array.from({ length: 40 }, (_, n) => (n === 7 || n === 31 ? eventWith(n, 41, { type: 'page_view', title: POISON, props: {} }, { type: 'page_view' }) : eventWith(n, 41)));
    expect(await handle(batchOf(events.map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(38);
    expect(new Set(store.rows('events').map((r) => r.event_id)).size).toBe(38);
    expect(store.rows('events').some((r) => r.event_id === events[7]!.eventId)).toBe(false);
    const letters = decoded();
    expect(letters.map((l) => [l?.stage, l?.source])).toEqual([['processor.load', 'spoor.raw/3/107'], ['processor.load', 'spoor.raw/3/131']]);
    expect(letters[0]?.reason).toMatch(/^store refused the row \(events ClickHouse 25 CANNOT_PARSE_ESCAPE_SEQUENCE\)/);
    // The letter holds the event as received, client address anonymised, like every processor letter.
    const original = decodeRawEvent(letters[0]!.original);
    expect(original.ok && [original.value.eventId, original.value.clientIp]).toEqual([events[7]!.eventId, events[7]!.clientIp.replace(/\.\d+$/, '.0')]);
    // Redelivered (a crash before the commit): nothing stored twice; the poison is refused and dead-lettered again.
    expect(await handle(batchOf(events.map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(38);
    expect(store.rows('raw_events')).toHaveLength(new Set(store.rows('raw_events').map((r) => r.event_id)).size);
  });

  it('a flood of lone surrogates is picked out once the store refused them, not found by splitting row by row', async () => {
    const { store, decoded, handle } = setup({ enrich: leakyEnricher(enrich) });
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])/;
    store.refuseRows((table, row) => table === 'events' && Object.values(row).some((v) => typeof v === 'string' && lone.test(v)));
    const events = Array.from({ length: 200 }, (_, n) => (n % 5 === 2 ? eventWith(n, 48, { type: 'page_view', title: `t\ud800${n}`, props: {} }) : eventWith(n, 48)));
    expect(await handle(batchOf(events.map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(160);
    const letters = decoded();
    expect(letters).toHaveLength(40);
    expect(letters[0]?.reason).toMatch(/ClickHouse 25 CANNOT_PARSE_ESCAPE_SEQUENCE.*\[lone surrogate in events\.title\]$/);
    // One refused insert into events, then one for the rest: no splitting.
    expect(store.insertCalls).toBeLessThan(12);
  });

  it('a refused purchase leaves no order behind (orders are written before events refuses it)', async () => {
    const { store, decoded, handle } = setup();
    store.refuseRows((table, row) => table === 'events' && refusesPoison(table, row));
    // Event 0 of the synthetic stream is a purchase; its events row is refused, its orders row was accepted first.
    const events = [eventWith(0, 42, { title: POISON }), eventWith(1, 42), eventWith(20, 42)];
    expect(await handle(batchOf(events.map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('orders').map((r) => r.event_id)).toEqual([events[2]!.eventId]);
    expect(store.rows('order_items').map((r) => r.order_id)).toEqual([JSON.parse(events[2]!.eventJson).props.orderId]);
    expect(store.retracted).toHaveLength(1);
    expect(decoded().map((l) => l?.stage)).toEqual(['processor.load']);
  });

  it('a refused purchase whose order a reloaded copy (another event id) also carries: the copy keeps the order', async () => {
    const { store, decoded, handle } = setup();
    store.refuseRows((table, row) => table === 'events' && refusesPoison(table, row));
    const first = eventWith(0, 49, { title: POISON });
    const reload = withId(eventWith(0, 49), '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3d9');
    expect(await handle(batchOf([first, ...Array.from({ length: 6 }, (_, n) => eventWith(n + 1, 49)), reload].map(encodeRawEvent)), control())).toBe('commit');
    expect(decoded().map((l) => l?.stage)).toEqual(['processor.load']);
    expect(store.rows('orders').map((r) => r.event_id)).toEqual([reload.eventId]);
    expect(store.rows('order_items')).toHaveLength(1);
    expect(store.rows('events').map((r) => r.event_id)).toContain(reload.eventId);
  });

  it('a transient error (store unreachable) is retried, never split or dead-lettered', async () => {
    const { store, letters, handle } = setup();
    store.failNext(12);
    const events = Array.from({ length: 20 }, (_, n) => eventWith(n, 43));
    expect(await handle(batchOf(events.map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(20);
    expect(letters).toHaveLength(0);
  });

  it('an unknown error is split and dead-lettered only while the store answers a ping', async () => {
    // The store is down (ping fails too): an unknown error is never held against the rows; the batch goes back uncommitted.
    const down = setup();
    let attempts = 0;
    down.store.failNext(1_000_000, () => new Error('something nobody listed'));
    const events = Array.from({ length: 8 }, (_, n) => eventWith(n, 44));
    expect(await down.handle(batchOf(events.map(encodeRawEvent)), control(() => ++attempts < 200))).toBe('retry-later');
    expect(down.letters).toHaveLength(0);

    // The store answers but keeps refusing one row with an error nobody classified: bounded, then split and dead-lettered.
    const { store, decoded, handle } = setup();
    store.refuseRows(null);
    const inner = store.insert;
    store.insert = async (table, rows, token) => {
      if (rows.some((r) => r.some((v) => typeof v === 'string' && v.includes(POISON)))) throw new Error('std::exception (unclassified)');
      return inner(table, rows, token);
    };
    const withPoison = [...events.slice(0, 5), eventWith(5, 44, { title: POISON }), ...events.slice(6)];
    expect(await handle(batchOf(withPoison.map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(7);
    expect(decoded().map((l) => [l?.stage, l?.source])).toEqual([['processor.load', 'spoor.raw/3/105']]);
    expect(decoded()[0]?.reason).toMatch(/unclassified/);
  });

  it('coalesced partitions: the refused row is dead-lettered once, by the partition that brought it, and each commits', async () => {
    const { store, decoded, handle } = setup({ loader: (s) => createCoalescingLoader({ store: s, retry: fast, maxEventsPerInsert: 1000, windowMs: 50, expectedCallers: 3 }) });
    store.refuseRows(refusesPoison);
    const part = (from: number, partition: number, poisonAt?: number) =>
      batchOf(Array.from({ length: 10 }, (_, n) => encodeRawEvent(from + n === poisonAt ? eventWith(from + n, 45, { title: POISON }) : eventWith(from + n, 45))), partition);
    const outcomes = await Promise.all([handle(part(0, 0), control()), handle(part(10, 1, 14), control()), handle(part(20, 2), control())]);
    expect(outcomes).toEqual(['commit', 'commit', 'commit']);
    expect(store.rows('events')).toHaveLength(29);
    expect(decoded().map((l) => [l?.stage, l?.source])).toEqual([['processor.load', 'spoor.raw/1/104']]);
  });
});

describe('dedupe keys include the site', () => {
  it('the same event id on two sites is stored for both; twice on one site, once', async () => {
    const { store, handle } = setup();
    const a = eventWith(1, 46, {}, { siteId: 'shop-a' });
    const b = { ...a, siteId: 'shop-b' };
    // In one batch (the in-batch set), then again in later batches (the seen set and the existence checks).
    expect(await handle(batchOf([a, b, a].map(encodeRawEvent)), control())).toBe('commit');
    expect(await handle(batchOf([b, a].map(encodeRawEvent)), control())).toBe('commit');
    for (const table of ['events', 'raw_events'] as const) expect(store.rows(table).map((r) => r.site_id).sort(), table).toEqual(['shop-a', 'shop-b']);
    // A purchase: the same order id on two sites is two orders.
    const order = eventWith(0, 46, {}, { siteId: 'shop-a' });
    await handle(batchOf([order, { ...order, siteId: 'shop-b' }].map(encodeRawEvent)), control());
    await handle(batchOf([{ ...order, siteId: 'shop-b' }].map(encodeRawEvent)), control());
    expect(store.rows('orders').map((r) => r.site_id).sort()).toEqual(['shop-a', 'shop-b']);
  });

  it('without the seen set, the store existence checks alone tell the sites apart', async () => {
    const store = createMemoryEventStore();
    const handle = createBatchHandler({ enrich, deadLetters: { send: async () => undefined }, seenSet: null, retry: fast, loader: createDirectLoader({ store, retry: fast, maxEventsPerInsert: 1000 }), heartbeatEveryMs: 1000 });
    const a = eventWith(2, 47, {}, { siteId: 'shop-a' });
    await handle(batchOf([a].map(encodeRawEvent)), control());
    await handle(batchOf([{ ...a, siteId: 'shop-b' }, a].map(encodeRawEvent)), control());
    expect(store.rows('events').map((r) => r.site_id).sort()).toEqual(['shop-a', 'shop-b']);
  });
});
