import type { AuditEntry, AuditLog } from '../audit/audit-log.js';

/** Recording never throws to the caller's user (audit-log.ts): a failing log is reported, the action stands. */
export async function recordQuietly(audit: AuditLog | undefined, entry: AuditEntry): Promise<void> {
  if (!audit) return;
  try {
    await audit.record(entry);
  } catch (err) {
    console.error(`[accounts] audit log failed for ${entry.action}:`, err);
  }
}
