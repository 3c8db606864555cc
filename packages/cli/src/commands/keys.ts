import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { openStore } from '@spoor/infra';
import { createLinkKey, createSite, isOrigin, listLinkKeys, retireLinkKey } from '../admin/site-admin.js';

const GPC = { honour: true, ignore: false } as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create a site\'s write key and a secret API key, or manage its email-link signing keys (prints JSON)',
  usage: [
    'spoor keys create --site <id> [--name <name>] [--origin <https://shop.example>]… [--redirect-host <shop.example>]… [--gpc honour|ignore]',
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
      },
    });
    const [verb, sub] = positionals;
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
