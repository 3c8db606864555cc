import type { Principal } from '../access/principal.js';

/** Context variables of the admin API's handlers: who the request acts as, set by createQueryApi's access chain (access/authenticate.ts), which also decided it may (access/authorize.ts). */
export interface AdminApiEnv {
  Variables: {
    principal: Principal;
  };
}
