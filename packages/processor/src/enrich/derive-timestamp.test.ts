import { describe, expect, it } from 'vitest';
import { deriveTimestamp } from './derive-timestamp.js';

describe('deriveTimestamp', () => {
  it('corrects a device clock that runs ahead: received − (sent − device)', () => {
    // Device clock 1 hour fast: event at device 11:00:00, batch sent 11:00:05 device time, received 10:00:05.2.
    const t = deriveTimestamp(Date.UTC(2026, 10, 22, 11, 0, 0), Date.UTC(2026, 10, 22, 11, 0, 5), Date.UTC(2026, 10, 22, 10, 0, 5, 200));
    expect(t).toEqual({ ts: Date.UTC(2026, 10, 22, 10, 0, 0, 200), clockSkewMs: 3_599_800, inFuture: false });
  });

  it('gives an SDK retry of the same event (later sent and received) the same ts', () => {
    const first = deriveTimestamp(1_000_000, 1_002_000, 1_002_300);
    const retry = deriveTimestamp(1_000_000, 1_062_000, 1_062_300);
    expect(retry.ts).toBe(first.ts);
  });

  it('flags, does not drop, an event that claims to be far in the future', () => {
    expect(deriveTimestamp(1_000_000 + 3_600_000, 1_000_000, 1_000_000)).toMatchObject({ ts: 4_600_000, inFuture: true });
    expect(deriveTimestamp(1_000_000 + 30_000, 1_000_000, 1_000_000).inFuture).toBe(false);
  });

  it('uses the collector time when the device gave none', () => {
    expect(deriveTimestamp(0, 0, 5_000)).toEqual({ ts: 5_000, clockSkewMs: 0, inFuture: false });
  });

  it('keeps the stated time of a trusted server import (a backfill weeks later), still flagging the future', () => {
    const twentyDaysAgo = 1_763_800_000_000 - 20 * 86_400_000;
    expect(deriveTimestamp(twentyDaysAgo, twentyDaysAgo + 9_000, 1_763_800_000_000, undefined, true)).toEqual({ ts: twentyDaysAgo, clockSkewMs: 0, inFuture: false });
    expect(deriveTimestamp(5_000_000, 5_000_000, 1_000_000, 60_000, true).inFuture).toBe(true);
  });
});
