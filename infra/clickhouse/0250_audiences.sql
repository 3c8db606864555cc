-- Saved audiences of the query API. One row per (site, audience); a delete writes a newer row with
-- deleted = true, so reads use FINAL (ReplacingMergeTree on updated_at keeps the newest).
-- `definition` is the validated JSON definition (rules or a built-in template), compiled to SQL on read.
CREATE TABLE IF NOT EXISTS {{database}}.audiences {{on_cluster}}
(
    site_id      LowCardinality(String),
    audience_id  String,
    name         String,
    definition   String CODEC(ZSTD(3)),
    created_by   String,
    created_at   DateTime64(3, 'UTC'),
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3),
    deleted      Bool DEFAULT false
)
ENGINE = {{replicated}}ReplacingMergeTree(updated_at)
ORDER BY (site_id, audience_id)
