import type { Command } from './command.js';
import { openStore } from '@spoor/infra';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the ClickHouse migrations (idempotent)',
  usage: 'spoor migrate',
  async run(_args, settings) {
    const { client, clickhouse: config } = await openStore(settings, { migrate: true, applyRetention: true });
    await client.close();
    console.log(`schema up to date (${config.kind === 'server' ? 'ClickHouse server' : `chDB at ${config.path}`}, database ${config.database})`);
    return 0;
  },
};
