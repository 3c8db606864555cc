// Per-request cost of the access chain (authenticate + authorize, issue #18): the same trivial route answered by a
// bare Hono app and behind the chain as createQueryApi composes it (API key authenticator with a warm in-memory key
// store, the session authenticator asked first and finding no cookie, authorize over the full route table with the
// site read from the query string). In-process `app.request`, no socket, no store: what is left is the chain itself.
// Run: npm run bench:access -w @spoor/query-api   (BENCH_REQUESTS, default 200000)
import { Hono } from 'hono';
import { performance } from 'node:perf_hooks';
import { apiKeyAuthenticator } from '../src/access/api-key-authenticator.js';
import { authenticate } from '../src/access/authenticate.js';
import { authorize } from '../src/access/authorize.js';
import type { Authenticator } from '../src/access/principal.js';
import { ROUTE_PERMISSIONS } from '../src/access/route-permissions.js';
import { hashApiKey, type ApiKeyStore } from '../src/auth/api-key-store.js';
import type { QueryApiEnv } from '../src/auth/query-api-env.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);
const KEY = 'sk_bench_access_overhead_0123456789';
const store: ApiKeyStore = { findByHash: async (hash) => (hash === hashApiKey(KEY) ? { keyId: 'k', siteIds: ['shop-1'], scopes: ['reports'] } : undefined) };
const noCookie: Authenticator = async (c) => (c.req.header('cookie') ? undefined : undefined);

const handler = (c: import('hono').Context) => c.json({ ok: true });
const bare = new Hono<QueryApiEnv>().get('/api/v1/overview', handler);
const guarded = new Hono<QueryApiEnv>();
guarded.use('/api/v1/*', authenticate({ authenticators: [noCookie, apiKeyAuthenticator({ store })] }), authorize({ table: ROUTE_PERMISSIONS }));
guarded.get('/api/v1/overview', handler);

async function run(app: Hono<QueryApiEnv>, n: number): Promise<number> {
  const init = { headers: { authorization: `Bearer ${KEY}` } };
  const start = performance.now();
  for (let i = 0; i < n; i += 1) {
    const res = await app.request('/api/v1/overview?site=shop-1', init);
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  }
  return ((performance.now() - start) * 1000) / n; // µs per request
}

await run(bare, 5_000);
await run(guarded, 5_000);
const rounds: Array<[number, number]> = [];
for (let r = 0; r < 5; r += 1) rounds.push([await run(bare, REQUESTS / 5), await run(guarded, REQUESTS / 5)]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bareUs = median(rounds.map(([b]) => b));
const guardedUs = median(rounds.map(([, g]) => g));
console.log(JSON.stringify({ requests: REQUESTS, bare_us_per_request: +bareUs.toFixed(2), chain_us_per_request: +guardedUs.toFixed(2), access_overhead_us: +(guardedUs - bareUs).toFixed(2), node: process.version }, null, 2));
