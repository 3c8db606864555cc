import { LRUCache } from 'lru-cache';
import type { QueryRunner } from '../clickhouse/query-runner.js';
import { asOfParams } from '../params/as-of-param.js';
import { RFM_BASE_CTES, type RecencyBasis } from './rfm.js';
import type { RfmPopulation } from './rfm-scoring.js';

const POPULATION_SQL = `
WITH ${RFM_BASE_CTES}
SELECT
  arraySort(groupArray(assumeNotNull(recency_days))) AS recency,
  arraySort(groupArray(frequency)) AS frequency,
  arraySort(groupArray(monetary)) AS monetary
-- Only buyers are scored (queries/rfm.ts); a buyer has a recency on either basis. (Filtered in a subquery: the
-- aliases above shadow the columns in a WHERE here.)
FROM (SELECT * FROM base WHERE frequency > 0)`;

export interface RfmPopulationCacheOptions {
  /** How long a site's score distribution is reused by customer profiles. */
  ttlMs?: number;
  maxSites?: number;
}

/**
 * The distribution every customer is scored against, cached per (site, basis, UTC day of as_of): a support
 * operator opening a profile must not wait for a scan of all events (profile target p50 ≤ 50 ms). The
 * customer's own R/F/M values are always fresh; only the population may be up to `ttlMs` old.
 */
export function createRfmPopulationCache(runner: QueryRunner, options: RfmPopulationCacheOptions = {}) {
  const cache = new LRUCache<string, Promise<RfmPopulation>>({ max: options.maxSites ?? 64, ttl: options.ttlMs ?? 5 * 60_000 });
  return {
    get(site: string, basis: RecencyBasis, asOf: Date): Promise<RfmPopulation> {
      // The population changes little within a day; the key's day keeps "now" requests sharing one entry.
      const day = asOf.toISOString().slice(0, 10);
      const key = JSON.stringify([site, basis, day]);
      let entry = cache.get(key);
      if (!entry) {
        entry = runner
          .rows<RfmPopulation>(POPULATION_SQL, { site, basis, ...asOfParams(asOf) })
          .then((rows) => rows[0] ?? { recency: [], frequency: [], monetary: [] });
        entry.catch(() => cache.delete(key));
        cache.set(key, entry);
      }
      return entry;
    },
    clear(): void {
      cache.clear();
    },
  };
}

export type RfmPopulationCache = ReturnType<typeof createRfmPopulationCache>;
