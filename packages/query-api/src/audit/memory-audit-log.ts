import { describePrincipal } from '../access/principal.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { AuditReader, AuditRecord } from './audit-reader.js';

/** AuditLog in an array: unit tests (entries as recorded, principal and all), and readable like the ClickHouse one. */
export interface MemoryAuditLog extends AuditLog, AuditReader {
  readonly entries: Array<AuditEntry & { at: Date }>;
}

export function createMemoryAuditLog(now: () => Date = () => new Date()): MemoryAuditLog {
  const entries: Array<AuditEntry & { at: Date }> = [];
  return {
    entries,
    async record(entry) {
      entries.push({ ...entry, at: entry.at ?? now() });
    },
    async list({ site, limit, before }) {
      return entries
        .filter((e) => (site === undefined || (e.site ?? '') === site) && (before === undefined || e.at.getTime() < before.getTime()))
        .map((e) => toRecord(e, e.at))
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit);
    },
  };
}

/** An entry as stored and read back: the principal described (never a secret), times ISO 8601. */
export function toRecord(entry: AuditEntry, now: Date): AuditRecord {
  return {
    at: (entry.at ?? now).toISOString(),
    action: entry.action,
    actor: describePrincipal(entry.actor),
    actorKind: entry.actor.kind,
    address: entry.address,
    site: entry.site ?? '',
    target: entry.target ?? '',
    detail: entry.detail ?? {},
  };
}
