import { spoor } from './generated/spoor.js';

/** Protobuf messages that travel on Kafka. Re-exported under short names; see proto/spoor.proto. */
export const RawEventMessage = spoor.v1.RawEvent;
export const DeadLetterMessage = spoor.v1.DeadLetter;
export const RawEventOrigin = spoor.v1.RawEvent.Origin;
export type RawEventOrigin = spoor.v1.RawEvent.Origin;

/** A RawEvent as plain data, every field present. */
export interface RawEvent {
  eventId: string;
  type: string;
  anonymousId: string;
  siteId: string;
  eventJson: string;
  deviceTs: number;
  sentAt: number;
  receivedAt: number;
  clientIp: string;
  userAgent: string;
  collectorId: string;
  origin: RawEventOrigin;
}

export interface DeadLetter {
  original: Uint8Array;
  reason: string;
  stage: string;
  failedAt: number;
  siteId: string;
  source: string;
}

export function encodeRawEvent(event: RawEvent): Uint8Array {
  return RawEventMessage.encode(event).finish();
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

export function decodeRawEvent(bytes: Uint8Array): Decoded<RawEvent> {
  try {
    const message = RawEventMessage.decode(bytes);
    const value = RawEventMessage.toObject(message, { defaults: true, longs: Number, enums: Number }) as RawEvent;
    if (!value.eventId || !value.eventJson) return { ok: false, error: 'RawEvent without event_id or event_json' };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: `undecodable RawEvent: ${(err as Error).message}` };
  }
}

export function encodeDeadLetter(letter: DeadLetter): Uint8Array {
  return DeadLetterMessage.encode(letter).finish();
}

export function decodeDeadLetter(bytes: Uint8Array): Decoded<DeadLetter> {
  try {
    const message = DeadLetterMessage.decode(bytes);
    return { ok: true, value: DeadLetterMessage.toObject(message, { defaults: true, longs: Number, bytes: Uint8Array }) as DeadLetter };
  } catch (err) {
    return { ok: false, error: `undecodable DeadLetter: ${(err as Error).message}` };
  }
}
