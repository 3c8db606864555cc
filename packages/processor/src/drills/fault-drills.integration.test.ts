import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decodeDeadLetter, encodeRawEvent } from '@spoor/events';
import { createKafkaEventLog, startLocalRedis, type EventLog, type LogMessage } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { Redis } from 'ioredis';
import { retriedCopy, syntheticRawEvent } from '../testing/synthetic-events.js';
import { countTables, startProcessorChild } from './drill-harness.js';

const TOTAL = 100_000;
const POISON_EVERY = 4_000;
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

function openLog(): EventLog {
  const log = createKafkaEventLog({ brokers: inject('kafkaBrokers').split(','), clientId: uniqueName('drill') });
  closers.push(() => log.close());
  return log;
}

/** A drill's own topics, group and chDB directory, and the env its processor children get. */
async function prepareDrill(log: EventLog, extraEnv: Record<string, string> = {}) {
  const topics = { raw: uniqueName('drill-raw'), dlq: uniqueName('drill-dlq') };
  await log.ensureTopics([{ name: topics.raw, partitions: 4 }, { name: topics.dlq, partitions: 1 }]);
  const env = {
    // The processor's own settings, as an operator would set them (processor-settings.ts); drill tuning: small
    // fetches and inserts and a short session, so kills and rebalances happen many times within one stream.
    KAFKA_BROKERS: inject('kafkaBrokers'),
    SPOOR_TOPIC_RAW: topics.raw,
    SPOOR_TOPIC_DLQ: topics.dlq,
    PROCESSOR_GROUP_ID: uniqueName('drill-group'),
    SPOOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'spoor-drill-')),
    CLICKHOUSE_DATABASE: 'spoor',
    GEOIP_DISABLED: 'true',
    PROCESSOR_SESSION_TIMEOUT_MS: '6000',
    PROCESSOR_MAX_EVENTS_PER_INSERT: '5000',
    PROCESSOR_MAX_WAIT_MS: '200',
    // Children inherit the runner's environment: only the drill that wants Redis gets it, and never a server ClickHouse.
    REDIS_URL: '',
    CLICKHOUSE_URL: '',
    ...extraEnv,
  };
  return { topics, env };
}

/** 100k events (every 20th a purchase) with poison messages among them, sent in chunks like a live stream. */
async function streamEvents(log: EventLog, topic: string, salt: number): Promise<{ poison: number }> {
  const producer = await log.producer();
  let poison = 0;
  for (let start = 0; start < TOTAL; start += 5000) {
    const chunk: LogMessage[] = [];
    for (let n = start; n < start + 5000; n++) {
      const raw = syntheticRawEvent(n, { salt, siteId: 'site-drill' });
      chunk.push({ key: raw.anonymousId, value: encodeRawEvent(raw) });
      if (n % POISON_EVERY === 0) {
        poison++;
        chunk.push({ key: raw.anonymousId, value: new Uint8Array([0x0a, 0xff, 0xff, poison & 0xff]) });
      }
    }
    // Kafka refuses record batches over 1 MB per partition: send in slices.
    for (let i = 0; i < chunk.length; i += 2000) await producer.send(topic, chunk.slice(i, i + 2000));
    await new Promise((r) => setTimeout(r, 100));
  }
  await producer.close();
  return { poison };
}

async function readDeadLetters(log: EventLog, topic: string, atLeast: number) {
  const consumer = await log.consumer({ groupId: uniqueName('dlq-reader'), topics: [topic], fromBeginning: true, maxWaitTimeMs: 200 });
  closers.push(() => consumer.stop());
  const sources: string[] = [];
  let undecodable = 0;
  await consumer.run(async (batch) => {
    for (const m of batch.messages) {
      const letter = decodeDeadLetter(m.value);
      if (letter.ok) sources.push(letter.value.source);
      else undecodable++;
    }
    return 'commit';
  });
  const deadline = Date.now() + 30_000;
  while (new Set(sources).size < atLeast && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1000));
  await consumer.stop();
  return { sources, undecodable };
}

function expectExact(counts: Record<string, number>, purchases: number) {
  expect(counts['events.count']).toBe(TOTAL);
  expect(counts['raw_events.count']).toBe(TOTAL);
  expect(counts['orders.count']).toBe(purchases);
  expect(counts['order_items.count']).toBe(purchases);
  expect(counts['sessions.events']).toBe(TOTAL);
  expect(counts['events_by_visitor.count']).toBe(TOTAL);
  for (const table of ['events', 'raw_events', 'orders', 'order_items', 'events_by_visitor']) expect(counts[`${table}.dupes`], `${table} duplicates`).toBe(0);
}

