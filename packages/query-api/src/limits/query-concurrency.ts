import { describePrincipal } from '../access/principal.js';
import type { MiddlewareHandler } from 'hono';
import { QueryCapacityError, TooManyQueriesError } from '../errors/query-api-errors.js';
import type { QueryApiEnv } from '../auth/query-api-env.js';

export interface QueryConcurrencyOptions {
  /** Requests of one API key answered at once. */
  perKey?: number;
  /** Requests for one site answered at once, whichever keys send them. */
  perSite?: number;
  /** Requests answered at once by this process. */
  total?: number;
  /** Requests of one key waiting for a slot; one more is 429. */
  queuedPerKey?: number;
  /** Requests waiting for a slot in this process; one more is 503. */
  queuedTotal?: number;
  /** Longest wait for a slot, ms; then 429 when the key's own requests hold it back, else 503. */
  maxWaitMs?: number;
}

interface Waiter {
  keyId: string;
  site: string;
  admit: () => void;
}

/**
 * Bounds the queries one principal (API key, user…), one site and the whole process have running, with a short FIFO queue in front.
 * Every /api/v1 request reads ClickHouse, and embedded chDB runs one statement at a time: without this, twenty
 * funnels from one key queue for a minute and every other key's requests wait behind them. A key over its share
 * is told 429, a site or process at capacity 503, both with Retry-After. Runs after the auth middleware, which
 * sets the key and the checked site.
 */
export function limitQueryConcurrency({
  perKey = 2,
  perSite = 4,
  total = 4,
  queuedPerKey = 4,
  queuedTotal = 16,
  maxWaitMs = 5_000,
}: QueryConcurrencyOptions = {}): MiddlewareHandler<QueryApiEnv> {
  const runningByKey = new Map<string, number>();
  const runningBySite = new Map<string, number>();
  const queuedByKey = new Map<string, number>();
  let running = 0;
  const waiters: Waiter[] = [];
  const retryAfterSeconds = Math.max(1, Math.ceil(maxWaitMs / 1000));

  const add = (map: Map<string, number>, id: string, delta: number) => {
    const n = (map.get(id) ?? 0) + delta;
    if (n > 0) map.set(id, n);
    else map.delete(id);
  };
  const fits = (keyId: string, site: string) =>
    running < total && (runningByKey.get(keyId) ?? 0) < perKey && (runningBySite.get(site) ?? 0) < perSite;
  const acquire = (keyId: string, site: string) => {
    running++;
    add(runningByKey, keyId, 1);
    add(runningBySite, site, 1);
  };
  const release = (keyId: string, site: string) => {
    running--;
    add(runningByKey, keyId, -1);
    add(runningBySite, site, -1);
    // FIFO among those that fit now: a waiter held back by its own key does not block another key's.
    for (let i = 0; i < waiters.length && running < total; ) {
      const w = waiters[i]!;
      if (fits(w.keyId, w.site)) {
        waiters.splice(i, 1);
        acquire(w.keyId, w.site);
        w.admit();
      } else i++;
    }
  };

  const waitForSlot = (keyId: string, site: string) =>
    new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        keyId,
        site,
        admit: () => {
          clearTimeout(timer);
          add(queuedByKey, keyId, -1);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        add(queuedByKey, keyId, -1);
        reject(
          (runningByKey.get(keyId) ?? 0) >= perKey
            ? new TooManyQueriesError(`this API key already has ${perKey} queries running; retry later`, retryAfterSeconds)
            : new QueryCapacityError(`no query slot became free within ${maxWaitMs} ms; retry later`, retryAfterSeconds),
        );
      }, maxWaitMs);
      add(queuedByKey, keyId, 1);
      waiters.push(waiter);
    });

  return async (c, next) => {
    const principal = c.get('principal');
    // Public routes (no principal) read no store: nothing to bound. Instance-wide routes share the '' site.
    if (!principal) return next();
    const keyId = describePrincipal(principal);
    const site = c.get('site') ?? '';
    if (fits(keyId, site)) acquire(keyId, site);
    else if ((queuedByKey.get(keyId) ?? 0) >= queuedPerKey) {
      throw new TooManyQueriesError(`this API key already has ${perKey} queries running and ${queuedPerKey} waiting; retry later`, retryAfterSeconds);
    } else if (waiters.length >= queuedTotal) {
      throw new QueryCapacityError(`the query API is at capacity (${total} running, ${queuedTotal} waiting); retry later`, retryAfterSeconds);
    } else await waitForSlot(keyId, site);
    try {
      await next();
    } finally {
      release(keyId, site);
    }
  };
}
