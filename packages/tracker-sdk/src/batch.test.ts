import type { ClientEvent } from '@spoor/events';
import { describe, expect, it } from 'vitest';
import { byteSize, envelope, splitBatches } from './batch.js';

const ev = (i: number, pad = 0): ClientEvent =>
  ({ id: String(i), ts: 1, type: 'search', anonymousId: 'a', sessionId: 's', url: 'https://s.example/', props: { query: 'ü'.repeat(pad) || 'q' } }) as ClientEvent;

describe('splitBatches', () => {
  it('keeps every event, in order, each batch under the byte budget', () => {
    const events = Array.from({ length: 300 }, (_, i) => ev(i, 200)); // 'ü' is 2 bytes in UTF-8
    const batches = splitBatches(events, 20_000, 200, 'wk', 5);
    expect(batches.flat().map((e) => e.id)).toEqual(events.map((e) => e.id));
    for (const b of batches) expect(byteSize(envelope('wk', 5, b))).toBeLessThanOrEqual(20_000);
    expect(batches.length).toBeGreaterThan(1);
  });

  it('caps the number of events per batch', () => {
    const batches = splitBatches(Array.from({ length: 450 }, (_, i) => ev(i)), 1e9, 200, 'wk', 5);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
  });

  it('puts an event larger than the budget into a batch of its own', () => {
    const batches = splitBatches([ev(1), ev(2, 5000), ev(3)], 2000, 200, 'wk', 5);
    expect(batches.map((b) => b.map((e) => e.id))).toEqual([['1'], ['2'], ['3']]);
  });
});
