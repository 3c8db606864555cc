import { z } from '@hono/zod-openapi';

/**
 * The site a request reads, as documented in every route's schema. Required on every /api/v1 request, resolved and
 * checked against the key's scope by access/request-site.ts via access/authorize.ts — the only reader. Here it parses to `undefined`,
 * so a handler cannot read a site the middleware did not check: it has `c.get('site')` and nothing else
 * (route-schemas.test.ts holds every route to this).
 */
export const siteParam = z
  // `?site=a&site=a` arrives as an array; the middleware has already refused it unless every value is the same.
  .preprocess((v) => (Array.isArray(v) ? (v as unknown[])[0] : v), z.string().min(1).max(128))
  .transform((): undefined => undefined)
  .openapi({ description: 'Site id the API key is scoped to: in the query string, or in the JSON body for POST (named once).', example: 'shop-1' });
