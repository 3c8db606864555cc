import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveDemo, waitFor, type DemoServer, type LaunchedBrowser } from '@spoor/tracker-sdk/test-support';
import { SHOP, unitCollector } from '@spoor/collector/test-support';

/**
 * A shop page whose origin its site does not allow, in real Chromium against the real collector app: the refusal must
 * reach the page as a readable 403 with its JSON reason (not an opaque "blocked by CORS policy", which looks like a
 * network failure), and nothing may be stored. The collector's log is its in-memory port adapter (no Kafka needed:
 * this is about HTTP and the browser).
 */
let collector: ReturnType<typeof unitCollector>;
let server: ServerType;
let collectorUrl: string;
let demo: DemoServer;
let browser: LaunchedBrowser;

beforeAll(async () => {
  collector = unitCollector();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: collector.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  collectorUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // SHOP allows only https://shop.example; the demo shop is served from http://127.0.0.1:<port>.
  demo = await serveDemo({ config: { writeKey: SHOP.writeKey, collector: collectorUrl, flushInterval: 50 } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await new Promise((r) => server?.close(r));
});

describe('a storefront origin the site does not allow, in a real browser', () => {
  it('sees the 403 and its reason; the console says 403, not "blocked by CORS policy"; nothing is stored', async () => {
    const page = await browser.context.newPage();
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    const answers: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${collectorUrl}/v1/events`)) answers.push(r.status());
    });
    await page.goto(demo.url + '/');
    // The SDK's own batch (page_view) is answered 403, readable to the page.
    await waitFor('the SDK batch answered', () => answers.length > 0);
    expect(answers[0]).toBe(403);
    await waitFor('the console line', () => consoleLines.some((l) => l.includes('403')));
    expect(consoleLines.filter((l) => /CORS policy/i.test(l))).toEqual([]);

    // What the page (and so the SDK's onError) can read of the refusal.
    const seen = await page.evaluate(async ([url, key]) => {
      const res = await fetch(`${url}/v1/events?key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({
          writeKey: key,
          sentAt: Date.now(),
          events: [{ id: crypto.randomUUID(), type: 'page_view', ts: Date.now(), anonymousId: 'anon-1', sessionId: 'sess-1', url: location.href }],
        }),
      });
      return { status: res.status, body: await res.json() };
    }, [collectorUrl, SHOP.writeKey] as const);
    expect(seen).toEqual({ status: 403, body: { error: { code: 'forbidden', message: `Origin: ${demo.url} is not allowed for this site`, parameter: 'Origin' } } });
    expect(collector.log.messagesOn('raw')).toHaveLength(0);
    expect(collector.log.messagesOn('dlq')).toHaveLength(0);
  });
});
