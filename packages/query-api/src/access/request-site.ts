import type { Context } from 'hono';
import { BadParameterError } from '../errors/query-api-errors.js';
import { hasJsonBody, readJsonBody } from '../params/json-body.js';
import { malformedTextReason } from '../params/well-formed-text.js';

/** Where a request names its site, one rule for every route: the JSON body for POST, the query string otherwise. */
export type SiteSource = 'query' | 'body';
export const siteSourceOf = (method: string): SiteSource => (hasJsonBody(method) ? 'body' : 'query');

export const DEFAULT_MAX_SITE_LENGTH = 128;

/**
 * The request's one site, for routes whose row says `site: 'request'` (access/authorize.ts is the only caller, and
 * routes read the result as `c.get('site')` only: their schemas' `site` fields parse to `undefined`,
 * params/site-param.ts). The site is taken from its one source (siteSourceOf); every other mention — the other
 * source, a repeated `?site=`, a `site` in a DELETE's body — must be the identical string, else 400: a request never
 * names two sites, so no check can pass on one while a handler reads the other.
 */
export async function siteOfRequest(c: Context, maxSiteLength = DEFAULT_MAX_SITE_LENGTH): Promise<string> {
  const source = siteSourceOf(c.req.method);
  const fromQuery: unknown[] = c.req.queries('site') ?? [];
  const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await readJsonBody(c);
  if (source === 'body' && (typeof body !== 'object' || body === null || Array.isArray(body))) throw new BadParameterError('body', 'expected a JSON object');
  const fromBody: unknown[] = typeof body === 'object' && body !== null && !Array.isArray(body) && 'site' in body ? [(body as { site: unknown }).site] : [];

  const site = source === 'body' ? fromBody[0] : fromQuery[0];
  if (site === undefined || site === '') {
    throw new BadParameterError('site', source === 'body' ? 'required in the JSON body' : 'required in the query string');
  }
  checkSiteId(site, maxSiteLength);
  if ([...fromQuery, ...fromBody].some((other) => other !== site)) {
    throw new BadParameterError('site', 'named more than once with different values; name one site, once');
  }
  return site;
}

/** Whether the request mentions a site at all (query string or JSON body): `request-or-none` rows. */
export async function namesSite(c: Context): Promise<boolean> {
  if (c.req.queries('site') !== undefined) return true;
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return false;
  const body = await readJsonBody(c);
  return typeof body === 'object' && body !== null && !Array.isArray(body) && 'site' in body;
}

/** The `:site` path parameter of the matched route (`pattern` is its mounted path), for rows with `site: 'path'`. */
export function siteOfPath(requestPath: string, pattern: string, maxSiteLength = DEFAULT_MAX_SITE_LENGTH): string {
  const at = pattern.split('/').indexOf(':site');
  const raw = at < 0 ? undefined : requestPath.split('/')[at];
  if (raw === undefined || raw === '') throw new BadParameterError('site', 'required in the path');
  let site: string;
  try {
    site = decodeURIComponent(raw);
  } catch {
    throw new BadParameterError('site', 'not a well-formed percent-encoded path segment');
  }
  checkSiteId(site, maxSiteLength);
  return site;
}

function checkSiteId(site: unknown, maxSiteLength: number): asserts site is string {
  if (typeof site !== 'string' || site.length === 0 || site.length > maxSiteLength) throw new BadParameterError('site', `expected a site id of at most ${maxSiteLength} characters`);
  const malformed = malformedTextReason(site);
  if (malformed) throw new BadParameterError('site', malformed);
}
