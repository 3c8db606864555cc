-- Sites (public write keys, allowed origins and redirect hosts) and secret API keys for the query API.
-- Secret keys are stored only as SHA-256 hashes.
CREATE TABLE IF NOT EXISTS {{database}}.sites {{on_cluster}}
(
    site_id                 String,
    name                    String,
    write_key               String,
    allowed_origins         Array(String),
    allowed_redirect_hosts  Array(String),
    updated_at              DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(updated_at)
ORDER BY site_id;

CREATE TABLE IF NOT EXISTS {{database}}.api_keys {{on_cluster}}
(
    key_id      String,
    key_sha256  String,
    site_ids    Array(String),
    name        String,
    revoked     Bool DEFAULT false,
    created_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree(updated_at)
ORDER BY key_id
