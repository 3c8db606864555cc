import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from './command.js';
import { deliverTraffic } from '../demo/deliver-traffic.js';
import { generateTraffic } from '../demo/generate-traffic.js';
import { DEMO_SITE_ID } from '../all-in-one/demo-site.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'send realistic store traffic (visitors over N days, carts, purchases, email campaigns) through a running collector',
  usage: 'spoor demo [--visitors 2000] [--days 90] [--seed N] [--url http://localhost:$PORT] [--site demo] [--api-key sk_…]',
  async run(args, settings) {
    const { values } = parseArgs({
      args,
      options: {
        visitors: { type: 'string', default: '2000' },
        days: { type: 'string', default: '90' },
        seed: { type: 'string' },
        url: { type: 'string' },
        site: { type: 'string', default: DEMO_SITE_ID },
        'api-key': { type: 'string' },
      },
    });
    const visitors = positiveInt('--visitors', values.visitors, 1_000_000);
    const days = positiveInt('--days', values.days, 400);
    const seed = values.seed === undefined ? Date.now() % 2 ** 31 : positiveInt('--seed', values.seed, 2 ** 31);
    const url = (values.url ?? settings.SPOOR_PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/$/, '');
    const apiKey = values['api-key'] ?? demoApiKey(settings.SPOOR_DATA_DIR);

    const traffic = generateTraffic({ visitors, days, seed, endAt: Date.now() - 60_000, origin: url });
    console.log(`demo: ${visitors} visitors over ${days} days (seed ${seed}) → ${traffic.events.length} events, ${traffic.customers.length} customers, ${traffic.campaigns.length} email campaigns`);
    const bar = new SingleBar({ format: 'sending {bar} {percentage}% | {value}/{total} events | {eta_formatted} left', hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 }, Presets.shades_classic);
    bar.start(traffic.events.length, 0);
    const report = await deliverTraffic({ url, siteId: values.site, apiKey, events: traffic.events, onAcknowledged: (batch) => bar.increment(batch.length) });
    bar.stop();
    console.log(`demo: ${report.accepted} events accepted by ${url}${report.rejected.length ? `, ${report.rejected.length} rejected (first: ${report.rejected[0]!.error})` : ''}`);
    console.log(`demo: customers look like ${traffic.customers.slice(0, 3).map((c) => c.customerId).join(', ')}; the processor makes them queryable within seconds`);
    return report.rejected.length ? 1 : 0;
  },
};

function positiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`invalid ${flag}: ${JSON.stringify(value)} (accepted: a whole number from 1 to ${max})`);
  return n;
}

/** The key `spoor start` saved on first start, so `spoor demo` works with no flags next to it. */
function demoApiKey(dataDir: string): string {
  const file = join(resolve(dataDir), 'demo-keys.json');
  if (!existsSync(file)) throw new Error(`no --api-key given and ${file} does not exist: start Spoor first (npm start), or pass --api-key`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { apiKey: string }).apiKey;
}
