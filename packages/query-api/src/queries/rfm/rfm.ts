import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { asOfParams } from '../../params/as-of-param.js';
import { isoTime } from '../shared/iso-time.js';
import { customerOf, joinPersonMap, PERSON_MAP_CTE } from '../shared/person-id.js';
import { fixedFrequencySql, fixedMonetarySql, fixedRecencySql, revenueUnitsSql, scoringFor, type RfmScoring } from './rfm-scoring-rule.js';
import { eventTypeSql } from '@spoor/infra';

/**
 * RFM over every customer of a site, as of a moment.
 *
 * Customers: every customer id (identity-stitched, shared/person-id.ts) with a non-bot event or an order
 * before `as_of`. Frequency = distinct orders, monetary = their revenue, recency = whole days from the last
 * purchase (basis `purchase`) or the last activity (basis `activity`: any non-bot event, email opens and
 * clicks included, machine-flagged opens excluded) to `as_of`.
 *
 * Only buyers (frequency ≥ 1) are scored, as RFM practice does: ranking the many customers who never bought
 * together with the buyers piles them into the bottom quintiles and squeezes every buyer into the top ones.
 * Scores 1–5, by one of two rules chosen by the number N of buyers (rfm-scoring-rule.ts): from the quintile
 * population on, quintiles with a tie rule: score = 1 + floor(5 × W / N), W = buyers with a strictly worse
 * value (equal values always share a score, the lower one of the positions they span); below it, fixed thresholds
 * on days, orders and revenue in average orders.
 * Segments from R and FM = round-half-up((F + M) / 2), first match wins — see SEGMENT_SQL and
 * docs/api-customers.md. Customers who never bought get no scores and the segment NO_PURCHASE_SEGMENT; they are
 * listed only when asked for (`include = 'all'`).
 */
export type RecencyBasis = 'purchase' | 'activity';

export const RFM_SEGMENTS = ['Champions', 'Loyal', 'Potential loyalist', 'New', 'At risk', "Can't lose", 'Hibernating', 'Lost'] as const;
/** The segment of customers without a purchase before as_of: not scored, not one of the RFM_SEGMENTS. */
export const NO_PURCHASE_SEGMENT = 'No purchase yet';
/** Every segment a customer can be in, in the documented order. */
export const CUSTOMER_SEGMENTS = [...RFM_SEGMENTS, NO_PURCHASE_SEGMENT] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];
export type CustomerSegment = (typeof CUSTOMER_SEGMENTS)[number];

/** Which customers a list covers: buyers (scored) only, or every customer, non-buyers included. */
export const RFM_INCLUDE = ['buyers', 'all'] as const;
export type RfmInclude = (typeof RFM_INCLUDE)[number];

/** The segment rules (first match wins); `r` and `fm` are 1–5. Kept in step with segmentOf(). */
export const SEGMENT_SQL = `multiIf(
  r >= 4 AND fm >= 4, 'Champions',
  r >= 3 AND fm >= 3, 'Loyal',
  r = 1 AND fm >= 4, 'Can''t lose',
  r <= 2 AND fm >= 3, 'At risk',
  r >= 4 AND fm = 1, 'New',
  r >= 3, 'Potential loyalist',
  r = 2, 'Hibernating',
  'Lost')`;

/** Orders per customer before as_of (needs person_map): cust, frequency, monetary, last_purchase. */
export const BUYERS_CTE = `buyers AS (
  SELECT ${customerOf('o', 'customer_id')} AS cust, count() AS frequency, sum(o.revenue) AS monetary, max(o.ts) AS last_purchase
  FROM (
    SELECT anonymous_id, customer_id, revenue, ts FROM {db:Identifier}.orders FINAL
    WHERE site_id = {site:String} AND ts < {as_of:DateTime64(3, 'UTC')}
  ) AS o
  ${joinPersonMap('o')}
  GROUP BY cust HAVING cust != ''
)`;

