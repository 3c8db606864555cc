import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRawEvent, encodeDeadLetter, encodeRawEvent, frameRawEventBatch, rawEventsOfRecord, RAW_EVENT_BATCH_FORMAT, RawEventOrigin, VALUE_FORMAT_HEADER, type RawEvent } from '@spoor/events';
import { createFileEventLog, type LoggedMessage } from '@spoor/infra';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eraseFromLog } from './erase-from-log.js';

const rawEvent = (anonymousId: string, extra: Record<string, unknown> = {}, siteId = 'shop'): RawEvent => {
  const id = randomUUID();
  return {
    eventId: id,
    type: typeof extra.type === 'string' ? extra.type : 'page_view',
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

  it('removes exactly the subject’s events whatever the ids (generated: unicode, look-alike prefixes, shared batches)', async () => {
    const id = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(id, id, fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.nat(3)), { minLength: 1, maxLength: 12 }), async (customer, anon, plan) => {
        fc.pre(customer !== anon);
        const dir = mkdtempSync(join(tmpdir(), 'spoor-erase-log-prop-'));
        const log = createFileEventLog({ dir, retryDelayMs: 10 });
        try {
          const producer = await log.producer();
          const expectedKept: string[] = [];
          const batchHeaders = { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT };
          // Each record: the subject's event (by customer id or by anonymous id) or not, batched with up to 3 others'
          // events whose ids extend the subject's (`${customer}5`): a prefix must not take them.
          for (const [i, [mine, byCustomer, others]] of plan.entries()) {
            const events: RawEvent[] = [];
            if (mine) events.push(byCustomer ? rawEvent(`device-${i}`, { customerId: customer }) : rawEvent(anon));
            for (let k = 0; k < others; k++) {
              const other = rawEvent(`${anon}${k}`, { customerId: `${customer}${k}` });
              events.push(other);
              expectedKept.push(other.eventId);
            }
            if (events.length) await producer.send('raw', [{ key: `r${i}`, value: frameRawEventBatch(events.map(encodeRawEvent)), headers: batchHeaders }]);
          }
          await eraseFromLog(log, { raw: 'raw', deadLetter: 'dlq' }, { site: 'shop', customerId: customer, anonymousIds: [anon] });
          const kept: string[] = [];
          const consumer = await log.consumer({ groupId: 'g', topics: ['raw'], fromBeginning: true });
          let last = Date.now();
          void consumer.run(async (batch) => {
            for (const m of batch.messages) {
              const parts = rawEventsOfRecord(m.value, m.headers);
              if (parts.ok) for (const p of parts.value) {
                const d = decodeRawEvent(p);
                if (d.ok) kept.push(d.value.eventId);
              }
            }
            last = Date.now();
            return 'commit';
          });
          while (Date.now() - last < 150) await new Promise((r) => setTimeout(r, 25));
          await consumer.stop();
          expect(kept.sort()).toEqual(expectedKept.sort());
        } finally {
          await log.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
