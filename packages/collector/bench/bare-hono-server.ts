import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The benchmark's ceiling: the same framework and server, a handler that only reads and parses the same
 * JSON batch and answers 202. Whatever the collector does beyond this (validation, protobuf, Kafka acks,
 * rate limits) is what the ratio measures.
 */
const app = new Hono();
app.post('/v1/events', async (c) => {
  const batch = JSON.parse(await c.req.text()) as { events: unknown[] };
  return c.json({ accepted: batch.events.length, rejected: [] }, 202);
});
app.get('/healthz', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8081), hostname: '127.0.0.1' });
