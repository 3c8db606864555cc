import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { buildCampaignLinks, resolveLinkSecrets } from '@spoor/collector';
import { openStore } from '@spoor/infra';
import { listLinkKeys } from '../admin/site-admin.js';

const DAY_MS = 86_400_000;

export const emailLinksCommand: Command = {
  name: 'email-links',
  summary: 'print the signed open-pixel and click URLs for one customer\'s copy of an email campaign (JSON)',
  usage:
    'spoor email-links --site <id> --campaign <id> --customer <id> [--target <https://shop.example/…>]… [--url <collector base URL>] [--open-days <365>] [--click-days <90>]',
  async run(args, settings) {
    const { values } = parseArgs({
      args,
      options: {
        site: { type: 'string' },
        campaign: { type: 'string' },
        customer: { type: 'string' },
        target: { type: 'string', multiple: true },
        url: { type: 'string' },
        'open-days': { type: 'string' },
        'click-days': { type: 'string' },
      },
    });
    const days = (text: string | undefined, name: string) => {
      if (text === undefined) return undefined;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > 3650) throw new Error(`--${name}: expected whole days from 1 to 3650`);
      return n * DAY_MS;
    };
    if (!values.site || !values.campaign || !values.customer) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    let openTtlMs: number | undefined;
    let clickTtlMs: number | undefined;
    try {
      openTtlMs = days(values['open-days'], 'open-days');
      clickTtlMs = days(values['click-days'], 'click-days');
    } catch (err) {
      console.error((err as Error).message);
      return 2;
    }
    // The keys the running collector verifies with: the site's own link keys (newest signs), else the global secret
    // (LINK_SIGNING_SECRETS, or the one generated into the data dir).
    const siteKeys = await readSiteKeys(settings, values.site);
    const links = buildCampaignLinks({
      collectorUrl: values.url ?? settings.SPOOR_PUBLIC_URL ?? `http://localhost:${settings.PORT}`,
      siteId: values.site,
      campaignId: values.campaign,
      customerId: values.customer,
      keys: { site: siteKeys, fallback: resolveLinkSecrets(settings) },
      ...(openTtlMs ? { openTtlMs } : {}),
      ...(clickTtlMs ? { clickTtlMs } : {}),
    });
    const clicks = (values.target ?? []).map((target) => ({ target, url: links.clickUrl(target) }));
    console.log(JSON.stringify({ openPixelUrl: links.openPixelUrl, clicks }, null, 2));
    console.error('note: the collector redirects only to hosts in the site\'s allowed redirect hosts (spoor keys create --redirect-host …)');
    return 0;
  },
};

/**
 * The site's link keys still verifying, newest first. The embedded store (chDB) admits one process per data directory,
 * so while `spoor start` runs they cannot be read from here: the links are then signed with the global secret, which
 * every collector also accepts (tokens without a key id), and the note says so.
 */
async function readSiteKeys(settings: Parameters<Command['run']>[1], siteId: string): Promise<Array<{ keyId: string; secret: string }>> {
  let opened;
  try {
    opened = await openStore(settings, { migrate: true });
  } catch (err) {
    console.error(`note: the site's own link keys could not be read (${(err as Error).message.split('\n')[0]}); signed with the global secret, which the collector accepts too`);
    return [];
  }
  try {
    const keys = await listLinkKeys(opened.client, opened.clickhouse.database, siteId, { withSecrets: true });
    return keys.filter((k) => !k.retired).map((k) => ({ keyId: k.keyId, secret: k.secret }));
  } finally {
    await opened.client.close();
  }
}
