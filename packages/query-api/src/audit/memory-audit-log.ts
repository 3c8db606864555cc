import type { AuditEntry, AuditLog } from './audit-log.js';

/** AuditLog in an array: unit tests, and the default until a createQueryApi caller passes the ClickHouse one. */
export interface MemoryAuditLog extends AuditLog {
  readonly entries: Array<AuditEntry & { at: Date }>;
}

export function createMemoryAuditLog(): MemoryAuditLog {
  const entries: Array<AuditEntry & { at: Date }> = [];
  return {
    entries,
    async record(entry) {
      entries.push({ ...entry, at: entry.at ?? new Date() });
    },
  };
}
