import type { ClickHouseClient } from '@clickhouse/client';
import { createMemoryKeyValue } from '@spoor/infra';
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { siteSourceOf } from '../access/request-site.js';
import { ROUTE_PERMISSIONS, routeKey } from '../access/route-permissions.js';
import { createQueryApi } from '../create-query-api.js';

/**
 * Holds every route, present and future, to the site rule by construction: a route's validated input never carries a
 * site (the schema's `site` parses to undefined, so only `c.get('site')`, checked by the middleware, is readable),
 * the site is documented where the middleware takes it from, and unknown parameters are refused (strict schemas).
 */
interface RouteConfig {
  method: string;
  path: string;
  request?: { query?: ZodType; params?: ZodType; body?: { content: Record<string, { schema: ZodType }> } };
}

const app = createQueryApi({ keyValue: createMemoryKeyValue(), clickhouse: {} as ClickHouseClient, database: 'spoor' });
const routes = app.openAPIRegistry.definitions.filter((d) => d.type === 'route').map((d) => (d as unknown as { route: RouteConfig }).route);

const shapeOf = (schema: ZodType | undefined): Record<string, ZodType> => ((schema as unknown as { shape?: Record<string, ZodType> })?.shape ?? {});

describe('every /api/v1 route', () => {
  it('exists in the registry (the checks below are not vacuous)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(16);
  });

  for (const route of routes) {
    const name = `${route.method.toUpperCase()} ${route.path}`;
    const query = route.request?.query;
    const body = route.request?.body?.content['application/json']?.schema;
    const params = route.request?.params;

    it(`${name}: declares site where the middleware reads it, and its schema hands the handler no site`, () => {
      // Rows whose site is the request's (access/route-permissions.ts) document it there; the others name none.
      const row = ROUTE_PERMISSIONS.find((r) => routeKey(r.method, r.path) === routeKey(route.method, route.path.replace(/\{([^}]+)\}/g, ':$1')));
      const source = row?.site === 'request' ? siteSourceOf(route.method.toUpperCase()) : 'none';
      const declared = source === 'body' ? body : source === 'query' ? query : undefined;
      // A `:site` path parameter (checked by authorize) or a site-less action's `site` field (a new site's id) is data.
      if (source === 'none') return;
      expect(shapeOf(declared).site, `${name} documents site in its ${source}`).toBeDefined();
      for (const [where, schema] of [['query', query], ['body', body], ['params', params]] as const) {
        const site = shapeOf(schema).site;
        if (where !== source) expect(site, `${name}: site only in the ${source}`).toBeUndefined();
        if (site) {
          const parsed = site.safeParse('shop-b');
          expect(parsed.success && parsed.data === undefined, `${name}: ${where}.site must parse to undefined`).toBe(true);
        }
      }
    });

    it(`${name}: refuses unknown parameters`, () => {
      // The query families (site from the request); account and admin routes validate their bodies by hand.
      const row = ROUTE_PERMISSIONS.find((r) => routeKey(r.method, r.path) === routeKey(route.method, route.path.replace(/\{([^}]+)\}/g, ':$1')));
      if (row?.site !== 'request') return;
      for (const schema of [query, body]) {
        if (!schema) continue;
        const parsed = schema.safeParse({ surely_unknown: 'x' });
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues.some((i) => i.code === 'unrecognized_keys')).toBe(true);
      }
    });
  }
});
