import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { buildBundle, packageRoot } from '../scripts/build.js';

const DEMO_DIR = join(packageRoot, 'demo');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export interface DemoServer {
  /** Origin of the demo shop, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** What `window.SPOOR_CONFIG` (the snippet's init argument) is: writeKey, collector and any option. */
  config: Record<string, unknown>;
  /** The SDK script to serve as /spoor.js; default: built from the current sources. */
  script?: string;
  /**
   * Port on 127.0.0.1 (default: any free one). A fixed port gives a known origin, e.g. for a real
   * collector whose site config must list the shop's origin before the shop is served.
   */
  port?: number;
}

/**
 * Serves the demo storefront (packages/tracker-sdk/demo) on 127.0.0.1: the SDK as /spoor.js, the
 * given settings as /config.js, the static files, and index.html for every other path (the shop is a
 * single-page app).
 */
export async function serveDemo(options: DemoOptions): Promise<DemoServer> {
  const script = options.script ?? (await buildBundle());
  const configJs = `window.SPOOR_CONFIG = ${JSON.stringify(options.config)};`;
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path == '/favicon.ico') return void res.writeHead(204).end();
    if (path == '/spoor.js') return send(TYPES['.js']!, script);
    if (path == '/config.js') return send(TYPES['.js']!, configJs);
    const ext = extname(path);
    const file = ext ? normalize(join(DEMO_DIR, path)) : join(DEMO_DIR, 'index.html');
    if (!file.startsWith(DEMO_DIR) || !TYPES[ext || '.html']) {
      res.writeHead(404).end();
      return;
    }
    try {
      send(TYPES[ext || '.html']!, await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  };
  // node:http ignores a handler's promise; a failure is answered here instead of becoming an unhandled rejection.
  const server: Server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(options.port ?? 0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
