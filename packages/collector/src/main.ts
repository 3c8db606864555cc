// The collector process: parse the settings once, open the adapters, assemble, serve until SIGTERM/SIGINT.
import { deprecatedAliases, ensureSpoorTopics, environmentWithFile, openEventLog, openKeyValue, openStore, parseConfig, runMain, takeEnvFileArgument } from '@spoor/infra';
import { assembleCollector } from './assemble-collector.js';
import { collectorSettingsSchema } from './config/collector-settings.js';
import { serveCollector } from './serve-collector.js';

runMain('collector', async () => {
  const { envFile } = takeEnvFileArgument(process.argv.slice(2));
  const { config, warnings } = parseConfig(collectorSettingsSchema, environmentWithFile(process.env, envFile), deprecatedAliases);
  for (const warning of warnings) console.warn(`[collector] ${warning}`);

  const log = openEventLog(config, 'collector');
  await ensureSpoorTopics(log.log, config, log.kind);
  // The sites table and the API keys of /v1/import live in the store; a sites file without a store needs neither.
  const store = config.SITES_FILE && !config.CLICKHOUSE_URL ? undefined : await openStore(config);
  // Identity-token bindings: Redis with REDIS_URL (several collectors bind alike), else in-process.
  const state = await openKeyValue(config);
  const collector = await assembleCollector(config, {
    log: log.log,
    ...(store ? { store: { client: store.client, database: store.clickhouse.database } } : {}),
    keyValue: state.keyValue,
  });

  const running = await serveCollector({
    app: collector.app,
    port: config.PORT,
    hostname: config.HOST,
    drainTimeoutMs: config.SHUTDOWN_DRAIN_MS,
    onDrained: async () => {
      await collector.close();
      await log.log.close();
      await state.keyValue.close();
      await store?.client.close();
    },
  });
  console.log(`[collector] ${config.COLLECTOR_ID} listening on ${config.HOST}:${running.port} — log: ${log.description}${store ? `, store: ${store.description}` : ''}`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      collector.startShutdown();
      console.log(`[collector] ${signal}: draining`);
      running.shutdown().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`[collector] shutdown failed: ${(err as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
});
