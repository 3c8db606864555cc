import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRfmPopulation, scoreCustomer, type RfmCustomerValues } from './rfm-scoring.js';
import { DEFAULT_QUINTILE_MIN_BUYERS, fixedFrequencyScore, fixedMonetaryScore, fixedRecencyScore, scoringFor } from './rfm-scoring-rule.js';

const DAY = 86_400_000;
const AS_OF = new Date('2026-12-01T00:00:00Z');

/** Revenue in 1/10 000, as the population statement reads it. */
const units = (revenue: number) => BigInt(Math.round(revenue * 10_000));
const buyer = (frequency: number, revenue: number, daysAgo: number): RfmCustomerValues => ({
  frequency,
  monetary: revenue,
  monetary_units: units(revenue),
  last_ms: AS_OF.getTime() - daysAgo * DAY,
});

const values = fc
  .record({
    frequency: fc.integer({ min: 0, max: 50 }),
    cents: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.constant(0), fc.integer({ min: 0, max: 100_000_000_000_000 })),
    last_ms: fc.option(fc.integer({ min: AS_OF.getTime() - 3_650 * DAY, max: AS_OF.getTime() - 1 }), { nil: null }),
  })
  .map(({ frequency, cents, last_ms }): RfmCustomerValues => ({ frequency, monetary: cents / 100, monetary_units: BigInt(cents) * 100n, last_ms }));

describe('scoreCustomer with quintiles', () => {
  it('scores a member of the population 1–5 and agrees with the rank definition of GET /rfm (strictly worse buyers)', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 40 }), (rows) => {
        const pop = buildRfmPopulation(rows.map((v, i) => [`c${i}`, v]));
        const buyers = rows.filter((v) => v.frequency > 0 && v.last_ms !== null);
        const days = (v: RfmCustomerValues) => Math.floor((AS_OF.getTime() - (v.last_ms as number)) / DAY);
        rows.forEach((v, i) => {
          const s = scoreCustomer(pop, `c${i}`, AS_OF, 1);
          expect(s.population).toBe(buyers.length);
          if (v.frequency === 0 || v.last_ms === null) {
            expect([s.r, s.f, s.m, s.segment]).toEqual([null, null, null, 'No purchase yet']);
            return;
          }
          expect(s.scoring).toBe('quintiles');
          const score = (worse: number) => 1 + Math.floor((5 * worse) / buyers.length);
          expect([s.r, s.f, s.m]).toEqual([
            score(buyers.filter((b) => days(b) > days(v)).length),
            score(buyers.filter((b) => b.frequency < v.frequency).length),
            score(buyers.filter((b) => b.monetary < v.monetary).length),
          ]);
          for (const x of [s.r, s.f, s.m]) expect(x! >= 1 && x! <= 5).toBe(true);
        });
      }),
    );
  });

  it('a customer the population does not hold is unscored', () => {
    expect(scoreCustomer(buildRfmPopulation([['c1', buyer(1, 5, 1)]]), 'new', AS_OF, 1)).toEqual({
      recency_days: null, frequency: 0, monetary: 0, r: null, f: null, m: null, segment: 'No purchase yet', population: 1, scoring: 'quintiles',
    });
  });
});

describe('the rule: quintiles from 100 buyers on, fixed thresholds below', () => {
  it('switches at the documented population', () => {
    expect(DEFAULT_QUINTILE_MIN_BUYERS).toBe(100);
    expect([0, 1, 99].map((n) => scoringFor(n, 100))).toEqual(['fixed_thresholds', 'fixed_thresholds', 'fixed_thresholds']);
    expect([100, 1000].map((n) => scoringFor(n, 100))).toEqual(['quintiles', 'quintiles']);
  });

  it('recency thresholds: ≤ 30 days 5, ≤ 90 4, ≤ 180 3, ≤ 365 2, beyond 1', () => {
    const at = [0, 30, 31, 90, 91, 180, 181, 365, 366, 100_000];
    expect(at.map(fixedRecencyScore)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('frequency: orders, 5 and more → 5', () => {
    expect([1, 2, 3, 4, 5, 6, 1_000_000].map(fixedFrequencyScore)).toEqual([1, 2, 3, 4, 5, 5, 5]);
  });

  it('monetary: revenue in average orders, rounded half up, within 1–5; no revenue at all → 1', () => {
    // Average order 100 (1000 over 10 orders): 49.99 → 0.4999 → 1; 149.99 → 1; 150 → 1.5 → 2; 250 → 3; 449.99 → 4; 450 → 5; 10⁹ → 5.
    const m = (revenue: number) => fixedMonetaryScore(units(revenue), units(1000), 10);
    expect([0, 49.99, 149.99, 150, 250, 449.99, 450, 1e9].map(m)).toEqual([1, 1, 1, 2, 3, 4, 5, 5]);
    expect(fixedMonetaryScore(0n, 0n, 3)).toBe(1);
  });

  it('every score stays within 1–5 for any population below the threshold (hostile sizes included)', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 60 }), (rows) => {
        const pop = buildRfmPopulation(rows.map((v, i) => [`c${i}`, v]));
        rows.forEach((v, i) => {
          const s = scoreCustomer(pop, `c${i}`, AS_OF, DEFAULT_QUINTILE_MIN_BUYERS);
          expect(s.scoring).toBe('fixed_thresholds');
          if (v.frequency === 0 || v.last_ms === null) return expect(s.r).toBeNull();
          for (const x of [s.r, s.f, s.m]) expect(Number.isInteger(x) && x! >= 1 && x! <= 5).toBe(true);
        });
      }),
    );
  });
});

