import { serve } from '@hono/node-server';
import { createKafkaEventLog } from '@spoor/infra';
import { Hono } from 'hono';
import { createCoalescingProducer } from '../src/produce/coalescing-producer.js';

/**
 * The benchmark's floor for any collector built on kafkajs: the ceiling's work (read and parse the JSON batch)
 * plus the one thing the issue makes non-negotiable — answer 202 only after the broker acknowledged the
 * events — through the collector's own Kafka path (idempotent producer, acks=all, the same compression, the
 * same coalescing producer). No validation, no protobuf, no rate limits, no metrics: the request body itself
 * is the record. Whatever this cannot reach, no collector on kafkajs on this machine reaches.
 */
const eventLog = createKafkaEventLog({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: 'spoor-bench-floor', compression: (process.env.KAFKA_COMPRESSION ?? 'snappy') as 'none' | 'gzip' | 'snappy' });
const topic = process.env.FLOOR_TOPIC ?? 'bench-floor';
await eventLog.ensureTopics([{ name: topic, partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6) }]);
const producer = createCoalescingProducer(await eventLog.producer());
const encoder = new TextEncoder();

const app = new Hono();
app.post('/v1/events', async (c) => {
  const text = await c.req.text();
  const batch = JSON.parse(text) as { events: Array<{ anonymousId?: string }> };
  await producer.send([{ topic, messages: [{ key: batch.events[0]?.anonymousId ?? '', value: encoder.encode(text) }] }]);
  return c.json({ accepted: batch.events.length, rejected: [] }, 202);
});
app.get('/healthz', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8082), hostname: '127.0.0.1' });
