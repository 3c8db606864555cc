import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { rangeParams, type DateRange } from '../../params/date-range.js';

/**
 * ABC analysis of products by revenue (price × quantity of order lines in the range, order_items FINAL so a
 * re-delivered order never counts twice). Products sorted by revenue (ties by product id); a product's class
 * comes from the share of revenue *before* it: A while that is < 80 % (so the product crossing 80 % is still A),
 * B while < 95 %, else C. Compared in exact decimals, so a boundary at exactly 80 % is B, not a float accident.
 */
const RANKED_CTE = `ranked AS (
  SELECT product_id, name, revenue, units, orders,
    sum(revenue) OVER (ORDER BY revenue DESC, product_id ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative,
    sum(revenue) OVER () AS total,
    multiIf((cumulative - revenue) * 100 < total * 80, 'A', (cumulative - revenue) * 100 < total * 95, 'B', 'C') AS class
  FROM (
    SELECT product_id, any(product_name) AS name, sum(price * quantity) AS revenue, sum(quantity) AS units, uniqExact(order_id) AS orders
    FROM {db:Identifier}.order_items FINAL
    WHERE site_id = {site:String} AND ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}
    GROUP BY product_id
    HAVING revenue > 0
  )
)`;

const LIST_SQL = `
WITH ${RANKED_CTE}
SELECT product_id, name AS product_name, toFloat64(revenue) AS revenue, units, orders,
  toFloat64(revenue) / toFloat64(total) AS share, toFloat64(cumulative) / toFloat64(total) AS cumulative_share, class
FROM ranked
ORDER BY ranked.revenue DESC, product_id ASC
LIMIT {limit:UInt32} OFFSET {offset:UInt32}`;

const SUMMARY_SQL = `
WITH ${RANKED_CTE}
SELECT class, count() AS products, toFloat64(sum(ranked.revenue)) AS class_revenue, toFloat64(any(total)) AS total_revenue
FROM ranked
GROUP BY class`;

export interface AbcProduct {
  product_id: string;
  product_name: string;
  revenue: number;
  units: number;
  orders: number;
  share: number;
  cumulative_share: number;
  class: 'A' | 'B' | 'C';
}

export interface AbcClassSummary {
  class: 'A' | 'B' | 'C';
  products: number;
  revenue: number;
  share: number;
}

export async function queryProductsAbc(
  runner: QueryRunner,
  q: { site: string; range: DateRange; limit: number; offset: number },
): Promise<{ total_revenue: number; products_total: number; classes: AbcClassSummary[]; products: AbcProduct[] }> {
  const params = { site: q.site, ...rangeParams(q.range) };
  const [products, summary] = await Promise.all([
    runner.rows<AbcProduct>(LIST_SQL, { ...params, limit: q.limit, offset: q.offset }),
    runner.rows<{ class: 'A' | 'B' | 'C'; products: number; class_revenue: number; total_revenue: number }>(SUMMARY_SQL, params),
  ]);
  const total = summary[0]?.total_revenue ?? 0;
  const classes = (['A', 'B', 'C'] as const).map((cls) => {
    const row = summary.find((s) => s.class === cls);
    return { class: cls, products: row?.products ?? 0, revenue: row?.class_revenue ?? 0, share: row && total > 0 ? row.class_revenue / total : 0 };
  });
  return { total_revenue: total, products_total: classes.reduce((n, c) => n + c.products, 0), classes, products };
}
