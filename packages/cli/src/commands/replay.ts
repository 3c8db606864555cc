import { parseArgs } from 'node:util';
import { createClickHouseEventStore, loadEnricher, replayFromArchive, replayFromLog } from '@spoor/processor';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from './command.js';
import { openEventLog, openStore } from '@spoor/infra';

export const replayCommand: Command = {
  name: 'replay',
  summary: 'rebuild the derived tables (events, orders, identities, sessions) from the raw archive or the log, counting every event once',
  usage: 'spoor replay [--source archive|log] [--keep]   (embedded defaults: stop `spoor start` first — the data dir is one process\'s)',
  async run(args, settings) {
    const { values } = parseArgs({ args, options: { source: { type: 'string', default: 'archive' }, keep: { type: 'boolean', default: false } } });
    if (values.source !== 'archive' && values.source !== 'log') throw new Error(`invalid --source: ${JSON.stringify(values.source)} (accepted: archive, log)`);
    const { client, clickhouse: config } = await openStore(settings, { migrate: true });
    const store = createClickHouseEventStore(client, config.database);
    const enrich = await loadEnricher({ geoDatabases: settings.GEOIP_DB ? settings.GEOIP_DB.split(',').map((p) => p.trim()) : [] });
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
        // wireb: the processor's replay wiring (assembleProcessor / its replay entry) replaces this block.
        const { log } = openEventLog(settings, 'replay');
        try {
          const totals = await replayFromLog({ log, client, database: config.database, store, enrich, truncate, topics: { raw: settings.SPOOR_TOPIC_RAW, deadLetter: settings.SPOOR_TOPIC_DLQ } });
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
