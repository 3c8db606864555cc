import { describe, expect, it } from 'vitest';
import { decodeRawEvent, encodeRawEvent, encodeRawEventBatch, frameRawEventBatch, RAW_EVENT_BATCH_FORMAT, VALUE_FORMAT_HEADER } from '@spoor/events';
import { syntheticRawEvent } from '../testing/synthetic-events.js';
import { decodeMessage, decodeRecord } from './decode-message.js';

const BATCH = { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT };

describe('decodeRecord', () => {
  it('reads a record without the format header as one RawEvent, as every record before batches', () => {
    const raw = syntheticRawEvent(1, { salt: 21 });
    const value = encodeRawEvent(raw);
    for (const headers of [undefined, {}, { unrelated: 'x' }] as Array<Record<string, string> | undefined>) {
      const [only, ...rest] = decodeRecord(value, headers);
      expect(rest).toEqual([]);
      expect(only!.part).toBeUndefined();
      expect(only!.original).toBe(value);
      expect(only!.result.kind === 'ok' && only!.result.value.raw.eventId).toBe(raw.eventId);
    }
  });

  it('turns a RawEventBatch into one result per event, each with its own bytes and position', () => {
    const events = [0, 1, 2].map((n) => syntheticRawEvent(n, { salt: 22 }));
    const results = decodeRecord(encodeRawEventBatch(events), BATCH);
    expect(results.map((r) => [r.result.kind, r.part])).toEqual([['ok', 0], ['ok', 1], ['ok', 2]]);
    expect(results.map((r) => (r.result.kind === 'ok' ? r.result.value.event.id : ''))).toEqual(events.map((e) => e.eventId));
    expect(results.map((r) => Buffer.from(r.original).toString('hex'))).toEqual(events.map((e) => Buffer.from(encodeRawEvent(e)).toString('hex')));
  });

  it('dead-letters one invalid or undecodable event inside a batch alone, with that event’s bytes', () => {
    const good = syntheticRawEvent(1, { salt: 23 });
    const invalid = { ...good, eventId: '5d0c8a57-5a8e-4c61-9d3c-0c7f8f0b0a02', eventJson: JSON.stringify({ ...JSON.parse(good.eventJson), id: '5d0c8a57-5a8e-4c61-9d3c-0c7f8f0b0a02', url: '' }) };
    const garbage = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]);
    const results = decodeRecord(frameRawEventBatch([encodeRawEvent(good), encodeRawEvent(invalid), garbage]), BATCH);
    expect(results.map((r) => [r.result.kind, r.part])).toEqual([['ok', 0], ['dlq', 1], ['dlq', 2]]);
    const [, second, third] = results;
    expect(second!.result).toMatchObject({ kind: 'dlq', stage: 'processor.validate', reason: expect.stringMatching(/^url: /) });
    expect(decodeRawEvent(second!.original)).toEqual({ ok: true, value: invalid });
    expect(third!.result).toMatchObject({ kind: 'dlq', stage: 'processor.decode' });
    expect(Array.from(third!.original)).toEqual(Array.from(garbage));
  });

  it('dead-letters a record whose envelope is unreadable or of an unknown format whole', () => {
    const value = frameRawEventBatch([encodeRawEvent(syntheticRawEvent(1, { salt: 24 }))]);
    const truncated = value.subarray(0, value.length - 3);
    expect(decodeRecord(truncated, BATCH)).toEqual([{ result: { kind: 'dlq', stage: 'processor.decode', reason: expect.stringMatching(/runs past the end/) }, original: truncated }]);
    expect(decodeRecord(value, { [VALUE_FORMAT_HEADER]: 'raw-event-batch.v2' })).toEqual([
      { result: { kind: 'dlq', stage: 'processor.decode', reason: 'unknown spoor-value header "raw-event-batch.v2"' }, original: value },
    ]);
  });
});

describe('decodeMessage times', () => {
  it('dead-letters a log message whose times no date or DateTime64 column holds, naming the field', () => {
    const raw = syntheticRawEvent(7, { salt: 24 });
    const cases: Array<[Partial<typeof raw>, RegExp]> = [
      [{ receivedAt: 8.64e15 + 1 }, /^received_at: /],
      [{ receivedAt: 0 }, /^received_at: /],
      [{ deviceTs: -8.64e15 }, /^device_ts: /],
      [{ deviceTs: Date.UTC(9999, 11, 31) }, /^device_ts: /],
      [{ sentAt: 9.2e18 }, /^sent_at: /],
      [{ sentAt: 1 }, /^sent_at: /],
    ];
    for (const [override, reason] of cases) {
      const result = decodeMessage(encodeRawEvent({ ...raw, ...override }));
      expect(result.kind === 'dlq' && result.reason, JSON.stringify(override)).toMatch(reason);
    }
    // 0 means "no device time" (server-made events): accepted.
    expect(decodeMessage(encodeRawEvent({ ...raw, deviceTs: 0, sentAt: 0 })).kind).toBe('ok');
  });
});

describe('decodeMessage strings', () => {
  it('dead-letters an envelope identifier the string policy forbids and repairs the user agent', () => {
    const raw = syntheticRawEvent(8, { salt: 25 });
    for (const override of [{ anonymousId: 'a\u0007' }, { siteId: 'site\u0000' }, { collectorId: '\u202ec' }]) {
      const result = decodeMessage(encodeRawEvent({ ...raw, ...override }));
      expect(result.kind === 'dlq' && result.reason, JSON.stringify(override)).toMatch(/^(anonymous_id|site_id|collector_id): /);
    }
    const repaired = decodeMessage(encodeRawEvent({ ...raw, userAgent: 'Mozilla\u0085/5.0\u0000' }));
    expect(repaired.kind === 'ok' && repaired.value.raw.userAgent).toBe('Mozilla/5.0');
  });
});
