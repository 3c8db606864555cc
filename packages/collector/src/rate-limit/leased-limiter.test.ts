import { describe, expect, it } from 'vitest';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createLeasedLimiter, type PointsLimiter } from './leased-limiter.js';

/** rate-limiter-flexible's in-memory limiter as the shared truth (Redis in production), counting round trips. */
function shared(points: number, duration = 1) {
  const limiter = new RateLimiterMemory({ points, duration });
  const calls: number[] = [];
  const counted: PointsLimiter = {
    consume: (key, n) => {
      calls.push(n);
      return limiter.consume(key, n);
    },
  };
  return { limiter, counted, calls };
}

describe('leased limiter', () => {
  it('spends a lease in process: one shared round trip per lease instead of one per request', async () => {
    const { counted, calls } = shared(1000);
    const leased = createLeasedLimiter(counted, { leasePoints: 100, windowMs: 1000 });
    for (let i = 0; i < 300; i++) expect(await leased.consume('ip-1', 1)).toEqual({ allowed: true });
    expect(calls).toEqual([100, 100, 100]);
  });

  it('never allows more than the shared limit across instances, and refuses at most a lease early', async () => {
    const { counted } = shared(250, 60);
    const a = createLeasedLimiter(counted, { leasePoints: 20, windowMs: 60_000 });
    const b = createLeasedLimiter(counted, { leasePoints: 20, windowMs: 60_000 });
    let allowed = 0;
    for (let i = 0; i < 400; i++) if ((await (i % 2 ? a : b).consume('site', 1)).allowed) allowed++;
    expect(allowed).toBeLessThanOrEqual(250);
    // Unspent leases count as used: each instance may hold up to a lease (minus one point) when refusals start.
    expect(allowed).toBeGreaterThanOrEqual(250 - 2 * 20);
  });

  it('asks for exactly the points a request needs when a whole lease no longer fits', async () => {
    const { counted, calls } = shared(25, 60);
    const leased = createLeasedLimiter(counted, { leasePoints: 20, windowMs: 60_000 });
    expect(await leased.consume('k', 20)).toEqual({ allowed: true });
    // 20 used; a lease of 20 would exceed 25, the exact 5 points would have fitted had the refused lease not counted.
    const next = await leased.consume('k', 5);
    expect(calls).toEqual([20, 20, 5]);
    expect(next.allowed).toBe(false);
  });

  it('refuses in process until the shared limiter frees points, and lets concurrent requests share one fetch', async () => {
    const { counted, calls } = shared(10, 60);
    let clock = 1_000_000;
    const leased = createLeasedLimiter(counted, { leasePoints: 5, windowMs: 60_000, now: () => clock });
    const first = await Promise.all(Array.from({ length: 5 }, () => leased.consume('k', 1)));
    expect(first.every((d) => d.allowed)).toBe(true);
    expect(calls).toEqual([5]);
    await leased.consume('k', 5);
    const refused = await leased.consume('k', 1);
    expect(refused.allowed).toBe(false);
    const rounds = calls.length;
    clock += 1000;
    const again = await leased.consume('k', 1);
    expect(again.allowed === false && again.msBeforeNext).toBeGreaterThan(0);
    expect(calls.length).toBe(rounds); // answered from the local refusal, no round trip
  });

  it('lets a lease end with the window its points were counted in', async () => {
    const { counted, calls } = shared(1000);
    let clock = 5_000_000;
    const leased = createLeasedLimiter(counted, { leasePoints: 50, windowMs: 1000, now: () => clock });
    await leased.consume('k', 1);
    clock += 1001;
    await leased.consume('k', 1);
    expect(calls).toEqual([50, 50]);
  });

  it('with a lease of 1 asks the shared limiter every time, as without leases', async () => {
    const { counted, calls } = shared(3);
    const leased = createLeasedLimiter(counted, { leasePoints: 1, windowMs: 1000 });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push((await leased.consume('k', 1)).allowed);
    expect(decisions).toEqual([true, true, true, false]);
    expect(calls).toEqual([1, 1, 1, 1]);
  });
});
