import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveCollector } from '@spoor/collector';
import { freePort } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { launchChromium, waitFor, type LaunchedBrowser } from '@spoor/tracker-sdk/test-support';
import { composeSpoor, parseSpoorConfig, type ComposedSpoor } from '@spoor/cli';
import { demoKeys } from './spoor-process.js';

/*
 * Issue 19, as a marketer tried it: a newsletter link lands on the shop's home page with UTM parameters, the shopper
 * browses through the single-page app (later pages carry no campaign) and buys. The order, the funnel breakdown and
 * revenue by channel must all credit Email / newsletter / dec — not Direct, which is what the purchase page alone says.
 */
const SHOPPER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const dataDir = mkdtempSync(join(tmpdir(), 'spoor-e2e-attrib-'));
const cleanups: Array<() => Promise<unknown>> = [];
let spoor: ComposedSpoor;
let url: string;
let browser: LaunchedBrowser;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const env = parseSpoorConfig({
    PORT: String(port),
    SPOOR_DATA_DIR: dataDir,
    KAFKA_BROKERS: inject('kafkaBrokers'),
    REDIS_URL: inject('redisUrl'),
    SPOOR_TOPIC_RAW: uniqueName('e2e-attrib-raw'),
    SPOOR_TOPIC_DLQ: uniqueName('e2e-attrib-dlq'),
    PROCESSOR_GROUP_ID: uniqueName('e2e-attrib-processor'),
  }).config;
  spoor = await composeSpoor(env, new Set(['collector', 'processor', 'query-api', 'demo']), [url]);
  const server = await serveCollector({ app: spoor.app, port, hostname: '127.0.0.1', onDrained: () => spoor.close() });
  cleanups.push(() => server.shutdown());
  await spoor.processor!.start();
  browser = await launchChromium({ userAgent: SHOPPER_UA });
  cleanups.push(() => browser.close());
  await browser.context.newPage(); // keeps Chromium alive when the shop tab closes
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

async function api(path: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${demoKeys(dataDir).apiKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
}

async function storedPurchase(): Promise<{ channel: string; utm_campaign: string; path: string } | undefined> {
  const { client, database } = spoor.clickhouse;
  const rows = await (
    await client.query({
      query: `SELECT toString(channel) AS channel, toString(utm_campaign) AS utm_campaign, path FROM {db:Identifier}.events WHERE site_id = 'demo' AND type = 'purchase'`,
      query_params: { db: database },
      format: 'JSONEachRow',
    })
  ).json<{ channel: string; utm_campaign: string; path: string }>();
  return rows[0];
}

describe('campaign attribution through a real browser', () => {
  it('newsletter landing → SPA browsing → purchase: order, funnel breakdown and revenue credit Email / newsletter / dec', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${url}/?utm_source=newsletter&utm_medium=email&utm_campaign=dec`);
    await page.fill('input[name=q]', 'boots');
    await page.press('input[name=q]', 'Enter');
    await page.click('text=Trail boots');
    await page.click('#add');
    await page.click('#cart-link');
    await page.click('#checkout');
    await page.click('#place');
    await page.waitForURL('**/thanks');
    await Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);

    // The purchase event keeps its own page's facts: an SPA page without campaign parameters.
    const purchase = await waitFor('the purchase to be stored', storedPurchase, 60_000);
    expect(purchase).toMatchObject({ channel: 'Direct', utm_campaign: '' });

    // The order, as support sees it: credited to the visit (its landing), all three models agreeing on one visit.
    const profile = await waitFor(
      'the order to be queryable',
      async () => {
        const res = await fetch(`${url}/api/v1/customers/cust-42?site=demo`, { headers: { authorization: `Bearer ${demoKeys(dataDir).apiKey}` } });
        if (res.status !== 200) return undefined;
        const body = (await res.json()) as { orders: Array<Record<string, unknown>> };
        return body.orders.length > 0 ? body : undefined;
      },
      60_000,
    );
    const newsletter = { channel: 'Email', source: 'newsletter', medium: 'email', campaign: 'dec' };
    expect(profile!.orders).toHaveLength(1);
    expect(profile!.orders[0]).toMatchObject({ channel: 'Email', attribution: { visit: newsletter, first_touch: newsletter, last_non_direct: newsletter } });

    // The funnel enters on a product page without UTM; its breakdown is the visit's.
    const steps = [{ type: 'product_view' }, { type: 'add_to_cart' }, { type: 'purchase' }];
    for (const [breakdown, value] of [['channel', 'Email'], ['source', 'newsletter'], ['campaign', 'dec']] as const) {
      const funnel = (await api('/funnels', { site: 'demo', steps, breakdown })) as { breakdown: Array<{ value: string; steps: Array<{ count: number }> }> };
      expect(funnel.breakdown.map((b) => [b.value, b.steps.map((s) => s.count)]), breakdown).toEqual([[value, [1, 1, 1]]]);
    }
    const emailFiltered = (await api('/funnels', { site: 'demo', steps: [{ type: 'product_view' }, { type: 'purchase', channel: 'Email' }] })) as { steps: Array<{ count: number }> };
    expect(emailFiltered.steps.map((s) => s.count)).toEqual([1, 1]);

    // Revenue by channel, source, campaign and email campaign.
    const revenue = async (query: string) => ((await api(`/revenue?site=demo&${query}`)) as { rows: Array<{ value: string; orders: number; revenue: number; visits: number }> }).rows;
    const [byChannel] = await revenue('by=channel');
    expect(byChannel).toMatchObject({ value: 'Email', orders: 1, visits: 1, conversion_rate: 1 });
    expect(byChannel!.revenue).toBeGreaterThan(0);
    expect((await revenue('by=source&model=last_non_direct'))[0]).toMatchObject({ value: 'newsletter', orders: 1 });
    expect((await revenue('by=campaign&model=first_touch'))[0]).toMatchObject({ value: 'dec', orders: 1 });
    expect((await revenue('by=email_campaign'))[0]).toMatchObject({ value: 'dec', orders: 1 });
  });
});
