-- Retention (docs/retention.md). The deletion itself is each table's TTL, written by applyRetention()
-- (infra/src/clickhouse/apply-retention.ts) from the deployment default (SPOOR_RETENTION_DAYS) and the sites'
-- overrides below, and rewritten whenever either changes: a TTL rule per retention, `WHERE site_id IN …`.
--
-- sites.retention_days: this site's retention in days; 0 = the deployment default.
ALTER TABLE {{database}}.sites {{on_cluster}} ADD COLUMN IF NOT EXISTS retention_days UInt16 DEFAULT 0;

-- customer_browsers held (customer, browser) pairs without a time. A pair is now kept per day it was seen (the day of the
-- event, order or identity link that wrote it), so it expires with that data: retention after the day ends. Rows of one
-- day fold as before (ReplacingMergeTree on the whole key); rows of other days are separate, so a late or replayed old
-- event never shortens the life of a pair seen recently. The new column may end the sorting key only when added in
-- the same ALTER without a default (existing parts stay sorted: they read 1970-01-01); the backfill below gives those
-- pairs their real days, then the 1970 rows go.
ALTER TABLE {{database}}.customer_browsers {{on_cluster}}
    ADD COLUMN IF NOT EXISTS day Date,
    MODIFY ORDER BY (site_id, customer_id, anonymous_id, day);

ALTER TABLE {{database}}.customer_browsers_events_mv {{on_cluster}} MODIFY QUERY
SELECT DISTINCT site_id, customer_id, anonymous_id, toDate(ts) AS day FROM {{database}}.events WHERE customer_id != '';

ALTER TABLE {{database}}.customer_browsers_orders_mv {{on_cluster}} MODIFY QUERY
SELECT DISTINCT site_id, customer_id, anonymous_id, toDate(ts) AS day FROM {{database}}.orders WHERE customer_id != '';

ALTER TABLE {{database}}.customer_browsers_identities_mv {{on_cluster}} MODIFY QUERY
SELECT DISTINCT site_id, customer_id, anonymous_id, toDate(last_seen) AS day FROM {{database}}.identities WHERE customer_id != '';

-- Backfill the days of pairs stored before (a re-run inserts the same rows, which fold), then drop their dayless rows.
INSERT INTO {{database}}.customer_browsers (site_id, customer_id, anonymous_id, day)
SELECT DISTINCT site_id, customer_id, anonymous_id, day FROM (
    SELECT site_id, customer_id, anonymous_id, toDate(ts) AS day FROM {{database}}.events WHERE customer_id != ''
    UNION ALL
    SELECT site_id, customer_id, anonymous_id, toDate(ts) AS day FROM {{database}}.orders WHERE customer_id != ''
    UNION ALL
    SELECT site_id, customer_id, anonymous_id, toDate(last_seen) AS day FROM {{database}}.identities WHERE customer_id != ''
)
WHERE (site_id, customer_id, anonymous_id) IN (SELECT site_id, customer_id, anonymous_id FROM {{database}}.customer_browsers WHERE day = toDate(0));

ALTER TABLE {{database}}.customer_browsers {{on_cluster}} DELETE WHERE day = toDate(0);

-- Which retention policy each table's TTL was last written for, so a restart with an unchanged setting
-- rewrites nothing (a changed TTL re-evaluates every part of the table).
CREATE TABLE IF NOT EXISTS {{database}}.retention_applied {{on_cluster}}
(
    table_name  String,
    policy      String,
    applied_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(applied_at)
ORDER BY table_name
