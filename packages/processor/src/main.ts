// The processor as its own process: settings → adapters → assembleProcessor → run. The only file of the package
// that reads the environment; every setting is in config/processor-settings.ts (docs/processor.md).
import { clusterOf, ensureSpoorTopics, environmentWithFile, openEventLog, openKeyValue, openStore, runMain, takeEnvFileArgument } from '@spoor/infra';
import { assembleProcessor } from './assemble-processor.js';
import { parseProcessorConfig } from './config/processor-settings.js';
import { createHealthServer } from './health-server.js';
import { createClickHouseEventStore } from './load/clickhouse-event-store.js';

runMain('processor', async () => {
  // --env-file <path>: a .env-style file shared with the other services; the process environment wins over it.
  const { envFile } = takeEnvFileArgument(process.argv.slice(2));
  const { config, warnings } = parseProcessorConfig(environmentWithFile(process.env, envFile));
  for (const warning of warnings) console.warn(`[processor] ${warning}`);
  const store = await openStore(config, { applyRetention: config.MIGRATE_ON_START });
  const eventLog = openEventLog(config, 'processor');
  // Topics normally exist (the collector or an operator made them); ensuring them here lets a fresh install start in any order.
  await ensureSpoorTopics(eventLog.log, config, eventLog.kind);
  const keyValue = await openKeyValue(config);
  const processor = await assembleProcessor(config, { eventLog: eventLog.log, store: createClickHouseEventStore(store.client, store.clickhouse.database, { cluster: clusterOf(store.clickhouse) }), keyValue: keyValue.keyValue }, {
    onFatal: (error) => {
      // The consumer gave up (could not rejoin its group): exit non-zero so the supervisor restarts us.
      console.error(`[processor] consumer crashed for good: ${error.message}`);
      process.exit(1);
    },
  });

  // Counts and reason codes only; the store's error text (it can quote event contents) is in stderr.
  const health = config.PROCESSOR_HEALTH_PORT === undefined ? undefined : createHealthServer(processor).listen(config.PROCESSOR_HEALTH_PORT, config.HOST);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      health?.close();
      void processor
        .stop()
        .then(() => Promise.allSettled([eventLog.log.close(), keyValue.keyValue.close(), store.client.close()]))
        .finally(() => process.exit(0));
    });
  }

  await processor.start();
  console.log(`[processor] log: ${eventLog.description}; store: ${store.description}; state: ${keyValue.description}`);
  console.log(`[processor] consuming ${config.SPOOR_TOPIC_RAW} as group ${config.PROCESSOR_GROUP_ID}`);
});
