import type { ClientEvent } from '@spoor/events';

/** The wire envelope (`batchEnvelopeSchema` in @spoor/events). */
export function envelope(writeKey: string, sentAt: number, events: ClientEvent[]): string {
  return JSON.stringify({ writeKey, sentAt, events });
}

/** UTF-8 size of a string: transports budget bytes, not UTF-16 code units. */
export const byteSize = (s: string): number => new Blob([s]).size;

/**
 * Splits events into consecutive batches whose serialised envelope fits `budget` bytes and holds at
 * most `maxCount` events. An event too large for the budget on its own travels alone (the caller then
 * sends it without keepalive, which is not bound by the 64 KiB limit).
 */
export function splitBatches(events: ClientEvent[], budget: number, maxCount: number, writeKey: string, sentAt: number): ClientEvent[][] {
  const out: ClientEvent[][] = [];
  let cur: ClientEvent[] = [];
  // envelope overhead plus one comma per event; measured once, events are measured one by one
  let size = byteSize(envelope(writeKey, sentAt, []));
  for (const e of events) {
    const n = byteSize(JSON.stringify(e)) + 1;
    if (cur.length && (size + n > budget || cur.length >= maxCount)) {
      out.push(cur);
      cur = [];
      size = byteSize(envelope(writeKey, sentAt, []));
    }
    cur.push(e);
    size += n;
  }
  if (cur.length) out.push(cur);
  return out;
}
