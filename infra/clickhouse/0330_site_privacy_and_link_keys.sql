-- Global Privacy Control per site (issue 16 §4): honoured unless a site turns it off on purpose, so existing sites
-- honour it from this migration on (the DEFAULT fills their rows).
ALTER TABLE {{database}}.sites {{on_cluster}} ADD COLUMN IF NOT EXISTS honour_gpc Bool DEFAULT true;

-- Per-site signing keys for email links (issue 16 §5). HMAC needs the secret itself, so it is stored as it is: whoever
-- can read this table can sign the site's links (give the query API's ClickHouse user no grant on it). The newest key
-- not retired signs; every key not retired verifies the tokens naming its key_id. Retiring is a newer row with
-- retired = true (ReplacingMergeTree: the newest row of a (site_id, key_id) wins).
CREATE TABLE IF NOT EXISTS {{database}}.site_link_keys {{on_cluster}}
(
    site_id     String,
    key_id      String,
    secret      String,
    retired     Bool DEFAULT false,
    created_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(updated_at)
ORDER BY (site_id, key_id)
