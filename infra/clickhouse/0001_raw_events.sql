-- The raw archive: every RawEvent the processor consumed, as received, minus the full client IP
-- (only the anonymised one is ever stored). With Kafka it is the record of truth `replay` rebuilds from.
-- ORDER BY starts with event_id so "have I stored this event?" is a primary-key lookup.
CREATE TABLE IF NOT EXISTS {{database}}.raw_events {{on_cluster}}
(
    site_id       LowCardinality(String),
    event_id      UUID,
    type          LowCardinality(String),
    anonymous_id  String,
    event_json    String CODEC(ZSTD(3)),
    device_ts     DateTime64(3, 'UTC'),
    sent_at       DateTime64(3, 'UTC'),
    received_at   DateTime64(3, 'UTC'),
    ip_anonymized String,
    user_agent    String CODEC(ZSTD(3)),
    collector_id  LowCardinality(String),
    origin        LowCardinality(String),
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = {{replicated}}ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (site_id, event_id)
