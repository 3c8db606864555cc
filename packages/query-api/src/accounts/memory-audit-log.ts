import type { AuditEntry, AuditLog } from '../audit/audit-log.js';

/** AuditLog into an array: unit tests, and the fallback until the ClickHouse audit_log adapter is wired. */
export function createMemoryAuditLog(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async record(entry) {
      entries.push({ ...entry, at: entry.at ?? new Date() });
    },
  };
}

/** Recording never throws to the caller's user (audit-log.ts): a failing log is reported, the action stands. */
export async function recordQuietly(audit: AuditLog | undefined, entry: AuditEntry): Promise<void> {
  if (!audit) return;
  try {
    await audit.record(entry);
  } catch (err) {
    console.error(`[accounts] audit log failed for ${entry.action}:`, err);
  }
}
