import type { IpAnonymisation } from './anonymise-ip.js';
import { createEnricher, type Enricher } from './enrich-event.js';
import { createGeoLookup, openGeoDatabases } from './geo-lookup.js';
import { createUserAgentParser } from './parse-user-agent.js';
import { loadReferrerDataset } from './referrer-dataset.js';

export interface EnricherOptions {
  /** mmdb files (GEOIP_DB); empty: the bundled DB-IP City Lite. */
  geoDatabases?: string[];
  /** false: no geo at all (no database installed). */
  geo?: boolean;
  userAgentCacheSize?: number;
  /** Page-URL and referrer classification caches (entries each; 0: off). */
  cacheSize?: number;
  ipAnonymisation?: IpAnonymisation;
  futureToleranceMs?: number;
}

/** Loads the reference data (geo database, referrer list) once and returns the enrichment step. */
export async function loadEnricher(options: EnricherOptions = {}): Promise<Enricher> {
  const readers = options.geo === false ? [] : await openGeoDatabases(options.geoDatabases ?? []);
  return createEnricher({
    geo: createGeoLookup(readers),
    userAgent: createUserAgentParser({ cacheSize: options.userAgentCacheSize }),
    referrers: loadReferrerDataset(),
    ipAnonymisation: options.ipAnonymisation,
    futureToleranceMs: options.futureToleranceMs,
    cacheSize: options.cacheSize,
  });
}
