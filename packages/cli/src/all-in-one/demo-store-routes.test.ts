import { describe, expect, it } from 'vitest';
import { demoStoreRoutes } from './demo-store-routes.js';

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
});
