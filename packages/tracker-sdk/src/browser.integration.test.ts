import type { ClientEvent } from '@spoor/events';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium, serveDemo, startReceiver, waitFor, type LaunchedBrowser, type Receiver } from '../test-support/index.js';

/**
 * The built dist script in Debian Chromium against the demo shop, with a local stand-in for the
 * collector's POST /v1/events (test-support/receiver.ts) that validates every event with the contract.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Shop {
  rx: Receiver;
  url: string;
  browser: LaunchedBrowser;
  page: Page;
  open(): Promise<Page>;
}

async function shop(config: Record<string, unknown> = {}, initScript?: string): Promise<Shop> {
  const rx = await startReceiver();
  cleanups.push(rx.close);
  const demo = await serveDemo({ config: { writeKey: 'wk_browser', collector: rx.url, ...config } });
  cleanups.push(demo.close);
  const browser = await launchChromium();
  cleanups.push(browser.close);
  // a blank tab stays open: closing the last tab would quit Chromium, and with it the beacons in flight
  // (a person closes a shop tab, not the whole browser)
  await browser.context.newPage();
  if (initScript) await browser.context.addInitScript(initScript);
  const open = async () => {
    const p = await browser.context.newPage();
    p.on('pageerror', (e) => console.error('page error:', e.message));
    return p;
  };
  return { rx, url: demo.url, browser, page: await open(), open };
}

const types = (events: ClientEvent[]) => events.filter((e) => e.type != 'page_ping').map((e) => e.type);
const ids = (events: ClientEvent[]) => events.map((e) => e.id);
const spoorKeys = (page: Page) =>
  page.evaluate(() => [...Object.keys(localStorage).filter((k) => k.startsWith('spoor_')), ...document.cookie.split('; ').filter((c) => c.startsWith('spoor_'))]);
/** Closes the tab the way a person does (pagehide and unload run) and waits until it is gone. */
const closeTab = (page: Page) => Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectValidOnce(rx: Receiver) {
  for (const r of rx.requests) {
    expect(r.rejected, JSON.stringify(r.rejected)).toEqual([]);
    expect(r.key).toBe('wk_browser');
    expect(r.contentType).toMatch(/^text\/plain/);
    expect(r.body.writeKey).toBe('wk_browser');
  }
  const accepted = ids(rx.accepted());
  expect(new Set(accepted).size, 'an event id arrived twice').toBe(accepted.length);
}

