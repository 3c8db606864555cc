import type { QueryRunner } from '../clickhouse/query-runner.js';
import { asOfParams } from '../params/as-of-param.js';
import { ownRowsParams, ownRowsSql, resolveCustomerAnonymousIds, type CustomerAnonymousIds } from './customer-events-filter.js';
import { isoTime } from './iso-time.js';

/** The event types visitor_event_details holds (migration 0271); visitor_events holds every other type. */
const DETAIL_TYPES = "('page_ping', 'email_open', 'email_click', 'add_to_cart', 'remove_from_cart', 'purchase')";

/**
 * The customer's events, read by primary key from the two visitor-ordered copies of `events` (each type from exactly
 * one of them), with the columns the profile uses; columns a copy lacks are defaults the queries never look at for
 * those types (path only matters for page views, campaign/machine flag for emails, cart columns for cart events).
 */
const DETAIL_ROWS = `
  SELECT type, ts, anonymous_id, session_id, customer_id, is_bot, machine_open, toString(channel) AS channel, toString(source) AS source,
    '' AS path, toString(campaign_id) AS campaign_id, cart_id, product_id, product_name, price, quantity
  FROM {db:Identifier}.visitor_event_details
  WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)}`;
const VISITOR_ROWS = `(
  SELECT type, ts, anonymous_id, session_id, customer_id, is_bot, false AS machine_open, toString(channel) AS channel, toString(source) AS source,
    path, '' AS campaign_id, '' AS cart_id, product_id, '' AS product_name, toDecimal64(0, 4) AS price, toUInt32(0) AS quantity
  FROM {db:Identifier}.visitor_events
  WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)} AND type NOT IN ${DETAIL_TYPES}
  UNION ALL${DETAIL_ROWS}
)`;

/** Non-bot events of the customer before as_of; `{site}`, `{as_of}` and ownRowsParams(). */
const OWN_EVENTS = `${VISITOR_ROWS} AS e WHERE ${ownRowsSql('e')} AND NOT e.is_bot AND e.ts < {as_of:DateTime64(3, 'UTC')}`;
/** The same for the detail types only (emails, carts, purchases, heartbeats): one table to read. */
const OWN_DETAILS = `(${DETAIL_ROWS}) AS e WHERE ${ownRowsSql('e')} AND NOT e.is_bot AND e.ts < {as_of:DateTime64(3, 'UTC')}`;
const nullableTime = (cond: string, agg: 'min' | 'max') => `if(countIf(${cond}) > 0, ${isoTime(`${agg}If(e.ts, ${cond})`)}, NULL)`;
const HUMAN_OPEN = "e.type = 'email_open' AND NOT e.machine_open";
/** Machine-flagged opens are not the customer doing anything. */
const NOT_MACHINE = "NOT (e.type = 'email_open' AND e.machine_open)";

const SUMMARY_SQL = `
SELECT
  ${nullableTime(NOT_MACHINE, 'min')} AS first_seen,
  ${nullableTime(NOT_MACHINE, 'max')} AS last_seen,
  countIf(${HUMAN_OPEN}) AS email_opens,
  countIf(e.type = 'email_click') AS email_clicks,
  count() AS events
FROM ${OWN_EVENTS}`;

const EMAILS_SQL = `
SELECT e.campaign_id AS campaign_id, ${nullableTime(HUMAN_OPEN, 'min')} AS first_opened_at, ${nullableTime("e.type = 'email_click'", 'min')} AS first_clicked_at,
  countIf(${HUMAN_OPEN}) AS opens, countIf(e.type = 'email_click') AS clicks
FROM ${OWN_DETAILS} AND e.type IN ('email_open', 'email_click')
GROUP BY campaign_id
HAVING opens + clicks > 0
ORDER BY max(e.ts) DESC, campaign_id
LIMIT {limit:UInt32}`;

const SESSIONS_SQL = `
SELECT e.session_id AS session_id, ${isoTime('min(e.ts)')} AS started_at, ${isoTime('max(e.ts)')} AS ended_at,
  argMinIf(toString(e.channel), e.ts, e.channel != '') AS channel, argMinIf(toString(e.source), e.ts, e.source != '') AS source,
  argMinIf(e.path, e.ts, e.type = 'page_view') AS entry_page,
  countIf(e.type = 'page_view') AS page_views, countIf(e.type = 'purchase') > 0 AS purchased
FROM ${OWN_EVENTS} AND e.type NOT IN ('email_open', 'email_click')
GROUP BY session_id
ORDER BY min(e.ts) DESC, session_id
LIMIT {limit:UInt32}`;

/**
 * Open carts: per cart (cart id, else the session), the net quantity of each product added minus removed; a cart is
 * open when something is left in it, no purchase named it, and the customer bought nothing after its last change.
 */
