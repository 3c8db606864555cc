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
    expect(backoffDelay(30, 0, 0, 1000, 10_000)).toBe(5000);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelay(0, 0, 30_000)).toBe(30_000);
    expect(backoffDelay(10, 1, 30_000)).toBe(300_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });
  it('ignores absent, past and unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBe(0);
  });
});

describe('isRetryable', () => {
  it('retries network errors, 5xx, 408, 425 and 429; not other 4xx', () => {
    expect([0, 500, 502, 503, 504, 408, 425, 429].every(isRetryable)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryable)).toBe(false);
  });
});
