/** An audit entry as read back (GET /api/v1/admin/audit): the principal already described, times ISO 8601. */
export interface AuditRecord {
  at: string;
  action: string;
  /** describePrincipal(): `key:<id>`, `user:<id>`, `local-admin`. */
  actor: string;
  actorKind: string;
  address: string;
  /** '' for an instance-wide action. */
  site: string;
  target: string;
  detail: Record<string, string | number | boolean>;
}

export interface AuditQuery {
  /** Entries of this site only; absent: every entry, instance-wide ones included (owner and local admin only). */
  site?: string;
  limit: number;
  /** Only entries strictly older (paging back: pass the last entry's `at`). */
  before?: Date;
}

/** Reading the audit log, newest first. */
export interface AuditReader {
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
