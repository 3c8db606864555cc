import { Hono } from 'hono';
import type { AccountRoutesDeps } from './account-deps.js';
import { createAccountServices } from './account-services.js';
import { sessionRoutes } from './session-routes.js';
import { userAdminRoutes } from './user-admin-routes.js';

/**
 * Sign-in, sessions, set-up links and user administration as one Hono sub-app, mounted under /api/v1 by
 * createQueryApi. Every route authenticates for itself (session cookie, or the principal an authenticate middleware
 * in front already set) and refuses cookie requests without the CSRF token; account-route-permissions.ts declares
 * the rows for the route permission table.
 */
export function accountRoutes(deps: AccountRoutesDeps): Hono {
  const services = createAccountServices(deps);
  const app = new Hono();
  app.route('/', sessionRoutes(services));
  app.route('/', userAdminRoutes(services));
  return app;
}
