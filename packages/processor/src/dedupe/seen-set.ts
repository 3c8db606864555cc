import type { KeyValue } from '@spoor/infra';

/** One event: the same id sent to two sites is two events, so every key names the site too. */
export interface SeenEvent {
  siteId: string;
  eventId: string;
}

/**
 * A cache of events already written to every table, in Redis (KeyValue). It is only ever an optimisation:
 * events are marked after ClickHouse acknowledged them, so "seen" is always true, and "not seen" (flushed, expired,
 * Redis down) falls through to ClickHouse's own existence check. Every failure is swallowed: fail open.
 */
export interface SeenSet {
  /** The events not known to be stored, as `seenKey(siteId, eventId)` (all of them when Redis does not answer). */
  unseen(events: SeenEvent[]): Promise<{ unseen: Set<string>; available: boolean }>;
  markSeen(events: SeenEvent[]): Promise<boolean>;
}

export interface SeenSetOptions {
  ttlMs?: number;
  prefix?: string;
}

/** The event's identity in the set (and in the Kafka-side dedupe): site and lowercased id, NUL-separated. */
export const seenKey = (siteId: string, eventId: string): string => `${siteId}\u0000${eventId.toLowerCase()}`;

/**
 * The Redis key: `seen:2:<event id>:<site>`. The id is a validated UUID (no ':'), so id and site cannot run into each
 * other; the version segment keeps these keys apart from the site-less `seen:<id>` keys of earlier versions, which
 * simply expire (a miss only costs a ClickHouse check).
 */
const redisKey = (prefix: string, e: SeenEvent) => `${prefix}2:${e.eventId.toLowerCase()}:${e.siteId}`;

export function createSeenSet(kv: KeyValue, options: SeenSetOptions = {}): SeenSet {
  const ttlMs = options.ttlMs ?? 7 * 24 * 3600 * 1000;
  const prefix = options.prefix ?? 'seen:';
  return {
    async unseen(events) {
      const all = new Set(events.map((e) => seenKey(e.siteId, e.eventId)));
      if (!events.length) return { unseen: all, available: true };
      try {
        const exists = await kv.existsMany(events.map((e) => redisKey(prefix, e)));
        return { unseen: new Set(events.filter((_, i) => !exists[i]).map((e) => seenKey(e.siteId, e.eventId))), available: true };
      } catch {
        return { unseen: all, available: false };
      }
    },
    async markSeen(events) {
      if (!events.length) return true;
      try {
        await kv.setManyIfAbsent(events.map((e) => redisKey(prefix, e)), '1', ttlMs);
        return true;
      } catch {
        return false;
      }
    },
  };
}
