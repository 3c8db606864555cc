import { spoor } from './generated/spoor.js';
import { encodeRawEvent, type Decoded, type RawEvent } from './wire.js';

/** Protobuf RawEventBatch (see proto/spoor.proto): several RawEvents of one request and one anonymous id. */
export const RawEventBatchMessage = spoor.v1.RawEventBatch;

/**
 * Kafka record header naming the format of the value. Absent: the value is one RawEvent (every record written
 * before batches existed, and any producer that does not batch). Header values are UTF-8 strings.
 */
export const VALUE_FORMAT_HEADER = 'spoor-value';
/** VALUE_FORMAT_HEADER value of a record whose value is a RawEventBatch. */
export const RAW_EVENT_BATCH_FORMAT = 'raw-event-batch.v1';

/** Field 1, wire type 2 (length-delimited): the tag byte in front of every RawEvent of a RawEventBatch. */
const EVENTS_TAG = (1 << 3) | 2;

/**
 * Frames RawEvents that are encoded already (encodeRawEvent) as a RawEventBatch. The result is byte for byte
 * what RawEventBatchMessage.encode produces, without encoding any event a second time.
 */
export function frameRawEventBatch(encoded: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of encoded) total += 1 + varintLength(e.byteLength) + e.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of encoded) {
    out[at++] = EVENTS_TAG;
    let n = e.byteLength;
    while (n > 0x7f) {
      out[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    out[at++] = n;
    out.set(e, at);
    at += e.byteLength;
  }
  return out;
}

export function encodeRawEventBatch(events: readonly RawEvent[]): Uint8Array {
  return frameRawEventBatch(events.map(encodeRawEvent));
}

/**
 * The RawEvents of a RawEventBatch as their own bytes (views into `bytes`, not copies), without decoding them:
 * each can then be decoded, validated and dead-lettered on its own. Unknown fields are skipped as protobuf
 * says; a truncated or malformed envelope is an error.
 */
export function splitRawEventBatch(bytes: Uint8Array): Decoded<Uint8Array[]> {
  const events: Uint8Array[] = [];
  let at = 0;
  try {
    while (at < bytes.byteLength) {
      const [tag, afterTag] = readVarint(bytes, at);
      if (tag > 0xffffffff || tag < 8) throw new Error(`invalid tag at byte ${at}`);
      at = afterTag;
      const wireType = tag % 8;
      if (wireType === 0) at = readVarint(bytes, at)[1];
      else if (wireType === 1) at += 8;
      else if (wireType === 5) at += 4;
      else if (wireType === 2) {
        const [length, start] = readVarint(bytes, at);
        if (start + length > bytes.byteLength) throw new Error(`field of ${length} bytes runs past the end`);
        if (tag === EVENTS_TAG) events.push(bytes.subarray(start, start + length));
        at = start + length;
      } else throw new Error(`unsupported wire type ${wireType}`);
      if (at > bytes.byteLength) throw new Error('truncated field');
    }
  } catch (err) {
    return { ok: false, error: `undecodable RawEventBatch: ${(err as Error).message}` };
  }
  if (!events.length) return { ok: false, error: 'RawEventBatch without events' };
  return { ok: true, value: events };
}

/**
 * The RawEvent bytes one Kafka record carries, by its value-format header: a RawEventBatch is split, a record
 * without the header is one RawEvent. An unknown format is an error (a newer producer than this reader).
 */
export function rawEventsOfRecord(value: Uint8Array, headers?: Readonly<Record<string, string>>): Decoded<Uint8Array[]> {
  const format = headers?.[VALUE_FORMAT_HEADER];
  if (format === undefined) return { ok: true, value: [value] };
  if (format === RAW_EVENT_BATCH_FORMAT) return splitRawEventBatch(value);
  return { ok: false, error: `unknown ${VALUE_FORMAT_HEADER} header "${format.slice(0, 100)}"` };
}

function varintLength(n: number): number {
  let length = 1;
  while (n > 0x7f) {
    n >>>= 7;
    length++;
  }
  return length;
}

/** A base-128 varint at `at`: [value, position after it]. Values past 2^53 lose precision (only lengths and tags are used). */
function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 70; shift += 7) {
    if (at >= bytes.byteLength) throw new Error('truncated varint');
    const b = bytes[at++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
  }
  throw new Error('varint longer than 10 bytes');
}
