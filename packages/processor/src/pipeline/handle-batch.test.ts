import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeRawEvent, frameRawEventBatch, RAW_EVENT_BATCH_FORMAT, RawEventOrigin, VALUE_FORMAT_HEADER } from '@spoor/events';
import { createMemoryKeyValue, type BatchControl, type ConsumedBatch, type KeyValue, type LogMessage } from '@spoor/infra';
import { createSeenSet } from '../dedupe/seen-set.js';
import { createEnricher } from '../enrich/enrich-event.js';
import { NO_GEO } from '../enrich/geo-lookup.js';
import { createUserAgentParser } from '../enrich/parse-user-agent.js';
import { loadReferrerDataset } from '../enrich/referrer-dataset.js';
import { createMemoryEventStore } from '../testing/memory-event-store.js';
import { retriedCopy, syntheticRawEvent } from '../testing/synthetic-events.js';
import { createCoalescingLoader, createDirectLoader } from './event-loader.js';
import { createBatchHandler } from './handle-batch.js';

const enrich = createEnricher({ geo: () => NO_GEO, userAgent: createUserAgentParser(), referrers: loadReferrerDataset() });
const fast = { initialDelayMs: 1, maxDelayMs: 2 };

function batchOf(values: Uint8Array[]): ConsumedBatch {
  return { topic: 'spoor.raw', partition: 3, messages: values.map((value, i) => ({ topic: 'spoor.raw', partition: 3, offset: String(100 + i), key: null, value: Buffer.from(value), timestamp: 0 })) };
}

const control = (active = () => true): BatchControl => ({ heartbeat: async () => undefined, isActive: active });

function setup(options: { keyValue?: KeyValue | null } = {}) {
  const store = createMemoryEventStore();
  const letters: LogMessage[] = [];
  const handle = createBatchHandler({
    enrich,
    deadLetters: { send: async (m) => void letters.push(...m) },
    seenSet: options.keyValue === null ? null : createSeenSet(options.keyValue ?? createMemoryKeyValue()),
    retry: fast,
    loader: createDirectLoader({ store, retry: fast, maxEventsPerInsert: 7 }),
    heartbeatEveryMs: 1000,
  });
  return { store, letters, handle };
}

