import { encodeDeadLetter, encodeRawEvent, LIMITS, type ClientEvent, type RawEventOrigin } from '@spoor/events';
import type { LogMessage } from '@spoor/infra';

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

/** A validated event as a protobuf RawEvent, keyed by anonymous id so a visitor's events stay in order. */
export function rawEventMessage(event: ClientEvent, sentAt: number, context: ServerContext): LogMessage {
  const value = encodeRawEvent({
    eventId: event.id,
    type: event.type,
    anonymousId: event.anonymousId,
    siteId: context.siteId,
    eventJson: JSON.stringify(event),
    deviceTs: event.ts,
    sentAt,
    receivedAt: context.receivedAt,
    clientIp: context.clientIp,
    userAgent: context.userAgent,
    collectorId: context.collectorId,
    origin: context.origin,
  });
  return { key: event.anonymousId, value };
}

/** A rejected input for the dead-letter topic, with the bytes as received and why it was refused. */
export function deadLetterMessage(original: Uint8Array, reason: string, context: Pick<ServerContext, 'siteId' | 'receivedAt'>, source: string): LogMessage {
  const value = encodeDeadLetter({ original, reason, stage: 'collector', failedAt: context.receivedAt, siteId: context.siteId, source });
  return { key: context.siteId, value };
}
