import { describePrincipal } from '../access/principal.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { AuditReader, AuditRecord } from './audit-reader.js';

/** The audit log as an array, for unit tests and as the default of an app composed without a store. */
export function createMemoryAuditLog(now: () => Date = () => new Date()): AuditLog & AuditReader & { entries: AuditRecord[] } {
  const entries: AuditRecord[] = [];
  return {
    entries,
    async record(entry: AuditEntry) {
      entries.push(toRecord(entry, now()));
    },
    async list({ site, limit, before }) {
      return entries
        .filter((e) => (site === undefined || e.site === site) && (before === undefined || Date.parse(e.at) < before.getTime()))
        .sort((a, b) => b.at.localeCompare(a.at))
        .slice(0, limit);
    },
  };
}

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
