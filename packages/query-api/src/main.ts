// The query API as its own process. The only file that reads the environment.
import { serve } from '@hono/node-server';
import { z } from 'zod';
import { createClickHouse, migrate, normaliseClickHouseConfig } from '@spoor/infra';
import { createQueryApi } from './create-query-api.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8790),
  HOST: z.string().default('127.0.0.1'),
  CLICKHOUSE_URL: z.string().optional(),
  SPOOR_DATA_DIR: z.string().optional(),
  CLICKHOUSE_DATABASE: z.string().optional(),
  CLICKHOUSE_CLUSTER: z.string().optional(),
  QUERY_MAX_EXECUTION_TIME: z.coerce.number().positive().default(20),
  QUERY_MAX_RANGE_DAYS: z.coerce.number().int().positive().default(400),
  QUERY_MAX_ROWS: z.coerce.number().int().positive().default(1000),
  /** Apply ClickHouse migrations at start (idempotent); off when a deploy step does it. */
  SPOOR_MIGRATE: z.enum(['true', 'false']).default('true'),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  const issue = parsed.error.issues[0];
  console.error(`[query-api] invalid ${issue?.path.join('.')}: ${issue?.message}`);
  process.exit(1);
}
const env = parsed.data;

const config = normaliseClickHouseConfig({
  url: env.CLICKHOUSE_URL,
  dataDir: env.SPOOR_DATA_DIR,
  database: env.CLICKHOUSE_DATABASE,
  cluster: env.CLICKHOUSE_CLUSTER,
  maxExecutionTimeSeconds: env.QUERY_MAX_EXECUTION_TIME,
});
const clickhouse = createClickHouse(config);
if (env.SPOOR_MIGRATE === 'true') {
  await migrate(clickhouse, { database: config.database, ...(config.kind === 'server' && config.cluster ? { cluster: config.cluster } : {}) });
}

const app = createQueryApi({
  clickhouse,
  database: config.database,
  limits: { maxExecutionTimeSeconds: env.QUERY_MAX_EXECUTION_TIME, maxRangeDays: env.QUERY_MAX_RANGE_DAYS, maxRows: env.QUERY_MAX_ROWS },
});

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  console.log(`[query-api] listening on http://${info.address}:${info.port} (ClickHouse ${config.kind}, database ${config.database})`);
});

const shutdown = () => {
  server.close(() => void clickhouse.close().finally(() => process.exit(0)));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
