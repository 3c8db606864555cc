import { openStore } from '@spoor/infra';
import { createClickHouseKeyAdmin, parseScopes, type KeyAdmin } from '@spoor/query-api';
import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { listLinkKeys, retireLinkKey } from '../admin/site-admin.js';
import { embeddedStorePath, withAdmin } from '../admin/admin-operations.js';
import { httpKeyAdmin } from '../admin/http-key-admin.js';
import { AdminTargetError, withAdminTarget } from '../admin/admin-target.js';
import { checkSiteOption, SETTING_OPTIONS, settingsFromOptions } from '../admin/settings-options.js';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create a site\'s write key and a secret API key, or manage its email-link signing keys (prints JSON)',
  usage: [
    'spoor keys create --site <id> [--name <name>] [--origin <https://shop.example>]… [--redirect-host <shop.example>]… [--retention-days <0…7300>] [--gpc honour|ignore]',
    '       spoor keys create --site <id> --scopes reports,people  (one more secret key for an existing site, with these scopes)',
    '       spoor keys list --site <id> [--include-revoked]   (keys of the site, never a secret)',
    '       spoor keys revoke --key <key id>                  (the key stops working)',
    '       spoor keys rotate --key <key id>                  (a new secret for the key, printed once; the old one stops)',
    '       spoor keys link-key create --site <id>            (a new signing key for the site\'s email links; the newest signs)',
    '       spoor keys link-key retire --site <id> --key <id>  (links signed with it stop verifying)',
    '       spoor keys link-key list --site <id>',
  ].join('\n'),
  async run(args, env) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        ...SETTING_OPTIONS,
        key: { type: 'string' },
        scopes: { type: 'string' },
        'include-revoked': { type: 'boolean' },
      },
    });
    const [verb, sub] = positionals;
    if (verb === 'list' || verb === 'revoke' || verb === 'rotate' || (verb === 'create' && values.scopes !== undefined)) {
      return manageKeys(verb, values, env, this.usage);
    }
    const linkKeyVerb = verb === 'link-key' && (sub === 'create' || sub === 'retire' || sub === 'list');
    if ((verb !== 'create' && !linkKeyVerb) || !values.site || (sub === 'retire' && !values.key)) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    // The same checks as the admin API (one schema): the collector compares Origin headers exactly, so
    // "https://shop.example/" or "shop.example" would never match.
    const settings = settingsFromOptions(values);
    const badSite = checkSiteOption(values.site);
    if (badSite || !settings.ok) {
      console.error(badSite ?? (settings as { error: string }).error);
      return 2;
    }
    const site = values.site;
    if (verb === 'create') {
      const patch = settings.ok ? settings.patch : {};
      return withAdmin(env, async (admin) => {
        // Creates the site, or gives an existing one the settings passed and a new secret key (its old keys keep working).
        const created = (await admin.showSite(site)) ? undefined : await admin.createSite({ site, ...patch });
        const current = created?.site ?? (Object.keys(patch).length ? await admin.updateSite(site, patch) : await admin.showSite(site));
        if (!current) throw new Error(`site "${site}" vanished while its key was made; run again`);
        const key = created ?? (await admin.issueKey(site));
        // Without an allowed origin the collector answers every browser 403, seen only in the shop's browser console.
        if (current.allowed_origins.length === 0) console.error(noOriginWarning(site));
        console.log(JSON.stringify({ siteId: site, writeKey: current.write_key, apiKey: key.apiKey, apiKeyId: key.apiKeyId }, null, 2));
        return 0;
      });
    }
    if (sub === 'create') {
      return withAdmin(env, async (admin) => {
        if (!(await admin.showSite(site))) throw new Error(`no site "${site}": create it first (spoor sites create --site ${site})`);
        const key = await admin.rotateLinkKey(site);
        console.log(JSON.stringify({ siteId: site, keyId: key.keyId, createdAt: key.createdAt, retired: false }, null, 2));
        return 0;
      });
    }
    // Listing and retiring link keys have no admin API endpoint yet: they need the store, so the server stopped.
    return withAdminTarget(env.SPOOR_DATA_DIR, {
      viaServer: async (server) => {
        throw new AdminTargetError(`spoor keys link-key ${sub} works on the store only: stop the server at ${server.url} first (spoor keys link-key create and spoor sites work while it runs)`);
      },
      viaStore: async () => {
        const { client, clickhouse: config } = await openStore(env, { migrate: true });
        try {
          const result =
            sub === 'retire'
              ? await retireLinkKey(client, config.database, site, values.key!)
              : (await listLinkKeys(client, config.database, site)).map(({ secret: _secret, ...info }) => info);
          console.log(JSON.stringify(result, null, 2));
          return 0;
        } finally {
          await client.close();
        }
      },
    }, { embeddedStore: embeddedStorePath(env) });
  },
};

/** One line on stderr: what is wrong, what it does, what to pass. */
export const noOriginWarning = (site: string) =>
  `warning: site "${site}" allows no browser origin, so the collector refuses the tracker on every shop page (403): ` +
  `run again with --origin https://your-shop.example (each storefront's scheme://host[:port]; repeatable)`;

/**
 * Scoped keys: create (--scopes), list, revoke, rotate through the KeyAdmin interface (@spoor/query-api
 * keys/key-admin.ts): over the running server's /api/v1/admin/keys when one owns the data dir, else on the store.
 */
async function manageKeys(
  verb: 'create' | 'list' | 'revoke' | 'rotate',
  values: { site?: string | undefined; key?: string | undefined; scopes?: string | undefined; name?: string | undefined; 'include-revoked'?: boolean | undefined },
  env: Parameters<Command['run']>[1],
  usage: string,
): Promise<number> {
  if (((verb === 'list' || verb === 'create') && !values.site) || ((verb === 'revoke' || verb === 'rotate') && !values.key)) {
    console.error(`usage: ${usage}`);
    return 2;
  }
  let scopes: ReturnType<typeof parseScopes> = [];
  if (verb === 'create') {
    try {
      scopes = parseScopes(values.scopes ?? '');
    } catch (err) {
      console.error(`--scopes: ${(err as Error).message}`);
      return 2;
    }
  }
  const act = async (keyAdmin: KeyAdmin) => {
    const result =
      verb === 'create'
        ? await keyAdmin.create({ siteIds: [values.site!], scopes, ...(values.name ? { name: values.name } : {}), createdBy: 'cli' })
        : verb === 'list'
          ? await keyAdmin.list({ site: values.site!, includeRevoked: values['include-revoked'] ?? false })
          : verb === 'revoke'
            ? await keyAdmin.revoke(values.key!)
            : await keyAdmin.rotate(values.key!);
    console.log(JSON.stringify(result, null, 2));
    return 0;
  };
  try {
    return await withAdminTarget(
      env.SPOOR_DATA_DIR,
      {
        // Through the server, a revoked or rotated secret stops at once: the server's key cache forgets it.
        viaServer: (server) => act(httpKeyAdmin(server)),
        viaStore: async () => {
          const { client, clickhouse: config } = await openStore(env, { migrate: true });
          try {
            return await act(createClickHouseKeyAdmin({ client, database: config.database }));
          } finally {
            await client.close();
          }
        },
      },
      { embeddedStore: embeddedStorePath(env) },
    );
  } catch (err) {
    if (err instanceof AdminTargetError) throw err;
    console.error(`spoor keys ${verb}: ${(err as Error).message}`);
    return 1;
  }
}
