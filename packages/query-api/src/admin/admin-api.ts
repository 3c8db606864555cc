import { OpenAPIHono } from '@hono/zod-openapi';
import { applyRetention, appliedDefaultDays, DEFAULT_RETENTION_DAYS, migrate } from '@spoor/infra';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Principal } from '../access/principal.js';
import { throwOnInvalid } from '../errors/validation-hook.js';
import { UnauthorizedError } from '../errors/query-api-errors.js';
import type { AdminApiDeps } from './admin-deps.js';
import type { AdminApiEnv } from './admin-api-env.js';
import { registerMigrateRoute } from './migrate-route.js';
import { registerSiteRoutes } from './sites/site-routes.js';

/**
 * /api/v1/admin/*: administration through the running server (docs/admin.md), so the `spoor` CLI need not open the
 * store a server owns. Routes carry their full paths. Mounted only by createQueryApi, behind its /api/v1/* chain:
 * authenticate sets the principal, authorize decides each route from its row (admin-route-permissions.ts, part of
 * access/route-permissions.ts) — the handlers only read who acts.
 */
export function createAdminApi(deps: AdminApiDeps): OpenAPIHono<AdminApiEnv> {
  const app = new OpenAPIHono<AdminApiEnv>({ defaultHook: (result) => throwOnInvalid(result) });
  // Fails closed if ever mounted outside the access chain: no principal means nobody decided, so nothing is done.
  app.use('/api/v1/admin/*', async (c, next) => {
    if (!(c.get('principal') as Principal | undefined)) throw new UnauthorizedError('send a credential: "Authorization: Bearer <secret API key>"');
    return next();
  });
  registerSiteRoutes(app, deps);
  registerMigrateRoute(app, deps);
  return app;
}

/** The migrations, then the retention TTLs again with the default the services last applied (a new table needs its TTL). */
export function defaultMigrate(client: ClickHouseClient, database: string, cluster?: string): () => Promise<{ applied: string[] }> {
  return async () => {
    const onCluster = cluster ? { cluster } : {};
    const { applied } = await migrate(client, { database, ...onCluster });
    const defaultDays = (await appliedDefaultDays(client, database)) ?? DEFAULT_RETENTION_DAYS;
    await applyRetention(client, { database, ...onCluster, defaultDays });
    return { applied };
  };
}
