import type { AudienceTemplate } from './audience-definition.js';
import { toClickHouseTime } from '../../params/date-range.js';
import { customerOf, joinPersonMap, personOf } from '../shared/person-id.js';
import { BUYERS_CTE } from '../rfm/rfm.js';
import type { CompiledMembers } from './audience-rules.js';
import { eventTypeSql, eventTypesSql } from '@spoor/infra';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Abandoned cart: the person's last add-to-cart lies in the last `lookback_days`, is at least `hours` old,
 * and no purchase of theirs came after it.
 */
const ABANDONED_CART_SQL = `
SELECT ${personOf('e', 'customer_id')} AS person_id, max(${customerOf('e', 'customer_id')}) AS customer_id, max(e.ts) AS last_seen,
  maxIf(e.ts, e.type = ${eventTypeSql('add_to_cart')}) AS last_add, maxIf(e.ts, e.type = ${eventTypeSql('purchase')}) AS last_purchase
FROM {db:Identifier}.events AS e
${joinPersonMap('e')}
WHERE e.site_id = {site:String} AND e.ts >= {since:DateTime64(3, 'UTC')} AND e.ts < {as_of:DateTime64(3, 'UTC')}
  AND NOT e.is_bot AND e.type IN ${eventTypesSql('add_to_cart', 'purchase')}
GROUP BY person_id
HAVING last_add > toDateTime64(0, 3, 'UTC') AND last_add <= {added_before:DateTime64(3, 'UTC')} AND last_purchase < last_add`;

/**
 * Replenishment due: per person and product bought in at least `min_purchases` distinct orders, the usual
 * interval is the median gap between consecutive purchases (interpolated for an even number of gaps); due when
 * last purchase + interval falls in [as_of, as_of + within_days).
 */
const REPLENISHMENT_SQL = `
SELECT person_id, any(customer_id) AS customer_id, max(last_purchase) AS last_seen
FROM (
  SELECT ${personOf('i', 'customer_id')} AS person_id, ${customerOf('i', 'customer_id')} AS customer_id, i.product_id AS product_id,
    arraySort(groupUniqArray(toUnixTimestamp64Milli(i.ts))) AS bought,
    length(bought) AS purchases,
    arrayReduce('quantileExactInclusive(0.5)', arrayPopFront(arrayDifference(bought))) AS interval_ms,
    fromUnixTimestamp64Milli(toInt64(arrayElement(bought, -1)), 'UTC') AS last_purchase,
    toInt64(arrayElement(bought, -1) + interval_ms) AS due_ms
  FROM (
    SELECT anonymous_id, customer_id, product_id, ts FROM {db:Identifier}.order_items FINAL
    WHERE site_id = {site:String} AND ts < {as_of:DateTime64(3, 'UTC')} AND ({product:String} = '' OR product_id = {product:String})
  ) AS i
  ${joinPersonMap('i')}
  GROUP BY person_id, customer_id, product_id
  HAVING purchases >= {min_purchases:UInt32}
    AND due_ms >= toUnixTimestamp64Milli({as_of:DateTime64(3, 'UTC')}) AND due_ms < toUnixTimestamp64Milli({due_before:DateTime64(3, 'UTC')})
)
GROUP BY person_id`;

/**
 * Lapsed VIPs: customers in the top `top_percent` by lifetime revenue (ties at the edge all count: fewer than
 * top_percent % of customers spent strictly more) whose last purchase is at least `lapsed_days` ago.
 */
const LAPSED_VIP_SQL = `
SELECT customer_id AS person_id, customer_id, last_purchase AS last_seen
FROM (
  SELECT cust AS customer_id, last_purchase, (rank() OVER (ORDER BY monetary DESC) - 1) * 100 < {top_percent:Float64} * count() OVER () AS vip
  FROM buyers
)
WHERE vip AND last_purchase < {lapsed_before:DateTime64(3, 'UTC')}`;

/** Templates compile to the same shape as rules: person_id, customer_id, last_seen. */
export function compileTemplate(t: AudienceTemplate, asOf: Date): CompiledMembers {
  const as_of = toClickHouseTime(asOf);
  switch (t.template) {
    case 'abandoned_cart':
      return {
        sql: ABANDONED_CART_SQL,
        params: { as_of, since: toClickHouseTime(new Date(asOf.getTime() - t.lookback_days * DAY_MS)), added_before: toClickHouseTime(new Date(asOf.getTime() - t.hours * HOUR_MS)) },
      };
    case 'replenishment_due':
      return {
        sql: REPLENISHMENT_SQL,
        params: { as_of, product: t.product_id ?? '', min_purchases: t.min_purchases, due_before: toClickHouseTime(new Date(asOf.getTime() + t.within_days * DAY_MS)) },
      };
    case 'lapsed_vip':
      return {
        sql: LAPSED_VIP_SQL,
        ctes: [BUYERS_CTE],
        params: { as_of, top_percent: t.top_percent, lapsed_before: toClickHouseTime(new Date(asOf.getTime() - t.lapsed_days * DAY_MS)) },
      };
  }
}
