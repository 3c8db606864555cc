import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryable, parseRetryAfter } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt, with jitter between half and the full step', () => {
    expect(backoffDelay(0, 0)).toBe(500);
    expect(backoffDelay(0, 1)).toBe(1000);
    expect(backoffDelay(3, 0)).toBe(4000);
    expect(backoffDelay(3, 0.5)).toBe(6000);
  });

  it('is capped', () => {
    expect(backoffDelay(30, 1)).toBe(300_000);
    expect(backoffDelay(30, 0)).toBe(150_000);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelay(0, 0, 30_000)).toBe(30_000);
    expect(backoffDelay(10, 1, 30_000)).toBe(300_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('0.5')).toBe(500);
  });
  it('reads absent, HTTP-date and unreadable values as 0 (the ordinary backoff applies)', () => {
    expect(parseRetryAfter(null)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT')).toBe(0);
    expect(parseRetryAfter('soon')).toBe(0);
  });
});

describe('isRetryable', () => {
  it('retries network errors, 5xx, 408 and 429; not other 4xx', () => {
    expect([0, 500, 502, 503, 504, 408, 429].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryable)).toBe(false);
  });
});
