-- The visit's attribution on every event row (issue 19): a funnel broken down by channel read it from
-- sessions.attribution at query time, merging an argMin state per visit and joining it to the entry events — 7x the
-- scan of the same columns (docs/performance.md). These columns hold the same values (migration 0350's definition:
-- the landing's channel, source, medium and UTM campaign) so a funnel reads them like any event column.
--
-- They are written after the fact, not at insert: a visit's landing may arrive after its other events (another
-- batch, another processor, a replay in event-id order), so no insert can know the final value. Instead the processor
-- marks every visit it loads events for in `unsettled_visits` (after the events and their sessions row are stored),
-- and settling (infra settle-visits.ts: the processor's timer, replay's end) copies sessions.attribution into these
-- columns for the marked visits and removes the marks it applied. Until then a query reads an unsettled visit's values
-- from sessions.attribution (query-api visit-attribution.ts), so answers never depend on whether settling has run.
ALTER TABLE {{database}}.events {{on_cluster}}
    ADD COLUMN IF NOT EXISTS visit_channel LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS visit_source LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS visit_medium LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS visit_campaign LowCardinality(String) DEFAULT '';

-- One row per visit whose columns above may be stale; marked_at is the server's clock at the mark, so a settle that
-- read sessions at time T removes only marks older than T (a visit marked again meanwhile stays marked).
CREATE TABLE IF NOT EXISTS {{database}}.unsettled_visits {{on_cluster}}
(
    site_id     LowCardinality(String),
    session_id  String,
    marked_at   DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = {{replicated}}ReplacingMergeTree(marked_at)
ORDER BY (site_id, session_id);

-- Every visit stored before this migration is unsettled: the next settle fills its columns.
INSERT INTO {{database}}.unsettled_visits (site_id, session_id)
SELECT DISTINCT site_id, session_id FROM {{database}}.events WHERE session_id != ''
