import { LRUCache } from 'lru-cache';

export interface FailedKeyLimiterOptions {
  /** Failed lookups an address may make at once. */
  burst?: number;
  /** Failed lookups an address earns back per second. */
  perSecond?: number;
  /** Addresses remembered (least recently failing forgotten first). */
  maxAddresses?: number;
  now?: () => number;
}

/** A token bucket per client address, spent by failed API key lookups only: guessing keys stays slow and cheap. */
export interface FailedKeyLimiter {
  /** Seconds until `address` may try again; 0 when it may now. */
  retryAfterSeconds(address: string): number;
  recordFailure(address: string): void;
}

export function createFailedKeyLimiter({ burst = 20, perSecond = 2, maxAddresses = 10_000, now = Date.now }: FailedKeyLimiterOptions = {}): FailedKeyLimiter {
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: maxAddresses });
  const current = (address: string) => {
    const bucket = buckets.get(address);
    if (!bucket) return burst;
    return Math.min(burst, bucket.tokens + ((now() - bucket.at) / 1000) * perSecond);
  };
  return {
    retryAfterSeconds(address) {
      const tokens = current(address);
      return tokens >= 1 ? 0 : (1 - tokens) / perSecond;
    },
    recordFailure(address) {
      buckets.set(address, { tokens: Math.max(0, current(address) - 1), at: now() });
    },
  };
}
