import { openStore } from '@spoor/infra';
import { parseArgs } from 'node:util';
import { appliedDefaultDays, applyRetention, MAX_RETENTION_DAYS, readRetentionPolicy, setSiteRetention } from '@spoor/infra';
import type { Command } from './command.js';
import { embeddedStorePath } from '../admin/admin-operations.js';
import { AdminTargetError, withAdminTarget } from '../admin/admin-target.js';
import type { SpoorConfig } from '../config/spoor-settings.js';

/** `spoor retention show|set`: the per-site retention of ClickHouse data (docs/retention.md). */
export const retentionCommand: Command = {
  name: 'retention',
  summary: 'show the data retention, or set one site\'s (prints JSON; applies it to stored data before returning)',
  usage: `spoor retention show | spoor retention set --site <id> --days <1…${MAX_RETENTION_DAYS} | 0 = the SPOOR_RETENTION_DAYS default>`,
  async run(args, env) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { site: { type: 'string' }, days: { type: 'string' } } });
    const action = positionals[0];
    const days = values.days === undefined || !/^\d{1,5}$/.test(values.days) ? undefined : Number(values.days);
    if (!(action === 'show' || (action === 'set' && values.site && days !== undefined && days <= MAX_RETENTION_DAYS))) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    // The retention report needs the store; while a server owns it, the site's setting changes through the server.
    return withAdminTarget(
      env.SPOOR_DATA_DIR,
      {
        viaServer: async (server) => {
          throw new AdminTargetError(
            `spoor retention reads the store, which the server at ${server.url} holds: use spoor sites show|set --site <id> [--retention-days <n>] while it runs`,
          );
        },
        viaStore: () => showOrSet(env, action, values.site, days),
      },
      { embeddedStore: embeddedStorePath(env) },
    );
  },
};

async function showOrSet(env: SpoorConfig, action: string, site: string | undefined, days: number | undefined): Promise<number> {
  const values = { site };
  const { client, clickhouse: config } = await openStore(env, { migrate: true });
  try {
    // The default the services last applied (spoor start / migrate with their SPOOR_RETENTION_DAYS), not this shell's.
    const defaultDays = (await appliedDefaultDays(client, config.database)) ?? env.SPOOR_RETENTION_DAYS;
    if (action === 'set') {
      await setSiteRetention(client, config.database, values.site!, days!);
      const cluster = config.kind === 'server' && config.cluster ? { cluster: config.cluster } : {};
      const { rewritten } = await applyRetention(client, { database: config.database, ...cluster, defaultDays });
      console.log(JSON.stringify({ site: values.site, retention_days: days || defaultDays, own_setting: days! > 0, tables_rewritten: rewritten }, null, 2));
      return 0;
    }
    const policy = await readRetentionPolicy(client, config.database, defaultDays);
    console.log(JSON.stringify({ default_days: policy.defaultDays, sites: policy.overrides }, null, 2));
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    await client.close();
  }
}
