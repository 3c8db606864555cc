import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickhouseTime, isoFromClickhouse } from '../keys/key-usage.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { AuditReader, AuditRecord } from './audit-reader.js';
import { toRecord } from './memory-audit-log.js';

export interface ClickHouseAuditLogOptions {
  client: ClickHouseClient;
  database: string;
  now?: () => Date;
  /** Where a failed write is reported: recording never fails the action it records. */
  onError?: (err: unknown, entry: AuditEntry) => void;
}

// Aliases never reuse a column's name: ClickHouse would read the alias in WHERE and ORDER BY.
const LIST_SQL = `
SELECT toString(at) AS at_text, action, actor, actor_kind, address, site_id, target, detail
FROM {db:Identifier}.audit_log
WHERE ({any_site:Bool} OR site_id = {site:String}) AND at < {before:DateTime64(3, 'UTC')}
ORDER BY at DESC, entry_id DESC
LIMIT {limit:UInt32}`;

const FAR_FUTURE = new Date('9999-01-01T00:00:00Z');

/** audit_log (migration 0401). */
export function createClickHouseAuditLog({ client, database, now = () => new Date(), onError = logToStderr }: ClickHouseAuditLogOptions): AuditLog & AuditReader {
  return {
    async record(entry) {
      const record = toRecord(entry, now());
      try {
        await client.insert({
          table: `${database}.audit_log`,
          format: 'JSONEachRow',
          values: [
            {
              at: clickhouseTime(new Date(record.at)),
              entry_id: randomUUID(),
              action: record.action,
              actor: record.actor,
              actor_kind: record.actorKind,
              address: record.address,
              site_id: record.site,
              target: record.target,
              detail: JSON.stringify(record.detail),
            },
          ],
        });
      } catch (err) {
        onError(err, entry);
      }
    },
    async list({ site, limit, before }) {
      const result = await client.query({
        query: LIST_SQL,
        query_params: { db: database, any_site: site === undefined, site: site ?? '', before: clickhouseTime(before ?? FAR_FUTURE), limit },
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ at_text: string; action: string; actor: string; actor_kind: string; address: string; site_id: string; target: string; detail: string }>();
      return rows.map(
        (r): AuditRecord => ({
          at: isoFromClickhouse(r.at_text),
          action: r.action,
          actor: r.actor,
          actorKind: r.actor_kind,
          address: r.address,
          site: r.site_id,
          target: r.target,
          detail: parseDetail(r.detail),
        }),
      );
    },
  };
}

function parseDetail(text: string): AuditRecord['detail'] {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as AuditRecord['detail']) : {};
  } catch {
    return {};
  }
}

const logToStderr = (err: unknown, entry: AuditEntry) => console.error(`[query-api] could not write the audit entry ${entry.action}:`, err);
