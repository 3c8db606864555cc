import { ROUTE_PERMISSIONS, routeKey } from '../access/route-permissions.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueryApi } from '../create-query-api.js';
import { KEY_A, KEY_B, SHOP_A, SHOP_B, SHOP_B_MARK, bearer, postJson, queryApiWithFixture, siteFootprint, twoShopsFixture } from '../testing/index.js';

/**
 * A key scoped to shop-a names shop-b (and look-alikes of shop-a) in every position and combination on every operation
 * of the OpenAPI document (so a new route is covered without editing this file), with every method: nothing answers
 * 2xx unless every mention is exactly shop-a, nothing answers 5xx, no answer holds shop-b's rows, and shop-b's tables
 * are unchanged afterwards (no audience created or deleted there, no erasure there).
 */
let app: QueryApi;
let footprintBefore: Record<string, number>;
let footprint: () => Promise<Record<string, number>>;
const ids: { audienceA: string; audienceB: string } = { audienceA: '', audienceB: '' };

const NOW = new Date('2026-12-01T00:00:00Z');
const RULES = { all: [{ event: 'visit', op: '>=', count: 1, within_days: 365 }] };
const FUNNEL = { from: '2026-11-01', to: '2026-11-30', window_seconds: 86_400, steps: [{ type: 'page_view' }, { type: 'purchase' }] };

/** A valid request body per POST operation, without its site: the matrix adds the site. A new POST route needs one. */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  '/api/v1/funnels': FUNNEL,
  '/api/v1/funnels/people': { ...FUNNEL, step: 1 },
  '/api/v1/audiences/preview': { definition: RULES },
  '/api/v1/audiences': { name: 'matrix', definition: RULES },
  '/api/v1/admin/keys': { scopes: ['reports'] },
  '/api/v1/admin/keys/{id}/rotate': {},
};
/**
 * Operations whose site is the request's one `site` (access/route-permissions.ts): the subject of this matrix. Routes
 * with the site in the path or none (admin/) are held to isolation by their own tests and the permission matrix.
 */
const requestSited = (method: string, path: string) =>
  ROUTE_PERMISSIONS.some((r) => r.site === 'request' && routeKey(r.method, r.path) === routeKey(method, path.replace(/\{(\w+)\}/g, ':$1')));
/** Extra query variants per GET operation (the export formats). */
const QUERY_VARIANTS: Record<string, string[]> = { '/api/v1/audiences/{id}/members': ['format=json', 'format=csv', 'format=sha256'] };
/** Path parameters: shop-a's and shop-b's own objects, and shop-a's ids that shop-b also has. */
const pathIds = (path: string): string[] =>
  path.startsWith('/api/v1/audiences/')
    ? [ids.audienceA, ids.audienceB]
    : path.startsWith('/api/v1/customers/')
      ? ['c3', 'c1', `c1${SHOP_B_MARK}`]
      : path.startsWith('/api/v1/admin/keys/')
        ? ['key-a-spare', 'key-b']
        : [''];

const ABSENT = Symbol('absent');
/** `site` in the query string: none, shop-a, shop-b, repeated, and look-alikes (case, whitespace, full-width, zero-width). */
const QUERY_SITES: string[][] = [
  [], [SHOP_A], [SHOP_A, SHOP_A], [SHOP_B], [SHOP_A, SHOP_B], [SHOP_B, SHOP_A], ['SHOP-A'], [SHOP_A, 'Shop-A'], ['shop-a '], [' shop-a'],
  ['shop-ａ'], [`${SHOP_A}\u200b`], [SHOP_A, ''], [`${SHOP_A},${SHOP_B}`],
];
/** `site` in a JSON body: absent, shop-a, shop-b, look-alikes, wrong types. */
const BODY_SITES: unknown[] = [ABSENT, SHOP_A, SHOP_B, 'SHOP-A', 'shop-a ', '', null, [SHOP_A], [SHOP_B], { id: SHOP_B }, 7];

beforeAll(async () => {
  const { app: created, client, database } = await queryApiWithFixture(twoShopsFixture(), { now: () => NOW, logError: () => undefined });
  app = created;
  footprint = () => siteFootprint(client, database, SHOP_B);
  const b = await postJson(app, '/api/v1/audiences', KEY_B, { site: SHOP_B, name: 'b only', definition: RULES });
  const a = await postJson(app, '/api/v1/audiences', KEY_A, { site: SHOP_A, name: 'a only', definition: RULES });
  expect([a.status, b.status]).toEqual([201, 201]);
  ids.audienceA = a.body.id;
  ids.audienceB = b.body.id;
  footprintBefore = await footprint();
}, 120_000);

