import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorBodySchema, LIMITS } from '@spoor/events';
import type { ImportAuthenticator } from '../ingest/import-route.js';
import { createRateLimits } from '../rate-limit/rate-limits.js';
import { batch, pageView, SHOP, unitCollector } from '../test-support/collector-fixture.js';

// Every refusal of the collector, on every route, is the one body of both services (@spoor/events errorBodySchema),
// with the status of its code; 202 batch answers are not errors and keep their own shape. Unit level: the in-memory
// log (the real-Kafka fuzz is ingest/events-fuzz.integration.test.ts).
const authenticateImport: ImportAuthenticator = async (key) => (key === 'sk_import_0123456789' ? { keyId: 'k1', siteIds: [SHOP.siteId] } : undefined);
const { app } = unitCollector({ authenticateImport });

async function expectErrorBody(res: Response, label: string) {
  if (res.status < 400) return;
  const body: unknown = await res.json();
  expect(errorBodySchema.safeParse(body).error, `${label} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`).toBeUndefined();
  const { code } = (body as { error: { code: keyof typeof ERROR_CODES } }).error;
  expect(ERROR_CODES[code].status, label).toBe(res.status);
}

const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.constantFrom('', '{', '[]', 'null', '{"events": [', '"x"'));
const envelope = fc
  .record(
    {
      writeKey: fc.oneof(fc.constant(SHOP.writeKey), fc.string({ maxLength: 40 }), fc.anything()),
      sentAt: fc.oneof(fc.constant(Date.now()), fc.anything()),
      events: fc.oneof(fc.array(fc.oneof(fc.constant(pageView()), fc.anything()), { maxLength: 5 }), fc.anything(), fc.constant(Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => ({})))),
    },
    { requiredKeys: [] },
  )
  .map((b) => JSON.stringify(b) ?? '');
const body = fc.oneof(text, envelope, fc.uint8Array({ maxLength: 200 }));
const contentType = fc.constantFrom('application/json', 'text/plain', 'application/xml', '', 'multipart/form-data; boundary=x');
const origin = fc.constantFrom(undefined, 'https://shop.example', 'https://evil.example', 'null');

describe('collector error answers (fast-check)', () => {
  it('POST /v1/events: every 4xx to a generated bad body, content type, key or origin is the one error body', async () => {
    await fc.assert(
      fc.asyncProperty(body, contentType, origin, fc.constantFrom('', `?key=${SHOP.writeKey}`, '?key=wk_nobody_000000', '?key='), async (payload, type, from, query) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (from) headers.origin = from;
        const res = await app.request(new Request(`http://collector.test/v1/events${query}`, { method: 'POST', headers, body: payload }));
        expect(res.status).toBeLessThan(500);
        await expectErrorBody(res, `${type} ${query} ${from} ${String(payload).slice(0, 200)}`);
      }),
      { numRuns: 200 },
    );
  });

  it('POST /v1/import and GET /v1/c: generated bad credentials, sites and tokens get the one error body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(undefined, 'Bearer sk_import_0123456789', 'Bearer nope', 'Basic x'), fc.option(fc.string({ maxLength: 20 })), envelope, async (authorization, site, payload) => {
        const query = site === null ? '' : `?site=${encodeURIComponent(site.replace(/[\ud800-\udfff]/g, ''))}`;
        const res = await app.request(`/v1/import${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: payload });
        expect(res.status).toBeLessThan(500);
        await expectErrorBody(res, `import ${authorization} ${query}`);
      }),
      { numRuns: 100 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (token) => {
        const res = await app.request(`/v1/c?t=${encodeURIComponent(token.replace(/[\ud800-\udfff]/g, ''))}`);
        expect(res.status).toBe(400);
        await expectErrorBody(res, `click ${token}`);
      }),
      { numRuns: 100 },
    );
  });

  it('a 400 names its parameter; unknown routes, oversized bodies and rate limits share the body', async () => {
    const post = (payload: string, headers: Record<string, string> = {}) =>
      app.request(new Request('http://collector.test/v1/events', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload }));
    expect(await (await post('{')).json()).toEqual({ error: { code: 'invalid_parameter', message: expect.stringMatching(/^body: malformed JSON/), parameter: 'body' } });
    expect(await (await post(JSON.stringify(batch([pageView()], { sentAt: 'soon' })))).json()).toMatchObject({ error: { code: 'invalid_parameter', parameter: 'sentAt' } });
    const tooMany = await post(JSON.stringify(batch(Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => ({})))));
    expect(await tooMany.json()).toMatchObject({ error: { code: 'payload_too_large', parameter: 'events' } });
    const tooLarge = await post('x', { 'content-length': String(LIMITS.maxBatchBytes + 1) });
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'payload_too_large', parameter: 'body' } });
    await expectErrorBody(await app.request('/v2/nothing'), 'unknown route');

    const limited = unitCollector({ rateLimits: createRateLimits({ perIp: { perSecond: 1, burst: 0 }, perSite: { perSecond: 1000, burst: 0 } }) }).app;
    const send = () => limited.request(new Request('http://collector.test/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch([pageView()])) }));
    await send();
    const refused = await send();
    expect(refused.status).toBe(429);
    await expectErrorBody(refused, 'rate limited');
  });
});
