import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

export interface ServeOptions {
  app: Hono;
  port: number;
  hostname?: string;
  /** In-flight requests get this long to finish after shutdown starts; then their connections are cut. */
  drainTimeoutMs?: number;
  /** Runs after the last request finished: flush the producer, close the log and Redis. */
  onDrained?: () => Promise<void>;
}

export interface RunningCollector {
  port: number;
  url: string;
  server: Server;
  /** Stop accepting, let in-flight requests finish, then onDrained. Safe to call twice. */
  shutdown(): Promise<void>;
}

/** Serves the app over HTTP with @hono/node-server and knows how to stop it without losing a request. */
export async function serveCollector(options: ServeOptions): Promise<RunningCollector> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: options.app.fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, () => {
      s.off('error', reject);
      resolve(s as Server);
    });
    // A port in use (EADDRINUSE) rejects the start instead of crashing the process with an unhandled 'error'.
    s.once('error', reject);
  });
  // Keep-alive longer than typical load balancer idle timeouts, so the LB closes first (no reset races).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Idle keep-alive sockets would hold close() open; busy ones finish their response first.
    server.closeIdleConnections();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), options.drainTimeoutMs ?? 10_000);
    await closed;
    clearInterval(idleSweep);
    clearTimeout(deadline);
    await options.onDrained?.();
  }

  return {
    port,
    url: `http://${options.hostname && options.hostname !== '0.0.0.0' ? options.hostname : '127.0.0.1'}:${port}`,
    server,
    shutdown: () => (stopping ??= shutdown()),
  };
}
