-- Why an event's stored time (ts) is its receipt time rather than the time it stated (docs/processor.md "Derived
-- time"): '' (kept as stated, skew-corrected), 'future' (more than the tolerance after its receipt), 'too_old' (older
-- than the maximum backdate: 8 days for browser events, 5 years for /v1/import), 'unreadable' (arithmetic beyond what
-- a date holds). The stated device time stays in device_ts and in raw_events.
ALTER TABLE {{database}}.events {{on_cluster}} ADD COLUMN IF NOT EXISTS ts_adjusted LowCardinality(String) DEFAULT '' AFTER ts_in_future
