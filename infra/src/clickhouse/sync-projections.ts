import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { PROJECTIONS, projectionSelect, type Projection } from './projections.js';

export interface SyncProjectionsOptions {
  database: string;
  cluster?: string;
  /** The definitions to bring the views to (tests pass their own); PROJECTIONS by default. */
  projections?: readonly Projection[];
}

/**
 * The last step of migrate(): every view in projections.ts is created if missing and brought to its current SELECT
 * with ALTER TABLE … MODIFY QUERY. `<database>.schema_projections` records the SHA-256 of the SELECT each view was
 * last given, so an unchanged definition is not altered again (a restart changes nothing) and a changed one is,
 * once. Returns the views it changed.
 */
export async function syncProjections(client: ClickHouseClient, options: SyncProjectionsOptions): Promise<string[]> {
  const { database, cluster } = options;
  const onCluster = cluster ? `ON CLUSTER ${cluster}` : '';
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.schema_projections ${onCluster}
      (view String, definition_sha256 String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${cluster ? 'Replicated' : ''}ReplacingMergeTree(applied_at) ORDER BY view`,
  });
  const recorded = await client.query({
    query: `SELECT view, argMax(definition_sha256, applied_at) AS sha FROM ${database}.schema_projections GROUP BY view`,
    format: 'JSONEachRow',
  });
  const current = new Map((await recorded.json<{ view: string; sha: string }>()).map((r) => [r.view, r.sha]));
  const changed: string[] = [];
  for (const projection of options.projections ?? PROJECTIONS) {
    const select = projectionSelect(projection, database);
    const sha = createHash('sha256').update(select).digest('hex');
    if (current.get(projection.view) === sha) continue;
    const view = `${database}.${projection.view}`;
    await client.command({ query: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ${onCluster} TO ${database}.${projection.target} AS\n${select}` });
    await client.command({ query: `ALTER TABLE ${view} ${onCluster} MODIFY QUERY\n${select}` });
    await client.insert({ table: `${database}.schema_projections`, values: [{ view: projection.view, definition_sha256: sha }], format: 'JSONEachRow' });
    changed.push(projection.view);
  }
  return changed;
}
