import { parseArgs } from 'node:util';
import { createClickHouseUserStore, createStoreUserAdmin, QueryApiError, type UserAdmin } from '@spoor/query-api';
import { openStore } from '@spoor/infra';
import type { Command } from './command.js';
import { embeddedStorePath } from '../admin/admin-operations.js';
import { withAdminTarget } from '../admin/admin-target.js';
import { httpUserAdmin } from '../admin/http-user-admin.js';

/**
 * `spoor users create|list|setup-link`: user administration through the UserAdmin interface — over the running
 * server's admin API when one owns the data dir (admin/http-user-admin.ts), else on the store.
 */
export const usersCommand: Command = {
  name: 'users',
  summary: 'create and list the people who sign in, and make one-time set-up links (prints JSON)',
  usage: [
    'spoor users create --email <ann@shop.example> [--name <Ann>] [--role <site>=<admin|analyst|marketer|support>]…',
    '       spoor users list',
    '       spoor users setup-link --email <ann@shop.example>   (a new one-time link to set the password; older links stop working)',
  ].join('\n'),
  async run(args, settings) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true } },
    });
    const [verb] = positionals;
    if (!(verb === 'create' || verb === 'list' || verb === 'setup-link') || (verb !== 'list' && !values.email)) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const roles: Record<string, string> = {};
    for (const spec of values.role ?? []) {
      const at = spec.lastIndexOf('=');
      if (at <= 0) {
        console.error(`--role: expected <site>=<role>, got ${JSON.stringify(spec)}`);
        return 2;
      }
      roles[spec.slice(0, at)] = spec.slice(at + 1);
    }
    // Through the running server's admin API when one owns the data dir (docs/admin.md), else on the store.
    const run = async (admin: UserAdmin): Promise<number> => {
      try {
        let result: unknown;
        if (verb === 'list') result = await admin.list();
        else if (verb === 'create') {
          const user = await admin.create({ email: values.email, ...(values.name !== undefined ? { display_name: values.name } : {}), ...(values.role ? { roles } : {}) });
          result = { user, setup: await admin.createSetupLink(user.id) };
        } else {
          const user = (await admin.list()).find((u) => u.email === values.email!.trim().toLowerCase());
          if (!user) {
            console.error(`--email: no user ${JSON.stringify(values.email)} (spoor users list shows them)`);
            return 1;
          }
          result = await admin.createSetupLink(user.id);
        }
        console.log(JSON.stringify(result, null, 2));
        return 0;
      } catch (err) {
        // Bad input (a malformed email, an unknown role, a taken email): one line naming the field.
        if (err instanceof QueryApiError) {
          console.error(err.message);
          return 2;
        }
        throw err;
      }
    };
    return withAdminTarget(
      settings.SPOOR_DATA_DIR,
      {
        viaServer: (server) => run(httpUserAdmin(server)),
        viaStore: async () => {
          const { client, clickhouse: config } = await openStore(settings, { migrate: true });
          try {
            const userStore = createClickHouseUserStore({ client, database: config.database });
            return await run(createStoreUserAdmin({ userStore, actor: { kind: 'local-admin' }, address: 'cli', ...(settings.SPOOR_PUBLIC_URL ? { publicUrl: settings.SPOOR_PUBLIC_URL } : {}) }));
          } finally {
            await client.close();
          }
        },
      },
      { embeddedStore: embeddedStorePath(settings) },
    );
  },
};
