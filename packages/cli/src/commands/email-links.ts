import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCampaignLinks } from '@spoor/collector';
import type { Command } from './command.js';
import { linkSecrets } from '../all-in-one/link-secret.js';

export const emailLinksCommand: Command = {
  name: 'email-links',
  summary: 'print the signed open-pixel and click URLs for one customer\'s copy of an email campaign (JSON)',
  usage: 'spoor email-links --site <id> --campaign <id> --customer <id> [--target <https://shop.example/…>]… [--url <collector base URL>]',
  async run(args, env) {
    const { values } = parseArgs({
      args,
      options: { site: { type: 'string' }, campaign: { type: 'string' }, customer: { type: 'string' }, target: { type: 'string', multiple: true }, url: { type: 'string' } },
    });
    if (!values.site || !values.campaign || !values.customer) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    // The same secret the running collector verifies with: SPOOR_LINK_SECRET, or the one generated into the data dir.
    const links = buildCampaignLinks({
      collectorUrl: values.url ?? env.SPOOR_PUBLIC_URL ?? `http://localhost:${env.PORT}`,
      siteId: values.site,
      campaignId: values.campaign,
      customerId: values.customer,
      secrets: linkSecrets(resolve(env.SPOOR_DATA_DIR), env.SPOOR_LINK_SECRET),
    });
    const clicks = (values.target ?? []).map((target) => ({ target, url: links.clickUrl(target) }));
    console.log(JSON.stringify({ openPixelUrl: links.openPixelUrl, clicks }, null, 2));
    console.error('note: the collector redirects only to hosts in the site\'s allowed redirect hosts (spoor keys create --redirect-host …)');
    return 0;
  },
};
