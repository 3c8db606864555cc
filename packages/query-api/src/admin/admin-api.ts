import { OpenAPIHono } from '@hono/zod-openapi';
import { applyRetention, appliedDefaultDays, DEFAULT_RETENTION_DAYS, migrate } from '@spoor/infra';
import type { ClickHouseClient } from '@clickhouse/client';
import { throwOnInvalid } from '../errors/validation-hook.js';
import { limitRequestBody } from '../params/limit-request-body.js';
import type { AdminApiDeps } from './admin-deps.js';
import type { AdminApiEnv } from './admin-api-env.js';
import { authenticatePrincipal } from './authenticate-principal.js';
import { registerMigrateRoute } from './migrate-route.js';
import { registerSiteRoutes } from './sites/site-routes.js';

/**
 * /api/v1/admin/*: administration through the running server (docs/admin.md), so the `spoor` CLI need not open the
 * store a server owns. Routes carry their full paths; mount at '/' before the query routes' /api/v1/* middleware.
 */
export function createAdminApi(deps: AdminApiDeps): OpenAPIHono<AdminApiEnv> {
  const app = new OpenAPIHono<AdminApiEnv>({ defaultHook: (result) => throwOnInvalid(result) });
  // Inside createQueryApi the /api/v1/* chain has limited (and read) the body already: a second limit would find it taken.
  if (deps.maxBodyBytes !== undefined) app.use('/api/v1/admin/*', limitRequestBody({ maxBytes: deps.maxBodyBytes }));
  app.use('/api/v1/admin/*', authenticatePrincipal({ authenticators: deps.authenticators }));
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
