import type { Command } from './command.js';
import { withAdmin } from '../admin/admin-operations.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the ClickHouse migrations (idempotent; through the running server when one owns the data dir)',
  usage: 'spoor migrate',
  async run(_args, env) {
    // Straight on the store this also brings the retention to this shell's SPOOR_RETENTION_DAYS (as `spoor start`
    // does); through a running server, to the default that server runs with.
    const { where, applied } = await withAdmin(env, async (admin) => ({ where: admin.where, ...(await admin.migrate()) }), { applyRetention: true });
    console.log(`schema up to date (${where}, database ${env.CLICKHOUSE_DATABASE})${applied.length ? `; applied ${applied.join(', ')}` : ''}`);
    return 0;
  },
};
