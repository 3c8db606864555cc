-- The processor sends every insert with a deterministic insert_deduplication_token (a hash of the rows' keys),
-- so a retried insert whose first attempt did reach ClickHouse is dropped by the server. Replicated tables keep
-- that window by default; plain MergeTree (embedded chDB, single server) only with this setting.
-- MODIFY SETTING is idempotent.
ALTER TABLE {{database}}.raw_events {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.events {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.orders {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.order_items {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 1000;
ALTER TABLE {{database}}.identities {{on_cluster}} MODIFY SETTING non_replicated_deduplication_window = 1000
