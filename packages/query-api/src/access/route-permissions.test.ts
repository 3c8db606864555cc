import { describe, expect, it } from 'vitest';
import { createMemoryKeyValue } from '@spoor/infra';
import type { QueryApiEnv } from '../auth/query-api-env.js';
import { QUERY_ROUTE_PERMISSIONS, ROUTE_PERMISSIONS, COLLECTOR_ROUTE_PERMISSIONS, routeKey } from './route-permissions.js';
import { appWithPrincipals } from './testing/principals-app.js';

// Every route the app mounts, as Hono registered it (method and mounted path); `use` middleware is bound to ALL.
const app = appWithPrincipals({}, createMemoryKeyValue());
const mounted = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => routeKey(r.method, r.path)))];
const declared = ROUTE_PERMISSIONS.map((r) => routeKey(r.method, r.path));

describe('the route permission table (access/route-permissions.ts)', () => {
  it('is not vacuous', () => {
    expect(mounted.length).toBeGreaterThanOrEqual(QUERY_ROUTE_PERMISSIONS.length);
  });

  it.each(mounted)('%s declares a permission', (route) => {
    expect(declared, `${route} has no row in access/route-permissions.ts: add one (authorize refuses it with 403 until then)`).toContain(route);
  });

  it('has no row without a mounted route (a stale row would document what does not exist)', () => {
    expect(declared.filter((route) => !mounted.includes(route))).toEqual([]);
  });

  it('has one row per route', () => {
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('mounts nothing but public routes outside /api/v1, where authorize does not run', () => {
    const outside = ROUTE_PERMISSIONS.filter((r) => !r.path.startsWith('/api/v1/'));
    expect(outside.filter((r) => r.permission !== 'public')).toEqual([]);
    expect(mounted.filter((route) => !route.split(' ')[1]!.startsWith('/api/v1/') && !declared.includes(route))).toEqual([]);
  });

  it('reads the site from the path only where the path names one', () => {
    for (const row of ROUTE_PERMISSIONS) if (row.site === 'path') expect(row.path.split('/'), row.path).toContain(':site');
  });

  it("declares the collector's import with scope import", () => {
    expect(COLLECTOR_ROUTE_PERMISSIONS).toEqual([{ method: 'POST', path: '/v1/import', permission: 'import', site: 'request' }]);
  });

  it('refuses (403) a mounted route that has no row, whoever asks', async () => {
    const { authorize } = await import('./authorize.js');
    const { Hono } = await import('hono');
    const { createErrorHandler } = await import('../errors/on-error.js');
    const bare = new Hono<QueryApiEnv>();
    bare.onError(createErrorHandler(() => undefined));
    bare.use('/api/v1/*', async (c, next) => (c.set('principal', { kind: 'local-admin' }), next()));
    bare.use('/api/v1/*', authorize({ table: [] }));
    bare.get('/api/v1/forgotten', (c) => c.json({ leaked: true }));
    const res = await bare.request('/api/v1/forgotten');
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });
});
