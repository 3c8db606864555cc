-- Events ordered by visitor: the narrow copy of `events` that per-visitor queries (funnels) read. Sorted by
-- (site_id, anonymous_id, ts), a query grouping per anonymous id aggregates in order (optimize_aggregation_in_order:
-- streaming, no hash table over all visitors, events already in time order), and a visitor's events are a range.
-- Only the columns those queries read; page_ping heartbeats (~15 % of events, no funnel step and ignored by strict
-- order) are left out, so a query about page_ping must read `events`.
-- Duplicates: a retried processor insert carries the same insert_deduplication_token, and with
-- deduplicate_blocks_in_dependent_materialized_views (default 1) this table drops the retried block as `events`
-- does (the window below); ReplacingMergeTree on (…, event_id) is the backstop, as for `events`.
-- Customer erasure (packages/query-api/src/queries/customer-erasure.ts) deletes from it like from `events`.
CREATE TABLE IF NOT EXISTS {{database}}.visitor_events {{on_cluster}}
(
    site_id       LowCardinality(String),
    anonymous_id  String,
    ts            DateTime64(3, 'UTC'),
    event_id      UUID,
    type          LowCardinality(String),
    session_id    String,
    customer_id   String,
    is_bot        Bool,
    path          String,
    category      LowCardinality(String),
    product_id    String,
    brand         LowCardinality(String),
    custom_name   LowCardinality(String),
    channel       LowCardinality(String),
    source        LowCardinality(String),
    medium        LowCardinality(String),
    utm_campaign  LowCardinality(String),
    device_type   LowCardinality(String),
    country       LowCardinality(String),
    order_id      String,
    revenue       Decimal(18, 4)
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, anonymous_id, ts, event_id)
SETTINGS non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.visitor_events_mv {{on_cluster}} TO {{database}}.visitor_events AS
SELECT site_id, anonymous_id, ts, event_id, type, session_id, customer_id, is_bot, path, category, product_id, brand,
       custom_name, channel, source, medium, utm_campaign, device_type, country, order_id, revenue
FROM {{database}}.events
WHERE type != 'page_ping';

-- Backfill what `events` held before the view existed. Events already copied (by the view, or by a previous run of
-- this statement that stopped half-way) are skipped, so re-running it adds nothing twice.
INSERT INTO {{database}}.visitor_events
SELECT site_id, anonymous_id, ts, event_id, type, session_id, customer_id, is_bot, path, category, product_id, brand,
       custom_name, channel, source, medium, utm_campaign, device_type, country, order_id, revenue
FROM {{database}}.events
WHERE type != 'page_ping'
  AND (site_id, event_id) NOT IN (SELECT site_id, event_id FROM {{database}}.visitor_events)