const OPEN_CARTS_SQL = `
WITH cart_events AS (
  SELECT e.type AS type, e.ts AS ts, e.cart_id AS cart_id, e.session_id AS session_id, e.product_id AS product_id,
    e.product_name AS product_name, toFloat64(e.price) AS price, e.quantity AS quantity
  FROM ${OWN_DETAILS} AND e.type IN ('add_to_cart', 'remove_from_cart', 'purchase')
),
cart_lines AS (
  SELECT if(cart_id != '', cart_id, session_id) AS cart_key, product_id, any(product_name) AS name, argMax(price, ts) AS unit_price,
    toInt64(sumIf(quantity, type = 'add_to_cart')) - toInt64(sumIf(quantity, type = 'remove_from_cart')) AS net, max(ts) AS changed
  FROM cart_events WHERE type != 'purchase'
  GROUP BY cart_key, product_id
)
SELECT cart_key AS cart_id, ${isoTime('max(changed)')} AS updated_at,
  arraySort(x -> x.1, groupArrayIf((product_id, name, net, unit_price), net > 0)) AS items,
  sumIf(net * unit_price, net > 0) AS value
FROM cart_lines
GROUP BY cart_key
HAVING length(items) > 0
  AND cart_key NOT IN (SELECT cart_id FROM cart_events WHERE type = 'purchase' AND cart_id != '')
  AND max(changed) > (SELECT max(ts) FROM cart_events WHERE type = 'purchase')
ORDER BY max(changed) DESC
LIMIT {limit:UInt32}`;

const ORDERS_SQL = `
SELECT o.order_id AS order_id, ${isoTime('o.ts')} AS ts, toFloat64(o.revenue) AS revenue, toString(o.currency) AS currency,
  o.items_count AS items_count, toString(o.channel) AS channel, count() OVER () AS total_orders, toFloat64(sum(o.revenue) OVER ()) AS total_revenue
FROM (SELECT * FROM {db:Identifier}.orders FINAL WHERE site_id = {site:String} AND ts < {as_of:DateTime64(3, 'UTC')}) AS o
WHERE ${ownRowsSql('o')}
ORDER BY o.ts DESC, order_id
LIMIT {limit:UInt32}`;

export interface ProfileParts {
  anonymousIds: CustomerAnonymousIds;
  summary: { first_seen: string | null; last_seen: string | null; email_opens: number; email_clicks: number; events: number };
  emails: Array<{ campaign_id: string; first_opened_at: string | null; first_clicked_at: string | null; opens: number; clicks: number }>;
  sessions: Array<{ session_id: string; started_at: string; ended_at: string; channel: string; source: string; entry_page: string; page_views: number; purchased: boolean }>;
  openCarts: Array<{ cart_id: string; updated_at: string; value: number; items: Array<{ product_id: string; product_name: string; quantity: number; price: number }> }>;
  orders: Array<{ order_id: string; ts: string; revenue: number; currency: string; items_count: number; channel: string }>;
  lifetime: { orders: number; revenue: number };
}

/** Everything a support operator sees about one customer; undefined when the site has never seen them. */
export async function queryCustomerProfile(runner: QueryRunner, q: { site: string; customer: string; asOf: Date; limit: number }): Promise<ProfileParts | undefined> {
  const anonymousIds = await resolveCustomerAnonymousIds(runner, q.site, q.customer);
  const params = { site: q.site, ...ownRowsParams(q.customer, anonymousIds), limit: q.limit, ...asOfParams(q.asOf) };
  const [summaryRows, emails, sessions, carts, orderRows] = await Promise.all([
    runner.rows<ProfileParts['summary']>(SUMMARY_SQL, params),
    runner.rows<ProfileParts['emails'][number]>(EMAILS_SQL, params),
    runner.rows<Omit<ProfileParts['sessions'][number], 'purchased'> & { purchased: number | boolean }>(SESSIONS_SQL, params),
    runner.rows<{ cart_id: string; updated_at: string; value: number; items: Array<[string, string, number, number]> }>(OPEN_CARTS_SQL, params),
    runner.rows<ProfileParts['orders'][number] & { total_orders: number; total_revenue: number }>(ORDERS_SQL, params),
  ]);
  const summary = summaryRows[0] ?? { first_seen: null, last_seen: null, email_opens: 0, email_clicks: 0, events: 0 };
  if (summary.events === 0 && orderRows.length === 0 && anonymousIds.linked.length === 0) return undefined;
  return {
    anonymousIds,
    summary,
    emails,
    sessions: sessions.map((s) => ({ ...s, purchased: Boolean(s.purchased) })),
    openCarts: carts.map((c) => ({
      cart_id: c.cart_id,
      updated_at: c.updated_at,
      value: c.value,
      items: c.items.map(([product_id, product_name, quantity, price]) => ({ product_id, product_name, quantity, price })),
    })),
    orders: orderRows.map(({ total_orders: _n, total_revenue: _r, ...o }) => o),
    lifetime: { orders: orderRows[0]?.total_orders ?? 0, revenue: orderRows[0]?.total_revenue ?? 0 },
  };
}
