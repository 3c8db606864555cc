import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { Hono } from 'hono';

/** Paths the services own (query API, collector, OpenAPI, health): never answered by the shop. */
export const API_PATH = /^\/(?:api|v1)(?:\/|$)|^\/(?:openapi\.json|healthz|readyz|metrics)(?:\/|$)/;

/** The query API's error body (`{ error: { code, message } }`) for a path no service has. */
export const apiNotFound = (method: string, path: string) => ({ error: { code: 'not_found', message: `no such endpoint: ${method} ${path}` } });

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** What GET /spoor.js answers while the bundle is not built: what is missing, why, and the one command that fixes it. */
export const TRACKER_MISSING_MESSAGE =
  'spoor.js is not built: packages/tracker-sdk/dist/spoor.js is missing. The root `npm install` builds it (its prepare script) ' +
  'unless scripts were skipped (--ignore-scripts) or dev dependencies omitted (--omit=dev). ' +
  'Build it with `npm run build -w @spoor/tracker-sdk` (or `npm start`), then reload.\n';

export interface DemoStoreOptions {
  /** The built IIFE served as /spoor.js; default the tracker package's dist/spoor.js. */
  trackerBundle?: string;
}

/**
 * The demo storefront (packages/tracker-sdk/demo) with the built tracker as /spoor.js and this server's demo
 * site as /config.js: the documented snippet, talking to the collector on the same origin. Registered last, so
 * every GET no service claimed falls through to the shop (a single-page app: index.html for page paths) — except
 * the services' own namespaces (API_PATH), which answer a JSON 404.
 */
export function demoStoreRoutes(writeKey: string, options: DemoStoreOptions = {}): Hono {
  const sdkRoot = dirname(createRequire(import.meta.url).resolve('@spoor/tracker-sdk/package.json'));
  const trackerBundle = options.trackerBundle ?? join(sdkRoot, 'dist/spoor.js');
  const demoDir = join(sdkRoot, 'demo');
  const configJs = `window.SPOOR_CONFIG = ${JSON.stringify({ writeKey, collector: '' })};\nwindow.SPOOR_CONFIG.collector = location.origin;\n`;
  const app = new Hono();
  const file = (path: string, type: string) => async () =>
    new Response(await readFile(path), { headers: { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' } });
  app.get('/spoor.js', async (c) => {
    try {
      return await file(trackerBundle, TYPES['.js']!)();
    } catch {
      // Not cached, so the reload after the build gets the script; the text shows in the browser's network panel.
      return c.text(TRACKER_MISSING_MESSAGE, 503, { 'cache-control': 'no-store' });
    }
  });
  app.get('/config.js', (c) => c.body(configJs, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }));
  // The services' namespaces are never the shop's: an unknown API path is a JSON 404 whatever the method, never the
  // shop's HTML with a 200 (a client with a typo must see it failed).
  app.all('*', async (c, next) => (API_PATH.test(c.req.path) ? c.json(apiNotFound(c.req.method, c.req.path), 404) : next()));
  app.get('*', async (c) => {
    const ext = extname(c.req.path);
    const path = ext ? normalize(join(demoDir, c.req.path)) : join(demoDir, 'index.html');
    if (!path.startsWith(demoDir + '/') || !TYPES[ext || '.html']) return c.notFound();
    try {
      return await file(path, TYPES[ext || '.html']!)();
    } catch {
      return c.notFound();
    }
  });
  return app;
}
