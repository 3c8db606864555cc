-- Audit log of administrative actions, exports and erasures (issue #18; docs/admin.md "Audit log"): who, what, on
-- which site, when, from which address. MergeTree, not ReplacingMergeTree: every entry is a fact of its own, never
-- updated or collapsed; no TTL: retention never removes it (it must outlive the data it describes, like erasure_log).
-- Ordered by (site_id, at) because it is read per site, newest first; instance-wide actions have site_id ''.
-- `target` is never a secret or a raw personal identifier (a customer is named by the SHA-256 of its id).
CREATE TABLE IF NOT EXISTS {{database}}.audit_log {{on_cluster}}
(
    at          DateTime64(3, 'UTC'),
    entry_id    UUID,
    action      LowCardinality(String),
    actor       String,
    actor_kind  LowCardinality(String),
    address     String,
    site_id     String,
    target      String,
    detail      String
)
ENGINE = {{replicated}}MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (site_id, at, entry_id)
