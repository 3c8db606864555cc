import type { ClickHouseClient } from '@clickhouse/client';
import type { Authenticator } from '../access/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { RequestAddress } from '../auth/request-address.js';

/** What the admin API needs from createQueryApi. */
export interface AdminApiDeps {
  clickhouse: ClickHouseClient;
  database: string;
  /** ClickHouse cluster DDL runs on (migrations, retention TTLs); absent on one server or chDB. */
  cluster?: string | undefined;
  /** Asked in order (admin/authenticate-principal.ts). */
  authenticators: readonly Authenticator[];
  auditLog: AuditLog;
  clientAddress: RequestAddress;
  /** Applies the ClickHouse migrations (and re-applies retention); POST /api/v1/admin/migrate. */
  migrate: () => Promise<{ applied: string[] }>;
  /** Largest request body; absent when mounted behind createQueryApi's /api/v1/* chain, which limits it already. */
  maxBodyBytes?: number;
}
