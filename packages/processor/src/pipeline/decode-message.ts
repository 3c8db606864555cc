import { decodeRawEvent, validateEvent, type ClientEvent, type RawEvent } from '@spoor/events';
import { dlq, ok, type StepResult } from './step-result.js';

export interface DecodedEvent {
  raw: RawEvent;
  event: ClientEvent;
}

/** Largest Kafka value we try to decode; the collector never produces anything near it. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Kafka value → protobuf RawEvent → zod-validated client event. The collector validated already, but the log
 * is a boundary too: an old producer, a bug or a hand-written message must land in the DLQ, not in ClickHouse.
 */
export function decodeMessage(value: Uint8Array): StepResult<DecodedEvent> {
  if (value.byteLength > MAX_MESSAGE_BYTES) return dlq('processor.decode', `message of ${value.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  const decoded = decodeRawEvent(value);
  if (!decoded.ok) return dlq('processor.decode', decoded.error);
  const raw = decoded.value;
  let json: unknown;
  try {
    json = JSON.parse(raw.eventJson);
  } catch (err) {
    return dlq('processor.decode', `event_json is not JSON: ${(err as Error).message}`, raw);
  }
  const validated = validateEvent(json, { allowServerOnlyTypes: true });
  if (!validated.ok) return dlq('processor.validate', validated.error, raw);
  const event = validated.value;
  if (event.id.toLowerCase() !== raw.eventId.toLowerCase()) return dlq('processor.validate', `event_id: "${raw.eventId}" differs from event_json id "${event.id}"`, raw);
  if (!raw.siteId) return dlq('processor.validate', 'site_id: missing', raw);
  return ok({ raw, event });
}
