import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { rangeParams, toClickHouseTime, type DateRange } from '../../params/date-range.js';
import { PERSON_MAP_CTE, customerOf, joinPersonMap } from '../shared/person-id.js';
import { eventTypeSql, eventTypesSql } from '@spoor/infra';

/** How far before `from` a cart's earlier adds are still read, so a cart started last week has all its items. */
export const CART_LOOKBACK_DAYS = 30;

export interface AbandonedCartsQuery {
  site: string;
  /** Carts whose last change (add/remove) falls in this range. */
  range: DateRange;
  /** A cart is abandoned when no purchase closes it within this many hours after its last change. */
  hours: number;
  now: Date;
  includeBots: boolean;
  limit: number;
}

export interface AbandonedCart {
  cart_id: string | null;
  customer_id: string | null;
  anonymous_id: string;
  items: Array<{ product_id: string; name: string; quantity: number; price: number }>;
  value: number;
  currency: string;
  first_activity_at: string;
  last_activity_at: string;
  sessions: number;
}

// A cart is its cart_id, or — when the shop sends none — the browser's (anonymous id's) cart.
// Items are net quantities (adds minus removes) at the latest price; one row per cart however many visits it spans.
// A purchase closes a cart when it names the cart_id, or names no cart and comes from the cart's anonymous id,
// at or after the cart's first change and at most `hours` after its last change.
const CARTS_SQL = `
WITH ${PERSON_MAP_CTE},
cart_events AS (
  SELECT if(cart_id != '', cart_id, concat('anonymous:', anonymous_id)) AS cart_key, cart_id, type, ts, anonymous_id, customer_id,
    session_id, product_id, product_name, toFloat64(price) AS price, toString(currency) AS currency,
    if(type = ${eventTypeSql('add_to_cart')}, toInt64(quantity), -toInt64(quantity)) AS delta
  FROM {db:Identifier}.events
  WHERE site_id = {site:String}
    AND ts >= {lookback_from:DateTime64(3, 'UTC')} AND ts < {scan_to:DateTime64(3, 'UTC')}
    AND ({include_bots:Bool} OR NOT is_bot)
    AND type IN ${eventTypesSql('add_to_cart', 'remove_from_cart', 'purchase')}
),
lines AS (
  SELECT cart_key, line_product, any(cart_id) AS cart_id, countIf(type != ${eventTypeSql('purchase')}) AS changes,
    argMaxIf(anonymous_id, ts, type != ${eventTypeSql('purchase')}) AS anonymous_id, max(customer_id) AS seen_customer,
    minIf(ts, type != ${eventTypeSql('purchase')}) AS first_change, maxIf(ts, type != ${eventTypeSql('purchase')}) AS last_change,
    groupUniqArrayIf(session_id, type != ${eventTypeSql('purchase')}) AS sessions,
    argMaxIf(product_name, ts, type != ${eventTypeSql('purchase')}) AS name, argMaxIf(price, ts, type != ${eventTypeSql('purchase')}) AS price,
    anyIf(currency, type != ${eventTypeSql('purchase')}) AS currency,
    sumIf(delta, type != ${eventTypeSql('purchase')}) AS quantity,
    groupArrayIf(ts, type = ${eventTypeSql('purchase')}) AS purchases
  FROM cart_events
  -- a purchase's own product rows do not change the cart: it only closes it
  GROUP BY cart_key, if(type = ${eventTypeSql('purchase')}, '', product_id) AS line_product
),
carts AS (
  SELECT cart_key, max(cart_id) AS cart_id, argMax(anonymous_id, last_change) AS anonymous_id, max(seen_customer) AS seen_customer,
    minIf(first_change, changes > 0) AS first_activity,
    max(last_change) AS last_activity,
    length(groupUniqArrayArray(sessions)) AS session_count,
    arraySort(x -> x.1, groupArrayIf((line_product, name, quantity, price), quantity > 0 AND line_product != '')) AS items,
    sumIf(price * quantity, quantity > 0 AND line_product != '') AS value,
    anyIf(currency, currency != '') AS currency,
    arrayFlatten(groupArray(purchases)) AS cart_purchases
  FROM lines
  GROUP BY cart_key
  HAVING length(items) > 0
     AND last_activity >= {from:DateTime64(3, 'UTC')} AND last_activity < {to:DateTime64(3, 'UTC')}
     -- still inside its window: not abandoned yet
     AND last_activity + toIntervalSecond({window_seconds:UInt32}) <= {now:DateTime64(3, 'UTC')}
),
anonymous_purchases AS (
  SELECT anonymous_id, groupArray(ts) AS times
  FROM cart_events WHERE type = ${eventTypeSql('purchase')} AND cart_id = ''
  GROUP BY anonymous_id
)
SELECT c.cart_id AS cart_id, ${customerOf('c', 'seen_customer')} AS customer_id, c.anonymous_id AS anonymous_id,
  c.items AS items, c.value AS value, c.currency AS currency,
  toUnixTimestamp64Milli(c.first_activity) AS first_ms, toUnixTimestamp64Milli(c.last_activity) AS last_ms, c.session_count AS sessions,
  count() OVER () AS total, sum(c.value) OVER () AS total_value
FROM carts AS c
${joinPersonMap('c')}
LEFT ANY JOIN anonymous_purchases AS ap ON ap.anonymous_id = c.anonymous_id
WHERE NOT arrayExists(t -> t >= c.first_activity AND t <= c.last_activity + toIntervalSecond({window_seconds:UInt32}), arrayConcat(c.cart_purchases, ap.times))
ORDER BY last_ms DESC, c.cart_key
LIMIT {limit:UInt32}`;

interface CartRow {
  cart_id: string;
  customer_id: string;
  anonymous_id: string;
  items: Array<[string, string, number, number]>;
  value: number;
  currency: string;
  first_ms: number;
  last_ms: number;
  sessions: number;
  total: number;
  total_value: number;
}

export async function queryAbandonedCarts(runner: QueryRunner, q: AbandonedCartsQuery): Promise<{ abandoned_carts: number; value: number; carts: AbandonedCart[] }> {
  const windowMs = q.hours * 3_600_000;
  const rows = await runner.rows<CartRow>(CARTS_SQL, {
    site: q.site,
    include_bots: q.includeBots,
    ...rangeParams(q.range),
    lookback_from: toClickHouseTime(new Date(q.range.from.getTime() - CART_LOOKBACK_DAYS * 86_400_000)),
    scan_to: toClickHouseTime(new Date(q.range.to.getTime() + windowMs + 1)),
    window_seconds: q.hours * 3600,
    now: toClickHouseTime(q.now),
    limit: q.limit,
  });
  const iso = (ms: number) => new Date(Number(ms)).toISOString();
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    abandoned_carts: rows[0]?.total ?? 0,
    value: round(rows[0]?.total_value ?? 0),
    carts: rows.map((r) => ({
      cart_id: r.cart_id === '' ? null : r.cart_id,
      customer_id: r.customer_id === '' ? null : r.customer_id,
      anonymous_id: r.anonymous_id,
      items: r.items.map(([product_id, name, quantity, price]) => ({ product_id, name, quantity: Number(quantity), price: Number(price) })),
      value: round(r.value),
      currency: r.currency,
      first_activity_at: iso(r.first_ms),
      last_activity_at: iso(r.last_ms),
      sessions: r.sessions,
    })),
  };
}
