import { createServer, type Server } from 'node:http';
import type { Processor } from './create-processor.js';

/**
 * GET /readyz (200, or 503 while not ready) and anything else (200) with the processor's health: counts and reason
 * codes only. Unauthenticated, so never the store's error text, which can quote the rows it refused; that text is in
 * the process's stderr.
 */
export function createHealthServer(processor: Pick<Processor, 'health'>): Server {
  return createServer((req, res) => {
    const health = processor.health();
    const status = req.url === '/readyz' && !health.ready ? 503 : 200;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: health.ready, processor: health }));
  });
}
