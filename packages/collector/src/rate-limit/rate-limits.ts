import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

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

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const ip = limiter('ip', options.perIp, options);
  const site = limiter('site', options.perSite, options);
  async function consume(l: BurstyRateLimiter, key: string, points: number): Promise<RateDecision> {
    try {
      await l.consume(key, points);
      return { allowed: true };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
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
