// The query API process: parse the settings once, open the store, assemble, serve until SIGTERM/SIGINT.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { deprecatedAliases, environmentWithFile, openKeyValue, openStore, parseConfig, runMain, takeEnvFileArgument } from '@spoor/infra';
import { startQueryApi } from './start-query-api.js';
import { queryApiSettingsSchema } from './config/query-api-settings.js';

runMain('query-api', async () => {
  const { envFile } = takeEnvFileArgument(process.argv.slice(2));
  const { config, warnings } = parseConfig(queryApiSettingsSchema, environmentWithFile(process.env, envFile), deprecatedAliases);
  for (const warning of warnings) console.warn(`[query-api] ${warning}`);

  const store = await openStore(config, { maxExecutionTimeSeconds: config.QUERY_MAX_EXECUTION_TIME });
  const state = await openKeyValue(config);
  // The same start-up as `spoor start`/`spoor query-api`: the assembled API and, on the first start, the instance owner.
  const publicUrl = config.SPOOR_PUBLIC_URL ? new URL(config.SPOOR_PUBLIC_URL).origin : `http://localhost:${config.PORT}`;
  const app = await startQueryApi(config, { store: { client: store.client, database: store.clickhouse.database }, keyValue: state.keyValue }, { print: (line) => console.log(line), publicUrl });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => {
      s.off('error', reject);
      resolve(s as Server);
    });
    // A port in use rejects the start (one line from runMain) instead of an unhandled 'error'.
    s.once('error', reject);
  });
  console.log(`[query-api] listening on ${config.HOST}:${(server.address() as AddressInfo).port} — store: ${store.description}, state: ${state.description}`);

  const shutdown = () => {
    const deadline = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_DRAIN_MS);
    server.closeIdleConnections();
    server.close(() => {
      clearTimeout(deadline);
      void Promise.allSettled([store.client.close(), state.keyValue.close()]).finally(() => process.exit(0));
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
});
