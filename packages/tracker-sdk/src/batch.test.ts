import type { ClientEvent } from '@spoor/events';
import { describe, expect, it } from 'vitest';
import { byteSize, envelope, firstBatch } from './batch.js';

const ev = (i: number, pad = 0): ClientEvent =>
  ({ id: String(i), ts: 1, type: 'search', anonymousId: 'a', sessionId: 's', url: 'https://s.example/', props: { query: 'ü'.repeat(pad) || 'q' } });

/** Splits a backlog the way the tracker does: repeatedly takes the first batch. */
function split(events: ClientEvent[], budget: number): ClientEvent[][] {
  const out: ClientEvent[][] = [];
  while (events.length) {
    const n = firstBatch(events, byteSize(envelope('wk', 5, [])), budget);
    out.push(events.slice(0, n));
    events = events.slice(n);
  }
  return out;
}

describe('firstBatch', () => {
  it('keeps every event, in order, each batch under the byte budget (counted in UTF-8 bytes)', () => {
    const events = Array.from({ length: 300 }, (_, i) => ev(i, 200)); // 'ü' is 2 bytes in UTF-8
    const batches = split(events, 20_000);
    expect(batches.flat().map((e) => e.id)).toEqual(events.map((e) => e.id));
    for (const b of batches) expect(byteSize(envelope('wk', 5, b))).toBeLessThanOrEqual(20_000);
    // as full as the budget allows: one more event would not have fitted
    expect(byteSize(envelope('wk', 5, events.slice(0, batches[0]!.length + 1)))).toBeGreaterThan(20_000);
  });

  it('caps the number of events per batch at 200', () => {
    expect(split(Array.from({ length: 450 }, (_, i) => ev(i)), 1e9).map((b) => b.length)).toEqual([200, 200, 50]);
  });

  it('puts an event larger than the budget into a batch of its own', () => {
    expect(split([ev(1), ev(2, 5000), ev(3)], 2000).map((b) => b.map((e) => e.id))).toEqual([['1'], ['2'], ['3']]);
  });

  it('is 0 only for an empty list', () => {
    expect(firstBatch([], 50)).toBe(0);
  });
});
