/**
 * Which rule scores a site's buyers, and the fixed thresholds used below the quintile population — in SQL (GET /rfm,
 * /rfm/segments) and in TypeScript (the customer profile), side by side so both stay one definition.
 *
 * Quintiles rank a buyer against the others; with a handful of buyers that ranking says nothing (the only buyer,
 * who bought seconds ago, is "strictly worse than nobody": r1 f1 m1, "Lost"). Percentile RFM tools refuse small
 * populations (Klaviyo's RFM report needs 500 buyers); Spoor instead scores small shops on fixed thresholds, which
 * mean the same thing for every shop and need no peers, and switches to quintiles once there are enough buyers for a
 * rank to be stable (at 100, each quintile holds ≥ 20 buyers and one new buyer moves a rank by ≤ 1 %).
 */
export const RFM_SCORING = ['quintiles', 'fixed_thresholds'] as const;
export type RfmScoring = (typeof RFM_SCORING)[number];

export const RFM_SCORING_DESCRIPTION =
  'The rule that scored the buyers: `quintiles` (1 + floor(5 × buyers strictly worse ÷ buyers), from 100 buyers on) or `fixed_thresholds` ' +
  '(fewer buyers: R by days since 30/90/180/365, F by orders 1–5+, M by revenue in the site’s average orders, rounded, 1–5). See docs/api-customers.md.';

/** Buyers (before as_of) from which a site is scored by quintiles; below it, by fixed thresholds. */
export const DEFAULT_QUINTILE_MIN_BUYERS = 100;

export interface RfmScoringOptions {
  /** Default DEFAULT_QUINTILE_MIN_BUYERS; 1 scores every site by quintiles (tests of the quintile rule use it). */
  quintileMinBuyers?: number;
}

export function resolveQuintileMinBuyers(options: RfmScoringOptions | undefined): number {
  const n = options?.quintileMinBuyers ?? DEFAULT_QUINTILE_MIN_BUYERS;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`quintileMinBuyers must be a positive integer, got ${n}`);
  return n;
}

export const scoringFor = (buyers: number, quintileMinBuyers: number): RfmScoring => (buyers >= quintileMinBuyers ? 'quintiles' : 'fixed_thresholds');

/**
 * Recency: R 5 up to 30 days (bought this month), 4 up to 90 (this quarter), 3 up to 180, 2 up to 365 (within the
 * year), 1 beyond a year — the usual e-commerce windows (180 days is the common "lapsed" line, a year "lost").
 */
export const RECENCY_MAX_DAYS = [30, 90, 180, 365] as const;

export function fixedRecencyScore(days: number): number {
  const index = RECENCY_MAX_DAYS.findIndex((max) => days <= max);
  return index === -1 ? 1 : 5 - index;
}

/** Frequency: the number of orders, 5 and more → 5 (one order is a trial, three a habit). */
export const fixedFrequencyScore = (orders: number): number => Math.min(Math.max(orders, 1), 5);

/**
 * Monetary: the customer's revenue counted in the site's average orders (all buyers' revenue ÷ their orders, before
 * as_of), rounded half up, within 1–5 — currency-free and on the frequency scale (a first order of a usual size is
 * 1, a customer worth three usual orders 3). Exact in integers: revenue in 1/10 000 (the Decimal(18, 4) of orders),
 * round(units × orders ÷ totalUnits) = floor((2 × units × orders + totalUnits) ÷ (2 × totalUnits)). No revenue at all: 1.
 */
export function fixedMonetaryScore(units: bigint, totalUnits: bigint, totalOrders: number): number {
  if (totalUnits <= 0n) return 1;
  const averageOrders = (2n * units * BigInt(totalOrders) + totalUnits) / (2n * totalUnits);
  return Number(averageOrders < 1n ? 1n : averageOrders > 5n ? 5n : averageOrders);
}

/** Revenue in 1/10 000 as an exact Int256 (from a Decimal sum of orders.revenue). */
export const revenueUnitsSql = (decimal: string) => `toInt256(toDecimal256(${decimal}, 4) * 10000)`;

export const fixedRecencySql = (days: string) =>
  `toUInt8(multiIf(${RECENCY_MAX_DAYS.map((max, i) => `${days} <= ${max}, ${5 - i}`).join(', ')}, 1))`;

export const fixedFrequencySql = (orders: string) => `toUInt8(least(greatest(${orders}, 1), 5))`;

export const fixedMonetarySql = (units: string, totalUnits: string, totalOrders: string) =>
  `toUInt8(if(${totalUnits} <= 0, 1, least(greatest(intDiv(2 * ${units} * toInt256(${totalOrders}) + ${totalUnits}, 2 * ${totalUnits}), 1), 5)))`;