/** CTEs person_map, buyers, active, base (customer_id, recency_days, frequency, monetary, last_purchase, last_activity). */
export const RFM_BASE_CTES = `${PERSON_MAP_CTE},
${BUYERS_CTE},
active AS (
  -- Per browser first, then the (far fewer) browser rows meet the identity graph.
  SELECT ${customerOf('b', 'customer_id')} AS cust, max(b.last_activity) AS last_activity
  FROM (
    SELECT e.anonymous_id AS anonymous_id, e.customer_id AS customer_id, max(e.ts) AS last_activity
    FROM {db:Identifier}.events AS e
    WHERE e.site_id = {site:String} AND e.ts < {as_of:DateTime64(3, 'UTC')} AND NOT e.is_bot AND NOT (e.type = ${eventTypeSql('email_open')} AND e.machine_open)
    GROUP BY anonymous_id, customer_id
  ) AS b
  ${joinPersonMap('b')}
  GROUP BY cust HAVING cust != ''
),
base AS (
  SELECT
    if(a.cust != '', a.cust, b.cust) AS customer_id,
    b.frequency AS frequency,
    toFloat64(b.monetary) AS monetary,
    if(b.frequency > 0, toNullable(b.last_purchase), NULL) AS last_purchase,
    ${revenueUnitsSql('b.monetary')} AS monetary_units,
    if(a.cust != '', greatest(a.last_activity, b.last_purchase), b.last_purchase) AS last_activity,
    intDiv(toUnixTimestamp64Milli({as_of:DateTime64(3, 'UTC')}) - toUnixTimestamp64Milli(if({basis:String} = 'activity', last_activity, assumeNotNull(last_purchase))), 86400000) AS days,
    if({basis:String} = 'purchase' AND b.frequency = 0, NULL, toNullable(days)) AS recency_days
  FROM active AS a
  FULL OUTER JOIN buyers AS b ON a.cust = b.cust
)`;

/** 1 + floor(5 × (rank − 1) / N) among the buyers, ordered worst first (rank − 1 = buyers strictly worse). */
const quintileSql = (order: string) => `toUInt8(1 + intDiv(5 * (rank() OVER (PARTITION BY buyer ORDER BY ${order}) - 1), count() OVER (PARTITION BY buyer)))`;

/**
 * Adds r, f, m (null for non-buyers), segment and the rule that scored them to every base row. Buyers and non-buyers
 * are separate window partitions, so a buyer's rank (1 + buyers strictly before it = strictly worse) and N count
 * buyers only; `buyers_n`, the orders and revenue of all buyers are on every row. A buyer always has a recency on
 * either basis (the last activity is never before the last purchase).
 */
const SCORED_SQL = `
SELECT
  customer_id, recency_days, frequency, monetary, last_purchase, last_activity, buyer,
  countIf(buyer) OVER () AS buyers_n,
  buyers_n >= {quintile_min_buyers:UInt32} AS by_quintiles,
  sumIf(monetary_units, buyer) OVER () AS total_units,
  sumIf(frequency, buyer) OVER () AS total_orders,
  if(buyer, toNullable(toUInt8(if(by_quintiles, ${quintileSql('assumeNotNull(recency_days) DESC')}, ${fixedRecencySql('assumeNotNull(recency_days)')}))), NULL) AS r,
  if(buyer, toNullable(toUInt8(if(by_quintiles, ${quintileSql('frequency ASC')}, ${fixedFrequencySql('frequency')}))), NULL) AS f,
  if(buyer, toNullable(toUInt8(if(by_quintiles, ${quintileSql('monetary ASC')}, ${fixedMonetarySql('monetary_units', 'total_units', 'total_orders')}))), NULL) AS m,
  intDiv(assumeNotNull(f) + assumeNotNull(m) + 1, 2) AS fm,
  if(buyer, ${SEGMENT_SQL}, '${NO_PURCHASE_SEGMENT}') AS segment
FROM (SELECT *, frequency > 0 AS buyer FROM base)`;

/** Buyers before as_of: N of the scoring rule, read from orders alone when no listed row carries it. */
const BUYER_COUNT_SQL = `
WITH ${PERSON_MAP_CTE},
${BUYERS_CTE}
SELECT count() AS n FROM buyers`;

const LIST_SQL = `
WITH ${RFM_BASE_CTES}
SELECT customer_id, recency_days, frequency, monetary, r, f, m, segment,
  if(isNull(last_purchase), NULL, ${isoTime('assumeNotNull(last_purchase)')}) AS last_purchase,
  ${isoTime('last_activity')} AS last_activity,
  buyers_n, count() OVER () AS total
FROM (${SCORED_SQL})
WHERE ({include:String} = 'all' OR buyer) AND ({segment:String} = '' OR segment = {segment:String})
ORDER BY monetary DESC, customer_id ASC
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;

const SEGMENTS_SQL = `
WITH ${RFM_BASE_CTES}
SELECT segment, count() AS customers, sum(s.monetary) AS segment_monetary, sum(s.frequency) AS orders,
  avg(s.frequency) AS avg_frequency, avg(s.monetary) AS avg_monetary, avgOrNull(s.recency_days) AS avg_recency_days, max(s.buyers_n) AS buyers_n
