import { LRUCache } from 'lru-cache';
import { RateLimiterRes } from 'rate-limiter-flexible';

/** What a leased limiter needs from rate-limiter-flexible: an atomic consume that rejects with RateLimiterRes. */
export interface PointsLimiter {
  consume(key: string, points: number): Promise<RateLimiterRes>;
}

export type LeaseDecision = { allowed: true } | { allowed: false; msBeforeNext: number };

interface Lease {
  remaining: number;
  /** The window the points were counted in ends here; a lease never outlives it. */
  until: number;
  /** Refused until then: the shared limiter said no earlier point frees up, whatever other instances do. */
  refusedUntil?: number;
}

export interface LeasedLimiterOptions {
  /** Points taken from the shared limiter at once per key (1 = every check goes to it). */
  leasePoints: number;
  /** The shared limiter's shortest window: leases end with it at the latest. */
  windowMs: number;
  /** Keys whose leases are kept in process; the least recently used are forgotten (their points stay counted). */
  maxKeys?: number;
  now?: () => number;
}

const ALLOWED: LeaseDecision = { allowed: true };

/**
 * A local pre-check in front of the shared (Redis) limiter: instead of one round trip per request, a key takes
 * `leasePoints` points at once and spends them in process until they run out or the window they were counted in
 * ends. Redis stays the one truth across collector instances: every point spent was counted there first, so no
 * key ever gets more than its limit. The cost is accuracy at the edge: points leased but not yet spent count as
 * used, so a key may be refused up to about `leasePoints` per collector instance before its real limit (and a
 * lease refused near the limit still counts there, as any refused consume does in rate-limiter-flexible).
 * Concurrent requests of one key wait for the lease being fetched instead of each fetching their own.
 */
export function createLeasedLimiter(shared: PointsLimiter, options: LeasedLimiterOptions) {
  const leasePoints = Math.max(1, Math.floor(options.leasePoints));
  const now = options.now ?? Date.now;
  const leases = new LRUCache<string, Lease>({ max: options.maxKeys ?? 100_000 });
  const fetching = new Map<string, Promise<unknown>>();

  function spend(key: string, points: number): boolean {
    const lease = leases.get(key);
    if (!lease || lease.until <= now() || lease.remaining < points) return false;
    lease.remaining -= points;
    return true;
  }

  async function take(key: string, points: number): Promise<LeaseDecision> {
    const amount = Math.max(points, leasePoints);
    try {
      const res = await shared.consume(key, amount);
      const until = now() + Math.min(res.msBeforeNext, options.windowMs);
      const old = leases.get(key);
      const carried = old && old.until > now() ? old.remaining : 0;
      leases.set(key, { remaining: carried + amount - points, until: Math.min(until, old && carried ? old.until : until) });
      return ALLOWED;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      if (amount === points) return refuse(key, err.msBeforeNext);
      // The whole lease did not fit: ask for exactly what this request needs.
      try {
        await shared.consume(key, points);
        return ALLOWED;
      } catch (exact) {
        if (exact instanceof RateLimiterRes) return refuse(key, exact.msBeforeNext);
        throw exact;
      }
    }
  }

  function refuse(key: string, msBeforeNext: number): LeaseDecision {
    leases.set(key, { remaining: 0, until: 0, refusedUntil: now() + msBeforeNext });
    return { allowed: false, msBeforeNext };
  }

  return {
    async consume(key: string, points: number): Promise<LeaseDecision> {
      if (leasePoints === 1) return take(key, points);
      for (;;) {
        if (spend(key, points)) return ALLOWED;
        const refusedUntil = leases.get(key)?.refusedUntil ?? 0;
        if (refusedUntil > now()) return { allowed: false, msBeforeNext: refusedUntil - now() };
        const pending = fetching.get(key);
        if (!pending) break;
        await pending.catch(() => undefined);
      }
      const fetch = take(key, points);
      fetching.set(key, fetch);
      try {
        return await fetch;
      } finally {
        fetching.delete(key);
      }
    },
  };
}
