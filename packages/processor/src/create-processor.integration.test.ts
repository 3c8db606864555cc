import { afterAll, describe, expect, inject, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeRawEvent, frameRawEventBatch, RAW_EVENT_BATCH_FORMAT, RawEventOrigin, TOPICS, VALUE_FORMAT_HEADER } from '@spoor/events';
import { connectRedisKeyValue, createKafkaEventLog, waitUntil, type EventLog } from '@spoor/infra';
import { freshClickHouseDatabase, uniqueName } from '@spoor/test-harness';
import { parseProcessorConfig } from './config/processor-settings.js';
import { createProcessor } from './create-processor.js';
import { loadEnricher } from './enrich/load-enricher.js';
import { createClickHouseEventStore } from './load/clickhouse-event-store.js';
import { replayFromArchive } from './replay/replay-from-archive.js';
import { replayFromLog } from './replay/replay-from-log.js';
import { retriedCopy, syntheticRawEvent } from './testing/synthetic-events.js';

const closers: Array<() => Promise<unknown>> = [];
const BATCH_HEADERS = { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT };
const INVALID_IN_BATCH = '66666666-2222-4333-8444-555555555555';
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function collectDeadLetters(log: EventLog, topic: string, expected: number) {
  const consumer = await log.consumer({ groupId: uniqueName('dlq-reader'), topics: [topic], fromBeginning: true, maxWaitTimeMs: 200 });
  closers.push(() => consumer.stop());
  const letters: ReturnType<typeof decodeDeadLetter>[] = [];
  await consumer.run(async (batch) => {
    for (const m of batch.messages) letters.push(decodeDeadLetter(m.value));
    return 'commit';
  });
  await waitUntil(`${expected} dead letters`, async () => letters.length >= expected, 30_000);
  // Give a straggler the chance to show up: the count must be exact, not "at least".
  await new Promise((r) => setTimeout(r, 1500));
  return letters;
}