describe('batch handler', () => {
  it('loads each event once across in-batch duplicates, SDK retries and redelivered batches', async () => {
    const { store, handle } = setup();
    const events = Array.from({ length: 40 }, (_, n) => syntheticRawEvent(n, { salt: 7 }));
    const values = [...events, events[3]!, retriedCopy(events[4]!, 9000)].map(encodeRawEvent);
    expect(await handle(batchOf(values), control())).toBe('commit');
    expect(await handle(batchOf(values), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(40);
    expect(store.rows('raw_events')).toHaveLength(40);
    expect(store.rows('orders')).toHaveLength(events.filter((e) => e.type === 'purchase').length);
  });

  it('re-feeds the sessions projection for events an earlier, uncommitted attempt already stored', async () => {
    const { store, handle } = setup({ keyValue: null });
    const values = Array.from({ length: 12 }, (_, n) => encodeRawEvent(syntheticRawEvent(n, { salt: 15 })));
    await handle(batchOf(values.slice(0, 5)), control());
    expect(store.repaired).toBe(0);
    await handle(batchOf(values), control());
    expect(store.repaired).toBe(5);
    expect(store.rows('events')).toHaveLength(12);
  });

  it('without Redis (or after a flush) the ClickHouse existence check alone prevents double counting', async () => {
    const { store, handle } = setup({ keyValue: null });
    const values = Array.from({ length: 30 }, (_, n) => encodeRawEvent(syntheticRawEvent(n, { salt: 8 })));
    await handle(batchOf(values.slice(0, 20)), control());
    await handle(batchOf(values), control());
    expect(store.rows('events')).toHaveLength(30);
  });

  it('fails open when Redis does not answer', async () => {
    const broken = createMemoryKeyValue();
    broken.existsMany = async () => { throw new Error('ECONNREFUSED'); };
    broken.setManyIfAbsent = async () => { throw new Error('ECONNREFUSED'); };
    const { store, handle } = setup({ keyValue: broken });
    const values = Array.from({ length: 10 }, (_, n) => encodeRawEvent(syntheticRawEvent(n, { salt: 9 })));
    expect(await handle(batchOf(values), control())).toBe('commit');
    expect(await handle(batchOf(values), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(10);
  });

  it('retries the same batch while the store is down, then commits', async () => {
    const { store, handle } = setup();
    store.failNext(5);
    const values = Array.from({ length: 10 }, (_, n) => encodeRawEvent(syntheticRawEvent(n, { salt: 10 })));
    expect(await handle(batchOf(values), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(10);
  });

  it('gives the batch back uncommitted when the partition is lost while retrying', async () => {
    const { store, handle } = setup();
    store.failNext(1000);
    let calls = 0;
    const values = [encodeRawEvent(syntheticRawEvent(1, { salt: 11 }))];
    expect(await handle(batchOf(values), control(() => ++calls < 5))).toBe('retry-later');
    expect(store.rows('events')).toHaveLength(0);
  });

  it('dead-letters undecodable and invalid messages with reason, stage and source, and keeps the good ones', async () => {
    const { store, letters, handle } = setup();
    const good = syntheticRawEvent(1, { salt: 12 });
    const values = [
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
      encodeRawEvent(good),
      encodeRawEvent({ ...good, eventId: '5d0c8a57-5a8e-4c61-9d3c-0c7f8f0b0a01', eventJson: JSON.stringify({ ...JSON.parse(good.eventJson), id: '5d0c8a57-5a8e-4c61-9d3c-0c7f8f0b0a01', url: '' }) }),
    ];
    expect(await handle(batchOf(values), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(1);
    const decoded = letters.map((l) => decodeDeadLetter(l.value)).map((d) => (d.ok ? d.value : null));
    expect(decoded.map((d) => [d?.stage, d?.source])).toEqual([['processor.decode', 'spoor.raw/3/100'], ['processor.validate', 'spoor.raw/3/102']]);
    expect(decoded[1]?.reason).toMatch(/^url: /);
    // The invalid but decodable message is kept for inspection, with its client address anonymised.
    const kept = decodeRawEvent(decoded[1]!.original);
    expect(kept.ok && kept.value.clientIp).toBe('95.108.213.0');
    expect(decoded[1]?.siteId).toBe(good.siteId);
  });

  it('loads the good events of a RawEventBatch record and dead-letters its one invalid event alone', async () => {
    const { store, letters, handle } = setup();
    const good = [1, 2, 3].map((n) => syntheticRawEvent(n, { salt: 16 }));
    const badId = '5d0c8a57-5a8e-4c61-9d3c-0c7f8f0b0a03';
    const invalid = { ...good[0]!, eventId: badId, eventJson: JSON.stringify({ ...JSON.parse(good[0]!.eventJson), id: badId, ts: 'yesterday' }) };
    const batch = batchOf([encodeRawEvent(syntheticRawEvent(4, { salt: 16 })), frameRawEventBatch([good[0]!, invalid, good[1]!, good[2]!].map(encodeRawEvent))]);
    batch.messages[1]!.headers = { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT };
    expect(await handle(batch, control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(4);
    expect(letters).toHaveLength(1);
    const letter = decodeDeadLetter(letters[0]!.value);
    expect(letter.ok && [letter.value.stage, letter.value.source]).toEqual(['processor.validate', 'spoor.raw/3/101#1']);
    expect(letter.ok && letter.value.reason).toMatch(/^ts: /);
    // The letter carries that one event (address anonymised), not the whole record.
    const kept = letter.ok ? decodeRawEvent(letter.value.original) : undefined;
    expect(kept?.ok && [kept.value.eventId, kept.value.clientIp]).toEqual([badId, '95.108.213.0']);
  });

  it('dead-letters an event whose enrichment throws instead of failing the batch forever', async () => {
    const store = createMemoryEventStore();
    const letters: LogMessage[] = [];
    const bad = syntheticRawEvent(2, { salt: 14 });
    const handle = createBatchHandler({
      enrich: async (d) => {
        if (d.event.id === bad.eventId) throw new Error('unexpected shape');
        return enrich(d);
      },
      deadLetters: { send: async (m) => void letters.push(...m) },
      seenSet: null,
      retry: fast,
      loader: createDirectLoader({ store, retry: fast, maxEventsPerInsert: 100 }),
      heartbeatEveryMs: 1000,
    });
    expect(await handle(batchOf([syntheticRawEvent(1, { salt: 14 }), bad].map(encodeRawEvent)), control())).toBe('commit');
    expect(store.rows('events')).toHaveLength(1);
    const letter = decodeDeadLetter(letters[0]!.value);
    expect(letter.ok && [letter.value.stage, letter.value.reason, letter.value.source]).toEqual(['processor.enrich', 'enrichment failed: unexpected shape', 'spoor.raw/3/101']);
  });

  it('links identities from identify and the collector-verified email landing marker, never storing a token', async () => {
    const { store, handle } = setup();
    const base = syntheticRawEvent(1, { salt: 13 });
    const body = JSON.parse(base.eventJson);
    const identify = (id: string, traits: Record<string, string>) =>
      encodeRawEvent({ ...base, eventId: id, type: 'identify', eventJson: JSON.stringify({ ...body, id, type: 'identify', props: { customerId: 'cust-1', traits } }) });
    // An unverified token (only the collector can verify) links nothing beyond the identify itself.
    await handle(batchOf([identify('0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c1', { spoor_it: 'eyJ1IjoiY3VzdC1mb3JnZWQifQ.sig' })]), control());
    expect(store.rows('identities').map((r) => [r.customer_id, r.sources])).toEqual([['cust-1', ['identify']]]);
    // What the collector forwards after verifying a landing token itself.
    await handle(batchOf([encodeRawEvent({ ...base, eventId: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c3', type: 'identify', anonymousId: 'anon-verified', eventJson: JSON.stringify({ ...body, id: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c3', anonymousId: 'anon-verified', type: 'identify', props: { customerId: 'cust-9', traits: { verifiedBy: 'email-link' } } }) })]), control());
    expect(store.rows('identities').find((r) => r.anonymous_id === 'anon-verified')?.sources).toEqual(['email_link', 'identify']);
    // The same marker on an import (origin SERVER, e.g. archived before the collector stripped it there) is not believed.
    const imported = JSON.stringify({ ...body, id: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4', anonymousId: 'anon-imported', type: 'identify', props: { customerId: 'cust-9', traits: { verifiedBy: 'email-link' } } });
    await handle(batchOf([encodeRawEvent({ ...base, eventId: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4', type: 'identify', anonymousId: 'anon-imported', origin: RawEventOrigin.SERVER, eventJson: imported })]), control());
    expect(store.rows('identities').find((r) => r.anonymous_id === 'anon-imported')?.sources).toEqual(['identify']);
    expect(store.rows('events').map((r) => String(r.props)).join()).not.toContain('spoor_it');
    expect(store.rows('raw_events').map((r) => String(r.event_json)).join()).toContain('spoor_it');
  });

  it('loads concurrent partitions together: one insert per table, each partition commits its own batch', async () => {
    const store = createMemoryEventStore();
    const handle = createBatchHandler({
      enrich,
      deadLetters: { send: async () => undefined },
      seenSet: null,
      retry: fast,
      loader: createCoalescingLoader({ store, retry: fast, maxEventsPerInsert: 1000, windowMs: 50, expectedCallers: 3 }),
      heartbeatEveryMs: 1000,
    });
    const part = (from: number) => batchOf(Array.from({ length: 10 }, (_, n) => encodeRawEvent(syntheticRawEvent(from + n, { salt: 16 }))));
    const outcomes = await Promise.all([handle(part(0), control()), handle(part(10), control()), handle(part(20), control())]);
    expect(outcomes).toEqual(['commit', 'commit', 'commit']);
    expect(store.rows('events')).toHaveLength(30);
    // events, raw_events, orders, order_items, identities: one insert each for the three batches.
    expect(store.insertCalls).toBe(5);
  });
});
