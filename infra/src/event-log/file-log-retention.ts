import type { TopicLog } from './topic-log.js';

/** Kafka's own default `retention.ms` (7 days): the log is a buffer, the raw archive in ClickHouse is the record. */
export const DEFAULT_LOG_RETENTION_HOURS = 168;
export const MAX_LOG_RETENTION_HOURS = 8760;

/**
 * An active segment rolls once its oldest record is this fraction of the retention old, so it can be deleted as a
 * whole later: a consumed record is gone at most 9/8 of the retention (plus one sweep) after it was appended.
 */
const ROLL_FRACTION = 1 / 8;

/**
 * Retention of one file-log topic: deletes whole segments whose newest record is older than `retentionMs`, once every
 * consumer group that ever committed on the topic has consumed them (an unconsumed record is never lost to age — the
 * processor may have been down; a topic nobody consumes, like the dead-letter topic, just ages out). Returns the
 * number of segments deleted.
 */
export function expireTopic(log: TopicLog, retentionMs: number, nowMs: number): number {
  const cutoff = nowMs - retentionMs;
  const active = log.segmentList[log.segmentList.length - 1]!;
  const oldest = active.end > active.base ? active.read(active.base, 1, Number.MAX_SAFE_INTEGER)[0] : undefined;
  if (oldest && oldest.timestamp < nowMs - retentionMs * ROLL_FRACTION) log.rollActive();
  const consumed = log.consumedEnd();
  let deleted = 0;
  for (;;) {
    const segments = log.segmentList;
    const first = segments[0]!;
    if (segments.length < 2 || first.end > consumed) break;
    const newest = first.end > first.base ? first.read(first.end - 1, 1, Number.MAX_SAFE_INTEGER)[0] : undefined;
    if (newest && newest.timestamp >= cutoff) break;
    log.dropOldest();
    deleted++;
  }
  return deleted;
}

/** Runs expireTopic over the topics that have a retention every `intervalMs`; returns the function that stops it. */
export function startFileLogRetention(topics: () => Iterable<[TopicLog, number | undefined]>, intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const [log, retentionMs] of topics()) if (retentionMs !== undefined) expireTopic(log, retentionMs, Date.now());
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
