/**
 * A processor in its own process for the fault drills: it owns its chDB directory (one per process), so the drill
 * can SIGKILL it and start it again on the same data. Modes:
 *   process — consume and load; prints a JSON status line every 250 ms (events stored, readiness, retries);
 *   count   — prints the counts every query-facing table holds and exits.
 * Configured like the package main: the processor's settings (KAFKA_BROKERS, SPOOR_TOPIC_RAW, PROCESSOR_GROUP_ID,
 * SPOOR_DATA_DIR, REDIS_URL, PROCESSOR_* …) and the same assembleProcessor; only the fault injection
 * (DRILL_FAIL_AFTER_EVENTS, DRILL_FAIL_FOR_MS) and the Redis key prefix of a shared test Redis (DRILL_REDIS_PREFIX)
 * are the drill's own. See fault-drills.integration.test.ts.
 */
import { connectRedisKeyValue, openEventLog, openStore, runMain } from '@spoor/infra';
import { assembleProcessor } from '../assemble-processor.js';
import { parseProcessorConfig } from '../config/processor-settings.js';
import { createClickHouseEventStore } from '../load/clickhouse-event-store.js';
import { createFlakyEventStore } from './flaky-event-store.js';

runMain('drill-child', async () => {
  const env = process.env;
  const mode = process.argv[2] ?? 'process';
  const { config } = parseProcessorConfig(env);
  const { client, clickhouse } = await openStore(config, { migrate: true });
  const database = clickhouse.database;

  async function scalar(sql: string): Promise<number> {
    const rows = await (await client.query({ query: sql, format: 'JSONEachRow' })).json<{ c: number }>();
    return Number(rows[0]?.c ?? 0);
  }

  if (mode === 'count') {
    const result: Record<string, number> = {};
    for (const table of ['events', 'raw_events', 'orders', 'events_by_visitor']) {
      result[`${table}.count`] = await scalar(`SELECT count() AS c FROM ${database}.${table}`);
      result[`${table}.dupes`] = await scalar(`SELECT count() - uniqExact(event_id) AS c FROM ${database}.${table}`);
    }
    result['order_items.count'] = await scalar(`SELECT count() AS c FROM ${database}.order_items`);
    result['order_items.dupes'] = await scalar(`SELECT count() - uniqExact(order_id, line) AS c FROM ${database}.order_items`);
    result['sessions.events'] = await scalar(`SELECT sum(n) AS c FROM (SELECT uniqExactMerge(events) AS n FROM ${database}.sessions GROUP BY site_id, session_id)`);
    result['identities.links'] = await scalar(`SELECT count() AS c FROM (SELECT 1 FROM ${database}.identities GROUP BY site_id, anonymous_id, customer_id)`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    await client.close();
    process.exit(0);
  }

  const failFrom = Number(env.DRILL_FAIL_AFTER_EVENTS ?? Infinity);
  const failForMs = Number(env.DRILL_FAIL_FOR_MS ?? 0);
  let outageStart: number | null = null;
  let stored = 0;
  const isDown = () => {
    if (outageStart === null && stored >= failFrom) outageStart = Date.now();
    return outageStart !== null && Date.now() - outageStart < failForMs;
  };
  const baseStore = createClickHouseEventStore(client, database);
  const store = failForMs > 0 ? createFlakyEventStore(baseStore, isDown) : baseStore;
  const { log } = openEventLog(config, 'drill-processor');
  const keyValue = config.REDIS_URL ? await connectRedisKeyValue({ url: config.REDIS_URL, prefix: env.DRILL_REDIS_PREFIX ?? 'drill:' }) : null;
  const processor = await assembleProcessor(
    config,
    { eventLog: log, store, keyValue },
    {
      retry: { initialDelayMs: 100, maxDelayMs: 1000 },
      readinessWindowMs: 3000,
      maxBytesPerPartition: 1024 * 1024,
      onFatal: (error) => {
        process.stderr.write(`fatal: ${error.message}\n`);
        process.exit(1);
      },
    },
  );
  await processor.start();
  // The status query in flight, if any: closing chDB under a running query is not safe, so SIGTERM waits for it.
  let statusQuery: Promise<void> | undefined;
  const status = setInterval(() => {
    if (statusQuery) return;
    // raw_events is the last table a batch writes: when it holds an event, every table does.
    statusQuery = Promise.all([scalar(`SELECT count() AS c FROM ${database}.raw_events`), scalar(`SELECT count() AS c FROM ${database}.events`)])
      .then(([raw, events]) => {
        const c = Math.min(raw, events);
        stored = c;
        process.stdout.write(`${JSON.stringify({ stored: c, ready: processor.ready(), outage: outageStart !== null && isDown(), ...processor.totals() })}\n`);
      })
      .catch(() => undefined)
      .finally(() => (statusQuery = undefined));
  }, 250);
  process.on('SIGTERM', () => {
    clearInterval(status);
    void processor
      .stop()
      .then(() => statusQuery)
      .then(() => Promise.allSettled([log.close(), keyValue?.close(), client.close()]))
      .finally(() => process.exit(0));
  });
});
