import type { ClickHouseClient } from '@clickhouse/client';

/**
 * A synthetic store generated inside ClickHouse (INSERT … SELECT from numbers()), so 10M events cost no JS.
 * 400k browsers over 90 days; the first 160k are identified as 100k customers (some with two devices), half of
 * their events before identify (anonymous, stitched via identities). Mix: 60 % page views, 10 % pings, 10 % product
 * views, 5 % add to cart, 5 % searches, 6 % email opens (a third machine-flagged), 2 % clicks, 1 % purchases,
 * 1 % identify. Each browser makes 3 visits (~8 events each, within 30 minutes); the sessions projection fills
 * through its materialized view.
 *
 * Loaded in time order, ~1M events per INSERT, each INSERT the next slice of the 90 days: the order the processor
 * writes them in (as they arrive), so a session's rows land in neighbouring parts that background merges fold
 * together, as in a running store. (Before session 3 every INSERT spread over all 90 days: every session split
 * across all parts, a layout no running store has; the numbers of that layout are kept in docs/performance.md.)
 */
export const BENCH_SITE = 'bench';
export const BENCH_NOW = new Date('2026-12-01T00:00:00Z');
const BROWSERS = 400_000;
const IDENTIFIED = 160_000;
const CUSTOMERS = 100_000;
const SPAN_SECONDS = 90 * 86_400;

const EVENTS_SQL = `
INSERT INTO {db:Identifier}.events (site_id, event_id, type, ts, device_ts, received_at, anonymous_id, session_id, customer_id, url, path,
  channel, is_bot, product_id, product_name, price, quantity, cart_id, order_id, revenue, currency, campaign_id, machine_open, props)
SELECT
  {site:String}, generateUUIDv4(number), type, ts, ts, ts, concat('a', toString(browser)), concat('a', toString(browser), '-', toString(visit)),
  if(identified AND (number % 2 = 0 OR type IN ('email_open', 'email_click', 'identify', 'purchase')), concat('c', toString(browser % ${CUSTOMERS})), ''),
  concat('https://shop.example/', path), path, channel, number % 97 = 0, product, product, 10 + (number % 90), 1 + number % 3,
  if(type = 'add_to_cart', concat('k', toString(browser)), ''), if(type = 'purchase', concat('o', toString(number)), ''),
  if(type = 'purchase', 20 + (number % 200), 0), 'EUR', if(type IN ('email_open', 'email_click'), concat('camp', toString(number % 12)), ''),
  type = 'email_open' AND number % 3 = 0,
  if(type = 'identify', concat('{"customerId":"c', toString(browser % ${CUSTOMERS}), '","traits":{"email":"User.', toString(browser % ${CUSTOMERS}), '@Example.com"}}'), '{}')
FROM (
  SELECT number, cityHash64(number, 1) % ${BROWSERS} AS browser, browser < ${IDENTIFIED} AS identified,
    cityHash64(number, 5) % 3 AS visit,
    toDateTime64({now:DateTime64(3, 'UTC')}, 3, 'UTC') - toIntervalSecond(cityHash64(browser, visit) % ${SPAN_SECONDS} + cityHash64(number, 2) % 1800) AS ts,
    number % 100 AS slot,
    multiIf(slot < 60, 'page_view', slot < 70, 'page_ping', slot < 80, 'product_view', slot < 85, 'add_to_cart', slot < 90, 'search',
      slot < 96, if(identified, 'email_open', 'page_view'), slot < 98, if(identified, 'email_click', 'page_view'), slot < 99, 'purchase', if(identified, 'identify', 'page_view')) AS type,
    ['/', '/p/1', '/p/2', '/c/coffee', '/cart', '/checkout'][1 + number % 6] AS path,
    ['direct', 'organic_search', 'paid_search', 'email', 'social', 'referral'][1 + cityHash64(browser) % 6] AS channel,
    concat('p', toString(cityHash64(number, 3) % 500)) AS product
  FROM numbers({count:UInt64})
)
WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}`;

const IDENTITIES_SQL = `
INSERT INTO {db:Identifier}.identities (site_id, anonymous_id, customer_id, first_seen, last_seen, sources)
SELECT {site:String}, concat('a', toString(number)), concat('c', toString(number % ${CUSTOMERS})),
  toDateTime64({now:DateTime64(3, 'UTC')}, 3, 'UTC') - toIntervalDay(60), toDateTime64({now:DateTime64(3, 'UTC')}, 3, 'UTC') - toIntervalDay(1), ['identify']
FROM numbers(${IDENTIFIED})`;

const ORDERS_SQL = `
INSERT INTO {db:Identifier}.orders (site_id, order_id, event_id, ts, anonymous_id, session_id, customer_id, revenue, currency, items_count, channel)
SELECT site_id, order_id, event_id, ts, anonymous_id, session_id, customer_id, revenue, currency, 1, channel
FROM {db:Identifier}.events WHERE site_id = {site:String} AND type = 'purchase'`;

const ORDER_ITEMS_SQL = `
INSERT INTO {db:Identifier}.order_items (site_id, order_id, line, ts, customer_id, anonymous_id, product_id, product_name, price, quantity)
SELECT site_id, order_id, 1, ts, customer_id, anonymous_id, product_id, product_name, revenue, 1
FROM {db:Identifier}.events WHERE site_id = {site:String} AND type = 'purchase'`;

export async function generateBenchDataset(client: ClickHouseClient, database: string, events: number, log: (line: string) => void): Promise<void> {
  const params = { db: database, site: BENCH_SITE, now: BENCH_NOW.toISOString().replace('T', ' ').replace('Z', '') };
  const chunk = 1_000_000;
  // Generation may take minutes on a busy machine: no execution time limit here.
  const clickhouse_settings = { max_execution_time: 0 };
  // Every slice draws from the same `events` numbers and keeps the events whose time falls into it, so the dataset is
  // the same whatever the slicing; the first slice also takes the few events before the span (a visit's 30 minutes).
  const slices = Math.max(1, Math.ceil(events / chunk));
  const clock = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
  const first = BENCH_NOW.getTime() - SPAN_SECONDS * 1000;
  for (let k = 0; k < slices; k += 1) {
    const from = k === 0 ? 0 : first + (k * SPAN_SECONDS * 1000) / slices;
    const to = k === slices - 1 ? BENCH_NOW.getTime() + 86_400_000 : first + ((k + 1) * SPAN_SECONDS * 1000) / slices;
    await client.command({ query: EVENTS_SQL, query_params: { ...params, count: events, from: clock(from), to: clock(to) }, clickhouse_settings });
    log(`  events of slice ${k + 1} / ${slices} loaded`);
  }
  await client.command({ query: IDENTITIES_SQL, query_params: params, clickhouse_settings });
  await client.command({ query: ORDERS_SQL, query_params: params, clickhouse_settings });
  await client.command({ query: ORDER_ITEMS_SQL, query_params: params, clickhouse_settings });
}