const purchases = Array.from({ length: TOTAL }, (_, n) => n).filter((n) => n % 20 === 0).length;

// Each drill streams 100k events through a child process (~50 s alone on this shared 2-core machine). The three are
// independent (own topics, group, chDB directory, Redis) and spend much of their time waiting for a group to drop a
// killed member or for an outage to end, so they run side by side.
const DRILL_TIMEOUT_MS = 240_000;

describe.concurrent('fault drills: a processor child process on real Kafka and chDB', () => {
  it('SIGKILL three times during a 100k-event stream: every event stored once, poison dead-lettered', async () => {
    const log = openLog();
    const { topics, env } = await prepareDrill(log);
    const streaming = streamEvents(log, topics.raw, 101);
    for (const killAt of [15_000, 45_000, 75_000]) {
      const child = startProcessorChild(env);
      await child.waitFor(`${killAt} stored`, (s) => s.stored >= killAt, 90_000);
      expect(await child.kill('SIGKILL')).toBe(null);
    }
    const { poison } = await streaming;
    const last = startProcessorChild(env);
    await last.waitFor('all stored', (s) => s.stored >= TOTAL, 90_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await last.kill('SIGTERM')).toBe(0);
    expectExact(await countTables(env), purchases);

    const letters = await readDeadLetters(log, topics.dlq, poison);
    // A letter sent just before a SIGKILL may be sent again on redelivery; each carries its source
    // (topic/partition/offset) as key and field, so the poison count is exact by source.
    expect(new Set(letters.sources).size).toBe(poison);
    expect(letters.undecodable).toBe(0);
  }, DRILL_TIMEOUT_MS);

  it('ClickHouse unavailable for a while: the same process backs off, stays in its group and loses nothing', async () => {
    const log = openLog();
    const { topics, env } = await prepareDrill(log, { DRILL_FAIL_AFTER_EVENTS: '30000', DRILL_FAIL_FOR_MS: '8000' });
    const child = startProcessorChild(env);
    const streaming = streamEvents(log, topics.raw, 202);
    await child.waitFor('outage begins', (s) => s.outage, 90_000);
    await child.waitFor('not ready while stuck', (s) => !s.ready, 20_000);
    await child.waitFor('outage over', (s) => !s.outage && s.stored > 30_000, 30_000);
    await streaming;
    const done = await child.waitFor('all stored', (s) => s.stored >= TOTAL, 90_000);
    expect(done.retries).toBeGreaterThan(0);
    expect(done.ready).toBe(true);
    expect(child.child.exitCode).toBe(null);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await child.kill('SIGTERM')).toBe(0);
    expectExact(await countTables(env), purchases);
  }, DRILL_TIMEOUT_MS);

  it('Redis flushed mid-stream, events replayed and the processor killed: still no double counts', async () => {
    const redis = await startLocalRedis({ dir: mkdtempSync(join(tmpdir(), 'spoor-drill-redis-')) });
    closers.push(() => redis.stop());
    const admin = new Redis(redis.url);
    closers.push(async () => admin.disconnect());
    const log = openLog();
    const { topics, env } = await prepareDrill(log, { REDIS_URL: redis.url });
    const streaming = streamEvents(log, topics.raw, 303);
    const first = startProcessorChild(env);
    await first.waitFor('40k stored', (s) => s.stored >= 40_000, 90_000);
    expect(await admin.dbsize()).toBeGreaterThan(0);
    await admin.flushall();
    // Replays after the flush: 20k already-stored events again, and SDK retries of another 5k.
    const producer = await log.producer();
    const again = [
      ...Array.from({ length: 20_000 }, (_, n) => syntheticRawEvent(n, { salt: 303, siteId: 'site-drill' })),
      ...Array.from({ length: 5_000 }, (_, n) => retriedCopy(syntheticRawEvent(20_000 + n, { salt: 303, siteId: 'site-drill' }), 30_000)),
    ];
    for (let i = 0; i < again.length; i += 2000) await producer.send(topics.raw, again.slice(i, i + 2000).map((r) => ({ key: r.anonymousId, value: encodeRawEvent(r) })));
    await producer.close();
    await first.waitFor('60k stored', (s) => s.stored >= 60_000, 90_000);
    await admin.flushall();
    expect(await first.kill('SIGKILL')).toBe(null);
    await streaming;
    const second = startProcessorChild(env);
    await second.waitFor('all stored', (s) => s.stored >= TOTAL, 90_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await second.kill('SIGTERM')).toBe(0);
    expectExact(await countTables(env), purchases);
  }, DRILL_TIMEOUT_MS);
});
