import { chmodSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from './clickhouse-config.js';
import { registerEmbeddedInsert, type EmbeddedInsertParams } from './embedded-insert.js';

/**
 * One client API for both the embedded default (chDB in-process) and a ClickHouse server.
 * chDB keeps one data directory per process: open it once and share the client.
 */
export function createClickHouse(config: ClickHouseConfig): ClickHouseClient {
  const clickhouse_settings = {
    max_execution_time: config.maxExecutionTimeSeconds,
    // chDB and a server disagree on this default; counts never reach 2^53, so numbers everywhere.
    output_format_json_quote_64bit_integers: 0,
    date_time_input_format: 'best_effort',
  } as const;
  if (config.kind === 'server') {
    return createClient({ url: config.url, clickhouse_settings, request_timeout: (config.maxExecutionTimeSeconds + 30) * 1000 });
  }
  // The embedded store holds every event: its directory is the owner's only (whatever modes chDB gives its files).
  mkdirSync(config.path, { recursive: true, mode: 0o700 });
  chmodSync(config.path, 0o700);
  const connection = loadChdbConnection(config.path);
  const client = createClient({ connection, clickhouse_settings });
  const raw = (connection as { chdb?: { rawInsert?: (p: EmbeddedInsertParams) => Promise<unknown> } }).chdb?.rawInsert;
  if (raw) registerEmbeddedInsert(client, async (params) => void (await raw({ ...params, columns: [...params.columns] })));
  return client;
}

type ConnectionOption = NonNullable<Parameters<typeof createClient>[0]> extends infer O ? (O extends { connection?: infer C } ? C : never) : never;

function loadChdbConnection(path: string): ConnectionOption {
  // chdb is an optional dependency (~180 MB): a deployment against a ClickHouse server installs without it.
  const require = createRequire(import.meta.url);
  let chdb: { createChdbConnection(opts: { path: string }): unknown };
  try {
    chdb = require('chdb/connection');
  } catch (err) {
    throw new Error(
      `embedded ClickHouse needs the optional dependency "chdb" (npm install chdb), or set CLICKHOUSE_URL to a ClickHouse server: ${(err as Error).message}`,
    );
  }
  return chdb.createChdbConnection({ path }) as ConnectionOption;
}
