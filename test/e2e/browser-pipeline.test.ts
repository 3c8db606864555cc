import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { serveCollector, type RunningCollector } from '@spoor/collector';
import { freePort } from '@spoor/infra';
import { uniqueName } from '@spoor/test-harness';
import { launchChromium, waitFor, type LaunchedBrowser } from '@spoor/tracker-sdk/test-support';
import { composeSpoor, type ComposedSpoor } from '@spoor/cli';
import { parseSpoorEnv } from '../../packages/cli/src/spoor-env.js';
import { demoKeys } from './spoor-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'spoor-e2e-'));
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const SHOPPER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const closeTab = (page: Page) => Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);

describe('real browser → collector → Kafka → processor → ClickHouse → query API', () => {
  it('a shopper browses, buys and closes the tab: every event is queryable once, the funnel and overview say so', async () => {
    const port = await freePort();
    const env = parseSpoorEnv({
      PORT: String(port),
      SPOOR_DATA_DIR: dataDir,
      KAFKA_BROKERS: inject('kafkaBrokers'),
      REDIS_URL: inject('redisUrl'),
      SPOOR_TOPIC_RAW: uniqueName('e2e-raw'),
      SPOOR_TOPIC_DLQ: uniqueName('e2e-dlq'),
      SPOOR_PROCESSOR_GROUP: uniqueName('e2e-processor'),
    });
    const spoor: ComposedSpoor = await composeSpoor(env, new Set(['collector', 'processor', 'query-api', 'demo']), [`http://127.0.0.1:${port}`]);
    const server: RunningCollector = await serveCollector({ app: spoor.app, port, hostname: '127.0.0.1', onDrained: () => spoor.close() });
    cleanups.push(() => server.shutdown());
    await spoor.processor!.start();
    const url = `http://127.0.0.1:${port}`;
    const { apiKey } = demoKeys(dataDir);
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(`${url}/api/v1${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };

    const browser: LaunchedBrowser = await launchChromium({ userAgent: SHOPPER_UA });
    cleanups.push(() => browser.close());
    await browser.context.newPage(); // keeps Chromium alive when the shop tab closes
    const page = await browser.context.newPage();
    await page.goto(`${url}/product/tent-02?utm_source=newsletter&utm_medium=email&utm_campaign=autumn`);
    await page.fill('input[name=q]', 'boots');
    await page.press('input[name=q]', 'Enter');
    await page.click('text=Trail boots');
    await page.click('#add');
    await page.click('#cart-link');
    await page.click('#checkout');
    await page.click('#place');
    await page.waitForURL('**/thanks');
    await closeTab(page);

    const expected = { page_view: 6, product_view: 2, search: 1, add_to_cart: 1, checkout_start: 1, identify: 1, purchase: 1 };
    const overview = await waitFor(
      'the purchase to be queryable',
      async () => {
        const o = (await api('/overview?site=demo')) as { events_by_type: Array<{ type: string; count: number }> };
        return o.events_by_type.some((t) => t.type === 'purchase') && o.events_by_type.length >= Object.keys(expected).length ? o : undefined;
      },
      60_000,
    );
    const counts = Object.fromEntries(overview!.events_by_type.filter((t) => t.type !== 'page_ping').map((t) => [t.type, t.count]));
    expect(counts).toEqual(expected);
    expect(overview).toMatchObject({ totals: { visitors: 1, sessions: 1, page_views: 6 }, channels: [{ channel: 'Email', sessions: 1 }] });

    const funnel = (await api('/funnels', {
      site: 'demo',
      steps: [{ type: 'product_view' }, { type: 'add_to_cart' }, { type: 'checkout_start' }, { type: 'purchase' }],
    })) as { steps: Array<{ count: number }> };
    expect(funnel.steps.map((s) => s.count)).toEqual([1, 1, 1, 1]);

    const exits = (await api('/exits?site=demo')) as { exit_pages: Array<{ path: string; exits: number }> };
    expect(exits.exit_pages[0]).toMatchObject({ path: '/thanks', exits: 1 });
  });
});
