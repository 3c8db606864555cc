import { chmodSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from './clickhouse-config.js';
import { registerLanes } from './clickhouse-lanes.js';
import { registerEmbeddedInsert, type EmbeddedInsertParams } from './embedded-insert.js';
import { createStoreScheduler, type StoreLane, type StoreScheduler } from './store-scheduler.js';

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
  const scheduler = createStoreScheduler();
  const raw = (connection as { chdb?: { rawInsert?: (p: EmbeddedInsertParams) => Promise<unknown> } }).chdb?.rawInsert;
  // chDB applies settings as session SETs, which outlive the statement: every lane sets its own, so a load or a
  // migration never inherits the analyst queries' memory limit (query-runner.ts) or thread cap.
  // Analyst statements leave one core to the processor and collector, which share this process: on 2 cores a
  // funnel on both starved the loader's JavaScript (docs/performance/lag-under-query-load.md).
  const analystThreads = Math.max(1, availableParallelism() - 1);
  const laneClient = (lane: StoreLane) => {
    const threads = lane === 'analytics' ? analystThreads : 0;
    const client = createClient({
      connection: scheduledConnection(connection, scheduler, lane),
      clickhouse_settings: { ...clickhouse_settings, max_memory_usage: '0', max_threads: threads },
    });
    if (raw) {
      registerEmbeddedInsert(client, (params) =>
        scheduler.run(lane, async () => void (await raw({ ...params, columns: [...params.columns], settings: { max_memory_usage: 0, max_threads: threads, ...params.settings } }))),
      );
    }
    return client;
  };
  const client = laneClient('default');
  registerLanes(client, laneClient, scheduler);
  return client;
}

type ConnectionMethod = 'ping' | 'query' | 'insert' | 'command' | 'exec';
const CONNECTION_METHODS: readonly ConnectionMethod[] = ['ping', 'query', 'insert', 'command', 'exec'];

/**
 * The chDB connection seen through one scheduler lane: every statement waits for its turn (store-scheduler.ts).
 * Only the default lane's close() closes the shared connection; the other lanes' clients are views of it.
 */
function scheduledConnection(connection: ConnectionOption, scheduler: StoreScheduler, lane: StoreLane): ConnectionOption {
  const target = connection as unknown as Record<ConnectionMethod | 'close', (params?: unknown) => Promise<unknown>>;
  const view: Record<string, (params?: unknown) => Promise<unknown>> = {};
  for (const method of CONNECTION_METHODS) view[method] = (params) => scheduler.run(lane, () => target[method].call(connection, params));
  view.close = () => (lane === 'default' ? target.close.call(connection) : Promise.resolve());
  return view as unknown as ConnectionOption;
}

type ConnectionOption = NonNullable<Parameters<typeof createClient>[0]> extends infer O ? (O extends { connection?: infer C } ? C : never) : never;

function loadChdbConnection(path: string): ConnectionOption {
  // chdb is an optional dependency (~180 MB): a deployment against a ClickHouse server installs without it.
  const require = createRequire(import.meta.url);
  let chdb: { createChdbConnection(opts: { path: string }): unknown };
  try {
    chdb = require('chdb/connection') as typeof chdb;
  } catch (err) {
    throw new Error(
      `embedded ClickHouse needs the optional dependency "chdb" (npm install chdb), or set CLICKHOUSE_URL to a ClickHouse server: ${(err as Error).message}`,
    );
  }
  return chdb.createChdbConnection({ path }) as ConnectionOption;
}
