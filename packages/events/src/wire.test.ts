import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeDeadLetter, encodeRawEvent, RawEventOrigin, type RawEvent } from './wire.js';

export const sampleRawEvent = (overrides: Partial<RawEvent> = {}): RawEvent => ({
  eventId: '0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4',
  type: 'page_view',
  anonymousId: 'anon-1',
  siteId: 'site-1',
  eventJson: JSON.stringify({ type: 'page_view', title: 'Żółć — 商品' }),
  deviceTs: 1_763_800_000_123,
  sentAt: 1_763_800_001_000,
  receivedAt: 1_763_800_001_456,
  clientIp: '2001:db8::1',
  userAgent: 'Mozilla/5.0',
  collectorId: 'collector-a',
  origin: RawEventOrigin.BROWSER,
  ...overrides,
});

describe('RawEvent protobuf', () => {
  it('round-trips every field, int64 millis as plain numbers', () => {
    const event = sampleRawEvent();
    const decoded = decodeRawEvent(encodeRawEvent(event));
    expect(decoded).toEqual({ ok: true, value: event });
  });

  it('reports garbage as undecodable instead of throwing', () => {
    const result = decodeRawEvent(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(result.ok).toBe(false);
  });

  it('reports a decodable message without an event id as invalid', () => {
    expect(decodeRawEvent(new Uint8Array())).toEqual({ ok: false, error: 'RawEvent without event_id or event_json' });
  });
});

describe('DeadLetter protobuf', () => {
  it('keeps the original bytes exactly', () => {
    const original = new Uint8Array([0, 1, 2, 254, 255]);
    const letter = { original, reason: 'props.price: expected number', stage: 'collector', failedAt: 1_763_800_000_000, siteId: 's', source: '' };
    const decoded = decodeDeadLetter(encodeDeadLetter(letter));
    expect(decoded.ok && Array.from(decoded.value.original)).toEqual([0, 1, 2, 254, 255]);
    expect(decoded.ok && decoded.value.reason).toBe(letter.reason);
  });
});
