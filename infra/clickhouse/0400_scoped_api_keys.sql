-- Scoped API keys (issue #18). Keys created before this migration get `scopes = []`, read as the legacy scopes
-- (everything but admin: docs/admin.md), so they keep working exactly as before. `key_prefix` is the first characters
-- of the secret, shown by `spoor keys list` to tell keys apart (the secret itself is stored only as its SHA-256).
ALTER TABLE {{database}}.api_keys {{on_cluster}} ADD COLUMN IF NOT EXISTS scopes Array(LowCardinality(String)) DEFAULT [];

ALTER TABLE {{database}}.api_keys {{on_cluster}} ADD COLUMN IF NOT EXISTS key_prefix String DEFAULT '';

ALTER TABLE {{database}}.api_keys {{on_cluster}} ADD COLUMN IF NOT EXISTS created_by String DEFAULT '';

-- When each key was last accepted, written at most once a minute per key by each query API process. Kept apart from
-- api_keys on purpose: a "last used" row written into api_keys (ReplacingMergeTree, newest row wins) could race a
-- revocation and bring the key back. ReplacingMergeTree(used_at) keeps one row per key, the latest use; readers take
-- max(used_at) so unmerged parts answer the same.
CREATE TABLE IF NOT EXISTS {{database}}.api_key_usage {{on_cluster}}
(
    key_id   String,
    used_at  DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(used_at)
ORDER BY key_id
