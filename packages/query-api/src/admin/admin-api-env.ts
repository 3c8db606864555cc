import type { Principal } from '../access/principal.js';

/** Context variables of the admin API's handlers: who the request acts as, decided once (admin/authenticate-principal.ts). */
export interface AdminApiEnv {
  Variables: {
    principal: Principal;
  };
}
