import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createLeasedLimiter } from './leased-limiter.js';

/** A steady rate with a burst allowance on top: a token bucket's behaviour, with rate-limiter-flexible's counters. */
export interface RateLimit {
  /** Points per second sustained. */
  perSecond: number;
  /** Extra points a client may spend at once above the steady rate, refilled over `burstWindowSeconds`. */
  burst: number;
  burstWindowSeconds?: number;
}

export interface RateLimitOptions {
  /** Requests per client IP (every endpoint). */
  perIp: RateLimit;
  /** Events per site (POST /v1/events, one point per event; email opens and clicks one each). */
  perSite: RateLimit;
  /** Shared across collector instances when given; without it each process counts on its own. */
  redis?: Redis;
  keyPrefix?: string;
  /**
   * Points a key takes from Redis at once and spends in process (leased-limiter.ts): far fewer round trips for
   * busy keys, at the price of refusing a key up to that many points early per collector instance. Default: a
   * tenth of the per-second rate, at most 100 requests per IP and 1000 events per site; 1 turns leasing off.
   */
  leasePoints?: { ip?: number; site?: number };
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimits {
  consumeIp(ip: string): Promise<RateDecision>;
  consumeSite(siteId: string, points: number): Promise<RateDecision>;
}

function limiter(name: string, limit: RateLimit, options: RateLimitOptions): BurstyRateLimiter {
  const prefix = `${options.keyPrefix ?? 'rl'}:${name}`;
  const make = (suffix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix: `${prefix}:${suffix}`, points, duration });
    if (!options.redis) return memory;
    // Redis down or slow: the in-process limiter takes over (insurance) instead of failing requests.
    return new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${prefix}:${suffix}`, points, duration, insuranceLimiter: memory, rejectIfRedisNotReady: true });
  };
  const window = limit.burstWindowSeconds ?? 10;
  return new BurstyRateLimiter(make('rate', Math.max(1, Math.round(limit.perSecond)), 1), make('burst', Math.max(0, Math.round(limit.burst)), window));
}

/** The default lease: a tenth of the steady rate, capped so a lease never holds much of a busy limit. */
const defaultLease = (limit: RateLimit, cap: number) => Math.min(cap, Math.max(1, Math.floor(limit.perSecond / 10)));

export function createRateLimits(options: RateLimitOptions): RateLimits {
  // The rate limiter's window is 1 s (see limiter()): leases end with it.
  const ip = createLeasedLimiter(limiter('ip', options.perIp, options), { leasePoints: options.leasePoints?.ip ?? defaultLease(options.perIp, 100), windowMs: 1000 });
  const site = createLeasedLimiter(limiter('site', options.perSite, options), { leasePoints: options.leasePoints?.site ?? defaultLease(options.perSite, 1000), windowMs: 1000 });
  async function consume(l: typeof ip, key: string, points: number): Promise<RateDecision> {
    try {
      const decision = await l.consume(key, points);
      return decision.allowed ? decision : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(decision.msBeforeNext / 1000)) };
    } catch {
      // Neither Redis nor the insurance limiter answered: let the request through rather than drop data.
      return { allowed: true };
    }
  }
  return {
    consumeIp: (address) => consume(ip, address || 'unknown', 1),
    consumeSite: (siteId, points) => consume(site, siteId, Math.max(1, points)),
  };
}

/** No limits (embedded single-user setups and benchmarks of the ceiling). */
export const unlimited: RateLimits = {
  consumeIp: async () => ({ allowed: true }),
  consumeSite: async () => ({ allowed: true }),
};
