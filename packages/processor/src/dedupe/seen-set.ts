import type { KeyValue } from '@spoor/infra';

/**
 * A cache of event ids already written to every table, in Redis (KeyValue). It is only ever an optimisation:
 * ids are marked after ClickHouse acknowledged them, so "seen" is always true, and "not seen" (flushed, expired,
 * Redis down) falls through to ClickHouse's own existence check. Every failure is swallowed: fail open.
 */
export interface SeenSet {
  /** The ids not known to be stored (all of them when Redis does not answer). */
  unseen(eventIds: string[]): Promise<{ unseen: Set<string>; available: boolean }>;
  markSeen(eventIds: string[]): Promise<boolean>;
}

export interface SeenSetOptions {
  ttlMs?: number;
  prefix?: string;
}

export function createSeenSet(kv: KeyValue, options: SeenSetOptions = {}): SeenSet {
  const ttlMs = options.ttlMs ?? 7 * 24 * 3600 * 1000;
  const prefix = options.prefix ?? 'seen:';
  return {
    async unseen(eventIds) {
      if (!eventIds.length) return { unseen: new Set(), available: true };
      try {
        const exists = await kv.existsMany(eventIds.map((id) => prefix + id));
        return { unseen: new Set(eventIds.filter((_, i) => !exists[i])), available: true };
      } catch {
        return { unseen: new Set(eventIds), available: false };
      }
    },
    async markSeen(eventIds) {
      if (!eventIds.length) return true;
      try {
        await kv.setManyIfAbsent(eventIds.map((id) => prefix + id), '1', ttlMs);
        return true;
      } catch {
        return false;
      }
    },
  };
}
