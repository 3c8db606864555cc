import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { openClickHouse } from '../clickhouse-from-env.js';
import { createSiteKeys } from '../admin/site-admin.js';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create a site\'s write key and a secret API key (prints JSON)',
  usage: 'spoor keys create --site <id> [--name <name>] [--origin <https://shop.example>]… [--redirect-host <shop.example>]…',
  async run(args, env) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { site: { type: 'string' }, name: { type: 'string' }, origin: { type: 'string', multiple: true }, 'redirect-host': { type: 'string', multiple: true } },
    });
    if (positionals[0] !== 'create' || !values.site) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const { client, config } = await openClickHouse(env);
    try {
      const keys = await createSiteKeys(client, config.database, {
        siteId: values.site,
        ...(values.name ? { name: values.name } : {}),
        ...(values.origin ? { allowedOrigins: values.origin } : {}),
        ...(values['redirect-host'] ? { allowedRedirectHosts: values['redirect-host'] } : {}),
      });
      console.log(JSON.stringify(keys, null, 2));
      return 0;
    } finally {
      await client.close();
    }
  },
};
