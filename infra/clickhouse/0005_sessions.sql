-- Sessions as a projection of events. Every aggregate here is idempotent (min/max/argMin/argMax,
-- uniqExact of event ids), so a duplicate insert can never double count a page view or a session.
-- Read with the -Merge combinators: SELECT session_id, uniqExactMerge(page_views) … GROUP BY site_id, session_id.
CREATE TABLE IF NOT EXISTS {{database}}.sessions {{on_cluster}}
(
    site_id        LowCardinality(String),
    session_id     String,
    anonymous_id   SimpleAggregateFunction(any, String),
    customer_id    SimpleAggregateFunction(max, String),
    started_at     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    ended_at       SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    entry_page     AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    exit_page      AggregateFunction(argMax, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    page_views     AggregateFunction(uniqExact, UUID),
    events         AggregateFunction(uniqExact, UUID),
    has_cart       SimpleAggregateFunction(max, UInt8),
    has_checkout   SimpleAggregateFunction(max, UInt8),
    has_purchase   SimpleAggregateFunction(max, UInt8),
    is_bot         SimpleAggregateFunction(max, UInt8),
    channel        AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    source         AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    medium         AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    utm_campaign   AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    country        AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID)),
    device_type    AggregateFunction(argMin, String, Tuple(DateTime64(3, 'UTC'), UUID))
)
ENGINE = {{replicated}}AggregatingMergeTree
ORDER BY (site_id, session_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.sessions_mv {{on_cluster}} TO {{database}}.sessions AS
SELECT
    site_id,
    session_id,
    any(anonymous_id)                                                   AS anonymous_id,
    max(customer_id)                                                    AS customer_id,
    min(ts)                                                             AS started_at,
    max(ts)                                                             AS ended_at,
    argMinStateIf(path, (ts, event_id), type = 'page_view')             AS entry_page,
    argMaxStateIf(path, (ts, event_id), type = 'page_view')             AS exit_page,
    uniqExactStateIf(event_id, type = 'page_view')                      AS page_views,
    uniqExactState(event_id)                                            AS events,
    max(type = 'add_to_cart')                                           AS has_cart,
    max(type = 'checkout_start')                                        AS has_checkout,
    max(type = 'purchase')                                              AS has_purchase,
    max(is_bot)                                                         AS is_bot,
    argMinState(toString(channel), (ts, event_id))                      AS channel,
    argMinState(toString(source), (ts, event_id))                       AS source,
    argMinState(toString(medium), (ts, event_id))                       AS medium,
    argMinState(toString(utm_campaign), (ts, event_id))                 AS utm_campaign,
    argMinState(toString(country), (ts, event_id))                      AS country,
    argMinState(toString(device_type), (ts, event_id))                  AS device_type
FROM {{database}}.events
GROUP BY site_id, session_id
