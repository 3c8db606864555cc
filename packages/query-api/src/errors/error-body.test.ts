import fc from 'fast-check';
import { createMemoryKeyValue } from '@spoor/infra';
import { createClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorBodySchema } from '@spoor/events';
import { hashApiKey, type ApiKeyStore } from '../auth/api-key-store.js';
import { createQueryApi } from '../create-query-api.js';

// Unit level: an in-memory key store and a ClickHouse client pointed at a closed port, so every request that passes
// validation ends as a 503, and the property covers the refusals before it (the real-chDB fuzz is
// queries/query-api-fuzz.integration.test.ts).
const keys: ApiKeyStore = {
  async findByHash(hash) {
    return hash === hashApiKey('sk_unit_errors') ? { keyId: 'k', siteIds: ['shop-1'] } : undefined;
  },
};
const app = createQueryApi({
  keyValue: createMemoryKeyValue(),
  clickhouse: createClient({ url: 'http://127.0.0.1:1', request_timeout: 2000 }),
  database: 'spoor',
  apiKeyStore: keys,
  logError: () => undefined,
});
const auth = { authorization: 'Bearer sk_unit_errors' };

const GET_PATHS = ['/api/v1/overview', '/api/v1/exits', '/api/v1/carts/abandoned', '/api/v1/rfm', '/api/v1/revenue', '/api/v1/products/abc', '/api/v1/customers/c1', '/api/v1/audiences'];
const POST_PATHS = ['/api/v1/funnels', '/api/v1/funnels/people', '/api/v1/audiences/preview', '/api/v1/audiences'];
const PARAM_NAMES = ['site', 'from', 'to', 'limit', 'offset', 'as_of', 'include_bots', 'breakdown', 'dimension', 'model', 'hours', 'scoring', 'steps', 'x', ''];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('shop-1', 'shop-2', '2026-11-01', '2026-02-31', '9999-12-31', '-1', '1e308', 'NaN', 'true', '%', '%zz', '\u0000', '\ud800'),
);
// Lone surrogates cannot be percent-encoded; raw malformed escapes come in as whole pairs instead.
const wire = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''));
const queryString = fc
  .array(
    fc.oneof(
      fc.tuple(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.string({ maxLength: 10 })), value).map(([k, v]) => `${wire(k)}=${wire(v)}`),
      fc.constantFrom('from=%zz', '%ED%A0%80=1', 'site=%00', 'to=%', 'site'),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.join('&'));
const jsonBody = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.record({ site: fc.oneof(fc.constant('shop-1'), fc.string({ maxLength: 10 })), steps: fc.anything(), from: value, to: value, definition: fc.anything() }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
);

async function expectErrorBody(res: Response, label: string) {
  if (res.status < 400) return;
  const body: unknown = await res.json();
  expect(errorBodySchema.safeParse(body).error, `${label} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`).toBeUndefined();
  const { code } = (body as { error: { code: keyof typeof ERROR_CODES } }).error;
  // The code's status is the answer's: a client may branch on either.
  expect(ERROR_CODES[code].status, label).toBe(res.status);
}

describe('query API error answers (fast-check)', () => {
  it('every answer to a generated bad query string is the one error body, with the status of its code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GET_PATHS), queryString, async (path, query) => {
        const res = await app.request(`${path}?${query}`, { headers: auth });
        await expectErrorBody(res, `GET ${path}?${query}`);
      }),
      { numRuns: 150 },
    );
  });

  it('every answer to a generated bad JSON body is the one error body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_PATHS), jsonBody, fc.constantFrom('application/json', 'text/plain', ''), async (path, body, type) => {
        const res = await app.request(path, { method: 'POST', headers: { ...auth, ...(type ? { 'content-type': type } : {}) }, body });
        await expectErrorBody(res, `POST ${path} ${type} ${body.slice(0, 200)}`);
      }),
      { numRuns: 150 },
    );
  });

  it('refusals before any route (no key, unknown key, unknown path, oversized body) have the same body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant(undefined), fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))), async (authorization) => {
        const res = await app.request('/api/v1/overview?site=shop-1', { headers: authorization === undefined ? {} : { authorization } });
        expect(res.status).toBe(401);
        await expectErrorBody(res, `Authorization ${authorization}`);
      }),
      { numRuns: 50 },
    );
    const missing = await app.request('/api/v1/nowhere?site=shop-1', { headers: auth });
    await expectErrorBody(missing, 'unknown path');
    expect(missing.status).toBe(404);
    const huge = await app.request('/api/v1/funnels', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.clone().json()).error.parameter).toBe('body');
    await expectErrorBody(huge, 'oversized body');
  });

  it('a 400 always names its parameter', async () => {
    const res = await app.request('/api/v1/overview?site=shop-1&from=2026-02-31', { headers: auth });
    expect(await res.json()).toEqual({ error: { code: 'invalid_parameter', message: expect.stringMatching(/^from: /), parameter: 'from' } });
  });
});
