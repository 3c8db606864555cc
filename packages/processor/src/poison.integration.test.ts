import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeRawEvent, type DeadLetter, type RawEvent } from '@spoor/events';
import { connectRedisKeyValue, createFileEventLog, createKafkaEventLog, createMemoryKeyValue, waitUntil, type EventLog, type KeyValue } from '@spoor/infra';
import { freshClickHouseDatabase, uniqueName } from '@spoor/test-harness';
import { createProcessor, type Processor } from './create-processor.js';
import { decodeMessage, type DecodedEvent } from './pipeline/decode-message.js';
import { loadEnricher } from './enrich/load-enricher.js';
import { createHealthServer } from './health-server.js';
import { replayFromArchive } from './replay/replay-from-archive.js';
import { createClickHouseEventStore } from './load/clickhouse-event-store.js';
import type { EventStore } from './load/event-store.js';
import { loadResiliently } from './pipeline/resilient-load.js';
import { syntheticRawEvent } from './testing/synthetic-events.js';
import { leakyEnricher } from './testing/leaky-enricher.js';

/**
 * Poison written straight into the log (bypassing the collector, whatever it lets through): events whose strings hold a
 * lone high surrogate. JSON carries it as the escape `\ud800`; ClickHouse refuses such a value in any String column
 * ("Code: 25 … missing second part of surrogate pair", checked in chDB 26.x); a lone *low* surrogate it accepts.
 */
const LONE = 'a\ud800b';
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

const enrichPromise = loadEnricher({ geo: false });

function withEvent(base: RawEvent, change: (event: Record<string, any>) => void, raw: Partial<RawEvent> = {}): RawEvent {
  const event = JSON.parse(base.eventJson);
  change(event);
  return { ...base, ...raw, type: event.type, eventJson: JSON.stringify(event) };
}

/** One poison event per kind of column it reaches: events, orders, order_items (each refused by a different table). */
function poisonEvents(salt: number, siteId: string): Array<{ raw: RawEvent; refusedBy: string }> {
  const at = (n: number) => syntheticRawEvent(n, { salt, siteId });
  return [
    { raw: withEvent(at(10), (e) => ((e.type = 'page_view'), (e.title = LONE), (e.props = {}))), refusedBy: 'events' },
    { raw: withEvent(at(11), (e) => ((e.type = 'product_view'), (e.props = { productId: 'p1', name: LONE }))), refusedBy: 'events' },
    { raw: withEvent(at(12), (e) => ((e.type = 'search'), (e.props = { query: LONE }))), refusedBy: 'events' },
    { raw: withEvent(at(13), (e) => (e.sessionId = `s-${LONE}`)), refusedBy: 'events' },
    // A purchase whose coupon only `orders` holds; and one whose item name only `order_items` holds (its order row is
    // accepted first and must be taken back).
    { raw: withEvent(at(20), (e) => (e.props.coupon = LONE)), refusedBy: 'orders' },
    { raw: withEvent(at(40), (e) => (e.props.items[0].name = LONE)), refusedBy: 'order_items' },
  ];
}

async function readLetters(log: EventLog, topic: string) {
  const consumer = await log.consumer({ groupId: uniqueName('dlq-reader'), topics: [topic], fromBeginning: true, maxWaitTimeMs: 200 });
  closers.push(() => consumer.stop());
  const letters: DeadLetter[] = [];
  await consumer.run(async (batch) => {
    for (const m of batch.messages) {
      const letter = decodeDeadLetter(m.value);
      if (letter.ok) letters.push(letter.value);
    }
    return 'commit';
  });
  return letters;
}

const ADAPTERS = [
  { name: 'file log', open: async () => ({ log: createFileEventLog({ dir: mkdtempSync(join(tmpdir(), 'spoor-poison-log-')) }), keyValue: createMemoryKeyValue() }) },
  {
    name: 'Kafka',
    open: async () => ({
      log: createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: uniqueName('poison') }),
      keyValue: (await connectRedisKeyValue({ url: inject('redisUrl'), prefix: `${uniqueName('kv')}:` })) as KeyValue,
    }),
  },
];

