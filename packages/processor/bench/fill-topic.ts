import { encodeRawEvent, encodeRawEventBatch, RAW_EVENT_BATCH_FORMAT, VALUE_FORMAT_HEADER, type RawEvent } from '@spoor/events';
import type { EventLog } from '@spoor/infra';
import { syntheticRawEvent } from '../src/testing/synthetic-events.js';

/**
 * 'batch': Kafka records as the collector writes them, one RawEventBatch per (request, anonymous id), here
 * EVENTS_PER_RECORD events of one visitor per record; 'single': one RawEvent per record (logs written before RawEventBatch).
 */
export type RecordFormat = 'batch' | 'single';
export const EVENTS_PER_RECORD = 10;

/** Pre-fills `topic` (4 partitions) with `count` synthetic events; returns the produce rate in events/s. */
export async function fillTopic(log: EventLog, topic: string, count: number, salt: number, format: RecordFormat): Promise<number> {
  await log.ensureTopics([{ name: topic, partitions: 4 }, { name: `${topic}-dlq`, partitions: 1 }]);
  const producer = await log.producer();
  const started = performance.now();
  // Windows of 50,000 events: the synthetic stream has 5,000 visitors, so each has 10 events per window, in order.
  for (let start = 0; start < count; start += 50_000) {
    const events = Array.from({ length: Math.min(count, start + 50_000) - start }, (_, i) => syntheticRawEvent(start + i, { salt }));
    const records = format === 'single' ? events.map((raw) => ({ key: raw.anonymousId, value: encodeRawEvent(raw) })) : batchRecords(events);
    // 200 records of ~3 KB stay under the broker's 1 MB request limit.
    for (let r = 0; r < records.length; r += 200) await producer.send(topic, records.slice(r, r + 200));
  }
  await producer.close();
  return count / ((performance.now() - started) / 1000);
}

/** One RawEventBatch record per visitor and up to EVENTS_PER_RECORD events, marked by the value-format header. */
function batchRecords(events: RawEvent[]) {
  const byVisitor = new Map<string, RawEvent[]>();
  for (const raw of events) {
    const own = byVisitor.get(raw.anonymousId);
    if (own) own.push(raw);
    else byVisitor.set(raw.anonymousId, [raw]);
  }
  const headers = { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT };
  return [...byVisitor.entries()].flatMap(([key, own]) =>
    Array.from({ length: Math.ceil(own.length / EVENTS_PER_RECORD) }, (_, i) => ({
      key,
      value: encodeRawEventBatch(own.slice(i * EVENTS_PER_RECORD, (i + 1) * EVENTS_PER_RECORD)),
      headers,
    })),
  );
}
