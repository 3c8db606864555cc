import { randomUUID } from 'node:crypto';
import type { QueryRunner } from '../../clickhouse/query-runner.js';
import type { StoreWriter } from '../../clickhouse/store-writer.js';
import { toClickHouseTime } from '../../params/date-range.js';
import type { AudienceDefinition } from './audience-definition.js';
import { isoTime } from '../shared/iso-time.js';

export interface SavedAudience {
  id: string;
  name: string;
  definition: AudienceDefinition;
  created_by: string;
  created_at: string;
}

interface AudienceRow {
  audience_id: string;
  name: string;
  definition: string;
  created_by: string;
  created_at: string;
}

const LIST_SQL = `
SELECT audience_id, name, definition, created_by, ${isoTime('created_at')} AS created_at
FROM {db:Identifier}.audiences FINAL
WHERE site_id = {site:String} AND NOT deleted
ORDER BY created_at DESC, audience_id
LIMIT {limit:UInt32}`;

const GET_SQL = `
SELECT audience_id, name, definition, created_by, ${isoTime('created_at')} AS created_at
FROM {db:Identifier}.audiences FINAL
WHERE site_id = {site:String} AND audience_id = {id:String} AND NOT deleted`;

const COUNT_SQL = `SELECT count() AS n FROM {db:Identifier}.audiences FINAL WHERE site_id = {site:String} AND NOT deleted`;

const toSaved = (r: AudienceRow): SavedAudience => ({
  id: r.audience_id,
  name: r.name,
  // Stored only after validation (audiences-route.ts), so it parses back to a definition.
  definition: JSON.parse(r.definition) as AudienceDefinition,
  created_by: r.created_by,
  created_at: r.created_at,
});

/** Saved audiences in the ClickHouse `audiences` table (migration 0250); a delete writes a tombstone row. */
export function createAudienceStore(runner: QueryRunner, writer: StoreWriter) {
  return {
    async count(site: string): Promise<number> {
      const [row] = await runner.rows<{ n: number }>(COUNT_SQL, { site });
      return row?.n ?? 0;
    },
    async list(site: string, limit: number): Promise<SavedAudience[]> {
      return (await runner.rows<AudienceRow>(LIST_SQL, { site, limit })).map(toSaved);
    },
    async get(site: string, id: string): Promise<SavedAudience | undefined> {
      const [row] = await runner.rows<AudienceRow>(GET_SQL, { site, id });
      return row ? toSaved(row) : undefined;
    },
    async create(site: string, input: { name: string; definition: AudienceDefinition; createdBy: string; now: Date }): Promise<SavedAudience> {
      const id = randomUUID();
      const at = toClickHouseTime(input.now);
      await writer.insert('audiences', [
        { site_id: site, audience_id: id, name: input.name, definition: JSON.stringify(input.definition), created_by: input.createdBy, created_at: at, updated_at: at, deleted: false },
      ]);
      return { id, name: input.name, definition: input.definition, created_by: input.createdBy, created_at: input.now.toISOString() };
    },
    /** False when there was nothing to delete. */
    async delete(site: string, id: string, now: Date): Promise<boolean> {
      const existing = await this.get(site, id);
      if (!existing) return false;
      // updated_at must beat the live row's even when the clock has not moved on (ReplacingMergeTree keeps the max).
      const updatedAt = new Date(Math.max(now.getTime(), Date.parse(existing.created_at) + 1));
      await writer.insert('audiences', [
        {
          site_id: site,
          audience_id: id,
          name: existing.name,
          definition: JSON.stringify(existing.definition),
          created_by: existing.created_by,
          created_at: toClickHouseTime(new Date(existing.created_at)),
          updated_at: toClickHouseTime(updatedAt),
          deleted: true,
        },
      ]);
      return true;
    },
  };
}

export type AudienceStore = ReturnType<typeof createAudienceStore>;