describe('poison in the log never stalls the processor (real log, real chDB)', () => {
  for (const adapter of ADAPTERS) {
    it(`${adapter.name}: good events stored, each refused event dead-lettered once with its reason, nothing retried forever or twice after a restart`, async () => {
      const { client, database } = await freshClickHouseDatabase();
      const { log, keyValue } = await adapter.open();
      closers.push(() => log.close(), () => keyValue.close());
      const topics = { raw: uniqueName('poison-raw'), deadLetter: uniqueName('poison-dlq') };
      await log.ensureTopics([{ name: topics.raw, partitions: 2 }, { name: topics.deadLetter, partitions: 1 }]);
      const salt = Math.floor(Math.random() * 1e6);
      const siteId = uniqueName('site');
      const poison = poisonEvents(salt, siteId);
      const good = Array.from({ length: 60 }, (_, n) => syntheticRawEvent(100 + n, { salt, siteId }));
      // The same event id as a good one, on another site: a separate event, stored too.
      const otherSite = { ...good[0]!, siteId: `${siteId}-b` };
      const producer = await log.producer();
      closers.push(() => producer.close());
      const send = (list: RawEvent[]) => producer.send(topics.raw, list.map((r) => ({ key: r.anonymousId, value: encodeRawEvent(r) })));
      // Poison first and among the good ones, so without the split nothing after it would ever be stored.
      await send([poison[0]!.raw, ...good.slice(0, 30), ...poison.slice(1).map((p) => p.raw), ...good.slice(30), otherSite]);
      // Copies of one site's event (an SDK retry, a redelivery): stored once, by the seen set (Redis with Kafka, memory
      // with the file log) or the store's existence checks — while the other site's copy of the id is its own event.
      await send([good[1]!, otherSite, good[0]!]);

      // The decode step repairs the free-text poison now; the leaky enricher brings it back so the store itself refuses it.
      const enrich = leakyEnricher(await enrichPromise);
      const store = createClickHouseEventStore(client, database);
      const group = uniqueName('poison-group');
      const start = async () => {
        const processor = createProcessor({ log, store, enrich, keyValue, topics, groupId: group, sessionTimeoutMs: 10_000, retry: { initialDelayMs: 50, maxDelayMs: 500 } });
        closers.push(() => processor.stop());
        await processor.start();
        return processor;
      };
      const count = async (sql: string, params: Record<string, unknown> = {}) =>
        Number((await (await client.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<{ c: number }>())[0]!.c);
      const stored = () => count(`SELECT count() AS c FROM ${database}.events WHERE site_id IN {sites:Array(String)}`, { sites: [siteId, `${siteId}-b`] });

      let processor: Processor = await start();
      const letters = await readLetters(log, topics.deadLetter);
      await waitUntil('the good events stored', async () => (await stored()) >= good.length + 1, 60_000);
      await waitUntil('every poison event dead-lettered', async () => new Set(letters.map((l) => l.source)).size >= poison.length, 60_000);
      const sentFirst = poison.length + good.length + 1 + 3;
      await waitUntil('every record handled and committed', async () => processor.ready() && processor.totals().messages >= sentFirst, 30_000);

      expect(await stored()).toBe(good.length + 1);
      expect(await count(`SELECT count() AS c FROM ${database}.events WHERE site_id = {site:String} AND event_id = {id:UUID}`, { site: `${siteId}-b`, id: good[0]!.eventId })).toBe(1);
      const poisonIds = poison.map((p) => p.raw.eventId);
      expect(await count(`SELECT count() AS c FROM ${database}.events WHERE event_id IN {ids:Array(UUID)}`, { ids: poisonIds })).toBe(0);
      // The refused purchases left no order and no item behind (the order_items one had its order accepted first).
      const poisonOrders = poison.filter((p) => p.raw.type === 'purchase').map((p) => JSON.parse(p.raw.eventJson).props.orderId as string);
      expect(await count(`SELECT count() AS c FROM ${database}.orders WHERE order_id IN {ids:Array(String)}`, { ids: poisonOrders })).toBe(0);
      expect(await count(`SELECT count() AS c FROM ${database}.order_items WHERE order_id IN {ids:Array(String)}`, { ids: poisonOrders })).toBe(0);
      const purchases = good.filter((g) => g.type === 'purchase').length;
      expect(await count(`SELECT count() AS c FROM ${database}.orders WHERE site_id = {site:String}`, { site: siteId })).toBe(purchases);

      // Exactly one letter per poison record, naming it, with the store's reason (or the validator's, should the shared
      // schema one day refuse lone surrogates itself: then the store never sees them, which is fine too).
      expect(letters).toHaveLength(poison.length);
      for (const p of poison) {
        const letter = letters.find((l) => {
          const original = decodeRawEvent(l.original);
          return original.ok && original.value.eventId === p.raw.eventId;
        });
        expect(letter, p.refusedBy).toBeDefined();
        expect(letter!.source).toMatch(new RegExp(`^${topics.raw}/\\d+/\\d+$`));
        expect(letter!.siteId).toBe(siteId);
        expect(['processor.load', 'processor.validate']).toContain(letter!.stage);
        if (letter!.stage === 'processor.load') expect(letter!.reason).toMatch(new RegExp(`^store refused the row \\(${p.refusedBy} ClickHouse 25 CANNOT_PARSE_ESCAPE_SEQUENCE\\): .*surrogate`));
      }
      expect(processor.health()).toMatchObject({ ready: true, failing_for_ms: 0 });

      // A restart resumes after the committed offsets: the poison is not read again, nothing is stored twice.
      await processor.stop();
      const later = Array.from({ length: 5 }, (_, n) => syntheticRawEvent(500 + n, { salt, siteId }));
      await send(later);
      processor = await start();
      await waitUntil('the later events stored', async () => (await stored()) >= good.length + 1 + later.length, 60_000);
      await waitUntil('their batch reported', async () => processor.totals().messages >= later.length, 10_000);
      expect(processor.totals()).toMatchObject({ messages: later.length, loaded: later.length, refused: 0, deadLettered: 0 });
      expect(await stored()).toBe(good.length + 1 + later.length);
      expect(await count(`SELECT count() - uniqExact(site_id, event_id) AS c FROM ${database}.events`)).toBe(0);
      expect(letters).toHaveLength(poison.length);

      // The raw archive keeps what was received, poison included: a replay from it skips the refused rows again.
      await processor.stop();
      const replayed = await replayFromArchive({ client, database, store, enrich, truncate: false });
      const refusedByStore = letters.filter((l) => l.stage === 'processor.load').length;
      // An event the validator dead-lettered never reached the archive: only the store's refusals are read again.
      expect(replayed).toMatchObject({ refused: refusedByStore, invalid: 0 });
      expect(await stored()).toBe(good.length + 1 + later.length);
      expect(await count(`SELECT count() - uniqExact(site_id, event_id) AS c FROM ${database}.events`)).toBe(0);
    }, 180_000);
  }

  it('the real store refuses the rows itself (not only the validator): picked out or split, the rest stored, each refused once', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const enrich = await enrichPromise;
    const salt = Math.floor(Math.random() * 1e6);
    const events = [];
    for (let n = 0; n < 25; n++) {
      const decoded = decodeMessage(encodeRawEvent(syntheticRawEvent(n, { salt, siteId: 'site-direct' })));
      if (decoded.kind !== 'ok') throw new Error('synthetic event does not decode');
      events.push(await enrich(decoded.value));
    }
    // Past any validation: the enriched event's title is changed just before the rows are built.
    const target = events[17]!;
    (target.event as { title?: string }).title = LONE;
    // And a refusal nothing recognises in advance (found by splitting): an archive row whose event id is no UUID.
    const other = events[9]!;
    (other.raw as { eventId: string }).eventId = 'not-a-uuid';
    const outcome = await loadResiliently(events, { store: createClickHouseEventStore(client, database), retry: { initialDelayMs: 10, maxDelayMs: 50 }, isActive: () => true });
    expect(outcome.done).toBe(true);
    const reasons = Object.fromEntries(outcome.refused.map((r) => [r.event.event.id, r.reason]));
    expect(Object.keys(reasons).sort()).toEqual([other.event.id, target.event.id].sort());
    expect(reasons[target.event.id]).toMatch(/^store refused the row \(events ClickHouse 25 CANNOT_PARSE_ESCAPE_SEQUENCE\): Code: 25\. DB::Exception: Cannot parse escape sequence: missing second part of surrogate pair.*\[lone surrogate in events\.title\]$/);
    expect(reasons[other.event.id]).toMatch(/^store refused the row \(raw_events ClickHouse 376 CANNOT_PARSE_UUID\)/);
    const rows = await (await client.query({ query: `SELECT count() AS c, uniqExact(event_id) AS u FROM ${database}.events`, format: 'JSONEachRow' })).json<{ c: number; u: number }>();
    expect(rows[0]).toEqual({ c: 23, u: 23 });
  }, 60_000);

  it('hostile strings in any stored string field (generated): each event stored exactly once or refused, never both, never stuck', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const enrich = await enrichPromise;
    const store = createClickHouseEventStore(client, database);
    const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', 'a\ud83d', '\ude00b');
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.tuple(fc.string({ maxLength: 10 }), lone, fc.string({ maxLength: 10 })).map((p) => p.join('')),
      fc.constantFrom('\u0000', '\ufeff', '\u202e', '\\', '"', "'; DROP TABLE events; --", 'x'.repeat(5000)),
    );
    // Fields that reach a String column as themselves (props go to the props column as JSON, escaped): set on the
    // decoded event, past any validation, as a record from another producer could carry them.
    const FIELDS: Array<[number, (e: Record<string, any>, v: string) => void]> = [
      [10, (e, v) => (e.title = v)],
      [10, (e, v) => (e.sessionId = v)],
      [10, (e, v) => (e.anonymousId = v)],
      [10, (e, v) => (e.customerId = v)],
      [2, (e, v) => (e.props.name = v)],
      [2, (e, v) => (e.props.category = v)],
      [0, (e, v) => (e.props.coupon = v)],
      [0, (e, v) => (e.props.items[0].name = v)],
      [0, (e, v) => (e.props.orderId = v)],
    ];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(FIELDS.length - 1), hostile), { minLength: 1, maxLength: 6 }), async (changes) => {
        run++;
        const siteId = `site-fuzz-${run}`;
        const events: DecodedEvent[] = [];
        for (let n = 0; n < 24; n++) {
          const decoded = decodeMessage(encodeRawEvent(syntheticRawEvent(n % 2 ? 10 + n : n * 20, { salt: run, siteId })));
          if (decoded.kind !== 'ok') throw new Error('synthetic event does not decode');
          events.push(decoded.value);
        }
        changes.forEach(([field, value], i) => {
          const [n, set] = FIELDS[field]!;
          set(events[(n + i * 4) % events.length]!.event as Record<string, any>, value);
        });
        // One known refusal in every run, so each run exercises the split whatever was generated.
        const sure = events[23]!.event as Record<string, any>;
        sure.title = `sure ${'\ud800'}`;
        const enriched = [];
        for (const d of events) enriched.push(await enrich(d));
        const outcome = await loadResiliently(enriched, { store, retry: { initialDelayMs: 5, maxDelayMs: 20 }, isActive: () => true });
        expect(outcome.done).toBe(true);
        const refused = new Set(outcome.refused.map((r) => r.event.event.id.toLowerCase()));
        const rows = await (await client.query({
          query: `SELECT toString(event_id) AS id FROM ${database}.events WHERE site_id = {site:String}`,
          query_params: { site: siteId },
          format: 'JSONEachRow',
        })).json<{ id: string }>();
        const stored = rows.map((r) => r.id);
        // Exactly once or refused: no duplicates, nothing in both, nothing in neither.
        expect(new Set(stored).size).toBe(stored.length);
        expect(stored.filter((id) => refused.has(id))).toEqual([]);
        expect(stored.length + refused.size).toBe(events.length);
        // Only a string ClickHouse cannot take is refused: an event without a lone high surrogate is always stored.
        expect(refused.has(String(sure.id).toLowerCase())).toBe(true);
        for (const r of outcome.refused) expect(JSON.stringify(r.event.event)).toMatch(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/);
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});

