import { Hono } from 'hono';
import type { CollectorMetrics } from './collector-metrics.js';

export interface OpsRouteDeps {
  metrics: CollectorMetrics;
  /** Is the event log reachable right now (EventLog.ping)? */
  logReachable: () => Promise<boolean>;
  isShuttingDown: () => boolean;
  readinessTimeoutMs?: number;
}

/** /healthz (the process answers), /readyz (can take traffic: the log is reachable), /metrics (Prometheus). */
export function opsRoutes(deps: OpsRouteDeps): Hono {
  const app = new Hono();
  const timeoutMs = deps.readinessTimeoutMs ?? 2000;
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  // Unauthenticated: a fixed reason code, never an error's text (which could quote a request or a broker address).
  app.get('/readyz', async (c) => {
    if (deps.isShuttingDown()) return c.json({ ready: false, status: 'shutting down', reason: 'shutting_down' }, 503);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const reachable = await Promise.race([deps.logReachable().catch(() => false), timeout]);
    clearTimeout(timer);
    return reachable ? c.json({ ready: true, status: 'ready' }) : c.json({ ready: false, status: 'event log unreachable', reason: 'log_unreachable' }, 503);
  });
  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  return app;
}
