import { describe, expect, it } from 'vitest';
import { encodeRawEventBatch, frameRawEventBatch, RAW_EVENT_BATCH_FORMAT, RawEventBatchMessage, rawEventsOfRecord, splitRawEventBatch, VALUE_FORMAT_HEADER } from './raw-event-batch.js';
import { decodeRawEvent, encodeRawEvent } from './wire.js';
import { sampleRawEvent } from './testing/sample-raw-event.js';


const events = [
  sampleRawEvent(),
  sampleRawEvent({ eventId: '1b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4', eventJson: 'x'.repeat(300) }),
  sampleRawEvent({ eventId: '2b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4', userAgent: 'U'.repeat(20_000) }),
];

describe('RawEventBatch', () => {
  it('frames encoded RawEvents exactly as the generated protobuf code encodes the batch', () => {
    const framed = frameRawEventBatch(events.map(encodeRawEvent));
    expect(Buffer.from(framed).equals(Buffer.from(RawEventBatchMessage.encode({ events }).finish()))).toBe(true);
    expect(encodeRawEventBatch(events)).toEqual(framed);
    // And the generated decoder reads it back.
    expect(RawEventBatchMessage.decode(framed).events).toHaveLength(3);
  });

  it('splits a batch into each event’s own RawEvent bytes', () => {
    const encoded = events.map(encodeRawEvent);
    const split = splitRawEventBatch(frameRawEventBatch(encoded));
    expect(split.ok && split.value.map((b) => Buffer.from(b).toString('hex'))).toEqual(encoded.map((b) => Buffer.from(b).toString('hex')));
    expect(split.ok && split.value.map((b) => decodeRawEvent(b))).toEqual(events.map((value) => ({ ok: true, value })));
  });

  it('skips unknown fields and keeps an undecodable event as bytes for its own dead letter', () => {
    const garbage = new Uint8Array([0xff, 0xff, 0xff]);
    const framed = frameRawEventBatch([encodeRawEvent(events[0]!), garbage]);
    // Unknown field 2 (varint) and 3 (length-delimited) as a newer producer might add them.
    const withUnknown = new Uint8Array([...framed, 0x10, 0x96, 0x01, 0x1a, 0x02, 0x61, 0x62]);
    const split = splitRawEventBatch(withUnknown);
    expect(split.ok && split.value.length).toBe(2);
    expect(split.ok && decodeRawEvent(split.value[0]!).ok).toBe(true);
    expect(split.ok && Array.from(split.value[1]!)).toEqual([0xff, 0xff, 0xff]);
  });

  it('reports a truncated, malformed or empty envelope instead of throwing', () => {
    const framed = frameRawEventBatch([encodeRawEvent(events[0]!)]);
    expect(splitRawEventBatch(framed.subarray(0, framed.length - 5))).toMatchObject({ ok: false, error: expect.stringMatching(/runs past the end/) });
    expect(splitRawEventBatch(new Uint8Array([0x0a, 0xff]))).toMatchObject({ ok: false, error: expect.stringMatching(/truncated varint/) });
    expect(splitRawEventBatch(new Uint8Array([0x0f, 0x00]))).toMatchObject({ ok: false, error: expect.stringMatching(/wire type/) });
    expect(splitRawEventBatch(new Uint8Array())).toEqual({ ok: false, error: 'RawEventBatch without events' });
  });

  it('reads a record by its value-format header: absent is one RawEvent, the batch format is split, others refused', () => {
    const single = encodeRawEvent(events[0]!);
    expect(rawEventsOfRecord(single)).toEqual({ ok: true, value: [single] });
    expect(rawEventsOfRecord(single, {})).toEqual({ ok: true, value: [single] });
    const batch = rawEventsOfRecord(encodeRawEventBatch(events), { [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT });
    expect(batch.ok && batch.value.length).toBe(3);
    expect(rawEventsOfRecord(single, { [VALUE_FORMAT_HEADER]: 'raw-event-batch.v9' })).toEqual({ ok: false, error: 'unknown spoor-value header "raw-event-batch.v9"' });
  });
});
