import type { QueryRunner } from '../../clickhouse/query-runner.js';
import { asOfParams } from '../../params/as-of-param.js';
import { ownRowsParams, ownRowsSql, resolveCustomerAnonymousIds } from './customer-events-filter.js';
import type { ProfileParts } from './customer-profile-parts.js';
import { buildEmails, buildOpenCarts, buildSessions, buildSummary, type OwnRow } from './customer-timeline.js';
import { isoTime } from '../shared/iso-time.js';
import { DEFAULT_LOOKBACK_DAYS, attributionJson, orderTouchesCtes, toAttribution, visitField } from '../shared/visit-attribution.js';
import { eventTypeSql, eventTypesSql } from '@spoor/infra';

/** The touches a customer's orders may be credited to: the visits of the customer's browsers (events_by_visitor's key). */
const CUSTOMER_VISITS = `session_id IN (SELECT session_id FROM {db:Identifier}.events_by_visitor WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)} AND type NOT IN ${eventTypesSql('email_open', 'email_click')})`;

/** The customer's events with the columns the profile uses, read by primary key from events_by_visitor (migration 0271). */
const VISITOR_ROWS = `(
  SELECT type, ts, anonymous_id, session_id, customer_id, is_bot, machine_open, toString(channel) AS channel, toString(source) AS source,
    path, toString(campaign_id) AS campaign_id, cart_id, product_id, product_name, price, quantity
  FROM {db:Identifier}.events_by_visitor
  WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)}
)`;

/** Non-bot events of the customer before as_of; `{site}`, `{as_of}` and ownRowsParams(). */
const OWN_EVENTS = `${VISITOR_ROWS} AS e WHERE ${ownRowsSql('e')} AND NOT e.is_bot AND e.ts < {as_of:DateTime64(3, 'UTC')}`;
const nullableTime = (cond: string, agg: 'min' | 'max') => `if(countIf(${cond}) > 0, ${isoTime(`${agg}If(e.ts, ${cond})`)}, NULL)`;
const HUMAN_OPEN = `e.type = ${eventTypeSql('email_open')} AND NOT e.machine_open`;
/** Machine-flagged opens are not the customer doing anything. */
const NOT_MACHINE = `NOT (e.type = ${eventTypeSql('email_open')} AND e.machine_open)`;

const EMAILS_SQL = `
SELECT e.campaign_id AS campaign_id, ${nullableTime(HUMAN_OPEN, 'min')} AS first_opened_at, ${nullableTime(`e.type = ${eventTypeSql('email_click')}`, 'min')} AS first_clicked_at,
  toUInt64(countIf(${HUMAN_OPEN}) > 0) AS opens, countIf(e.type = ${eventTypeSql('email_click')}) AS clicks
FROM ${OWN_EVENTS} AND e.type IN ${eventTypesSql('email_open', 'email_click')}
GROUP BY campaign_id
HAVING opens + clicks > 0
ORDER BY max(e.ts) DESC, campaign_id
LIMIT {limit:UInt32}`;

const BROWSING = `e.type NOT IN ${eventTypesSql('email_open', 'email_click')}`;

/**
 * The sessions list and the summary in one read of the customer's events: grouped per session id (email pseudo-sessions
 * included, so the summary sees every event), the summary as window aggregates over all groups, then the browsing
 * sessions first, newest first. Rows without browsing (`is_visit` 0) only carry the summary; the caller drops them.
 * Session fields count browsing events only, the summary every event (machine opens are not "seen").
 */
const SESSIONS_SUMMARY_SQL = `
WITH per_session AS (
  SELECT e.session_id AS session_id,
    countIf(${NOT_MACHINE}) AS seen_n, minIf(e.ts, ${NOT_MACHINE}) AS seen_first, maxIf(e.ts, ${NOT_MACHINE}) AS seen_last,
    groupUniqArrayIf(toString(e.campaign_id), ${HUMAN_OPEN}) AS human_open_campaigns,
    groupUniqArrayIf(toString(e.campaign_id), e.type = ${eventTypeSql('email_open')} AND e.machine_open) AS machine_open_campaigns,
    countIf(e.type = ${eventTypeSql('email_click')}) AS clicks, count() AS events,
    countIf(${BROWSING}) AS browsing, minIf(e.ts, ${BROWSING}) AS started, maxIf(e.ts, ${BROWSING}) AS ended,
    argMinIf(toString(e.channel), e.ts, ${BROWSING} AND e.channel != '') AS channel, argMinIf(toString(e.source), e.ts, ${BROWSING} AND e.source != '') AS source,
    argMinIf(e.path, e.ts, e.type = ${eventTypeSql('page_view')}) AS entry_page,
    countIf(e.type = ${eventTypeSql('page_view')}) AS page_views, countIf(e.type = ${eventTypeSql('purchase')}) > 0 AS purchased
  FROM ${OWN_EVENTS}
  GROUP BY session_id
)
SELECT session_id, ${isoTime('started')} AS started_at, ${isoTime('ended')} AS ended_at, channel, source, entry_page, page_views, purchased,
  browsing > 0 AS is_visit,
  if(sum(seen_n) OVER () > 0, ${isoTime('minIf(seen_first, seen_n > 0) OVER ()')}, NULL) AS first_seen,
  if(sum(seen_n) OVER () > 0, ${isoTime('maxIf(seen_last, seen_n > 0) OVER ()')}, NULL) AS last_seen,
  -- opens are unique per campaign (one customer here), whichever pseudo-session their hits fell into
  length(groupUniqArrayArray(human_open_campaigns) OVER ()) AS email_opens,
  length(groupUniqArrayArray(machine_open_campaigns) OVER ()) AS email_machine_opens,
  sum(clicks) OVER () AS email_clicks, sum(events) OVER () AS all_events
FROM per_session
ORDER BY is_visit DESC, started DESC, session_id
LIMIT {limit:UInt32}`;

