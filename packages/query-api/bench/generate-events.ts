import type { ClickHouseClient } from '@clickhouse/client';

/**
 * Realistic synthetic traffic, generated inside ClickHouse (INSERT … SELECT from numbers()), so 10M rows
 * take seconds rather than minutes through JS. Shapes, roughly those of a mid-size store:
 * sessions of geometric length (mean ≈ 9 events), a long tail of returning visitors, channel/device/country mixes,
 * Zipf-like product popularity, a thinning funnel (page views ≫ product views ≫ carts ≫ checkouts ≫ purchases),
 * 3 % bot sessions, 8 % of visitors identified as customers, 90 days of time.
 */
export interface GenerateOptions {
  database: string;
  site: string;
  events: number;
  /** First day of the generated period (UTC). */
  start: string;
  days: number;
}

export async function generateEvents(client: ClickHouseClient, o: GenerateOptions): Promise<void> {
  const sessions = Math.ceil(o.events / 9) + 50_000;
  const visitors = Math.ceil(sessions / 2.5);
  const params = { db: o.database, site: o.site, n: o.events, sessions, visitors, start: o.start, seconds: o.days * 86_400 };
  await client.command({
    query: `
INSERT INTO {db:Identifier}.events
  (site_id, event_id, type, ts, device_ts, received_at, anonymous_id, session_id, customer_id, visit_number, url, host, path,
   referrer_host, medium, source, search_term, channel, utm_source, utm_medium, utm_campaign, country, device_type, browser, os,
   is_bot, product_id, category, price, quantity, cart_id, order_id, revenue, currency, search_query)
SELECT
  {site:String}, generateUUIDv4(h), type, ts, ts, ts, anon, sess, if(type IN ('identify', 'purchase') AND identified, cust, ''),
  1, concat('https://shop.example', path), 'shop.example', path,
  ref_host, medium, source, if(channel = 'organic_search' AND i = 0 AND h % 5 = 0, concat('term ', toString(h % 300)), ''),
  channel, if(channel = 'paid_search', 'google', ''), if(channel = 'paid_search', 'cpc', ''), campaign, country, device, browser, os,
  bot, product, category, price, qty, if(type IN ('add_to_cart', 'remove_from_cart', 'checkout_start', 'purchase'), concat('cart-', sess), ''),
  if(type = 'purchase', concat('o-', sess), ''), if(type = 'purchase', price * qty, 0), 'EUR', if(type = 'search', concat('query ', toString(h % 500)), '')
FROM (
  SELECT
    s, i, h, anon, sess, cust, identified, channel, country, device, browser, os, bot, campaign,
    multiIf(channel = 'organic_search', 'google.com', channel = 'social', 'instagram.com', channel = 'referral', 'blog.example', '') AS ref_host,
    multiIf(channel = 'organic_search', 'organic', channel = 'paid_search', 'cpc', channel = 'email', 'email', channel = 'social', 'social', channel = 'referral', 'referral', '') AS medium,
    multiIf(channel = 'organic_search', 'google', channel = 'paid_search', 'google', channel = 'email', 'newsletter', channel = 'social', 'instagram', channel = 'referral', 'blog.example', '') AS source,
    -- deeper in a session, the funnel thins: type is drawn by position and a per-event hash
    multiIf(i = 0, 'page_view', r < 40, 'page_view', r < 55, 'page_ping', r < 72, 'product_view', r < 78 + least(i, 6), 'add_to_cart',
            r < 86, 'search', r < 88, 'remove_from_cart', r < 89 + least(i, 8) / 4, 'checkout_start', r < 90 + least(i, 8) / 8, 'purchase',
            r < 92, 'identify', 'custom') AS type,
    toUInt64(pow((h % 1000) / 1000, 2) * 2000) AS product_n,
    concat('p-', toString(product_n)) AS product,
    ['shoes', 'shirts', 'trousers', 'bags', 'hats', 'socks', 'jackets', 'belts'][product_n % 8 + 1] AS category,
    toDecimal64(5 + (product_n % 200), 4) AS price,
    toUInt32(1 + h % 3) AS qty,
    multiIf(type IN ('product_view', 'add_to_cart'), concat('/products/', product), type = 'checkout_start', '/checkout',
            type = 'purchase', '/checkout/thanks', i = 0 AND h % 3 = 0, '/', h % 10 < 4, concat('/products/', product),
            h % 10 < 7, concat('/category/', category), h % 10 < 8, '/cart', h % 10 < 9, '/search', concat('/pages/', toString(h % 40))) AS path,
    toDateTime64({start:DateTime}, 3, 'UTC') + toIntervalMillisecond(start_ms + i * toUInt64(5000 + (h % 110000))) AS ts
  FROM (
    SELECT
      s, i, cityHash64(s, i) AS h, h % 100 AS r,
      concat('anon-', toString(v)) AS anon, concat('sess-', toString(s)) AS sess,
      concat('cust-', toString(v)) AS cust, cityHash64(v, 'id') % 100 < 8 AS identified,
      ['direct', 'organic_search', 'paid_search', 'email', 'social', 'referral'][arrayFirstIndex(x -> (sh % 100) < x, [30, 60, 75, 85, 95, 100])] AS channel,
      ['DE', 'US', 'FR', 'GB', 'NL', 'IT', 'ES', 'PL'][1 + intDiv(pow(sh % 1000 / 1000, 2) * 8, 1)] AS country,
      ['mobile', 'desktop', 'tablet'][arrayFirstIndex(x -> (intDiv(sh, 100) % 100) < x, [58, 95, 100])] AS device,
      ['Chrome', 'Safari', 'Firefox', 'Edge'][1 + intDiv(sh, 7) % 4] AS browser,
      ['Android', 'iOS', 'Windows', 'macOS'][1 + intDiv(sh, 11) % 4] AS os,
      sh % 100 < 3 AS bot,
      if(sh % 100 BETWEEN 60 AND 74, ['spring_sale', 'brand', 'retarget'][1 + sh % 3], '') AS campaign,
      toUInt64((sh % 1000000) / 1000000 * {seconds:UInt64}) * 1000 AS start_ms
    FROM (
      SELECT number AS s, cityHash64(s, 'sess') AS sh, toUInt64(pow((sh % 10000000) / 10000000, 1.6) * {visitors:UInt64}) AS v,
             -- geometric session length, mean ≈ 9
             1 + toUInt32(floor(log(1 - (cityHash64(s, 'len') % 1000000) / 1000001) / log(0.89))) AS len
      FROM numbers({sessions:UInt64})
    )
    ARRAY JOIN range(len) AS i
    LIMIT {n:UInt64}
  )
)`,
    query_params: params,
    clickhouse_settings: { max_execution_time: 600 },
  });
  await client.command({
    query: `
INSERT INTO {db:Identifier}.identities (site_id, anonymous_id, customer_id, first_seen, last_seen, sources)
SELECT site_id, anonymous_id, customer_id, min(ts), max(ts), ['identify']
FROM {db:Identifier}.events WHERE site_id = {site:String} AND type = 'identify' AND customer_id != ''
GROUP BY site_id, anonymous_id, customer_id`,
    query_params: params,
  });
}
