import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, LIMITS, RawEventOrigin } from '@spoor/events';
import { rawEventsIn } from './test-support/read-topic.js';
import { batch, fromAddress, OTHER, pageView, SECRETS, SHOP, unitCollector } from './test-support/collector-fixture.js';
import { signIdentityToken } from './email/link-token.js';
import { createRateLimits } from './rate-limit/rate-limits.js';

const post = (body: unknown, init: RequestInit & { query?: string } = {}) =>
  new Request(`http://collector.test/v1/events${init.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /v1/events', () => {
  it('accepts a valid batch, stamps server context and keys by anonymous id', async () => {
    const { app, log } = unitCollector({ now: () => 1_763_900_000_000 });
    const events = [pageView(), pageView({ anonymousId: 'anon-2' })];
    const res = await app.request(post(batch(events), { headers: { 'user-agent': 'UA/1.0' } }), undefined, fromAddress('203.0.113.9'));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const raw = rawEventsIn(log.messagesOn('raw'));
    expect(raw.map((m) => m.key)).toEqual(['anon-1', 'anon-2']);
    expect(raw[0]!.raw).toMatchObject({
      eventId: events[0]!.id,
      type: 'page_view',
      siteId: 'shop',
      deviceTs: events[0]!.ts,
      sentAt: batch([]).sentAt,
      receivedAt: 1_763_900_000_000,
      clientIp: '203.0.113.0',
      userAgent: 'UA/1.0',
      collectorId: 'collector-test',
      origin: RawEventOrigin.BROWSER,
    });
    expect(JSON.parse(raw[0]!.raw.eventJson)).toEqual({ ...events[0], props: {} });
  });

  it('produces one record per anonymous id of a request, a RawEventBatch marked by its header', async () => {
    const { app, log } = unitCollector();
    const events = [pageView(), pageView({ anonymousId: 'anon-2' }), pageView(), pageView()];
    expect((await app.request(post(batch(events)))).status).toBe(202);
    const records = log.messagesOn('raw');
    expect(records.map((m) => [m.key, m.headers])).toEqual([
      ['anon-1', { 'spoor-value': 'raw-event-batch.v1' }],
      ['anon-2', { 'spoor-value': 'raw-event-batch.v1' }],
    ]);
    expect(rawEventsIn(records).map((m) => m.raw.eventId)).toEqual([events[0]!.id, events[2]!.id, events[3]!.id, events[1]!.id]);
  });

  it('accepts text/plain (sendBeacon) with the write key in the query', async () => {
    const { app } = unitCollector();
    const { writeKey: _omit, ...body } = batch([pageView()]);
    const res = await app.request(post(body, { query: `?key=${SHOP.writeKey}`, headers: { 'content-type': 'text/plain;charset=UTF-8' } }));
    expect(res.status).toBe(202);
  });

  it('reports bad events by index, stores the good ones and dead-letters the bad with their bytes', async () => {
    const { app, log } = unitCollector();
    const bad = { ...pageView(), id: 'nope' };
    const res = await app.request(post(batch([pageView(), bad, pageView()])));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([{ index: 1, error: expect.stringMatching(/^id: /) }]);
    const [letter] = log.messagesOn('dlq');
    const decoded = decodeDeadLetter(letter!.value);
    expect(decoded.ok && JSON.parse(Buffer.from(decoded.value.original).toString())).toEqual(bad);
    expect(decoded.ok && decoded.value).toMatchObject({ stage: 'collector', siteId: 'shop', source: 'events[1]', reason: body.rejected[0]!.error });
  });

  it('refuses email events from browsers', async () => {
    const { app } = unitCollector();
    const res = await app.request(post(batch([pageView({ type: 'email_open', props: { campaignId: 'c', customerId: 'u' } })])));
    expect(((await res.json()) as { rejected: Array<{ error: string }> }).rejected[0]!.error).toMatch(/^type: "email_open"/);
  });

  it.each([
    ['malformed JSON', '{"events": [', 400, /malformed JSON/],
    ['empty body', '', 400, /empty/],
    ['an array instead of a batch', '[]', 400, /\(root\)|expected object/],
    ['no sentAt', JSON.stringify({ writeKey: SHOP.writeKey, events: [{}] }), 400, /^sentAt: /],
    ['no events', JSON.stringify({ writeKey: SHOP.writeKey, sentAt: 1_763_800_000_000, events: [] }), 400, /^events: /],
  ])('answers %s with %i naming the problem', async (_name, body, status, message) => {
    const { app } = unitCollector();
    const res = await app.request(post(body));
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
  });

  it('answers 400 for bytes that are not UTF-8', async () => {
    const { app } = unitCollector();
    const res = await app.request(new Request('http://c/v1/events', { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('body: not valid UTF-8');
  });

  it('answers 413 for a declared Content-Length over the limit without reading the body', async () => {
    const { app } = unitCollector();
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const req = new Request('http://c/v1/events', {
      method: 'POST',
      headers: { 'content-length': String(LIMITS.maxBatchBytes + 1), 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const res = await app.request(req);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('answers 413 for a chunked body as soon as it crosses the limit', async () => {
    const { app } = unitCollector();
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        if (sent > 4 * LIMITS.maxBatchBytes) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const res = await app.request(new Request('http://c/v1/events', { method: 'POST', body: stream, duplex: 'half' } as RequestInit));
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(2 * LIMITS.maxBatchBytes);
  });

  it('answers 413 for more events than a batch may hold', async () => {
    const { app } = unitCollector();
    const res = await app.request(post(batch(Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => ({})))));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^events: 201 events/);
  });

  it('answers 401 for a missing or unknown write key', async () => {
    const { app } = unitCollector();
    const unknown = await app.request(post(batch([pageView()], { writeKey: 'wk_nobody_000000' })));
    expect(unknown.status).toBe(401);
    const { writeKey: _w, ...noKey } = batch([pageView()]);
    const missing = await app.request(post(noKey));
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^writeKey: missing/);
    const badQuery = await app.request(post(noKey, { query: '?key=wk_nobody_000000' }));
    expect(badQuery.status).toBe(401);
  });

  it('answers 415 for other media types', async () => {
    const { app } = unitCollector();
    const res = await app.request(post(batch([pageView()]), { headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(res.status).toBe(415);
  });

  it('allows CORS only for the site origins, on the POST and the preflight', async () => {
    const { app, log } = unitCollector();
    const ok = await app.request(post(batch([pageView()]), { headers: { origin: 'https://shop.example' } }));
    expect(ok.status).toBe(202);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const refused = await app.request(post(batch([pageView()]), { headers: { origin: 'https://evil.example' } }));
    expect(refused.status).toBe(403);
    // Readable by the refused page (its console and the SDK's onError get the reason, not an opaque CORS failure),
    // and still nothing produced: the refusal is the server's, CORS never decided it.
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(refused.headers.get('access-control-allow-credentials')).toBeNull();
    expect(refused.headers.get('vary')).toMatch(/Origin/);
    expect(await refused.json()).toEqual({ error: { code: 'forbidden', message: 'Origin: https://evil.example is not allowed for this site', parameter: 'Origin' } });
    expect(log.messagesOn('raw')).toHaveLength(1);
    const anyOrigin = await app.request(post(batch([pageView()], { writeKey: OTHER.writeKey }), { headers: { origin: 'https://whatever.example' } }));
    expect(anyOrigin.headers.get('access-control-allow-origin')).toBe('https://whatever.example');

    const preflight = (origin: string) =>
      app.request(new Request(`http://c/v1/events?key=${SHOP.writeKey}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
    const good = await preflight('https://shop.example');
    expect(good.status).toBe(204);
    expect(good.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(good.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
    const bad = await preflight('https://evil.example');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses any foreign Origin with a readable 403 that stores nothing (hostile origins: null, huge, odd schemes, the shop\'s own with a twist)', async () => {
    const { app, log } = unitCollector();
    const printable = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&()*+,;=%'.split('')), minLength: 1, maxLength: 3000 });
    const origin = fc.oneof(
      printable,
      fc.constantFrom('null', 'https://shop.example.', 'http://shop.example', 'https://shop.example:443', 'HTTPS://SHOP.EXAMPLE', 'https://evil.example/https://shop.example'),
      fc.webUrl().map((u) => new URL(u).origin),
    ).filter((o) => o !== 'https://shop.example');
    await fc.assert(
      fc.asyncProperty(origin, async (o) => {
        const res = await app.request(post(batch([pageView()]), { headers: { origin: o } }));
        expect(res.status).toBe(403);
        expect(res.headers.get('access-control-allow-origin')).toBe(o);
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
      }),
      { numRuns: 150 },
    );
    expect(log.messagesOn('raw')).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the log does not acknowledge, and never 2xx', async () => {
    const { app, log } = unitCollector({ retryAfterSeconds: 7 });
    log.state.failing = true;
    const res = await app.request(post(batch([pageView()])));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    // A cross-origin SDK can only honour Retry-After when the header is exposed to it.
    const fromShop = await app.request(post(batch([pageView()]), { headers: { origin: 'https://shop.example' } }));
    expect(fromShop.status).toBe(503);
    expect(fromShop.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });

  it('answers 429 with Retry-After past the per-IP limit', async () => {
    const rateLimits = createRateLimits({ perIp: { perSecond: 2, burst: 0 }, perSite: { perSecond: 1000, burst: 0 } });
    const { app } = unitCollector({ rateLimits });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.request(post(batch([pageView()])), undefined, fromAddress('198.51.100.1'))).status);
    expect(statuses).toEqual([202, 202, 429, 429]);
    const other = await app.request(post(batch([pageView()])), undefined, fromAddress('198.51.100.2'));
    expect(other.status).toBe(202);
    const limited = await app.request(post(batch([pageView()])), undefined, fromAddress('198.51.100.1'));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers 429 past the per-site event limit', async () => {
    const rateLimits = createRateLimits({ perIp: { perSecond: 1000, burst: 0 }, perSite: { perSecond: 5, burst: 0 } });
    const { app } = unitCollector({ rateLimits });
    const first = await app.request(post(batch([pageView(), pageView(), pageView(), pageView()])));
    const second = await app.request(post(batch([pageView(), pageView()])));
    expect([first.status, second.status]).toEqual([202, 429]);
  });

  it('uses X-Forwarded-For only from a trusted proxy', async () => {
    const { app, log } = unitCollector({ trustedProxies: ['10.0.0.0/8'] });
    const headers = { 'x-forwarded-for': '192.0.2.50, 10.1.1.1' };
    await app.request(post(batch([pageView()]), { headers }), undefined, fromAddress('10.0.0.2'));
    await app.request(post(batch([pageView()]), { headers }), undefined, fromAddress('203.0.113.66'));
    const ips = rawEventsIn(log.messagesOn('raw')).map((m) => m.raw.clientIp);
    // Truncated before the log (IP_ANONYMISATION): the /24 of the right hop.
    expect(ips).toEqual(['192.0.2.0', '203.0.113.0']);
  });

  it('verifies an email identity token in identify and strips it', async () => {
    const { app, log } = unitCollector();
    const token = signIdentityToken({ siteId: 'shop', customerId: 'cust-9', expiresAt: Date.now() + 60_000 }, SECRETS);
    const good = pageView({ type: 'identify', props: { customerId: 'cust-9', traits: { spoor_it: token } } });
    const wrongCustomer = pageView({ type: 'identify', props: { customerId: 'cust-1', traits: { spoor_it: token } } });
    const forged = pageView({ type: 'identify', props: { customerId: 'cust-9', traits: { spoor_it: `${token.slice(0, -2)}xx` } } });
    const res = await app.request(post(batch([good, wrongCustomer, forged])));
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(body.rejected[0]!.error).toMatch(/another customer/);
    const [stored] = rawEventsIn(log.messagesOn('raw'));
    expect(JSON.parse(stored!.raw.eventJson).props.traits).toEqual({ verifiedBy: 'email-link' });
  });

  it('drops a client-sent verifiedBy claim: only a verified token may set it', async () => {
    const { app, log } = unitCollector();
    const claim = pageView({ type: 'identify', props: { customerId: 'cust-9', traits: { verifiedBy: 'email-link', plan: 'vip' } } });
    expect((await app.request(post(batch([claim])))).status).toBe(202);
    const [stored] = rawEventsIn(log.messagesOn('raw'));
    expect(JSON.parse(stored!.raw.eventJson).props.traits).toEqual({ plan: 'vip' });
  });
});

describe('ops endpoints', () => {
  it('healthz, readyz (503 when the log is unreachable) and Prometheus metrics', async () => {
    const { app, log } = unitCollector();
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/readyz')).status).toBe(200);
    log.state.failing = true;
    expect((await app.request('/readyz')).status).toBe(503);
    log.state.failing = false;
    await app.request(post(batch([pageView(), { bad: true }])));
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toMatch(/spoor_collector_events_total\{outcome="accepted",reason=""\} 1/);
    expect(metrics).toMatch(/spoor_collector_events_total\{outcome="rejected",reason="type"\} 1/);
    expect(metrics).toMatch(/spoor_collector_requests_total\{route="\/v1\/events",status="202"\} 1/);
    expect(metrics).toMatch(/spoor_collector_in_flight_bytes 0/);
  });

  it('readyz is 503 while shutting down, unknown routes are 404', async () => {
    const { app } = unitCollector({ isShuttingDown: () => true });
    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/nope')).status).toBe(404);
  });
});
