import type { Principal } from '../access/principal.js';

/** Hono context variables set by the access middleware for every /api/v1 handler. */
export interface QueryApiEnv {
  Variables: {
    /** Who the request acts as (access/authenticate.ts); unset only on public routes. */
    principal: Principal;
    /** The site this request acts on, already checked by access/authorize.ts; unset on instance-wide routes. */
    site: string;
  };
}
