import { LRUCache } from 'lru-cache';
import type { Site, SiteRegistry } from './site-registry.js';

export interface SiteCacheOptions {
  /** How long a found site is reused before asking the store again. */
  ttlMs?: number;
  /** Unknown keys are remembered too (shorter), so a flood of made-up keys does not reach the store. */
  missTtlMs?: number;
  max?: number;
}

type Entry = { site: Site | undefined };

/**
 * Caches a registry in process. Concurrent look-ups of one key share a single store query (fetchMethod).
 * A store that fails is not cached: the error reaches the caller (503) and the next request asks again.
 */
export function createCachedSiteRegistry(inner: SiteRegistry, options: SiteCacheOptions = {}): SiteRegistry {
  const ttl = options.ttlMs ?? 60_000;
  const missTtl = options.missTtlMs ?? 10_000;
  const make = (lookup: (k: string) => Promise<Site | undefined>) =>
    new LRUCache<string, Entry>({
      max: options.max ?? 10_000,
      ttl,
      fetchMethod: async (key, _stale, { options: fetchOptions }) => {
        const site = await lookup(key);
        if (!site) fetchOptions.ttl = missTtl;
        return { site };
      },
    });
  const byKey = make((k) => inner.byWriteKey(k));
  const byId = make((k) => inner.byId(k));
  return {
    // A fresh entry is answered without fetch()'s promise machinery: this runs on every request.
    async byWriteKey(writeKey) {
      return (byKey.get(writeKey) ?? (await byKey.fetch(writeKey)))?.site;
    },
    async byId(siteId) {
      return (byId.get(siteId) ?? (await byId.fetch(siteId)))?.site;
    },
  };
}
