import { decodeRawEvent, EPOCH_MS_RANGE, identifierProblem, normaliseText, rawEventsOfRecord, validateEvent, type ClientEvent, type RawEvent } from '@spoor/events';
import type { LogHeaders } from '@spoor/infra';
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
  const badTime = implausibleTime(raw);
  if (badTime) return dlq('processor.validate', badTime, raw);
  // The envelope's own strings obey the string policy as the event's do (the collector writes only such): an
  // identifier that does not is dead-lettered, the user agent (free text) is repaired.
  for (const [name, value] of [['site_id', raw.siteId], ['anonymous_id', raw.anonymousId], ['type', raw.type], ['collector_id', raw.collectorId]] as const) {
    const problem = value ? identifierProblem(value) : undefined;
    if (problem) return dlq('processor.validate', `${name}: ${problem}`, raw);
  }
  raw.userAgent = normaliseText(raw.userAgent);
  return ok({ raw, event });
}

/**
 * The collector stamps its receipt time and copies the contract-checked device times; a log message written by
 * anything else may hold times no date or DateTime64 column holds (which would fail the whole insert), so those are
 * dead-lettered here. 0 means "no device time" (server-made events).
 */
function implausibleTime(raw: RawEvent): string | undefined {
  const inRange = (ms: number) => Number.isSafeInteger(ms) && ms >= EPOCH_MS_RANGE.min && ms <= EPOCH_MS_RANGE.max;
  if (!inRange(raw.receivedAt)) return `received_at: ${raw.receivedAt} is not an epoch-ms time in years 2000–2100`;
  for (const [name, ms] of [['device_ts', raw.deviceTs], ['sent_at', raw.sentAt]] as const) {
    if (ms !== 0 && !inRange(ms)) return `${name}: ${ms} is not an epoch-ms time in years 2000–2100`;
  }
  return undefined;
}

/** One event of a Kafka record: its result, and its own bytes (what a dead letter keeps when it cannot be decoded). */
export interface RecordEvent {
  result: StepResult<DecodedEvent>;
  original: Uint8Array;
  /** Position inside a RawEventBatch record; absent for a record holding one RawEvent. */
  part?: number;
}

/**
 * Kafka record → its events, each decoded and validated on its own (decodeMessage): a record is one RawEvent,
 * or a RawEventBatch when its value-format header says so. One bad event in a batch is dead-lettered alone with
 * its own RawEvent bytes; only a record whose envelope cannot be read is dead-lettered whole.
 */
export function decodeRecord(value: Uint8Array, headers?: LogHeaders): RecordEvent[] {
  if (!headers) return [{ result: decodeMessage(value), original: value }];
  if (value.byteLength > MAX_MESSAGE_BYTES) return [{ result: dlq('processor.decode', `message of ${value.byteLength} bytes exceeds ${MAX_MESSAGE_BYTES}`), original: value }];
  const split = rawEventsOfRecord(value, headers);
  if (!split.ok) return [{ result: dlq('processor.decode', split.error), original: value }];
  if (split.value.length === 1 && split.value[0] === value) return [{ result: decodeMessage(value), original: value }];
  return split.value.map((bytes, part) => ({ result: decodeMessage(bytes), original: bytes, part }));
}
