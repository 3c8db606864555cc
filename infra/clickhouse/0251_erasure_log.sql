-- Audit trail of customer erasures (DELETE /api/v1/customers/{id}). It must outlive the data it
-- describes, so it names the customer only by the SHA-256 of the customer id (hex): an operator
-- can prove "customer X was erased on …" by hashing X again, yet the log itself holds no identifier.
-- `row_counts` is rows removed per table; `hooks` the cache-clearing hooks that ran and their result.
CREATE TABLE IF NOT EXISTS {{database}}.erasure_log {{on_cluster}}
(
    erasure_id           UUID,
    site_id              LowCardinality(String),
    customer_sha256      String,
    requested_by         String,
    requested_at         DateTime64(3, 'UTC'),
    completed_at         DateTime64(3, 'UTC'),
    anonymous_ids        UInt32,
    row_counts           Map(String, UInt64),
    hooks                Map(String, String)
)
ENGINE = {{replicated}}MergeTree
ORDER BY (site_id, requested_at, erasure_id)