/**
 * Open carts: per cart (cart id, else the session), the net quantity of each product added minus removed; a cart is
 * open when something is left in it, no purchase named it, and the customer bought nothing after its last change.
 */
const OPEN_CARTS_SQL = `
WITH lines AS (
  -- One read of the customer's cart events and purchases: per (cart, product) the net quantity, latest price and last
  -- change of the cart events, and the purchases that fall into the group (carts they name, their time).
  SELECT if(e.cart_id != '', e.cart_id, e.session_id) AS cart_key, e.product_id AS product_id,
    anyIf(e.product_name, e.type != ${eventTypeSql('purchase')}) AS name, argMaxIf(toFloat64(e.price), e.ts, e.type != ${eventTypeSql('purchase')}) AS unit_price,
    toInt64(sumIf(e.quantity, e.type = ${eventTypeSql('add_to_cart')})) - toInt64(sumIf(e.quantity, e.type = ${eventTypeSql('remove_from_cart')})) AS net,
    maxIf(e.ts, e.type != ${eventTypeSql('purchase')}) AS changed, countIf(e.type != ${eventTypeSql('purchase')}) AS cart_rows,
    maxIf(e.ts, e.type = ${eventTypeSql('purchase')}) AS bought_at, groupArrayIf(e.cart_id, e.type = ${eventTypeSql('purchase')} AND e.cart_id != '') AS bought_carts
  FROM ${OWN_EVENTS} AND e.type IN ${eventTypesSql('add_to_cart', 'remove_from_cart', 'purchase')}
  GROUP BY cart_key, product_id
)
SELECT cart_key AS cart_id, ${isoTime('max(changed)')} AS updated_at,
  arraySort(x -> x.1, groupArrayIf((product_id, name, net, unit_price), net > 0)) AS items,
  sumIf(net * unit_price, net > 0) AS value
FROM (SELECT *, max(bought_at) OVER () AS last_purchase, arrayFlatten(groupArray(bought_carts) OVER ()) AS purchased_carts FROM lines)
WHERE cart_rows > 0
GROUP BY cart_key
HAVING length(items) > 0
  -- No purchase named the cart, and the customer bought nothing after its last change (no purchase at all: epoch).
  AND NOT has(any(purchased_carts), cart_key)
  AND max(changed) > any(last_purchase)
ORDER BY max(changed) DESC
LIMIT {limit:UInt32}`;

/**
 * The customer's orders with their attribution (visit-attribution.ts): `channel` is the channel of the visit the order
 * was placed in; `attribution` adds that visit's source/medium/campaign and the first-touch and last-non-direct visits
 * within `{lookback_days}` (default 30), among the visits of the customer's browsers.
 */
const ORDERS_SQL = `
WITH orders_in AS (
  -- The latest version of every order any of the customer's browsers placed: candidates through the anonymous_id bloom
  -- filter (migration 0272), then FINAL over just their order ids (the sort key), so ownership is judged on the row
  -- that wins the merge, exactly as FINAL over the whole table would.
  SELECT o.order_id AS order_id, o.ts AS ts, o.revenue AS revenue, o.currency AS currency, o.items_count AS items_count,
    o.anonymous_id AS anonymous_id, o.customer_id AS customer_id, o.session_id AS session_id
  FROM (
    SELECT * FROM {db:Identifier}.orders FINAL
    WHERE site_id = {site:String} AND ts < {as_of:DateTime64(3, 'UTC')}
      AND order_id IN (SELECT order_id FROM {db:Identifier}.orders WHERE site_id = {site:String} AND anonymous_id IN {scan:Array(String)})
  ) AS o
  WHERE ${ownRowsSql('o')}
),
${orderTouchesCtes(CUSTOMER_VISITS)}
SELECT order_id, ${isoTime('ot.ts')} AS ts, toFloat64(ot.revenue) AS revenue, toString(ot.currency) AS currency,
  ot.items_count AS items_count, ${visitField('ot.visit', 'channel')} AS channel,
  ${attributionJson('ot.visit')} AS visit_attr, ${attributionJson('ot.first_touch')} AS first_attr, ${attributionJson('ot.last_non_direct')} AS last_attr,
  count() OVER () AS total_orders, toFloat64(sum(ot.revenue) OVER ()) AS total_revenue
FROM order_touches AS ot
ORDER BY ot.ts DESC, order_id
LIMIT {limit:UInt32}`;

