import type { Principal } from '../access/principal.js';

/** One administrative action, export or erasure: who, what, when, from where (docs/admin.md "Audit log"). */
export interface AuditEntry {
  /** Dotted verb, e.g. `key.create`, `user.role.grant`, `audience.export`, `customer.erase`, `session.sign_in`. */
  action: string;
  actor: Principal;
  /** The client address as the service resolves it (trusted proxies applied). */
  address: string;
  site?: string;
  /** What was acted on: a key id, a user id, a person id's hash — never a secret, password or raw contact. */
  target?: string;
  detail?: Record<string, string | number | boolean>;
  /** Defaults to now. */
  at?: Date;
}

/** Where audit entries go (ClickHouse audit_log in production, an array in unit tests). Recording never throws to the caller's user. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}
