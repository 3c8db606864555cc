import { describe, expect, it } from 'vitest';
import { createFailedKeyLimiter } from './failed-key-limiter.js';

describe('failed key limiter', () => {
  it('lets an address fail `burst` times, then asks it to wait until a token is earned back', () => {
    let now = 0;
    const limiter = createFailedKeyLimiter({ burst: 3, perSecond: 2, now: () => now });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterSeconds('a')).toBe(0);
      limiter.recordFailure('a');
    }
    expect(limiter.retryAfterSeconds('a')).toBeCloseTo(0.5);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    now += 500;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeCloseTo(0.5);
    now += 60_000;
    // Refills only up to the burst.
    for (let i = 0; i < 3; i += 1) limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBeGreaterThan(0);
  });
  it('forgets the least recently failing addresses beyond its bound', () => {
    const limiter = createFailedKeyLimiter({ burst: 1, perSecond: 0.001, maxAddresses: 2, now: () => 0 });
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    expect(limiter.retryAfterSeconds('c')).toBeGreaterThan(0);
  });
});
