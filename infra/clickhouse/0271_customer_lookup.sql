-- Point lookups for the customer profile (packages/query-api/src/queries/customer-profile.ts), so a profile reads a
-- few granules instead of bloom-filter scans of `events` (sorted by day and type, a customer's rows are everywhere).
--
-- customer_browsers: every (customer id, anonymous id) pair the stores have seen together — on an event, an order or
-- an identity link — sorted by customer: which browsers to look at for a customer. Pairs only, so a repeated insert
-- changes nothing.
CREATE TABLE IF NOT EXISTS {{database}}.customer_browsers {{on_cluster}}
(
    site_id       LowCardinality(String),
    customer_id   String,
    anonymous_id  String
)
ENGINE = {{replicated}}ReplacingMergeTree
ORDER BY (site_id, customer_id, anonymous_id)
SETTINGS index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.customer_browsers_events_mv {{on_cluster}} TO {{database}}.customer_browsers AS
SELECT DISTINCT site_id, customer_id, anonymous_id FROM {{database}}.events WHERE customer_id != '';

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.customer_browsers_orders_mv {{on_cluster}} TO {{database}}.customer_browsers AS
SELECT DISTINCT site_id, customer_id, anonymous_id FROM {{database}}.orders WHERE customer_id != '';

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.customer_browsers_identities_mv {{on_cluster}} TO {{database}}.customer_browsers AS
SELECT DISTINCT site_id, customer_id, anonymous_id FROM {{database}}.identities WHERE customer_id != '';

-- Backfill (ReplacingMergeTree on the whole row: pairs the views also wrote collapse, a re-run adds nothing new).
INSERT INTO {{database}}.customer_browsers
SELECT DISTINCT site_id, customer_id, anonymous_id FROM (
    SELECT site_id, customer_id, anonymous_id FROM {{database}}.events WHERE customer_id != ''
    UNION ALL
    SELECT site_id, customer_id, anonymous_id FROM {{database}}.orders WHERE customer_id != ''
    UNION ALL
    SELECT site_id, customer_id, anonymous_id FROM {{database}}.identities WHERE customer_id != ''
);

-- visitor_event_details: the visitor-ordered rows that `visitor_events` (0260, the funnels' copy) leaves out or lacks
-- the columns for — page_ping heartbeats (they extend sessions and last-seen times), email opens/clicks (campaign,
-- machine flag) and cart events and purchases (cart id, product name, price, quantity). The profile reads
-- visitor_events for every other type and this table for these six, so each event is read from exactly one of them.
-- Duplicates as in visitor_events: the insert deduplication window, then ReplacingMergeTree on (…, event_id).
-- Small granules (1024 rows): the profile reads a few rows per browser, and every granule it touches is decompressed whole.
CREATE TABLE IF NOT EXISTS {{database}}.visitor_event_details {{on_cluster}}
(
    site_id       LowCardinality(String),
    anonymous_id  String,
    ts            DateTime64(3, 'UTC'),
    event_id      UUID,
    type          LowCardinality(String),
    session_id    String,
    customer_id   String,
    is_bot        Bool,
    machine_open  Bool,
    channel       LowCardinality(String),
    source        LowCardinality(String),
    campaign_id   LowCardinality(String),
    cart_id       String,
    product_id    String,
    product_name  String,
    price         Decimal(18, 4),
    quantity      UInt32
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, anonymous_id, ts, event_id)
SETTINGS non_replicated_deduplication_window = 1000, index_granularity = 1024;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.visitor_event_details_mv {{on_cluster}} TO {{database}}.visitor_event_details AS
SELECT site_id, anonymous_id, ts, event_id, type, session_id, customer_id, is_bot, machine_open, channel, source, campaign_id,
       cart_id, product_id, product_name, price, quantity
FROM {{database}}.events
WHERE type IN ('page_ping', 'email_open', 'email_click', 'add_to_cart', 'remove_from_cart', 'purchase');

-- Backfill; events already copied (by the view, or a run of this statement that stopped half-way) are skipped.
INSERT INTO {{database}}.visitor_event_details
SELECT site_id, anonymous_id, ts, event_id, type, session_id, customer_id, is_bot, machine_open, channel, source, campaign_id,
       cart_id, product_id, product_name, price, quantity
FROM {{database}}.events
WHERE type IN ('page_ping', 'email_open', 'email_click', 'add_to_cart', 'remove_from_cart', 'purchase')
  AND (site_id, event_id) NOT IN (SELECT site_id, event_id FROM {{database}}.visitor_event_details)
