import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeDeadLetter, encodeRawEvent, frameRawEventBatch, RAW_EVENT_BATCH_FORMAT, RawEventOrigin, VALUE_FORMAT_HEADER, type RawEvent } from '@spoor/events';
import { createFileEventLog, type LoggedMessage } from '@spoor/infra';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eraseFromLog } from './erase-from-log.js';

const rawEvent = (anonymousId: string, extra: Record<string, unknown> = {}, siteId = 'shop'): RawEvent => {
  const id = randomUUID();
  return {
    eventId: id,
    type: String(extra.type ?? 'page_view'),
    anonymousId,
    siteId,
    eventJson: JSON.stringify({ id, type: 'page_view', ts: 1_763_800_000_000, anonymousId, sessionId: 's', url: 'https://shop.example/', ...extra }),
    deviceTs: 1_763_800_000_000,
    sentAt: 1_763_800_000_000,
    receivedAt: 1_763_800_000_000,
    clientIp: '198.51.100.0',
    userAgent: 'UA',
    collectorId: 'c',
    origin: RawEventOrigin.BROWSER,
  };
};
describe('erasing from the file log', () => {
  it('removes the person’s records and dead letters, rewrites a mixed batch keeping the others’ events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoor-erase-log-'));
    const log = createFileEventLog({ dir, retryDelayMs: 10 });
    try {
      const producer = await log.producer();
      const mine = rawEvent('anon-a', { customerId: 'cust-1004' });
      const theirs = rawEvent('anon-z');
      const batchHeaders = { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT };
      await producer.send('raw', [
        { key: 'anon-a', value: frameRawEventBatch([encodeRawEvent(mine), encodeRawEvent(rawEvent('anon-a'))]), headers: batchHeaders },
        { key: 'mixed', value: frameRawEventBatch([encodeRawEvent(rawEvent('anon-b')), encodeRawEvent(theirs)]), headers: batchHeaders },
        { key: 'anon-q', value: encodeRawEvent(rawEvent('anon-q', { customerId: 'cust-10045' })) },
      ]);
      const letter = (original: Uint8Array) => ({ key: 'shop', value: encodeDeadLetter({ original, reason: 'bad', stage: 'collector', failedAt: 1, siteId: 'shop', source: 'events[0]' }) });
      await producer.send('dlq', [
        letter(Buffer.from(JSON.stringify({ type: 'nope', anonymousId: 'anon-a', props: { email: 'x@y.example' } }))),
        letter(Buffer.from(JSON.stringify({ type: 'nope', anonymousId: 'anon-q', customerId: 'cust-10045' }))),
        letter(encodeRawEvent(rawEvent('anon-b'))),
      ]);

      const summary = await eraseFromLog(log, { raw: 'raw', deadLetter: 'dlq' }, { site: 'shop', customerId: 'cust-1004', anonymousIds: ['anon-a', 'anon-b'] });
      expect(summary).toBe('raw: 1 records removed, 1 rewritten; dlq: 2 removed');
      for (const topic of ['raw', 'dlq']) {
        for (const f of readdirSync(join(dir, topic)).filter((n) => n.endsWith('.log'))) {
          const bytes = readFileSync(join(dir, topic, f));
          for (const needle of ['cust-1004"', 'anon-a', 'anon-b', 'x@y.example']) expect([f, needle, bytes.includes(Buffer.from(needle))]).toEqual([f, needle, false]);
        }
      }
      const got: LoggedMessage[] = [];
      const consumer = await log.consumer({ groupId: 'g', topics: ['raw'], fromBeginning: true });
      await new Promise<void>((resolve) => {
        void consumer.run(async (batch) => {
          got.push(...batch.messages);
          if (got.length >= 2) resolve();
          return 'commit';
        });
      });
      await consumer.stop();
      expect(got.map((m) => [m.offset, m.key])).toEqual([['1', 'mixed'], ['2', 'anon-q']]);
      const { rawEventsOfRecord, decodeRawEvent } = await import('@spoor/events');
      const parts = rawEventsOfRecord(got[0]!.value, got[0]!.headers);
      expect(parts.ok && parts.value.map((p) => (decodeRawEvent(p) as { ok: true; value: RawEvent }).value.eventId)).toEqual([theirs.eventId]);
    } finally {
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
