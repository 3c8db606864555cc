import type { ClientEvent } from '@spoor/events';
import { MAX_EVENTS_PER_BATCH, TRANSPORT_BUDGET } from './limits.js';

/** The wire envelope (`batchEnvelopeSchema` in @spoor/events). */
export function envelope(writeKey: string, sentAt: number, events: ClientEvent[]): string {
  return JSON.stringify({ writeKey, sentAt, events });
}

/** UTF-8 size of a string: transports budget bytes, not UTF-16 code units. */
export const byteSize = (s: string): number => new Blob([s]).size;

/**
 * How many of the first events fit one request: the envelope (`overhead` bytes without events)
 * within `budget` bytes and at most 200 events. Never 0 for a non-empty list: an event too large for
 * the budget on its own travels alone (the caller then sends it without keepalive, which the 64 KiB
 * limit does not bind).
 */
export function firstBatch(events: ClientEvent[], overhead: number, budget: number = TRANSPORT_BUDGET): number {
  let n = 0;
  // each event adds its bytes and a comma
  let size = overhead;
  while (n < events.length && n < MAX_EVENTS_PER_BATCH && ((size += byteSize(JSON.stringify(events[n])) + 1) <= budget || !n)) n++;
  return n;
}