describe('tracker in a real browser', () => {
  it('browse, search, add to cart, navigate inside the SPA, buy, close the tab: the exact events arrive once each', async () => {
    const { rx, url, page } = await shop();
    // a direct landing on a product page: app.js calls spoor('productView') before spoor.js has loaded
    await page.goto(url + '/product/tent-02');
    await page.fill('input[name=q]', 'boots');
    await page.press('input[name=q]', 'Enter');
    await page.click('text=Trail boots');
    await page.click('#add');
    await page.click('#add');
    await page.click('#cart-link');
    await page.click('#checkout');
    await page.click('#place');
    await page.waitForURL('**/thanks');
    await page.goBack(); // popstate back to the checkout page
    await waitFor('the purchase', () => rx.accepted().some((e) => e.type == 'purchase'));
    await closeTab(page);
    await pause(500);

    // the shop's and the SDK's popstate listeners may run in either order: compare the last pair unordered
    const events = rx.accepted();
    const seen = types(events);
    seen.splice(-2, 2, ...seen.slice(-2).sort((a, b) => (a == 'page_view' ? -1 : b == 'page_view' ? 1 : 0)));
    expect(seen).toEqual([
      'page_view', 'product_view', // landing; the queued productView replayed after init
      'page_view', 'search', // /?q=boots
      'page_view', 'product_view', 'add_to_cart', 'add_to_cart',
      'page_view', // cart
      'page_view', 'checkout_start',
      'identify', 'purchase',
      'page_view', // thanks
      'page_view', 'checkout_start', // back (popstate) to the checkout
    ]);
    expectValidOnce(rx);
    const paths = events.filter((e) => e.type == 'page_view').map((e) => new URL(e.url).pathname + new URL(e.url).search);
    expect(paths).toEqual(['/product/tent-02', '/?q=boots', '/product/boots-01', '/cart', '/checkout', '/thanks', '/checkout']);
    expect(new Set(events.map((e) => e.anonymousId)).size).toBe(1);
    expect(new Set(events.map((e) => e.sessionId)).size).toBe(1);
    expect(events.every((e) => e.visitNumber == 1)).toBe(true);
    const purchase = events.find((e) => e.type == 'purchase')!;
    expect(purchase).toMatchObject({ customerId: 'cust-42', props: { revenue: 258, currency: 'EUR', items: [{ productId: 'boots-01', quantity: 2 }] } });
    // the SPA referrer is the previous page
    expect(events.filter((e) => e.type == 'page_view')[2]!.referrer).toBe(url + '/?q=boots');
    expect(events.find((e) => e.type == 'search')!.props).toEqual({ query: 'boots', results: 1 });
  });

  it('closing the tab delivers the waiting events once, by sendBeacon on pagehide, and the next page does not resend them', async () => {
    const { rx, url, page, open } = await shop({ flushInterval: 60_000, batchSize: 100 });
    await page.goto(url + '/product/mug-03');
    await page.click('#add');
    await page.click('#cart-link');
    await pause(1000);
    expect(rx.requests).toHaveLength(0);
    await closeTab(page);
    await waitFor('the beacon', () => rx.requests.length > 0);
    await pause(300);
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]!.mode).toBe('no-cors'); // sendBeacon, not fetch
    expect(types(rx.accepted())).toEqual(['page_view', 'product_view', 'add_to_cart', 'page_view']);
    const before = new Set(ids(rx.accepted()));

    const next = await open();
    await next.goto(url + '/');
    await next.evaluate(() => (window as unknown as { spoor(c: string): void }).spoor('flush'));
    await waitFor('the next page view', () => rx.requests.length > 1);
    await pause(500);
    expect(rx.arrived().filter((e) => before.has(e.id))).toHaveLength(before.size);
    expectValidOnce(rx);
  });

  it('offline → online: events wait in the localStorage outbox and arrive once when the network is back', async () => {
    const { rx, url, page, browser } = await shop();
    await page.goto(url + '/');
    await waitFor('the first page view', () => rx.accepted().length == 1);
    await browser.context.setOffline(true);
    await page.click('text=Two-person tent');
    await page.click('#add');
    await pause(2500);
    expect(rx.requests).toHaveLength(1);
    const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('spoor_o') || '[]').map((e: { type: string }) => e.type));
    expect(outbox.filter((t: string) => t != 'page_ping')).toEqual(['page_view', 'product_view', 'add_to_cart']);
    await browser.context.setOffline(false);
    await waitFor('the offline events', () => rx.accepted().length >= 4);
    await pause(500);
    expect(types(rx.accepted())).toEqual(['page_view', 'page_view', 'product_view', 'add_to_cart']);
    expectValidOnce(rx);
  });

  it('a 503 with Retry-After is retried after the delay with the same event ids, nothing duplicated', async () => {
    const { rx, url, page } = await shop();
    rx.answers.push({ status: 503, retryAfter: 2 }, { status: 503, retryAfter: 1 });
    await page.goto(url + '/product/boots-01');
    await page.click('#add');
    await waitFor('two refused requests', () => rx.requests.length >= 2);
    await waitFor('the retry', () => rx.accepted().length >= 3);
    await pause(1500);
    const [first, second] = rx.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1900); // Retry-After: 2 honoured
    const accepted = rx.accepted();
    expect(types(accepted)).toEqual(['page_view', 'product_view', 'add_to_cart']);
    // the refused attempts carried the same ids that were finally accepted
    expect(ids(first!.body.events).every((id) => ids(accepted).includes(id))).toBe(true);
    expectValidOnce(rx);
  });

  it('a collector that is unreachable when the tab closes: the next visit delivers what the outbox kept', async () => {
    const { rx, url, page, open, browser } = await shop();
    rx.answers.push('drop', 'drop', 'drop', 'drop');
    await page.goto(url + '/product/boots-01');
    await page.click('#add');
    await waitFor('a failed attempt', () => rx.requests.length == 0 && rx.answers.length < 4);
    // the tab goes away while offline: nothing can be beaconed, the outbox keeps the events
    await browser.context.setOffline(true);
    await closeTab(page);
    await browser.context.setOffline(false);
    rx.answers.length = 0;
    const next = await open();
    await next.goto(url + '/cart');
    // they are orphans of the closed tab: adopted flushInterval + 10 s after the page started, once
    // the closed tab's send lease (held through its backoff) has expired
    await waitFor('the kept events', () => types(rx.accepted()).length >= 4, 40_000);
    await pause(500);
    expect(types(rx.accepted()).sort()).toEqual(['add_to_cart', 'page_view', 'page_view', 'product_view']);
    expectValidOnce(rx);
  });

  it('two tabs at once: every event arrives, none twice', async () => {
    const { rx, url, page, open } = await shop();
    const other = await open();
    await page.goto(url + '/product/boots-01');
    await other.goto(url + '/product/mug-03');
    // both tabs keep adding while the other one is sending
    // (a background tab renders no frames, so the clicks are dispatched rather than aimed)
    for (let i = 0; i < 3; i++) {
      await page.locator('#add').dispatchEvent('click');
      await other.locator('#add').dispatchEvent('click');
    }
    await closeTab(page);
    await closeTab(other);
    await waitFor('all events', () => types(rx.accepted()).length >= 10);
    await pause(1000);
    expect(types(rx.accepted()).sort()).toEqual([...Array(6).fill('add_to_cart'), 'page_view', 'page_view', 'product_view', 'product_view']);
    expectValidOnce(rx);
  });

  it('Global Privacy Control set in the browser, default configuration: nothing is stored or sent', async () => {
    const { rx, url, page } = await shop({}, `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })`);
    await page.goto(url + '/product/boots-01');
    await page.click('#add');
    await page.evaluate(() => (window as unknown as { spoor(...a: unknown[]): void }).spoor('consent', true));
    await pause(1500);
    // only the visitor's own consent decision is recorded, no id, session or event
    expect(await spoorKeys(page)).toEqual(['spoor_c']);
    await closeTab(page);
    await pause(500);
    expect(rx.requests).toHaveLength(0);
  });

  it('Global Privacy Control with respectGpc: false (a site with another legal basis): the tracker sends', async () => {
    const { rx, url, page } = await shop({ respectGpc: false }, `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })`);
    await page.goto(url + '/product/boots-01');
    await page.click('#add');
    await waitFor('events despite GPC', () => types(rx.accepted()).includes('add_to_cart'));
    expect(types(rx.accepted())).toEqual(['page_view', 'product_view', 'add_to_cart']);
  });

  it('opt-in consent: nothing stored or sent before consent; the page counts once consent is given', async () => {
    const { rx, url, page } = await shop({ consent: 'opt-in' });
    await page.goto(url + '/product/boots-01');
    await page.click('#add');
    await pause(1500);
    expect(rx.requests).toHaveLength(0);
    expect(await spoorKeys(page)).toEqual([]);
    await page.evaluate(() => (window as unknown as { spoor(...a: unknown[]): void }).spoor('consent', true));
    await page.click('#add');
    await waitFor('events after consent', () => rx.accepted().length >= 2);
    expect(types(rx.accepted())).toEqual(['page_view', 'add_to_cart']);
    expect(await spoorKeys(page)).toContain('spoor_c');
    expectValidOnce(rx);
  });

  it('cookieless mode sends events but keeps nothing in localStorage or cookies', async () => {
    const { rx, url, page } = await shop({ cookieless: true });
    await page.goto(url + '/product/boots-01');
    await page.click('#add');
    await waitFor('events', () => rx.accepted().length >= 3);
    expect(await spoorKeys(page)).toEqual([]);
    expectValidOnce(rx);
  });

  it('the email identity token identifies the visitor, leaves the address bar, and private parameters are stripped', async () => {
    const { rx, url, page } = await shop({ stripParams: ['phone'] });
    // the collector's token layout: u = customer, c = campaign
    const payload = Buffer.from(JSON.stringify({ k: 'identity', s: 'site-1', u: 'cust-9', c: 'camp-3', exp: Date.now() + 3_600_000 })).toString('base64url');
    const token = `${payload}.c2lnbmF0dXJl`;
    await page.goto(`${url}/product/boots-01?utm_source=newsletter&spoor_it=${token}&email=a%40b.example&phone=123`);
    await waitFor('identify', () => rx.accepted().some((e) => e.type == 'identify'));
    await page.click('#add');
    await waitFor('add to cart', () => rx.accepted().some((e) => e.type == 'add_to_cart'));
    expect(page.url()).toBe(`${url}/product/boots-01?utm_source=newsletter&email=a%40b.example&phone=123`);
    const events = rx.accepted();
    expect(events.find((e) => e.type == 'identify')).toMatchObject({ props: { customerId: 'cust-9', traits: { spoor_it: token } } });
    expect(events.find((e) => e.type == 'add_to_cart')!.customerId).toBe('cust-9');
    for (const e of events) expect(e.url).toBe(`${url}/product/boots-01?utm_source=newsletter`);
    expect(types(events)).toEqual(['identify', 'page_view', 'product_view', 'add_to_cart']);
    expectValidOnce(rx);
  });

  it('page pings report visible time and scroll depth; hash navigation counts when enabled', async () => {
    const { rx, url, page } = await shop({ pingInterval: 1000, hash: true });
    await page.goto(url + '/product/boots-01');
    await page.mouse.wheel(0, 5000);
    await waitFor('a ping', () => rx.accepted().some((e) => e.type == 'page_ping'), 10_000);
    const ping = rx.accepted().find((e) => e.type == 'page_ping')!;
    expect(ping.props).toMatchObject({ visibleMs: 1000 });
    await waitFor('scroll depth', () => rx.accepted().some((e) => e.type == 'page_ping' && (e.props as { maxScroll: number }).maxScroll == 100), 10_000);
    await page.evaluate(() => (location.hash = '#reviews'));
    await waitFor('hash page view', () => rx.accepted().some((e) => e.type == 'page_view' && e.url.endsWith('#reviews')));
    expectValidOnce(rx);
  });

  it('without localStorage the anonymous id lives in a first-party cookie and survives a reload', async () => {
    const { rx, url, page } = await shop({}, `Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } })`);
    await page.goto(url + '/');
    await waitFor('first page view', () => rx.accepted().length >= 1);
    await page.reload();
    await waitFor('second page view', () => rx.accepted().length >= 2);
    const [a, b] = rx.accepted();
    expect(b!.anonymousId).toBe(a!.anonymousId);
    expect(b!.sessionId).toBe(a!.sessionId);
    expect(await page.evaluate(() => document.cookie)).toContain('spoor_a=');
    expectValidOnce(rx);
  });
});
