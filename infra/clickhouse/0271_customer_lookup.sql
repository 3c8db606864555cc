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

-- events_by_visitor: a narrow copy of `events` sorted by (site_id, anonymous_id, ts) with only the columns the profile
-- reads, so one customer's events are a few short ranges. Small granules (1024 rows): the profile reads a handful of
-- rows per browser, and every granule it touches is decompressed whole. Duplicates as in `events`: a retried
-- processor insert carries the same insert_deduplication_token (the window below), ReplacingMergeTree on
-- (…, event_id) is the backstop.
CREATE TABLE IF NOT EXISTS {{database}}.events_by_visitor {{on_cluster}}
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
    path          String,
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

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.events_by_visitor_mv {{on_cluster}} TO {{database}}.events_by_visitor AS
SELECT site_id, anonymous_id, ts, event_id, type, session_id, customer_id, is_bot, machine_open, channel, source, path, campaign_id,
       cart_id, product_id, product_name, price, quantity
FROM {{database}}.events;

-- Backfill; events already copied (by the view, or a run of this statement that stopped half-way) are skipped.
INSERT INTO {{database}}.events_by_visitor
SELECT site_id, anonymous_id, ts, event_id, type, session_id, customer_id, is_bot, machine_open, channel, source, path, campaign_id,
       cart_id, product_id, product_name, price, quantity
FROM {{database}}.events
WHERE (site_id, event_id) NOT IN (SELECT site_id, event_id FROM {{database}}.events_by_visitor)
