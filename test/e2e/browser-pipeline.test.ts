import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveCollector } from '@spoor/collector';
import { freePort } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { launchChromium, serveDemo, waitFor, type LaunchedBrowser } from '@spoor/tracker-sdk/test-support';
import { composeSpoor, parseSpoorConfig, type ComposedSpoor } from '@spoor/cli';
import { demoKeys } from './spoor-process.js';

// A person's browser: headless Chromium says "HeadlessChrome", which the bot list (rightly) flags and analytics exclude.
const SHOPPER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const dataDir = mkdtempSync(join(tmpdir(), 'spoor-e2e-'));
const cleanups: Array<() => Promise<unknown>> = [];
let spoor: ComposedSpoor;
let url: string;
let otherShopPort: number;
let browser: LaunchedBrowser;

beforeAll(async () => {
  const port = await freePort();
  otherShopPort = await freePort();
  url = `http://127.0.0.1:${port}`;
  const env = parseSpoorConfig({
    PORT: String(port),
    SPOOR_DATA_DIR: dataDir,
    KAFKA_BROKERS: inject('kafkaBrokers'),
    REDIS_URL: inject('redisUrl'),
    SPOOR_TOPIC_RAW: uniqueName('e2e-raw'),
    SPOOR_TOPIC_DLQ: uniqueName('e2e-dlq'),
    PROCESSOR_GROUP_ID: uniqueName('e2e-processor'),
  }).config;
  spoor = await composeSpoor(env, new Set(['collector', 'processor', 'query-api', 'demo']), [url, `http://127.0.0.1:${otherShopPort}`]);
  const server = await serveCollector({ app: spoor.app, port, hostname: '127.0.0.1', onDrained: () => spoor.close() });
  cleanups.push(() => server.shutdown());
  await spoor.processor!.start();
  browser = await launchChromium({ userAgent: SHOPPER_UA });
  cleanups.push(() => browser.close());
  await browser.context.newPage(); // keeps Chromium alive when a shop tab closes
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const closeTab = (page: Page) => Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);

async function api(path: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${demoKeys(dataDir).apiKey}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
}

/** Event types (pings aside) stored for the session that landed with `?utm_campaign=<campaign>`, with duplicates visible. */
async function storedSession(campaign: string): Promise<{ types: Record<string, number>; rows: number; distinct: number }> {
  const { client, database } = spoor.clickhouse;
  const rows = await (
    await client.query({
      query: `SELECT type, count() AS n, uniqExact(event_id) AS u FROM {db:Identifier}.events
              WHERE session_id IN (SELECT session_id FROM {db:Identifier}.events WHERE utm_campaign = {campaign:String}) AND type != 'page_ping'
              GROUP BY type`,
      query_params: { db: database, campaign },
      format: 'JSONEachRow',
    })
  ).json<{ type: string; n: number; u: number }>();
  return { types: Object.fromEntries(rows.map((r) => [r.type, r.n])), rows: rows.reduce((s, r) => s + r.n, 0), distinct: rows.reduce((s, r) => s + r.u, 0) };
}

describe('real browser → collector → Kafka → processor → ClickHouse → query API', () => {
  it('a shopper browses, buys and closes the tab: every event is queryable once, the funnel and overview say so', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${url}/product/tent-02?utm_source=newsletter&utm_medium=email&utm_campaign=autumn`);
    await page.fill('input[name=q]', 'boots');
    await page.press('input[name=q]', 'Enter');
    await page.click('text=Trail boots');
    // A shopper's steps are seconds apart; Playwright's are milliseconds. An event's time is its device time corrected
    // by its request's transit (docs/processor.md "Derived time"), and here the collector shares one event loop with
    // in-process chDB inserts, so a request can wait hundreds of ms before its receipt is stamped. Steps closer together
    // than that jitter can swap order and drop a funnel step, so the funnel's transitions are paced like a person's.
    const humanPause = () => page.waitForTimeout(2000);
    await humanPause();
    await page.click('#add');
    await page.click('#cart-link');
    await humanPause();
    await page.click('#checkout');
    await humanPause();
    await page.click('#place');
    await page.waitForURL('**/thanks');
    await closeTab(page);

    const expected = { page_view: 6, product_view: 2, search: 1, add_to_cart: 1, checkout_start: 1, identify: 1, purchase: 1 };
    // Wait until everything the tab sent is stored, then ask once: the overview's four queries run side by side, so an
    // answer given while the closing tab's insert landed could count its events but not yet its session.
    await waitFor('all 13 events of the visit to be stored', async () => ((await storedSession('autumn')).rows >= 13 ? true : undefined), 60_000);
    const overview = (await api('/overview?site=demo')) as { events_by_type: Array<{ type: string; count: number }> };
    const counts = Object.fromEntries(overview.events_by_type.filter((t) => t.type !== 'page_ping').map((t) => [t.type, t.count]));
    expect(counts).toEqual(expected);
    expect(overview).toMatchObject({ totals: { visitors: 1, sessions: 1, page_views: 6 }, channels: [{ channel: 'Email', sessions: 1 }] });
    expect(await storedSession('autumn')).toMatchObject({ rows: 13, distinct: 13 });

    const funnel = (await api('/funnels', {
      site: 'demo',
      steps: [{ type: 'product_view' }, { type: 'add_to_cart' }, { type: 'checkout_start' }, { type: 'purchase' }],
    })) as { steps: Array<{ count: number }> };
    expect(funnel.steps.map((s) => s.count)).toEqual([1, 1, 1, 1]);

    const exits = (await api('/exits?site=demo')) as { exit_pages: Array<{ path: string; exits: number }> };
    expect(exits.exit_pages[0]).toMatchObject({ path: '/thanks', exits: 1 });
  });

  it('offline → online: what the shopper did offline arrives once the network is back, each event once', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${url}/product/mug-03?utm_campaign=offline-e2e`);
    await browser.context.setOffline(true);
    await page.click('#add');
    await page.click('#cart-link');
    await page.waitForTimeout(1500); // flush attempts fail while offline; the outbox keeps the events
    await browser.context.setOffline(false);
    const stored = await waitFor('the offline events', async () => {
      const s = await storedSession('offline-e2e');
      return (s.types.add_to_cart ?? 0) >= 1 && (s.types.page_view ?? 0) >= 2 ? s : undefined;
    }, 60_000);
    await closeTab(page);
    await new Promise((r) => setTimeout(r, 1500));
    const final = await storedSession('offline-e2e');
    expect(final.types).toEqual({ page_view: 2, product_view: 1, add_to_cart: 1 });
    expect(final.rows).toBe(final.distinct);
    expect(stored!.distinct).toBeLessThanOrEqual(final.distinct);
  });

  it('Global Privacy Control set and respected: the shop sends nothing to the collector', async () => {
    const { writeKey } = demoKeys(dataDir);
    const shop = await serveDemo({ config: { writeKey, collector: url, respectGpc: true }, port: otherShopPort });
    cleanups.push(() => shop.close());
    const gpc = await launchChromium({ userAgent: SHOPPER_UA });
    cleanups.push(() => gpc.close());
    await gpc.context.addInitScript(`Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })`);
    await gpc.context.newPage();
    const requests: string[] = [];
    const page = await gpc.context.newPage();
    page.on('request', (r) => {
      if (r.url().startsWith(url)) requests.push(r.url());
    });
    await page.goto(`${shop.url}/product/boots-01?utm_campaign=gpc-e2e`);
    await page.click('#add');
    await closeTab(page);
    await new Promise((r) => setTimeout(r, 3000));
    expect(requests).toEqual([]);
    expect(await storedSession('gpc-e2e')).toEqual({ types: {}, rows: 0, distinct: 0 });
  });
});
