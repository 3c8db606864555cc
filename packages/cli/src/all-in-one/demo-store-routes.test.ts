import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoStoreRoutes, TRACKER_MISSING_MESSAGE } from './demo-store-routes.js';

describe('demo store routes', () => {
  const app = demoStoreRoutes('wk_test');

  it('serve the shop for page paths', async () => {
    const res = await app.request('/products/42');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('never answer the services\' namespaces with the shop: unknown API paths are a JSON 404 for every method', async () => {
    for (const path of ['/api', '/api/', '/api/v1/nope', '/api/v2/overview', '/v1/nope', '/openapi.json/x', '/healthz/x', '/metrics']) {
      for (const method of ['GET', 'POST', 'DELETE', 'PUT']) {
        const res = await app.request(path, { method });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
      }
    }
  });

  it('serve the built tracker as /spoor.js', async () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'spoor-bundle-')), 'spoor.js');
    writeFileSync(bundle, '!function(){}();');
    const res = await demoStoreRoutes('wk_test', { trackerBundle: bundle }).request('/spoor.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/javascript/);
    expect(await res.text()).toBe('!function(){}();');
    rmSync(dirname(bundle), { recursive: true, force: true });
  });

  it('answer a missing bundle with a 503 that says what is missing and the command that builds it, not cached', async () => {
    const res = await demoStoreRoutes('wk_test', { trackerBundle: join(tmpdir(), 'spoor-no-such-dir', 'spoor.js') }).request('/spoor.js');
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).toBe(TRACKER_MISSING_MESSAGE);
    expect(text).toContain('packages/tracker-sdk/dist/spoor.js is missing');
    expect(text).toContain('npm run build -w @spoor/tracker-sdk');
  });
});