interface Operation {
  path: string;
  method: 'GET' | 'POST' | 'DELETE';
  documented: boolean;
}

async function operations(): Promise<Operation[]> {
  const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    if (!Object.keys(methods).some((m) => requestSited(m, path))) continue;
    for (const method of ['GET', 'POST', 'DELETE'] as const) ops.push({ path, method, documented: method.toLowerCase() in methods });
  }
  // Deletes last, so the reads still find what they read.
  return ops.sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
}

describe('a key scoped to shop-a, with shop-b named anywhere', () => {
  it('is never answered 2xx, never 5xx, never with shop-b rows, on every operation × method × position', async () => {
    const ops = await operations();
    expect(ops.filter((o) => o.documented).length).toBeGreaterThanOrEqual(16);
    const okPerOperation = new Map<string, number>();
    let requests = 0;
    for (const op of ops) {
      if (op.method === 'POST' && op.documented) expect(VALID_BODIES[op.path], `a valid body for POST ${op.path} in VALID_BODIES`).toBeDefined();
      for (const id of pathIds(op.path)) {
        const path = op.path.replace('{id}', encodeURIComponent(id));
        for (const extra of QUERY_VARIANTS[op.path] ?? ['']) {
          for (const querySites of QUERY_SITES) {
            for (const bodySite of op.method === 'GET' ? [ABSENT] : BODY_SITES) {
              const query = [...querySites.map((s) => `site=${encodeURIComponent(s)}`), ...(extra ? [extra] : [])].join('&');
              const body = op.method === 'GET' ? undefined : { ...(op.method === 'POST' ? VALID_BODIES[op.path] : {}), ...(bodySite === ABSENT ? {} : { site: bodySite }) };
              const res = await app.request(`${path}${query ? `?${query}` : ''}`, {
                method: op.method,
                headers: { ...bearer(KEY_A), ...(body ? { 'content-type': 'application/json' } : {}) },
                ...(body ? { body: JSON.stringify(body) } : {}),
              });
              requests += 1;
              const text = await res.text();
              const label = `${op.method} ${path}?${query} body.site=${bodySite === ABSENT ? '(absent)' : JSON.stringify(bodySite)} → ${res.status} ${text.slice(0, 200)}`;
              expect(res.status, label).toBeLessThan(500);
              // Answers may echo the request's own id; beyond it they hold nothing of shop-b.
              if (res.status < 300) expect(id ? text.replaceAll(id, '') : text, label).not.toContain(SHOP_B_MARK);
              const mentions = [...querySites, ...(bodySite === ABSENT || body === undefined ? [] : [bodySite])];
              const fromSource = op.method === 'POST' ? bodySite : querySites[0];
              const onlyShopA = fromSource === SHOP_A && mentions.every((m) => m === SHOP_A);
              if (!onlyShopA) expect(res.status, label).toBeGreaterThanOrEqual(400);
              if (res.status < 300) {
                okPerOperation.set(`${op.method} ${op.path}`, (okPerOperation.get(`${op.method} ${op.path}`) ?? 0) + 1);
                if (res.headers.get('content-type')?.includes('json')) {
                  const json = JSON.parse(text) as { site?: string };
                  if (json.site !== undefined) expect(json.site, label).toBe(SHOP_A);
                }
              }
            }
          }
        }
      }
    }
    // The matrix is not vacuous: every documented operation answered shop-a's own requests.
    for (const op of ops.filter((o) => o.documented)) expect(okPerOperation.get(`${op.method} ${op.path}`), `${op.method} ${op.path} never answered 2xx`).toBeGreaterThan(0);
    expect(requests).toBeGreaterThan(2000);
    // Nothing of shop-b moved: no audience created or deleted there, no erasure there, no row removed.
    expect(await footprint()).toEqual(footprintBefore);
    const listB = await app.request(`/api/v1/audiences?site=${SHOP_B}`, { headers: bearer(KEY_B) });
    expect(((await listB.json()) as { audiences: Array<{ id: string }> }).audiences.map((a) => a.id)).toEqual([ids.audienceB]);
  }, 300_000);

  it("shop-b's key still reads shop-b's own rows (the fixture is not empty)", async () => {
    const res = await app.request(`/api/v1/customers/c1?site=${SHOP_B}`, { headers: bearer(KEY_B) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { orders: Array<{ order_id: string }> }).orders.map((o) => o.order_id)).toContain('oSHOPB');
  });
});