describe('/readyz of a processor whose store keeps failing', () => {
  it('turns 503 after the bound, with counts and a reason code, never the event or the store text', async () => {
    const { client, database } = await freshClickHouseDatabase();
    const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: uniqueName('readyz') });
    closers.push(() => log.close());
    const topics = { raw: uniqueName('readyz-raw'), deadLetter: uniqueName('readyz-dlq') };
    await log.ensureTopics([{ name: topics.raw, partitions: 1 }, { name: topics.deadLetter, partitions: 1 }]);
    const secret = 'Secret Title of jane.doe@example.com';
    const event = withEvent(syntheticRawEvent(1, { salt: 77, siteId: 'site-readyz' }), (e) => ((e.type = 'page_view'), (e.title = secret), (e.props = {})));
    const inner = createClickHouseEventStore(client, database);
    let down = true;
    // A server that cannot take inserts, answering as ClickHouse does: the text quotes the rows it was sent.
    const store: EventStore = {
      ...inner,
      async insert(table, rows, token) {
        if (down) throw Object.assign(new Error(`Code: 241. DB::Exception: Memory limit (total) exceeded while inserting ${JSON.stringify(rows[0])}. (MEMORY_LIMIT_EXCEEDED)`), { code: '241', type: 'MEMORY_LIMIT_EXCEEDED' });
        return inner.insert(table, rows, token);
      },
    };
    const errorsLogged: string[] = [];
    const processor = createProcessor({
      log,
      store,
      enrich: await enrichPromise,
      topics,
      groupId: uniqueName('readyz-group'),
      sessionTimeoutMs: 10_000,
      retry: { initialDelayMs: 50, maxDelayMs: 300 },
      failingReadinessMs: 1500,
      onRetry: (error) => errorsLogged.push(error.message),
    });
    closers.push(() => processor.stop());
    const server = createHealthServer(processor).listen(0, '127.0.0.1');
    closers.push(() => new Promise((r) => server.close(r)));
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    await processor.start();
    expect((await fetch(url)).status).toBe(200);

    const producer = await log.producer();
    closers.push(() => producer.close());
    await producer.send(topics.raw, [{ key: event.anonymousId, value: encodeRawEvent(event) }]);
    let body = '';
    await waitUntil('readyz 503', async () => {
      const res = await fetch(url);
      body = await res.text();
      return res.status === 503;
    }, 30_000);
    const health = JSON.parse(body);
    expect(health).toMatchObject({ ready: false, processor: { ready: false, last_error_code: 'store_unavailable' } });
    expect(health.processor.failing_for_ms).toBeGreaterThanOrEqual(1500);
    expect(health.processor.retries).toBeGreaterThan(0);
    // The operator's log has the store's text (with the row); the unauthenticated body has none of it.
    expect(errorsLogged.some((m) => m.includes(secret))).toBe(true);
    for (const leak of [secret, 'jane.doe', 'Memory limit', 'Code:', event.eventId, event.anonymousId]) expect(body).not.toContain(leak);
    // Transient: retried, never dead-lettered; once the store takes rows again the event is stored and readyz is 200.
    down = false;
    await waitUntil('stored after the outage', async () => processor.totals().loaded === 1, 30_000);
    expect((await fetch(url)).status).toBe(200);
    expect(processor.totals()).toMatchObject({ deadLettered: 0, refused: 0 });
  }, 90_000);
});
