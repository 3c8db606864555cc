-- Session days: one row per (site, UTC day, anonymous id, customer id, session) that had a non-bot event — whether
-- one of them was a visit (a browsing event, i.e. not an email open/click pseudo-event) and the last event's time.
-- Audiences read it for "visit" counts and for who was active at all in a window (queries/audience-fast-path.ts):
-- whole days come from here (~1 row per visit instead of ~8+ events), the partial days at the window's edges from
-- `events`. Bot events never reach it (audiences never count them). Both aggregates are max(), so a repeated insert
-- or the backfill below running twice changes nothing. Customer erasure deletes from it like from `events`.
CREATE TABLE IF NOT EXISTS {{database}}.session_days {{on_cluster}}
(
    site_id       LowCardinality(String),
    day           Date,
    anonymous_id  String,
    customer_id   String,
    session_id    String,
    visit         SimpleAggregateFunction(max, UInt8),
    last_seen     SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = {{replicated}}AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site_id, day, anonymous_id, customer_id, session_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{database}}.session_days_mv {{on_cluster}} TO {{database}}.session_days AS
SELECT
    site_id,
    toDate(ts)                                          AS day,
    anonymous_id,
    customer_id,
    session_id,
    max(type NOT IN ('email_open', 'email_click'))      AS visit,
    max(ts)                                             AS last_seen
FROM {{database}}.events
WHERE NOT is_bot
GROUP BY site_id, day, anonymous_id, customer_id, session_id;

-- Backfill what `events` held before the view existed (max() makes rows the view also wrote harmless).
INSERT INTO {{database}}.session_days
SELECT site_id, toDate(ts) AS day, anonymous_id, customer_id, session_id, max(type NOT IN ('email_open', 'email_click')), max(ts)
FROM {{database}}.events
WHERE NOT is_bot
GROUP BY site_id, day, anonymous_id, customer_id, session_id
