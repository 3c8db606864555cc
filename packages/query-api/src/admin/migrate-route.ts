import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ERROR_RESPONSES } from '../openapi/error-responses.js';
import { BEARER_SECURITY } from '../queries/shared/create-router.js';
import type { AdminApiDeps } from './admin-deps.js';
import type { AdminApiEnv } from './admin-api-env.js';

const migrateRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/migrate',
  tags: ['Administration'],
  summary: 'Apply the ClickHouse migrations (idempotent; what `spoor migrate` does)',
  description: 'Needs: `admin` on the whole instance (owner or local admin). Also re-applies the retention TTLs with the deployment default the server runs with.',
  security: BEARER_SECURITY,
  responses: {
    200: { description: 'The migrations this call applied (empty: the schema was up to date).', content: { 'application/json': { schema: z.object({ applied: z.array(z.string()) }) } } },
    401: ERROR_RESPONSES[401],
    403: ERROR_RESPONSES[403],
  },
});

export function registerMigrateRoute(app: OpenAPIHono<AdminApiEnv>, deps: AdminApiDeps): void {
  app.openapi(migrateRoute, async (c) => {
    const { applied } = await deps.migrate();
    await deps.auditLog.record({ action: 'schema.migrate', actor: c.get('principal'), address: deps.clientAddress(c), detail: { applied: applied.join(',') } });
    return c.json({ applied }, 200);
  });
}
