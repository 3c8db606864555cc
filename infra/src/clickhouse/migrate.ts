import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClickHouseClient } from '@clickhouse/client';
import { syncProjections } from './sync-projections.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../clickhouse');

export interface MigrationOptions {
  database: string;
  /** Run DDL ON CLUSTER with Replicated engines (a real server cluster). */
  cluster?: string;
  dir?: string;
}

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Reads `NNNN_name.sql` files; statements are separated by `;` at the end of a line. */
export function loadMigrations(options: MigrationOptions): Migration[] {
  const dir = options.dir ?? MIGRATIONS_DIR;
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = render(readFileSync(join(dir, file), 'utf8'), options);
      const statements = sql
        .split(/;\s*$/m)
        .map((s) => stripComments(s).trim())
        .filter(Boolean);
      return { version: Number(file.slice(0, 4)), name: file.replace(/\.sql$/, ''), statements };
    });
}

function render(sql: string, { database, cluster }: MigrationOptions): string {
  return sql
    .replaceAll('{{database}}', database)
    .replaceAll('{{on_cluster}}', cluster ? `ON CLUSTER ${cluster}` : '')
    .replaceAll('{{replicated}}', cluster ? 'Replicated' : '');
}

function stripComments(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
}

/**
 * Applies every migration not yet recorded in `<database>.schema_migrations`. Each statement is itself
 * idempotent (IF NOT EXISTS), so a crash half-way through a migration is repaired by the next run. Then brings every
 * materialized view to its current definition in projections.ts (sync-projections.ts): the SELECTs in the numbered
 * files are history, that definition is what runs. `applied` names the migrations and the views it changed.
 */
export async function migrate(client: ClickHouseClient, options: MigrationOptions): Promise<{ applied: string[] }> {
  const { database, cluster } = options;
  const onCluster = cluster ? `ON CLUSTER ${cluster}` : '';
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database} ${onCluster}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.schema_migrations ${onCluster}
      (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${cluster ? 'Replicated' : ''}ReplacingMergeTree ORDER BY version`,
  });
  const done = await client.query({ query: `SELECT version FROM ${database}.schema_migrations`, format: 'JSONEachRow' });
  const appliedVersions = new Set((await done.json<{ version: number }>()).map((r) => Number(r.version)));
  const applied: string[] = [];
  for (const migration of loadMigrations(options)) {
    if (appliedVersions.has(migration.version)) continue;
    for (const statement of migration.statements) await client.command({ query: statement });
    await client.insert({
      table: `${database}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name }],
      format: 'JSONEachRow',
    });
    applied.push(migration.name);
  }
  for (const view of await syncProjections(client, options)) applied.push(`${view}: current definition`);
  return { applied };
}