describe('processor against real Kafka, Redis and chDB', () => {
  it('loads every event once, dead-letters poison exactly, and replays without double counting', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: uniqueName('processor-test') });
    closers.push(() => log.close());
    const topics = { raw: uniqueName('raw'), deadLetter: uniqueName('dlq') };
    await log.ensureTopics([{ name: topics.raw, partitions: 4 }, { name: topics.deadLetter, partitions: 1 }]);
    const keyValue = await connectRedisKeyValue({ url: inject('redisUrl'), prefix: `${uniqueName('kv')}:` });
    closers.push(() => keyValue.close());

    const salt = Math.floor(Math.random() * 1e6);
    const total = 3000;
    const events = Array.from({ length: total }, (_, n) => syntheticRawEvent(n, { salt, siteId: 'site-it' }));
    const producer = await log.producer();
    closers.push(() => producer.close());
    const send = (list: typeof events) => producer.send(topics.raw, list.map((r) => ({ key: r.anonymousId, value: encodeRawEvent(r) })));
    // Both record formats: the first half one RawEvent per record (as before batches), the second half as the
    // collector writes now, one RawEventBatch per anonymous id marked by its header.
    await send(events.slice(0, total / 2));
    const byVisitor = new Map<string, typeof events>();
    for (const r of events.slice(total / 2)) byVisitor.set(r.anonymousId, [...(byVisitor.get(r.anonymousId) ?? []), r]);
    await producer.send(topics.raw, [...byVisitor].map(([key, list]) => ({ key, value: frameRawEventBatch(list.map(encodeRawEvent)), headers: BATCH_HEADERS })));
    // Redelivery of identical records and SDK retries (same id, later sent/received) of 300 events.
    await send(events.slice(0, 300));
    await send(events.slice(300, 600).map((r) => retriedCopy(r, 4000)));
    const invalidEvent = { ...events[0]!, eventId: '11111111-2222-4333-8444-555555555555', eventJson: JSON.stringify({ ...JSON.parse(events[0]!.eventJson), id: '11111111-2222-4333-8444-555555555555', type: 'add_to_cart', props: { productId: 'p1', price: 'free', quantity: 1 } }) };
    await producer.send(topics.raw, [
      { key: 'poison', value: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]) },
      { key: 'poison', value: encodeRawEvent({ ...events[1]!, eventJson: '{not json' }) },
      { key: 'poison', value: encodeRawEvent(invalidEvent) },
      // A batch whose second event is invalid: only that one is dead-lettered, the first (a redelivery) is deduplicated.
      { key: 'poison', value: frameRawEventBatch([events[5]!, { ...invalidEvent, eventId: INVALID_IN_BATCH, eventJson: invalidEvent.eventJson.replace(invalidEvent.eventId, INVALID_IN_BATCH) }].map(encodeRawEvent)), headers: BATCH_HEADERS },
    ]);

    const enrich = await loadEnricher({ userAgentCacheSize: 1000 });
    const store = createClickHouseEventStore(client, database);
    const processor = createProcessor({ log, store, enrich, keyValue, topics, groupId: uniqueName('group'), sessionTimeoutMs: 10_000 });
    closers.push(() => processor.stop());
    await processor.start();

    const count = async (sql: string) => Number((await (await client.query({ query: sql, format: 'JSONEachRow' })).json<{ c: number }>())[0]!.c);
    await waitUntil('all events loaded', async () => (await count(`SELECT count() AS c FROM ${database}.events`)) >= total, 60_000);
    const letters = await collectDeadLetters(log, topics.deadLetter, 4);
    expect(processor.ready()).toBe(true);

    const purchases = events.filter((e) => e.type === 'purchase').length;
    for (const [table, expected] of [['events', total], ['raw_events', total], ['orders', purchases]] as const) {
      expect(await count(`SELECT count() AS c FROM ${database}.${table}`), table).toBe(expected);
      expect(await count(`SELECT count() - uniqExact(event_id) AS c FROM ${database}.${table}`), table).toBe(0);
    }
    expect(await count(`SELECT count() AS c FROM ${database}.order_items`)).toBe(purchases);
    expect(await count(`SELECT uniqExactMerge(events) AS c FROM ${database}.sessions`)).toBe(total);

    expect(letters).toHaveLength(4);
    const decoded = letters.map((l) => (l.ok ? l.value : null));
    expect(decoded.map((l) => l?.stage).sort()).toEqual(['processor.decode', 'processor.decode', 'processor.validate', 'processor.validate']);
    const fromBatch = decoded.find((l) => l?.source.endsWith('#1'));
    const fromBatchEvent = fromBatch ? decodeRawEvent(fromBatch.original) : undefined;
    expect(fromBatchEvent?.ok && fromBatchEvent.value.eventId).toBe(INVALID_IN_BATCH);
    expect(decoded.find((l) => l?.stage === 'processor.validate')?.reason).toMatch(/^props\.price: .*expected number/);
    expect(decoded.every((l) => l?.source.startsWith(`${topics.raw}/`))).toBe(true);
    expect(Array.from(decoded.find((l) => l?.reason.startsWith('undecodable'))!.original)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);

    // Enrichment reached the table: geo from DB-IP, anonymised IP only, UA and bot flag, referrer classes.
    const sample = (await (await client.query({
      query: `SELECT ip_anonymized, country, browser, device_type, is_bot, medium, source, search_term, channel FROM ${database}.events WHERE event_id = {id:UUID}`,
      query_params: { id: events[2]!.eventId },
      format: 'JSONEachRow',
    })).json<Record<string, unknown>>())[0];
    expect(sample).toMatchObject({ ip_anonymized: '8.8.8.0', country: 'US', browser: 'Chrome', device_type: 'mobile', is_bot: false, medium: 'search', source: 'Yandex', channel: 'Organic Search' });
    expect(await count(`SELECT count() AS c FROM ${database}.raw_events WHERE ip_anonymized IN ('83.0.12.34', '8.8.8.8', '95.108.213.4')`)).toBe(0);
    expect(await count(`SELECT countIf(is_bot) AS c FROM ${database}.events`)).toBeGreaterThan(0);
    expect(await count(`SELECT count() AS c FROM (SELECT anonymous_id FROM ${database}.identities GROUP BY site_id, anonymous_id, customer_id)`)).toBeGreaterThan(0);

    // Per-visit attribution (migration 0350): a fingerprint of every session's landing attribution, which a replay —
    // in (site, event_id) order, not the order Kafka delivered — must rebuild exactly.
    const attribution = async () =>
      (await (await client.query({
        query: `SELECT count() AS sessions, countIf(JSONExtract(a, 'Array(String)')[1] NOT IN ('', 'Direct')) AS attributed, toString(sum(cityHash64(site_id, session_id, toString(a)))) AS fingerprint
                FROM (SELECT site_id, session_id, argMinMerge(attribution) AS a FROM ${database}.sessions GROUP BY site_id, session_id)`,
        format: 'JSONEachRow',
      })).json<{ sessions: number; attributed: number; fingerprint: string }>())[0]!;
    const liveAttribution = await attribution();
    expect(Number(liveAttribution.attributed)).toBeGreaterThan(0);

    // Replay (event sourcing): rebuild derived tables from the archive, twice, without double counting.
    await processor.stop();
    await replayFromArchive({ client, database, store, enrich, truncate: true, pageSize: 700 });
    await replayFromArchive({ client, database, store, enrich, truncate: false, pageSize: 1000 });
    for (const [table, expected] of [['events', total], ['raw_events', total], ['orders', purchases], ['order_items', purchases]] as const) {
      expect(await count(`SELECT count() AS c FROM ${database}.${table}`), `${table} after replay`).toBe(expected);
    }
    expect(await count(`SELECT count() - uniqExact(event_id) AS c FROM ${database}.events`)).toBe(0);
    expect(await count(`SELECT uniqExactMerge(events) AS c FROM ${database}.sessions`)).toBe(total);
    expect(await attribution(), 'visit attribution after archive replay').toEqual(liveAttribution);

    // Replay from the log: the raw topic from the earliest offset under a fresh group, derived tables emptied first.
    const config = parseProcessorConfig({ SPOOR_TOPIC_RAW: topics.raw, SPOOR_TOPIC_DLQ: topics.deadLetter }).config;
    const totals = await replayFromLog({ config, eventLog: log, client, database, store, enrich, truncate: true, quietMs: 4000 });
    // Kafka records, not events: single RawEvents, one batch per visitor, the redeliveries and the poison.
    expect(totals.messages).toBe(total / 2 + byVisitor.size + 600 + 4);
    for (const [table, expected] of [['events', total], ['raw_events', total], ['orders', purchases], ['order_items', purchases]] as const) {
      expect(await count(`SELECT count() AS c FROM ${database}.${table}`), `${table} after log replay`).toBe(expected);
    }
    expect(await count(`SELECT count() - uniqExact(event_id) AS c FROM ${database}.events`)).toBe(0);
    expect(await attribution(), 'visit attribution after log replay').toEqual(liveAttribution);
    expect(RawEventOrigin.BROWSER).toBe(1);
    expect(TOPICS.raw).toBe('spoor.raw');
  });
});
