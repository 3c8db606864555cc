import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@spoor/events';
import type { QueryApi } from '../create-query-api.js';
import { ROUTE_PERMISSIONS, routeKey } from '../access/route-permissions.js';
import { KEY_A, SHOP_A, SHOP_B, SHOP_B_MARK, bearer, queryApiWithFixture, twoShopsFixture } from '../testing/index.js';

/**
 * Property-based fuzzing of every operation in the OpenAPI document (a new route is fuzzed without editing this file):
 * random and hostile values in every query parameter, path parameter and body field — lone surrogates, NUL, huge
 * strings, NaN/huge/negative numbers, extreme dates, arrays where scalars go, deep nesting, other sites' names —
 * through the real app over real chDB. Never a 5xx; a 2xx only when every site named is exactly the key's own, and
 * never with another site's rows.
 */
let app: QueryApi;
let operations: Array<{ method: 'GET' | 'POST' | 'DELETE'; path: string; params: string[]; siteFromRequest: boolean }> = [];
const NOW = new Date('2026-12-01T00:00:00Z');
const RULES = { all: [{ event: 'visit', op: '>=', count: 1, within_days: 365, where: [{ property: 'price', op: 'gte', value: 1 }] }] };
const FUNNEL = { from: '2026-11-01', to: '2026-11-30', steps: [{ type: 'page_view', path: '/*' }, { type: 'add_to_cart', category: 'x' }, { type: 'purchase' }] };
/** Valid bodies for the POST operations: the fuzzer mutates them (a wholly random body rarely gets past the schema). */
const BODIES: Record<string, Record<string, unknown>> = {
  '/api/v1/funnels': { ...FUNNEL, breakdown: 'channel' },
  '/api/v1/funnels/people': { ...FUNNEL, step: 1 },
  '/api/v1/audiences/preview': { definition: RULES, sample_size: 5 },
  '/api/v1/audiences': { name: 'fuzz', definition: RULES },
};

beforeAll(async () => {
  ({ app } = await queryApiWithFixture(twoShopsFixture(), { now: () => NOW, logError: () => undefined }));
  const doc = (await (await app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      // Routes whose site is the request's one `site` (access/route-permissions.ts) must refuse every other site named;
      // the others (session, instance-wide administration) read no `site` and only must never fail or leak.
      const siteFromRequest = ROUTE_PERMISSIONS.some((r) => r.site === 'request' && routeKey(r.method, r.path) === routeKey(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1')));
      operations.push({ method: method.toUpperCase() as 'GET', path, params: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name), siteFromRequest });
    }
  }
  operations = operations.filter((o) => o.path.startsWith('/api/'));
}, 120_000);

const loneSurrogate = fc.constantFrom('\ud800', '\udbff', '\udc00', 'a\ud83d', '\ude00b');
const extremeDate = fc.constantFrom(
  '9999-12-31', '0000-01-01', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '1969-12-31', '2201-01-01', '2200-12-31', '1970-01-01',
  '2026-02-31', '2026-13-01', '2026-11-01T25:00:00Z', '2026-11-01T10:00:00', '2026-11-01T10:00:00+99:00', '2026-11-01T10:00:00.123456789Z',
);
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  loneSurrogate,
  fc.tuple(fc.string(), loneSurrogate).map((p) => p.join('')),
  fc.constantFrom('', '\u0000', 'a\u0000b', '__proto__', "'; DROP TABLE events; --", '%', '*', '\\', SHOP_B, 'SHOP-A', `${SHOP_A} `, 'NaN', 'Infinity', '-1', '1e308', '0x10', 'true'),
  extremeDate,
  fc.integer({ min: 1, max: 20 }).map((kb) => 'x'.repeat(kb * 1024)),
);
const hostileNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 2, -(2 ** 53) - 2, 1e-300, 0.5, 4_294_967_296));
const deep = fc.integer({ min: 1, max: 200 }).map((depth) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? { all: [v] } : [v];
  return v;
});
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom(null, true, false, [], {}, [SHOP_B], { site: SHOP_B }),
  fc.array(hostileString, { maxLength: 3 }),
  deep,
  fc.anything({ maxDepth: 3 }),
);

