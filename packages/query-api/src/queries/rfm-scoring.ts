import { NO_PURCHASE_SEGMENT, type CustomerSegment, type RfmSegment } from './rfm.js';

/**
 * The RFM scoring rules in TypeScript, for scoring one customer against a cached population
 * (the customer profile). They mirror the SQL of queries/rfm.ts; rfm.integration.test.ts checks
 * both give the same answer for every score combination and every fixture customer.
 */

/** 1 + floor(5 × W / N): W buyers strictly worse, N buyers in all. */
export function quintileScore(strictlyWorse: number, population: number): number {
  if (population <= 0) return 1;
  return 1 + Math.floor((5 * strictlyWorse) / population);
}

export function segmentOf(r: number, f: number, m: number): RfmSegment {
  const fm = Math.floor((f + m + 1) / 2);
  if (r >= 4 && fm >= 4) return 'Champions';
  if (r >= 3 && fm >= 3) return 'Loyal';
  if (r === 1 && fm >= 4) return "Can't lose";
  if (r <= 2 && fm >= 3) return 'At risk';
  if (r >= 4 && fm === 1) return 'New';
  if (r >= 3) return 'Potential loyalist';
  if (r === 2) return 'Hibernating';
  return 'Lost';
}

/** Index of the first element >= value in an ascending array. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > value in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every buyer's recency (days), frequency and monetary, each ascending. Customers who never bought are not in it. */
export interface RfmPopulation {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export interface RfmScores {
  r: number | null;
  f: number | null;
  m: number | null;
  segment: CustomerSegment;
}

/** A customer without purchases is not scored; a buyer ranks among the buyers (fewer days is better). */
export function scoreAgainst(population: RfmPopulation, own: { recency_days: number | null; frequency: number; monetary: number }): RfmScores {
  if (own.frequency <= 0 || own.recency_days === null) return { r: null, f: null, m: null, segment: NO_PURCHASE_SEGMENT };
  const n = population.frequency.length;
  const r = quintileScore(n - upperBound(population.recency, own.recency_days), n);
  const f = quintileScore(lowerBound(population.frequency, own.frequency), n);
  const m = quintileScore(lowerBound(population.monetary, own.monetary), n);
  return { r, f, m, segment: segmentOf(r, f, m) };
}