type AttributionRow = [string, string, string, string];
interface OrderRow {
  order_id: string;
  ts: string;
  revenue: number;
  currency: string;
  items_count: number;
  channel: string;
  visit_attr: AttributionRow;
  first_attr: AttributionRow;
  last_attr: AttributionRow;
  total_orders: number;
  total_revenue: number;
}

type SessionSummaryRow = Omit<ProfileParts['sessions'][number], 'purchased'> & {
  purchased: number | boolean;
  is_visit: number | boolean;
  first_seen: string | null;
  last_seen: string | null;
  email_opens: number;
  email_machine_opens: number;
  email_clicks: number;
  all_events: number;
};

/** Above this many own rows the profile is aggregated in ClickHouse instead of from fetched rows. */
const PROFILE_ROW_CAP = 20_000;

/** The customer's own rows, oldest first, for customer-timeline.ts. */
const OWN_ROWS_SQL = `
SELECT e.type AS type, ${isoTime('e.ts')} AS ts, e.session_id AS session_id, e.channel AS channel, e.source AS source, e.path AS path,
  e.campaign_id AS campaign_id, e.machine_open AS machine_open, e.cart_id AS cart_id, e.product_id AS product_id,
  e.product_name AS product_name, toFloat64(e.price) AS price, e.quantity AS quantity
FROM ${OWN_EVENTS}
ORDER BY e.ts
LIMIT {row_cap:UInt32}`;

type CartRow = { cart_id: string; updated_at: string; value: number; items: Array<[string, string, number, number]> };

/** The same parts aggregated in ClickHouse: for customers with more rows than are worth fetching. */
async function aggregatedParts(runner: QueryRunner, params: Record<string, unknown>) {
  const [sessionRows, emails, carts] = await Promise.all([
    runner.rows<SessionSummaryRow>(SESSIONS_SUMMARY_SQL, params),
    runner.rows<ProfileParts['emails'][number]>(EMAILS_SQL, params),
    runner.rows<CartRow>(OPEN_CARTS_SQL, params),
  ]);
  const first = sessionRows[0];
  const summary = first
    ? {
        first_seen: first.first_seen,
        last_seen: first.last_seen,
        email_opens: Number(first.email_opens),
        email_machine_opens: Number(first.email_machine_opens),
        email_clicks: first.email_clicks,
        events: first.all_events,
      }
    : { first_seen: null, last_seen: null, email_opens: 0, email_machine_opens: 0, email_clicks: 0, events: 0 };
  const sessions = sessionRows
    .filter((r) => Boolean(r.is_visit))
    .map(({ session_id, started_at, ended_at, channel, source, entry_page, page_views, purchased }) => ({ session_id, started_at, ended_at, channel, source, entry_page, page_views, purchased: Boolean(purchased) }));
  const openCarts = carts.map((c) => ({
    cart_id: c.cart_id,
    updated_at: c.updated_at,
    value: c.value,
    items: c.items.map(([product_id, product_name, quantity, price]) => ({ product_id, product_name, quantity, price })),
  }));
  return { summary, emails, sessions, openCarts };
}

/**
 * Everything a support operator sees about one customer; undefined when the site has never seen them. Three
 * statements: the anonymous ids, then the customer's rows and orders (parts built in customer-timeline.ts).
 */
export async function queryCustomerProfile(
  runner: QueryRunner,
  q: { site: string; customer: string; asOf: Date; limit: number; rowCap?: number },
): Promise<ProfileParts | undefined> {
  const cap = q.rowCap ?? PROFILE_ROW_CAP;
  const anonymousIds = await resolveCustomerAnonymousIds(runner, q.site, q.customer);
  const params = { site: q.site, ...ownRowsParams(q.customer, anonymousIds), limit: q.limit, ...asOfParams(q.asOf) };
  const [rows, orderRows] = await Promise.all([
    runner.rows<OwnRow>(OWN_ROWS_SQL, { ...params, row_cap: cap + 1 }),
    runner.rows<OrderRow>(ORDERS_SQL, { ...params, lookback_days: DEFAULT_LOOKBACK_DAYS }),
  ]);
  const parts =
    rows.length > cap
      ? await aggregatedParts(runner, params)
      : { summary: buildSummary(rows), emails: buildEmails(rows, q.limit), sessions: buildSessions(rows, q.limit), openCarts: buildOpenCarts(rows, q.limit) };
  if (parts.summary.events === 0 && orderRows.length === 0 && anonymousIds.linked.length === 0) return undefined;
  return {
    anonymousIds,
    ...parts,
    orders: orderRows.map(({ order_id, ts, revenue, currency, items_count, channel, visit_attr, first_attr, last_attr }) => ({
      order_id,
      ts,
      revenue,
      currency,
      items_count,
      channel,
      attribution: { visit: toAttribution(visit_attr), first_touch: toAttribution(first_attr), last_non_direct: toAttribution(last_attr) },
    })),
    lifetime: { orders: orderRows[0]?.total_orders ?? 0, revenue: orderRows[0]?.total_revenue ?? 0 },
  };
}