FROM (${SCORED_SQL}) AS s
WHERE {include:String} = 'all' OR s.buyer
GROUP BY segment`;

export interface RfmQuery {
  site: string;
  asOf: Date;
  basis: RecencyBasis;
  include: RfmInclude;
  /** Buyers from which quintiles score (rfm-scoring-rule.ts). */
  quintileMinBuyers: number;
}

/** Which rule scored the answer, and over how many buyers. */
export interface RfmRuleApplied {
  scoring: RfmScoring;
  buyers: number;
}

export interface RfmRow {
  customer_id: string;
  recency_days: number | null;
  frequency: number;
  monetary: number;
  /** Null for a customer without purchases (not scored). */
  r: number | null;
  f: number | null;
  m: number | null;
  segment: CustomerSegment;
  last_purchase: string | null;
  last_activity: string;
}

const rfmParams = (q: RfmQuery) => ({ site: q.site, basis: q.basis, include: q.include, quintile_min_buyers: q.quintileMinBuyers, ...asOfParams(q.asOf) });

async function countBuyers(runner: QueryRunner, q: RfmQuery): Promise<number> {
  const [row] = await runner.rows<{ n: number }>(BUYER_COUNT_SQL, { site: q.site, ...asOfParams(q.asOf) });
  return Number(row?.n ?? 0);
}

const ruleApplied = (buyers: number, q: RfmQuery): RfmRuleApplied => ({ scoring: scoringFor(buyers, q.quintileMinBuyers), buyers });

export async function queryRfmList(
  runner: QueryRunner,
  q: RfmQuery & { segment?: CustomerSegment | undefined; limit: number; offset: number },
): Promise<RfmRuleApplied & { total: number; customers: RfmRow[] }> {
  const rows = await runner.rows<RfmRow & { total: number; buyers_n: number }>(LIST_SQL, { ...rfmParams(q), segment: q.segment ?? '', limit: q.limit, offset: q.offset });
  const first = rows[0];
  const customers = rows.map(({ total: _total, buyers_n: _n, ...row }) => row);
  if (first) return { ...ruleApplied(Number(first.buyers_n), q), total: first.total, customers };
  // The filtered total and N ride on every row; an empty page has no row to carry them, hence the fallback queries
  // (N from orders alone, which is cheap).
  const [total, buyers] = await Promise.all([q.offset > 0 ? queryRfmList(runner, { ...q, offset: 0, limit: 1 }).then((r) => r.total) : 0, countBuyers(runner, q)]);
  return { ...ruleApplied(buyers, q), total, customers };
}

export interface RfmSegmentSummary {
  segment: CustomerSegment;
  customers: number;
  share: number;
  orders: number;
  monetary: number;
  avg_frequency: number | null;
  avg_monetary: number | null;
  avg_recency_days: number | null;
}

/** Every segment, empty ones included, in the documented order; "No purchase yet" only with include = 'all'. */
export async function queryRfmSegments(runner: QueryRunner, q: RfmQuery): Promise<RfmRuleApplied & { customers: number; segments: RfmSegmentSummary[] }> {
  const raw = await runner.rows<Omit<RfmSegmentSummary, 'share' | 'monetary'> & { segment_monetary: number; buyers_n: number }>(SEGMENTS_SQL, rfmParams(q));
  // Every row carries N; no row at all means no customer, so no buyer either.
  const buyers = Number(raw[0]?.buyers_n ?? 0);
  const rows = raw.map(({ segment_monetary, buyers_n: _n, ...row }) => ({ ...row, monetary: segment_monetary }));
  const customers = rows.reduce((n, r) => n + r.customers, 0);
  const segments = (q.include === 'all' ? CUSTOMER_SEGMENTS : RFM_SEGMENTS).map((segment) => {
    const row = rows.find((r) => r.segment === segment);
    if (!row) return { segment, customers: 0, share: 0, orders: 0, monetary: 0, avg_frequency: null, avg_monetary: null, avg_recency_days: null };
    return { ...row, segment, share: customers > 0 ? row.customers / customers : 0 };
  });
  return { ...ruleApplied(buyers, q), customers, segments };
}
