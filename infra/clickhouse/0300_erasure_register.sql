-- The erasure register: who has been erased, so nothing brings them back. Written by an erasure
-- (DELETE /api/v1/customers/{id}) BEFORE it deletes any row; read by the processor at consume time and
-- by replay (archive and log): an event whose customer id, or whose anonymous id (when the event names no
-- other customer), is registered for its site is dropped. Ids are kept only as the SHA-256 (lowercase hex)
-- of the id, never in clear. One row per (site, kind, hash); a repeated erasure rewrites it (Replacing).
CREATE TABLE IF NOT EXISTS {{database}}.erasure_register {{on_cluster}}
(
    site_id      LowCardinality(String),
    kind         Enum8('customer' = 1, 'anonymous' = 2),
    id_sha256    String,
    erased_at    DateTime64(3, 'UTC')
)
ENGINE = {{replicated}}ReplacingMergeTree(erased_at)
ORDER BY (site_id, kind, id_sha256)
