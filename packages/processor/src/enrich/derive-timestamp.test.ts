import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIME_BOUNDS } from '@spoor/events';
import { deriveTimestamp } from './derive-timestamp.js';

const DAY = 86_400_000;
const NOW = 1_763_800_000_000;

describe('deriveTimestamp', () => {
  it('corrects a device clock that runs ahead: received − (sent − device)', () => {
    // Device clock 1 hour fast: event at device 11:00:00, batch sent 11:00:05 device time, received 10:00:05.2.
    const t = deriveTimestamp(Date.UTC(2026, 10, 22, 11, 0, 0), Date.UTC(2026, 10, 22, 11, 0, 5), Date.UTC(2026, 10, 22, 10, 0, 5, 200));
    expect(t).toEqual({ ts: Date.UTC(2026, 10, 22, 10, 0, 0, 200), clockSkewMs: 3_599_800, inFuture: false, adjusted: '' });
  });

  it('gives an SDK retry of the same event (later sent and received) the same ts', () => {
    const first = deriveTimestamp(NOW, NOW + 2_000, NOW + 2_300);
    const retry = deriveTimestamp(NOW, NOW + 62_000, NOW + 62_300);
    expect(retry.ts).toBe(first.ts);
  });

  it('stores an event that claims to be after its own receipt at the receipt time, flagged', () => {
    expect(deriveTimestamp(NOW + 3_600_000, NOW, NOW)).toEqual({ ts: NOW, clockSkewMs: 0, inFuture: true, adjusted: 'future' });
    expect(deriveTimestamp(NOW + 30_000, NOW, NOW)).toMatchObject({ ts: NOW + 30_000, inFuture: false, adjusted: '' });
  });

  it('the two cases seen: ts 2000 with sentAt 2100, and a purchase sent "200 days in the future", are stored at receipt', () => {
    const y2000 = Date.UTC(2000, 0, 1);
    const y2100 = Date.UTC(2100, 0, 1);
    expect(deriveTimestamp(y2000, y2100, NOW)).toMatchObject({ ts: NOW, adjusted: 'too_old' });
    expect(deriveTimestamp(NOW, NOW + 200 * DAY, NOW + 500)).toMatchObject({ ts: NOW + 500, adjusted: 'too_old' });
    // A device clock 200 days fast for the event *and* its sending is an ordinary skew: corrected, kept.
    expect(deriveTimestamp(NOW + 200 * DAY - 5_000, NOW + 200 * DAY, NOW)).toMatchObject({ ts: NOW - 5_000, adjusted: '' });
  });

  it('keeps an outbox event up to the browser backdate, not beyond', () => {
    const limit = TIME_BOUNDS.maxBrowserBackdateMs;
    expect(deriveTimestamp(NOW - limit, NOW, NOW)).toMatchObject({ ts: NOW - limit, adjusted: '' });
    expect(deriveTimestamp(NOW - limit - 1, NOW, NOW)).toMatchObject({ ts: NOW, adjusted: 'too_old' });
  });

  it('uses the collector time when the device gave none', () => {
    expect(deriveTimestamp(0, 0, 5_000)).toEqual({ ts: 5_000, clockSkewMs: 0, inFuture: false, adjusted: '' });
  });

  it('keeps the stated time of a trusted server import up to five years back, never in the future', () => {
    const twentyDaysAgo = NOW - 20 * DAY;
    expect(deriveTimestamp(twentyDaysAgo, twentyDaysAgo + 9_000, NOW, undefined, true)).toEqual({ ts: twentyDaysAgo, clockSkewMs: 0, inFuture: false, adjusted: '' });
    const oldest = NOW - TIME_BOUNDS.maxImportBackdateMs;
    expect(deriveTimestamp(oldest, NOW, NOW, undefined, true)).toMatchObject({ ts: oldest, adjusted: '' });
    expect(deriveTimestamp(oldest - 1, NOW, NOW, undefined, true)).toMatchObject({ ts: NOW, adjusted: 'too_old' });
    expect(deriveTimestamp(NOW + 5_000_000, NOW, NOW, 60_000, true)).toMatchObject({ ts: NOW, inFuture: true, adjusted: 'future' });
  });

  it('never leaves [received − max backdate, received + tolerance] for any device and sent time (fast-check)', () => {
    const extreme = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.constantFrom(8.64e15, -8.64e15, 8.64e15 + 1, Date.UTC(0, 0, 1) - 1900 * 365 * DAY, Date.UTC(9999, 11, 31), -62_167_219_200_000, 253_402_300_799_999),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 9.2e18, 0, -0, 1),
      fc.double(),
      // "NaN-ish strings" as a careless decoder would hand them on.
      fc.constantFrom('NaN', '', '1e400', '2026-11-22', '0x10', ' 12 ').map(Number),
      fc.integer({ min: NOW - 400 * DAY, max: NOW + 400 * DAY }),
    );
    const received = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(extreme, extreme, received, fc.boolean(), (deviceTs, sentAt, receivedAt, trusted) => {
        const t = deriveTimestamp(deviceTs, sentAt, receivedAt, TIME_BOUNDS.futureToleranceMs, trusted);
        const backdate = trusted ? TIME_BOUNDS.maxImportBackdateMs : TIME_BOUNDS.maxBrowserBackdateMs;
        expect(Number.isSafeInteger(t.ts)).toBe(true);
        expect(t.ts).toBeGreaterThanOrEqual(receivedAt - backdate);
        expect(t.ts).toBeLessThanOrEqual(receivedAt + TIME_BOUNDS.futureToleranceMs);
        expect(Number.isSafeInteger(t.clockSkewMs)).toBe(true);
        // A date JavaScript formats and ClickHouse's DateTime64(3) holds (years 1900–2299).
        expect(new Date(t.ts).getUTCFullYear()).toBeGreaterThanOrEqual(1999);
        expect(new Date(t.ts).getUTCFullYear()).toBeLessThanOrEqual(2100);
        if (t.adjusted) expect(t.ts).toBe(receivedAt);
      }),
      { numRuns: 5000 },
    );
  });
});
