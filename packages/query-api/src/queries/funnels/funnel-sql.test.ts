import { describe, expect, it } from 'vitest';
import { breakdownIndexFits, buildFunnelUnitsSql, type FunnelSpec } from './funnel-sql.js';

const DAY = 86_400_000;
const spec = (steps: number, days: number, windowDays = 90): FunnelSpec => ({
  site: 's',
  range: { from: new Date('2026-01-01T00:00:00Z'), to: new Date(Date.parse('2026-01-01T00:00:00Z') + days * DAY) },
  steps: Array.from({ length: steps }, (_, i) => ({ type: `t${i}`, filters: {} })),
  windowSeconds: windowDays * 86_400,
  order: 'non_strict',
  unit: 'visitor',
  breakdown: 'device',
  includeBots: false,
});

describe('packed breakdown index', () => {
  it('10 steps over 400 days and a 90-day window leave 14 bits: 16,383 values fit, 16,384 do not', () => {
    // 490 days of milliseconds need 36 bits; 64 - 36 - 4 (first step) - 10 (mask) = 14.
    expect(breakdownIndexFits(spec(10, 400), 2 ** 14 - 1)).toBe(true);
    expect(breakdownIndexFits(spec(10, 400), 2 ** 14)).toBe(false);
  });

  it('a range so long that no bit is left never packs, not even an empty list', () => {
    // 20M days (~55,000 years) of milliseconds need 51 bits: 64 - 51 - 4 - 10 < 1.
    expect(breakdownIndexFits(spec(10, 20_000_000), 0)).toBe(false);
  });

  it('short funnels have room for far more values', () => {
    expect(breakdownIndexFits(spec(4, 92, 1), 2 ** 20)).toBe(true);
  });

  it('a list that does not fit is refused rather than silently overflowing into the mask bits', () => {
    expect(() => buildFunnelUnitsSql(spec(10, 400), { breakdownValues: Array.from({ length: 2 ** 14 }, (_, i) => `v${i}`) })).toThrow(/do not fit/);
  });

  it('values travel as a parameter, never inside the SQL', () => {
    const { sql, params } = buildFunnelUnitsSql(spec(2, 7), { breakdownValues: ["x'); DROP TABLE events; --"] });
    expect(sql).not.toContain('DROP TABLE');
    expect(params.bd_values).toEqual(["x'); DROP TABLE events; --"]);
  });
});
