import type { ClickHouseClient } from '@clickhouse/client';
import type { AuditLog } from '../audit/audit-log.js';
import type { RequestAddress } from '../auth/request-address.js';

/** What the admin API needs from createQueryApi. */
export interface AdminApiDeps {
  clickhouse: ClickHouseClient;
  database: string;
  /** ClickHouse cluster DDL runs on (migrations, retention TTLs); absent on one server or chDB. */
  cluster?: string | undefined;
  auditLog: AuditLog;
  clientAddress: RequestAddress;
  /** Applies the ClickHouse migrations (and re-applies retention); POST /api/v1/admin/migrate. */
  migrate: () => Promise<{ applied: string[] }>;
}
