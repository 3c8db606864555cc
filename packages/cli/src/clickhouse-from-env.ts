import { applyRetention, createClickHouse, migrate, normaliseClickHouseConfig, type ClickHouseConfig } from '@spoor/infra';
import type { ClickHouseClient } from '@clickhouse/client';
import type { SpoorEnv } from './spoor-env.js';

export interface OpenedClickHouse {
  client: ClickHouseClient;
  config: ClickHouseConfig;
}

/**
 * The ClickHouse server from CLICKHOUSE_URL, else embedded chDB in $SPOOR_DATA_DIR/clickhouse; migrated. With
 * `applyRetention` (the commands that run or set up the services: start, the roles, migrate) also brought to
 * SPOOR_RETENTION_DAYS; other commands (keys, replay …) leave the retention the services set alone.
 */
export async function openClickHouse(env: SpoorEnv, options: { applyRetention?: boolean } = {}): Promise<OpenedClickHouse> {
  const config = normaliseClickHouseConfig({ url: env.CLICKHOUSE_URL, dataDir: env.SPOOR_DATA_DIR, database: env.CLICKHOUSE_DATABASE, cluster: env.CLICKHOUSE_CLUSTER });
  const client = createClickHouse(config);
  const cluster = config.kind === 'server' && config.cluster ? { cluster: config.cluster } : {};
  await migrate(client, { database: config.database, ...cluster });
  if (options.applyRetention) await applyRetention(client, { database: config.database, ...cluster, defaultDays: env.SPOOR_RETENTION_DAYS });
  return { client, config };
}
