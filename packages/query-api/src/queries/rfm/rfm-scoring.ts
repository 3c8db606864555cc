import { NO_PURCHASE_SEGMENT, type CustomerSegment, type RfmSegment } from './rfm.js';
import { fixedFrequencyScore, fixedMonetaryScore, fixedRecencyScore, scoringFor, type RfmScoring } from './rfm-scoring-rule.js';

/**
 * The RFM scoring rules in TypeScript, for scoring one customer of a cached population (the customer profile).
 * They mirror the SQL of rfm.ts over the values that same SQL computed; rfm-route.integration.test.ts and
 * customers/customers-route.integration.test.ts check both give the same answer for every customer, also right after new data.
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

const DAY_MS = 86_400_000;

/** One customer's values as rfm.ts computes them (RFM_BASE_CTES), independent of as_of. */
export interface RfmCustomerValues {
  frequency: number;
  monetary: number;
  /** Epoch ms of the last purchase (basis `purchase`) or the last activity (basis `activity`); null: never bought (purchase basis). */
  last_ms: number | null;
  /** The revenue exactly, in 1/10 000 (the fixed-threshold monetary score compares it in integers). */
  monetary_units: bigint;
}

/**
 * Every customer of a site with their values (rfm-population.ts), and the buyers' values sorted ascending, all read
 * by one statement built on RFM_BASE_CTES: the profile scores a customer who is a member of this very population, so
 * its scores are the ones GET /rfm gives for the same data (W ≤ N − 1 keeps every score within 1–5).
 */
export interface RfmPopulation {
  customers: ReadonlyMap<string, RfmCustomerValues>;
  /** Buyers' last_ms, ascending. */
  lastMs: number[];
  frequency: number[];
  monetary: number[];
  /** All buyers' revenue in 1/10 000 and their orders: the site's average order for the fixed thresholds. */
  revenueUnits: bigint;
  orders: number;
}

/** The population of `customers` (every customer /rfm lists with include=all, with their values). */
export function buildRfmPopulation(customers: Iterable<[string, RfmCustomerValues]>): RfmPopulation {
  const map = new Map(customers);
  const buyers = [...map.values()].filter((v) => v.frequency > 0 && v.last_ms !== null);
  const asc = (a: number, b: number) => a - b;
  return {
    customers: map,
    lastMs: buyers.map((b) => b.last_ms as number).sort(asc),
    frequency: buyers.map((b) => b.frequency).sort(asc),
    monetary: buyers.map((b) => b.monetary).sort(asc),
    revenueUnits: buyers.reduce((sum, b) => sum + b.monetary_units, 0n),
    orders: buyers.reduce((sum, b) => sum + b.frequency, 0),
  };
}

export interface RfmScores {
  recency_days: number | null;
  frequency: number;
  monetary: number;
  r: number | null;
  f: number | null;
  m: number | null;
  segment: CustomerSegment;
  /** Buyers of the site (ranked against, with quintiles). */
  population: number;
  /** The rule that scored the site's buyers (rfm-scoring-rule.ts). */
  scoring: RfmScoring;
}

/** Whole days from `lastMs` to as_of, as intDiv(as_of − last, 86 400 000) in rfm.ts (last < as_of always). */
const wholeDays = (asOfMs: number, lastMs: number) => Math.floor((asOfMs - lastMs) / DAY_MS);

/**
 * The scores GET /rfm gives `customerId` as of `asOf`: buyers only are scored; from `quintileMinBuyers` buyers on by
 * quintiles, W = buyers strictly worse (more whole days since; fewer orders; less revenue), below by the fixed
 * thresholds. A customer the population does not hold (no event or order counted by /rfm) is unscored with zero
 * values, as /rfm does not list them.
 */
export function scoreCustomer(population: RfmPopulation, customerId: string, asOf: Date, quintileMinBuyers: number): RfmScores {
  const n = population.frequency.length;
  const scoring = scoringFor(n, quintileMinBuyers);
  const own = population.customers.get(customerId);
  const asOfMs = asOf.getTime();
  const recency_days = own?.last_ms == null ? null : wholeDays(asOfMs, own.last_ms);
  if (!own || own.frequency <= 0 || recency_days === null) {
    return { recency_days, frequency: own?.frequency ?? 0, monetary: own?.monetary ?? 0, r: null, f: null, m: null, segment: NO_PURCHASE_SEGMENT, population: n, scoring };
  }
  if (scoring === 'fixed_thresholds') {
    const r = fixedRecencyScore(recency_days);
    const f = fixedFrequencyScore(own.frequency);
    const m = fixedMonetaryScore(own.monetary_units, population.revenueUnits, population.orders);
    return { recency_days, frequency: own.frequency, monetary: own.monetary, r, f, m, segment: segmentOf(r, f, m), population: n, scoring };
  }
  // More whole days than `recency_days` ⟺ as_of − last ≥ (recency_days + 1) days ⟺ last ≤ as_of − (recency_days + 1) days.
  const r = quintileScore(upperBound(population.lastMs, asOfMs - (recency_days + 1) * DAY_MS), n);
  const f = quintileScore(lowerBound(population.frequency, own.frequency), n);
  const m = quintileScore(lowerBound(population.monetary, own.monetary), n);
  return { recency_days, frequency: own.frequency, monetary: own.monetary, r, f, m, segment: segmentOf(r, f, m), population: n, scoring };
}
