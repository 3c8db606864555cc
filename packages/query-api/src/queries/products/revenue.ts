import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { EARLIEST_DATE, rangeParams, toClickHouseTime, type DateRange } from '../../params/date-range.js';
import { VISITS_BY_DAY, orderTouchesCtes, visitField, visitsCte } from '../shared/visit-attribution.js';

/** What revenue is grouped by: a field of the credited visit's attribution (the allowlist, never a client string). */
export const REVENUE_DIMENSIONS = ['channel', 'source', 'medium', 'campaign', 'email_campaign'] as const;
export type RevenueDimension = (typeof REVENUE_DIMENSIONS)[number];

/** Which visit an order is credited to (visit-attribution.ts defines each). */
export const ATTRIBUTION_MODELS = ['visit', 'last_non_direct', 'first_touch'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

const MODEL_COLUMN: Record<AttributionModel, string> = { visit: 'visit', last_non_direct: 'last_non_direct', first_touch: 'first_touch' };

/** The grouped value of an attribution tuple; email_campaign is the campaign of Email visits (others are left out). */
function valueOf(tuple: string, by: RevenueDimension): string {
  return by === 'email_campaign' ? visitField(tuple, 'campaign') : visitField(tuple, by);
}
const keep = (tuple: string, by: RevenueDimension) => (by === 'email_campaign' ? `${visitField(tuple, 'channel')} = 'Email'` : '1');

function revenueSql(by: RevenueDimension, model: AttributionModel): string {
  const credited = MODEL_COLUMN[model];
  return `
WITH orders_in AS (
  SELECT order_id, ts, revenue, currency, items_count, anonymous_id, customer_id, session_id
  FROM {db:Identifier}.orders FINAL
  WHERE site_id = {site:String} AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
),
${orderTouchesCtes(VISITS_BY_DAY)},
${visitsCte('range_visits', `session_id IN (SELECT session_id FROM {db:Identifier}.session_days WHERE site_id = {site:String} AND day >= toDate32({from:DateTime64(3, 'UTC')}) AND day <= toDate32({to:DateTime64(3, 'UTC')}) AND visit = 1)`)},
order_values AS (
  SELECT ${valueOf(credited, by)} AS value, count() AS orders, sum(revenue) AS revenue
  FROM order_touches WHERE ${keep(credited, by)}
  GROUP BY value
),
visit_values AS (
  SELECT ${valueOf('attribution', by)} AS value, count() AS visits
  FROM range_visits
  WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')} AND NOT is_bot AND ${keep('attribution', by)}
  GROUP BY value
)
SELECT value, toUInt64(o.orders) AS orders, toFloat64(o.revenue) AS revenue, toUInt64(v.visits) AS visits,
  sum(toUInt64(o.orders)) OVER () AS total_orders, sum(toFloat64(o.revenue)) OVER () AS total_revenue,
  sum(toUInt64(v.visits)) OVER () AS total_visits, count() OVER () AS total_values
FROM order_values AS o FULL OUTER JOIN visit_values AS v USING value
ORDER BY revenue DESC, orders DESC, visits DESC, value
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;
}

export interface RevenueRow {
  value: string;
  orders: number;
  revenue: number;
  visits: number;
  /** orders / visits of this value in the range; null without visits. */
  conversion_rate: number | null;
  /** revenue / orders; null without orders. */
  aov: number | null;
}

export interface RevenueQuery {
  site: string;
  range: DateRange;
  by: RevenueDimension;
  model: AttributionModel;
  lookbackDays: number;
  limit: number;
  offset: number;
}

export interface RevenueResult {
  totals: Omit<RevenueRow, 'value'>;
  values_total: number;
  rows: RevenueRow[];
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export async function queryRevenue(runner: QueryRunner, q: RevenueQuery): Promise<RevenueResult> {
  const lookbackMs = q.lookbackDays * 86_400_000;
  const visitsFrom = new Date(Math.max(EARLIEST_DATE.getTime(), q.range.from.getTime() - lookbackMs));
  const rows = await runner.rows<{
    value: string;
    orders: number | string;
    revenue: number;
    visits: number | string;
    total_orders: number | string;
    total_revenue: number;
    total_visits: number | string;
    total_values: number | string;
  }>(revenueSql(q.by, q.model), {
    site: q.site,
    ...rangeParams(q.range),
    lookback_days: q.lookbackDays,
    visits_from: toClickHouseTime(visitsFrom),
    visits_to: toClickHouseTime(q.range.to),
    limit: q.limit,
    offset: q.offset,
  });
  const first = rows[0];
  const totalOrders = Number(first?.total_orders ?? 0);
  const totalRevenue = Number(first?.total_revenue ?? 0);
  const totalVisits = Number(first?.total_visits ?? 0);
  return {
    totals: {
      orders: totalOrders,
      revenue: totalRevenue,
      visits: totalVisits,
      conversion_rate: ratio(totalOrders, totalVisits),
      aov: ratio(totalRevenue, totalOrders),
    },
    values_total: Number(first?.total_values ?? 0),
    rows: rows.map((r) => {
      const orders = Number(r.orders);
      const visits = Number(r.visits);
      return { value: r.value, orders, revenue: Number(r.revenue), visits, conversion_rate: ratio(orders, visits), aov: ratio(Number(r.revenue), orders) };
    }),
  };
}
