import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { describeZodError } from '@spoor/events';
import { siteSchema, type Site, type SiteRegistry } from './site-registry.js';

export const sitesFileSchema = z.object({ sites: z.array(siteSchema).max(100_000) });

export class SitesFileError extends Error {
  override name = 'SitesFileError';
}

/** Sites from a JSON file (`{ "sites": [ … ] }`, see docs/collector.md); read once, at start-up. */
export function loadSitesFile(path: string): SiteRegistry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SitesFileError(`sites file ${path}: ${(err as Error).message}`);
  }
  const sites = parseSites(parsed, path);
  // Link keys are signing secrets: a file holding them must be readable by its owner only.
  if (sites.some((s) => s.linkKeys?.length) && (statSync(path).mode & 0o077) !== 0) {
    throw new SitesFileError(`sites file ${path}: holds linkKeys (signing secrets) but is readable by others; chmod 600 it`);
  }
  return createStaticSiteRegistry(sites);
}

export function parseSites(input: unknown, source = 'sites'): Site[] {
  const result = sitesFileSchema.safeParse(input);
  if (!result.success) throw new SitesFileError(`${source}: ${describeZodError(result.error)}`);
  const sites = result.data.sites;
  const keys = new Set<string>();
  const ids = new Set<string>();
  for (const site of sites) {
    if (keys.has(site.writeKey)) throw new SitesFileError(`${source}: write key of site "${site.siteId}" is used twice`);
    if (ids.has(site.siteId)) throw new SitesFileError(`${source}: site id "${site.siteId}" is used twice`);
    keys.add(site.writeKey);
    ids.add(site.siteId);
  }
  return sites;
}

/** An in-memory registry of a fixed list (the file adapter, and tests). */
export function createStaticSiteRegistry(sites: Site[]): SiteRegistry {
  const byKey = new Map(sites.map((s) => [s.writeKey, s]));
  const byId = new Map(sites.map((s) => [s.siteId, s]));
  return {
    async byWriteKey(writeKey) {
      return byKey.get(writeKey);
    },
    async byId(siteId) {
      return byId.get(siteId);
    },
  };
}
