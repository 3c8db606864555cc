import { execFileSync } from 'node:child_process';
import kafkajs from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { decodeRawEvent, encodeRawEvent, RawEventOrigin, type RawEvent } from '@spoor/events';
import { uniqueName } from '@spoor/test-harness';
import { consumeAll } from './consume-all.js';
import { describeEventLogContract } from './event-log-contract.js';
import { createKafkaEventLog } from './kafka-event-log.js';
import type { LoggedMessage } from './event-log.js';

// The harness's Kafka: KAFKA_BROKERS when set (a shared broker: every topic and group name here is unique), else the
// one it started for this run.
const brokerList = inject('kafkaBrokers');
const brokers = brokerList.split(',');

describeEventLogContract(
  'Kafka',
  brokerList ? { open: () => createKafkaEventLog({ brokers, clientId: 'spoor-test-contract' }), uniqueName } : { skip: 'no Kafka: set KAFKA_BROKERS' },
);

const log = createKafkaEventLog({ brokers, clientId: 'spoor-test' });
afterAll(() => log.close());

const rawEvent = (i: number): RawEvent => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'page_view',
  anonymousId: `anon-${i % 7}`,
  siteId: 'site-1',
  eventJson: JSON.stringify({ n: i, text: 'Grüße 🛒' }),
  deviceTs: 1_763_800_000_000 + i,
  sentAt: 1_763_800_000_500 + i,
  receivedAt: 1_763_800_001_000 + i,
  clientIp: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
  collectorId: 'c1',
  origin: RawEventOrigin.BROWSER,
});

describe.skipIf(!brokerList)('Kafka event log (real broker)', () => {
  it('produces protobuf RawEvents and consumes them back byte-identical, keyed by anonymous id', async () => {
    const topic = uniqueName('raw');
    await log.ensureTopics([{ name: topic, partitions: 3 }]);
    const sent = Array.from({ length: 250 }, (_, i) => ({ key: rawEvent(i).anonymousId, value: encodeRawEvent(rawEvent(i)) }));
    const producer = await log.producer();
    await producer.send(topic, sent.slice(0, 100));
    await producer.send(topic, sent.slice(100));

    const consumer = await log.consumer({ groupId: uniqueName('g'), topics: [topic], fromBeginning: true });
    const received: LoggedMessage[] = [];
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run(async (batch) => {
        received.push(...batch.messages);
        if (received.length >= sent.length) resolve();
        return 'commit';
      });
    });
    await allReceived;
    await consumer.stop();
    await producer.close();

    expect(received).toHaveLength(sent.length);
    const byId = new Map(received.map((m) => [decodeRawEvent(m.value).ok ? (decodeRawEvent(m.value) as { value: RawEvent }).value.eventId : '', m]));
    for (const [i, message] of sent.entries()) {
      const got = byId.get(rawEvent(i).eventId);
      expect(got, `event ${i}`).toBeDefined();
      expect(Buffer.compare(got!.value, Buffer.from(message.value))).toBe(0);
      expect(got!.key).toBe(message.key);
    }
    // Same key → same partition: a visitor's events stay in order.
    const partitionsPerKey = new Map<string, Set<number>>();
    for (const m of received) partitionsPerKey.set(m.key!, (partitionsPerKey.get(m.key!) ?? new Set()).add(m.partition));
    for (const partitions of partitionsPerKey.values()) expect(partitions.size).toBe(1);
  });

  it('snappy: the broker accepts what kafkajs compresses, kcat (librdkafka) reads it, and kafkajs reads what kcat compresses', async () => {
    const topic = uniqueName('snappy');
    await log.ensureTopics([{ name: topic, partitions: 1 }]);
    const snappyLog = createKafkaEventLog({ brokers, clientId: 'spoor-test-snappy', compression: 'snappy' });
    const producer = await snappyLog.producer();
    const values = Array.from({ length: 300 }, (_, i) => `value-${i} ${'Grüße 🛒 '.repeat(20)}`);
    await producer.send(topic, values.map((value, i) => ({ key: `k${i % 4}`, value: Buffer.from(value), headers: { 'spoor-value': 'v1' } })));
    await producer.close();
    await snappyLog.close();

    const read = execFileSync('kcat', ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k|%h|%s\\n'], { encoding: 'utf8', timeout: 60_000 });
    expect(read.split('\n').filter(Boolean)).toEqual(values.map((value, i) => `k${i % 4}|spoor-value=v1|${value}`));

    // librdkafka writes raw snappy blocks; our consumer reads them (and its own batch) back.
    execFileSync('kcat', ['-P', '-b', brokers.join(','), '-t', topic, '-z', 'snappy', '-K', '|'], { input: 'from-kcat|written by librdkafka\n', timeout: 60_000 });
    const received = await consumeAll(log, topic, values.length + 1);
    expect(received.map((m) => m.value.toString())).toEqual([...values, 'written by librdkafka']);
    expect(received.at(-1)!.key).toBe('from-kcat');
  });

  it('ping answers false for a closed port', async () => {
    const dead = createKafkaEventLog({ brokers: ['127.0.0.1:1'], clientId: 'dead', retries: 0, connectionTimeoutMs: 300, logLevel: 'nothing' });
    expect(await dead.ping()).toBe(false);
    await dead.close();
  });

  it('topics get the retention they are ensured with, at creation and when it changes later; other topic settings stay', async () => {
    // A test helper reads the broker's view directly (the adapter only writes it).
    const admin = new kafkajs.Kafka({ brokers, clientId: 'spoor-test-admin', logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const configOf = async (topic: string) => {
        const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }] });
        return Object.fromEntries(resources[0]!.configEntries.filter((e) => !e.isDefault).map((e) => [e.configName, e.configValue]));
      };
      const raw = uniqueName('raw');
      const dlq = uniqueName('dlq');
      await log.ensureTopics([{ name: raw, partitions: 2, retentionMs: 7 * 24 * 3_600_000 }, { name: dlq, partitions: 1, retentionMs: 3 * 24 * 3_600_000 }]);
      expect(await configOf(raw)).toMatchObject({ 'retention.ms': String(7 * 24 * 3_600_000), 'segment.ms': String(21 * 3_600_000) });
      expect((await configOf(dlq))['retention.ms']).toBe(String(3 * 24 * 3_600_000));

      // An operator's own override on the topic survives Spoor changing the retention.
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: raw, configEntries: [{ name: 'retention.ms', value: String(7 * 24 * 3_600_000) }, { name: 'max.message.bytes', value: '2000000' }] }] });
      await log.ensureTopics([{ name: raw, partitions: 2, retentionMs: 24 * 3_600_000 }, { name: dlq, partitions: 1 }]);
      expect(await configOf(raw)).toMatchObject({ 'retention.ms': String(24 * 3_600_000), 'segment.ms': String(3 * 3_600_000), 'max.message.bytes': '2000000' });
      // No retention asked for: the topic is left as it is.
      expect((await configOf(dlq))['retention.ms']).toBe(String(3 * 24 * 3_600_000));
    } finally {
      await admin.disconnect();
    }
  });
});
