import { describePrincipal } from '../access/principal.js';
import fc from 'fast-check';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { QueryApiEnv } from '../auth/query-api-env.js';
import { createErrorHandler } from '../errors/on-error.js';
import { limitQueryConcurrency, type QueryConcurrencyOptions } from './query-concurrency.js';

/** The middleware behind a stand-in of the auth middleware; each request's handler runs until the test releases it. */
function harness(options: QueryConcurrencyOptions) {
  const app = new Hono<QueryApiEnv>();
  app.onError(createErrorHandler(() => {}));
  const gates: Array<() => void> = [];
  let running = 0;
  let maxRunning = 0;
  const by = new Map<string, number>();
  let maxPerKey = 0;
  let maxPerSite = 0;
  app.use('*', async (c, next) => {
    c.set('principal', { kind: 'key', keyId: c.req.header('x-key')!, siteIds: [], scopes: [] });
    c.set('site', c.req.header('x-site')!);
    await next();
  });
  app.use('*', limitQueryConcurrency(options));
  app.get('/q', async (c) => {
    const ids = [describePrincipal(c.get('principal')), `site:${c.get('site')}`];
    running++;
    maxRunning = Math.max(maxRunning, running);
    for (const id of ids) by.set(id, (by.get(id) ?? 0) + 1);
    maxPerKey = Math.max(maxPerKey, by.get(ids[0]!)!);
    maxPerSite = Math.max(maxPerSite, by.get(ids[1]!)!);
    await new Promise<void>((resolve) => gates.push(resolve));
    for (const id of ids) by.set(id, by.get(id)! - 1);
    running--;
    return c.json({ ok: true });
  });
  const send = (key: string, site: string) => Promise.resolve(app.request('/q', { headers: { 'x-key': key, 'x-site': site } }));
  const settle = async () => {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  };
  const releaseAll = async () => {
    while (gates.length || running) {
      gates.splice(0).forEach((g) => g());
      await settle();
    }
  };
  return {
    send,
    settle,
    releaseAll,
    running: () => running,
    maxRunning: () => maxRunning,
    maxPerKey: () => maxPerKey,
    maxPerSite: () => maxPerSite,
    releaseOne: () => gates.shift()?.(),
  };
}

afterEach(() => vi.useRealTimers());

describe('limitQueryConcurrency', () => {
  it('20 parallel requests of one key: 2 run, 4 wait, 14 are answered 429 at once with Retry-After; the waiting ones run', async () => {
    const h = harness({ perKey: 2, perSite: 4, total: 4, queuedPerKey: 4, queuedTotal: 16, maxWaitMs: 5_000 });
    const responses = Array.from({ length: 20 }, () => h.send('k1', 'shop'));
    await h.settle();
    expect(h.running()).toBe(2);
    const rejected = await Promise.all(responses.slice(6));
    for (const res of rejected) {
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('2 queries running') } });
    }
    await h.releaseAll();
    const admitted = await Promise.all(responses.slice(0, 6));
    expect(admitted.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(h.maxRunning()).toBe(2);
  });

  it("another key of the same site is not held back by the first key's queue", async () => {
    const h = harness({ perKey: 1, perSite: 4, total: 4, queuedPerKey: 4 });
    const first = [h.send('k1', 'shop'), h.send('k1', 'shop'), h.send('k1', 'shop')];
    await h.settle();
    const other = h.send('k2', 'shop');
    await h.settle();
    expect(h.running()).toBe(2); // k1's one and k2's, while two of k1's wait
    h.releaseOne(); // k1's first
    h.releaseOne(); // k2's
    expect((await other).status).toBe(200);
    await h.releaseAll();
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('a site at capacity: a wait past maxWaitMs is 503 unavailable with Retry-After; the process queue full is 503 at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = harness({ perKey: 2, perSite: 2, total: 8, queuedPerKey: 4, queuedTotal: 2, maxWaitMs: 3_000 });
    const running = [h.send('a', 'shop'), h.send('b', 'shop')];
    await h.settle();
    const waiting = [h.send('c', 'shop'), h.send('d', 'shop')];
    await h.settle();
    const overflow = await h.send('e', 'shop');
    expect(overflow.status).toBe(503);
    expect((await overflow.json()).error.code).toBe('unavailable');
    await vi.advanceTimersByTimeAsync(3_001);
    for (const res of await Promise.all(waiting)) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('3');
      expect((await res.json()).error).toEqual({ code: 'unavailable', message: 'no query slot became free within 3000 ms; retry later' });
    }
    await h.releaseAll();
    expect((await Promise.all(running)).map((r) => r.status)).toEqual([200, 200]);
    // Slots and queue places were all given back: the next requests run at once.
    const after = [h.send('c', 'shop'), h.send('d', 'shop')];
    await h.settle();
    expect(h.running()).toBe(2);
    await h.releaseAll();
    expect((await Promise.all(after)).map((r) => r.status)).toEqual([200, 200]);
  });

  it('for any mix of keys, sites and releases: never more running than a limit allows, every request answered 200/429/503, nothing leaks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('k1', 'k2', 'k3'), site: fc.constantFrom('s1', 's2'), release: fc.nat(2) }), { minLength: 1, maxLength: 40 }),
        async (steps) => {
          const options = { perKey: 2, perSite: 3, total: 4, queuedPerKey: 2, queuedTotal: 5, maxWaitMs: 60_000 };
          const h = harness(options);
          const all: Array<Promise<Response>> = [];
          for (const step of steps) {
            all.push(h.send(step.key, step.site));
            await h.settle();
            expect(h.running()).toBeLessThanOrEqual(options.total);
            for (let i = 0; i < step.release; i++) h.releaseOne();
            await h.settle();
          }
          await h.releaseAll();
          const statuses = (await Promise.all(all)).map((r) => r.status);
          for (const s of statuses) expect([200, 429, 503]).toContain(s);
          expect(h.maxRunning()).toBeLessThanOrEqual(options.total);
          expect(h.maxPerKey()).toBeLessThanOrEqual(options.perKey);
          expect(h.maxPerSite()).toBeLessThanOrEqual(options.perSite);
          // Nothing held: a fresh request of every key runs at once.
          const fresh = ['k1', 'k2', 'k3'].map((k) => h.send(k, 's1'));
          await h.settle();
          expect(h.running()).toBe(3);
          await h.releaseAll();
          expect((await Promise.all(fresh)).map((r) => r.status)).toEqual([200, 200, 200]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
