import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { openStore } from '@spoor/infra';
import { createClickHouseKeyAdmin, parseScopes, type KeyScope } from '@spoor/query-api';
import { createLinkKey, createSite, isOrigin, listLinkKeys, retireLinkKey } from '../admin/site-admin.js';

const GPC = { honour: true, ignore: false } as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create a site\'s write key and a secret API key, or manage its email-link signing keys (prints JSON)',
  usage: [
    'spoor keys create --site <id> [--name <name>] [--origin <https://shop.example>]… [--redirect-host <shop.example>]… [--gpc honour|ignore]',
    '       spoor keys create … --scopes reports,people       (a scoped secret key; without --scopes: the legacy scopes, docs/admin.md)',
    '       spoor keys list --site <id> [--include-revoked]   (keys of the site, never a secret)',
    '       spoor keys revoke --key <key id>                  (the key stops working)',
    '       spoor keys rotate --key <key id>                  (a new secret for the key, printed once; the old one stops)',
    '       spoor keys link-key create --site <id>            (a new signing key for the site\'s email links; the newest signs)',
    '       spoor keys link-key retire --site <id> --key <id>  (links signed with it stop verifying)',
    '       spoor keys link-key list --site <id>',
  ].join('\n'),
  async run(args, settings) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        name: { type: 'string' },
        origin: { type: 'string', multiple: true },
        'redirect-host': { type: 'string', multiple: true },
        gpc: { type: 'string' },
        key: { type: 'string' },
        scopes: { type: 'string' },
        'include-revoked': { type: 'boolean' },
      },
    });
    const [verb, sub] = positionals;
    if (verb === 'list' || verb === 'revoke' || verb === 'rotate') return manageKeys(verb, values, settings, this.usage);
    const linkKeyVerb = verb === 'link-key' && (sub === 'create' || sub === 'retire' || sub === 'list');
    if ((verb !== 'create' && !linkKeyVerb) || !values.site || (sub === 'retire' && !values.key)) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    // The collector compares Origin headers exactly: "https://shop.example/" or "shop.example" would never match.
    const badOrigin = values.origin?.find((o) => !isOrigin(o));
    if (badOrigin !== undefined) {
      console.error(`--origin: ${JSON.stringify(badOrigin)} is not an origin as browsers send it: scheme://host[:port] without path or trailing slash (e.g. https://shop.example), or '*' for any`);
      return 2;
    }
    let scopes: KeyScope[] | undefined;
    try {
      scopes = values.scopes === undefined ? undefined : parseScopes(values.scopes);
    } catch (err) {
      console.error(`--scopes: ${(err as Error).message}`);
      return 2;
    }
    if (values.gpc !== undefined && !(values.gpc in GPC)) {
      console.error('--gpc: expected "honour" (the default: requests with Sec-GPC: 1 store nothing) or "ignore"');
      return 2;
    }
    const { client, clickhouse: config } = await openStore(settings, { migrate: true });
    try {
      let result: unknown;
      if (verb === 'create') {
        const created = await createSite(client, config.database, {
          siteId: values.site,
          ...(values.name ? { name: values.name } : {}),
          ...(values.origin ? { allowedOrigins: values.origin } : {}),
          ...(values['redirect-host'] ? { allowedRedirectHosts: values['redirect-host'] } : {}),
          ...(values.gpc !== undefined ? { honourGpc: GPC[values.gpc as keyof typeof GPC] } : {}),
        });
        // Without an allowed origin the collector answers every browser 403, seen only in the shop's browser console.
        if (created.allowedOrigins.length === 0) console.error(noOriginWarning(values.site));
        result = created.keys;
        if (scopes) {
          // The site's new secret key with the scopes asked for, in place of the legacy-scoped one createSite issued.
          const keyAdmin = createClickHouseKeyAdmin({ client, database: config.database });
          const scoped = await keyAdmin.create({ siteIds: [values.site], scopes, name: values.name ?? `cli ${new Date().toISOString()}`, createdBy: 'cli' });
          await keyAdmin.revoke(created.keys.apiKeyId);
          result = { ...created.keys, apiKey: scoped.secret, apiKeyId: scoped.keyId, scopes: scoped.scopes };
        }
      } else if (sub === 'create') result = await createLinkKey(client, config.database, values.site);
      else if (sub === 'retire') result = await retireLinkKey(client, config.database, values.site, values.key!);
      else result = (await listLinkKeys(client, config.database, values.site)).map(({ secret: _secret, ...info }) => info);
      console.log(JSON.stringify(result, null, 2));
      return 0;
    } finally {
      await client.close();
    }
  },
};

/** One line on stderr: what is wrong, what it does, what to pass. */
export const noOriginWarning = (site: string) =>
  `warning: site "${site}" allows no browser origin, so the collector refuses the tracker on every shop page (403): ` +
  `run again with --origin https://your-shop.example (each storefront's scheme://host[:port]; repeatable)`;

/**
 * list, revoke, rotate: the store directly through the KeyAdmin interface (@spoor/query-api keys/key-admin.ts), which a
 * client of the running server's /api/v1/admin/keys can implement too.
 */
async function manageKeys(
  verb: 'list' | 'revoke' | 'rotate',
  values: { site?: string | undefined; key?: string | undefined; 'include-revoked'?: boolean | undefined },
  settings: Parameters<Command['run']>[1],
  usage: string,
): Promise<number> {
  if ((verb === 'list' && !values.site) || (verb !== 'list' && !values.key)) {
    console.error(`usage: ${usage}`);
    return 2;
  }
  const { client, clickhouse: config } = await openStore(settings, { migrate: true });
  try {
    const keyAdmin = createClickHouseKeyAdmin({ client, database: config.database });
    const result =
      verb === 'list'
        ? await keyAdmin.list({ site: values.site!, includeRevoked: values['include-revoked'] ?? false })
        : verb === 'revoke'
          ? await keyAdmin.revoke(values.key!)
          : await keyAdmin.rotate(values.key!);
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } catch (err) {
    console.error(`spoor keys ${verb}: ${(err as Error).message}`);
    return 1;
  } finally {
    await client.close();
  }
}