/** Every path into a JSON value (objects and arrays), for replacing one node. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}
function replaceAt(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

const siteValue = fc.oneof(fc.constant(SHOP_A), fc.constant(SHOP_A), fc.constant(SHOP_B), hostileValue);

/** One request: an operation, query parameters (known names and strangers, sometimes repeated), path id, body. */
/** Mostly none, sometimes some: a request keeps enough valid parts to reach ClickHouse often. */
const few = <T,>(arb: fc.Arbitrary<T>, maxLength: number) => fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 2 }, { arbitrary: fc.array(arb, { minLength: 1, maxLength }), weight: 1 });
const request = fc.record({
  op: fc.nat(),
  query: few(fc.tuple(fc.oneof(fc.nat().map((i) => `#${i}`), fc.constantFrom('site', 'siTe', 'site[]', 'unknown'), hostileString), hostileString), 3),
  querySites: few(siteValue, 2),
  id: fc.oneof(fc.constantFrom('c1', 'c3', `c1${SHOP_B_MARK}`), hostileString),
  bodySite: fc.option(siteValue, { freq: 2 }),
  mutations: few(fc.tuple(fc.nat(), hostileValue), 2),
  rawQuery: few(fc.constantFrom('site=%ED%A0%80', 'from=%FF', 'limit=%', 'to=%00', 'site', '=', '&&', 'site=shop-a%00', 'site=shop%2Db', 'site=%73hop-b', '%73ite=shop-b'), 2),
  rawBody: fc.option(fc.oneof(fc.string(), fc.constantFrom('{', 'null', '[]', '"x"', '{"site":"shop-a","site":"shop-b"}')), { freq: 8 }),
});

/** About 60 per operation; FUZZ_RUNS raises it for a longer hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

describe('query API fuzz', () => {
  it('never answers 5xx, and never 2xx with another site named or with its rows', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(16);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const op = operations[r.op % operations.length]!;
        const params = new URLSearchParams();
        for (const [name, value] of r.query) params.append(name.startsWith('#') ? (op.params[Number(name.slice(1)) % Math.max(1, op.params.length)] ?? 'limit') : name, value);
        for (const site of r.querySites) params.append('site', typeof site === 'string' ? site : JSON.stringify(site));
        if (op.method !== 'POST' && r.querySites.length === 0) params.append('site', SHOP_A);
        const id = typeof r.id === 'string' ? r.id : 'c1';
        const path = op.path.replace('{id}', wireEncode(id));
        let body: string | undefined;
        if (op.method === 'GET') body = undefined;
        else if (r.rawBody !== null) body = r.rawBody;
        else if (op.method === 'POST') {
          let json: unknown = { ...BODIES[op.path], site: r.bodySite === null ? SHOP_A : r.bodySite };
          for (const [pick, value] of r.mutations) {
            const all = paths(json);
            json = replaceAt(json, all[pick % all.length]!, value);
          }
          body = JSON.stringify(json);
        } else if (r.bodySite !== null) body = JSON.stringify({ site: r.bodySite });
        // URLSearchParams would turn lone surrogates into U+FFFD: encode by hand, malformed escapes included.
        const query = [...params.entries()].map(([k, v]) => `${wireEncode(k)}=${wireEncode(v)}`).concat(r.rawQuery).join('&');
        const res = await app.request(`${path}?${query}`, {
          method: op.method,
          headers: { ...bearer(KEY_A), 'content-type': 'application/json' },
          ...(body !== undefined ? { body } : {}),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const label = `${op.method} ${path}?${params} ${body?.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`;
        expect(res.status, label).toBeLessThan(500);
        if (res.status >= 400) {
          // The one error body of both services (@spoor/events), naming the parameter on a 400.
          expect(errorBodySchema.safeParse(JSON.parse(text)).error, label).toBeUndefined();
        } else {
          expect(text.replaceAll(id, ''), label).not.toContain(SHOP_B_MARK);
          const named = [...new URLSearchParams(query).getAll('site'), ...(body && op.method !== 'GET' ? [safeSite(body)] : [])].filter((s) => s !== undefined);
          if (op.siteFromRequest) for (const site of named) expect(site, label).toBe(SHOP_A);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    // Not vacuous: many requests got through to ClickHouse and answered.
    console.log(`[query-api fuzz] ${RUNS} requests by status:`, Object.fromEntries([...statuses.entries()].sort(([a], [b]) => a - b)));
    expect([...statuses.entries()].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(RUNS / 20);
  }, 300_000);
});

/** Percent-encoding as a client would send it; a lone surrogate (no UTF-8 form) as the bytes of its CESU-8 form. */
function wireEncode(value: string): string {
  return [...value].map((ch) => (/[\uD800-\uDFFF]/u.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

function safeSite(body: string): unknown {
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'site' in parsed ? parsed.site : undefined;
  } catch {
    return undefined;
  }
}
