import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreCustomer, type RfmCustomerValues, type RfmPopulation } from './rfm-scoring.js';

const DAY = 86_400_000;
const AS_OF = new Date('2026-12-01T00:00:00Z');

function population(customers: Array<[string, RfmCustomerValues]>): RfmPopulation {
  const buyers = customers.map(([, v]) => v).filter((v) => v.frequency > 0 && v.last_ms !== null);
  const asc = (a: number, b: number) => a - b;
  return {
    customers: new Map(customers),
    lastMs: buyers.map((b) => b.last_ms as number).sort(asc),
    frequency: buyers.map((b) => b.frequency).sort(asc),
    monetary: buyers.map((b) => b.monetary).sort(asc),
  };
}

const values = fc.record({
  frequency: fc.integer({ min: 0, max: 50 }),
  monetary: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1e12, noNaN: true })),
  last_ms: fc.option(fc.integer({ min: AS_OF.getTime() - 3_650 * DAY, max: AS_OF.getTime() - 1 }), { nil: null }),
});

describe('scoreCustomer', () => {
  it('scores a member of the population 1–5 and agrees with the rank definition of GET /rfm (strictly worse buyers)', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 40 }), (rows) => {
        const pop = population(rows.map((v, i) => [`c${i}`, v]));
        const buyers = rows.filter((v) => v.frequency > 0 && v.last_ms !== null);
        const days = (v: RfmCustomerValues) => Math.floor((AS_OF.getTime() - (v.last_ms as number)) / DAY);
        rows.forEach((v, i) => {
          const s = scoreCustomer(pop, `c${i}`, AS_OF);
          expect(s.population).toBe(buyers.length);
          if (v.frequency === 0 || v.last_ms === null) {
            expect([s.r, s.f, s.m, s.segment]).toEqual([null, null, null, 'No purchase yet']);
            return;
          }
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
    expect(scoreCustomer(population([['c1', { frequency: 1, monetary: 5, last_ms: AS_OF.getTime() - DAY }]]), 'new', AS_OF)).toEqual({
      recency_days: null, frequency: 0, monetary: 0, r: null, f: null, m: null, segment: 'No purchase yet', population: 1,
    });
  });
});
