import { describe, expect, it } from 'vitest';
import { memoryStore } from './adapters/memory-store.js';
import { takeLease } from './lease.js';

describe('send lease', () => {
  it('lets one tab at a time send, until it releases or its lease expires', () => {
    const store = memoryStore();
    const release = (me: string) => takeLease(store, 'l', me, 0, 0);
    expect(takeLease(store, 'l', 'A', 1000, 10_000)).toBe(0);
    expect(takeLease(store, 'l', 'B', 2000, 10_000)).toBe(9000);
    expect(takeLease(store, 'l', 'A', 3000, 10_000)).toBe(0);
    release('B'); // not B's to release
    expect(takeLease(store, 'l', 'B', 4000, 10_000)).toBe(9000);
    release('A');
    expect(takeLease(store, 'l', 'B', 4000, 10_000)).toBe(0);
    // B dies holding the lease; A takes over once it expired
    expect(takeLease(store, 'l', 'A', 13_999, 10_000)).toBe(1);
    expect(takeLease(store, 'l', 'A', 14_000, 10_000)).toBe(0);
  });

  it('treats an unreadable value as free', () => {
    const store = memoryStore();
    store.set('l', 'garbage');
    expect(takeLease(store, 'l', 'A', 1000, 10_000)).toBe(0);
  });
});
