import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, decodeRawEvent, encodeDeadLetter, encodeRawEvent } from './wire.js';
import { sampleRawEvent } from './testing/sample-raw-event.js';

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
