import { encodeDeadLetter, encodeRawEvent, frameRawEventBatch, LIMITS, RAW_EVENT_BATCH_FORMAT, VALUE_FORMAT_HEADER, type ClientEvent, type RawEventOrigin } from '@spoor/events';
import { anonymiseIp, DEFAULT_IP_ANONYMISATION, type IpAnonymisation, type LogMessage } from '@spoor/infra';

/** What the collector knows about a request that the client cannot be trusted to say. */
export interface ServerContext {
  receivedAt: number;
  clientIp: string;
  userAgent: string;
  siteId: string;
  collectorId: string;
  origin: RawEventOrigin;
}

/** User agents are free text from the client; bounded like any other text field. */
export function boundedUserAgent(value: string | undefined): string {
  return (value ?? '').slice(0, LIMITS.maxTextLength);
}

/** A validated event with what the collector stamps on it. */
export interface AcceptedEvent {
  event: ClientEvent;
  sentAt: number;
  context: ServerContext;
}

/** Largest RawEventBatch value of one record; well below Kafka's default 1 MiB message limit and the processor's. */
export const MAX_RECORD_BYTES = 256 * 1024;

const BATCH_HEADERS = Object.freeze({ [VALUE_FORMAT_HEADER]: RAW_EVENT_BATCH_FORMAT });

/**
 * Accepted events as Kafka records: one RawEventBatch per anonymous id of the request (split only past
 * MAX_RECORD_BYTES), keyed by the anonymous id so a visitor's events stay in one partition and in order.
 * kafkajs spends most of its CPU per record, not per byte: one record per request instead of one per event
 * is what makes producing cheap (see bench/performance-notes.md).
 */
export function rawEventRecords(accepted: readonly AcceptedEvent[], ipAnonymisation: IpAnonymisation = DEFAULT_IP_ANONYMISATION): LogMessage[] {
  const byVisitor = new Map<string, Uint8Array[]>();
  for (const { event, sentAt, context } of accepted) {
    const encoded = encodeRawEvent({
      eventId: event.id,
      type: event.type,
      anonymousId: event.anonymousId,
      siteId: context.siteId,
      eventJson: JSON.stringify(event),
      deviceTs: event.ts,
      sentAt,
      receivedAt: context.receivedAt,
      // Anonymised before the log: the full address is never written anywhere (docs/processor.md, IP anonymisation).
      clientIp: anonymiseIp(context.clientIp, ipAnonymisation),
      userAgent: context.userAgent,
      collectorId: context.collectorId,
      origin: context.origin,
    });
    const list = byVisitor.get(event.anonymousId);
    if (list) list.push(encoded);
    else byVisitor.set(event.anonymousId, [encoded]);
  }
  const records: LogMessage[] = [];
  for (const [key, encoded] of byVisitor) {
    let chunk: Uint8Array[] = [];
    let bytes = 0;
    for (const e of encoded) {
      // + 6: the tag and length varint framing each event in the batch.
      if (chunk.length && bytes + e.byteLength + 6 > MAX_RECORD_BYTES) {
        records.push({ key, value: frameRawEventBatch(chunk), headers: BATCH_HEADERS });
        chunk = [];
        bytes = 0;
      }
      chunk.push(e);
      bytes += e.byteLength + 6;
    }
    records.push({ key, value: frameRawEventBatch(chunk), headers: BATCH_HEADERS });
  }
  return records;
}

/** A rejected input for the dead-letter topic, with the bytes as received and why it was refused. */
export function deadLetterMessage(original: Uint8Array, reason: string, context: Pick<ServerContext, 'siteId' | 'receivedAt'>, source: string): LogMessage {
  const value = encodeDeadLetter({ original, reason, stage: 'collector', failedAt: context.receivedAt, siteId: context.siteId, source });
  return { key: context.siteId, value };
}
