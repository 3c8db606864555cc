import type { Command } from './command.js';
import { openClickHouse } from '../clickhouse-from-env.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the ClickHouse migrations (idempotent)',
  usage: 'spoor migrate',
  async run(_args, env) {
    const { client, config } = await openClickHouse(env, { applyRetention: true });
    await client.close();
    console.log(`schema up to date (${config.kind === 'server' ? 'ClickHouse server' : `chDB at ${config.path}`}, database ${config.database})`);
    return 0;
  },
};
