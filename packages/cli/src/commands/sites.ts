import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { withAdmin } from '../admin/admin-operations.js';
import { checkSiteOption, SETTING_OPTIONS, settingsFromOptions } from '../admin/settings-options.js';
import { noOriginWarning } from './keys.js';

const SETTINGS_USAGE = '[--name <name>] [--origin <https://shop.example>]… [--redirect-host <shop.example>]… [--retention-days <0…7300>] [--gpc honour|ignore]';

/**
 * `spoor sites …`: sites and their settings (docs/admin.md). Through the running server's admin API when one owns
 * the data dir, else directly on the store — the same validation either way.
 */
export const sitesCommand: Command = {
  name: 'sites',
  summary: "list, show, create or change sites (origins, redirect hosts, retention, GPC), rotate a site's link key (prints JSON)",
  usage: [
    'spoor sites list',
    '       spoor sites show --site <id>',
    `       spoor sites create --site <id> ${SETTINGS_USAGE}   (prints its write key and a first secret API key)`,
    `       spoor sites set --site <id> ${SETTINGS_USAGE}      (only the options given change; lists are replaced)`,
    '       spoor sites rotate-link-key --site <id>          (a new email-link signing key; links signed before keep verifying)',
  ].join('\n'),
  async run(args, env) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { site: { type: 'string' }, ...SETTING_OPTIONS } });
    const verb = positionals[0];
    if (!['list', 'show', 'create', 'set', 'rotate-link-key'].includes(verb ?? '') || positionals.length > 1) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const badSite = verb === 'list' ? undefined : checkSiteOption(values.site);
    const settings = settingsFromOptions(values);
    if (badSite || !settings.ok) {
      console.error(badSite ?? (settings as { error: string }).error);
      return 2;
    }
    const site = values.site!;
    const patch = settings.ok ? settings.patch : {};
    if (verb === 'set' && Object.keys(patch).length === 0) {
      console.error('spoor sites set: give at least one setting to change (--name, --origin, --redirect-host, --retention-days, --gpc)');
      return 2;
    }
    return withAdmin(env, async (admin) => {
      let result: unknown;
      if (verb === 'list') result = await admin.listSites();
      else if (verb === 'create') {
        const created = await admin.createSite({ site, ...patch });
        if (!created) {
          console.error(`spoor sites create: site "${site}" exists already; change it with spoor sites set --site ${site} …`);
          return 1;
        }
        if (created.site.allowed_origins.length === 0) console.error(noOriginWarning(site));
        result = { ...created.site, api_key: created.apiKey, api_key_id: created.apiKeyId };
      } else if (verb === 'rotate-link-key') {
        if (!(await admin.showSite(site))) return noSite(site);
        result = { site, ...(await admin.rotateLinkKey(site)) };
      } else {
        const found = verb === 'show' ? await admin.showSite(site) : await admin.updateSite(site, patch);
        if (!found) return noSite(site);
        result = found;
      }
      console.log(JSON.stringify(result, null, 2));
      return 0;
    });
  },
};

function noSite(site: string): number {
  console.error(`spoor sites: no site "${site}" (spoor sites create --site ${site})`);
  return 1;
}
