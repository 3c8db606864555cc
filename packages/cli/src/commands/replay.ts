import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createFileEventLog, createKafkaEventLog } from '@spoor/infra';
import { createClickHouseEventStore, loadEnricher, replayFromArchive, replayFromLog } from '@spoor/processor';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from './command.js';
import { openClickHouse } from '../clickhouse-from-env.js';

export const replayCommand: Command = {
  name: 'replay',
  summary: 'rebuild the derived tables (events, orders, identities, sessions) from the raw archive or the log, counting every event once',
  usage: 'spoor replay [--source archive|log] [--keep]   (embedded defaults: stop `spoor start` first — the data dir is one process\'s)',
  async run(args, env) {
    const { values } = parseArgs({ args, options: { source: { type: 'string', default: 'archive' }, keep: { type: 'boolean', default: false } } });
    if (values.source !== 'archive' && values.source !== 'log') throw new Error(`invalid --source: ${JSON.stringify(values.source)} (accepted: archive, log)`);
    const { client, config } = await openClickHouse(env);
    const store = createClickHouseEventStore(client, config.database);
    const enrich = await loadEnricher({ geoDatabases: env.GEOIP_DB ? env.GEOIP_DB.split(',').map((p) => p.trim()) : [] });
    const truncate = !values.keep;
    try {
      if (values.source === 'archive') {
        const [{ n: total } = { n: 0 }] = await (
          await client.query({ query: 'SELECT count() AS n FROM {db:Identifier}.raw_events', query_params: { db: config.database }, format: 'JSONEachRow' })
        ).json<{ n: number }>();
        const bar = new SingleBar({ format: 'replay {bar} {percentage}% | {value}/{total} archived events | {eta_formatted} left', hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
        bar.start(total, 0);
        const report = await replayFromArchive({ client, database: config.database, store, enrich, truncate, onProgress: (n) => bar.update(n) });
        bar.update(report.read);
        bar.stop();
        console.log(JSON.stringify(report));
      } else {
        const log = env.KAFKA_BROKERS
          ? createKafkaEventLog({ brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()), clientId: 'spoor-replay' })
          : createFileEventLog({ dir: join(resolve(env.SPOOR_DATA_DIR), 'log') });
        try {
          const totals = await replayFromLog({ log, client, database: config.database, store, enrich, truncate, topics: { raw: env.SPOOR_TOPIC_RAW, deadLetter: env.SPOOR_TOPIC_DLQ } });
          console.log(JSON.stringify(totals));
        } finally {
          await log.close();
        }
      }
      return 0;
    } finally {
      await client.close();
    }
  },
};