/*
 * Small shops, by hand, as of 2026-12-01 00:00 with the default rule (fewer than 100 buyers → fixed thresholds).
 * FM = floor((F + M + 1) / 2); segments as in docs/api-customers.md (first rule that holds).
 */
describe('small shops (fixed thresholds), by hand', () => {
  const score = (customers: Array<[string, RfmCustomerValues]>) => {
    const pop = buildRfmPopulation(customers);
    return Object.fromEntries(customers.map(([id]) => {
      const s = scoreCustomer(pop, id, AS_OF, DEFAULT_QUINTILE_MIN_BUYERS);
      return [id, [s.r, s.f, s.m, s.segment, s.scoring]];
    }));
  };

  it('1 buyer who bought seconds ago is New (quintiles said r1 f1 m1 "Lost")', () => {
    // 0 days → R5; 1 order → F1; 49.90 = 1 average order → M1; FM 1 → New (R ≥ 4, FM = 1).
    const pop = buildRfmPopulation([['b1', { ...buyer(1, 49.9, 0), last_ms: AS_OF.getTime() - 10_000 }]]);
    expect(scoreCustomer(pop, 'b1', AS_OF, DEFAULT_QUINTILE_MIN_BUYERS)).toEqual({
      recency_days: 0, frequency: 1, monetary: 49.9, r: 5, f: 1, m: 1, segment: 'New', population: 1, scoring: 'fixed_thresholds',
    });
    expect(scoreCustomer(pop, 'b1', AS_OF, 1)).toMatchObject({ r: 1, f: 1, m: 1, segment: 'Lost', scoring: 'quintiles' });
  });

  it('2 buyers', () => {
    // Average order 150 / 3 = 50. A: 3 days → R5, 2 orders → F2, 120 = 2.4 orders → M2, FM 2 → Potential loyalist.
    // B: 200 days → R2, F1, 30 = 0.6 → M1, FM 1 → Hibernating (R = 2, FM ≤ 2).
    expect(score([['A', buyer(2, 120, 3)], ['B', buyer(1, 30, 200)]])).toEqual({
      A: [5, 2, 2, 'Potential loyalist', 'fixed_thresholds'],
      B: [2, 1, 1, 'Hibernating', 'fixed_thresholds'],
    });
  });

  it('5 buyers', () => {
    // 13 orders, 1300 → average order 100.
    //   c1 1 d, 6 orders, 600 (6.0 → 5)      R5 F5 M5 FM 5 Champions
    //   c2 45 d, 3 orders, 300 (3.0)          R4 F3 M3 FM 3 Loyal (FM < 4: not Champions)
    //   c3 100 d, 1 order, 100 (1.0)          R3 F1 M1 FM 1 Potential loyalist (R < 4: not New)
    //   c4 300 d, 2 orders, 250 (2.5 → 3)     R2 F2 M3 FM 3 At risk
    //   c5 400 d, 1 order, 50 (0.5 → 1)       R1 F1 M1 FM 1 Lost
    expect(score([['c1', buyer(6, 600, 1)], ['c2', buyer(3, 300, 45)], ['c3', buyer(1, 100, 100)], ['c4', buyer(2, 250, 300)], ['c5', buyer(1, 50, 400)]])).toEqual({
      c1: [5, 5, 5, 'Champions', 'fixed_thresholds'],
      c2: [4, 3, 3, 'Loyal', 'fixed_thresholds'],
      c3: [3, 1, 1, 'Potential loyalist', 'fixed_thresholds'],
      c4: [2, 2, 3, 'At risk', 'fixed_thresholds'],
      c5: [1, 1, 1, 'Lost', 'fixed_thresholds'],
    });
  });
});
