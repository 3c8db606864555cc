import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Who sent a request, for per-client limits: a string naming the client. */
export type RequestAddress = (c: Context) => string;

/**
 * The socket's peer address (@hono/node-server); '' when the app runs without a socket (`app.request` in tests).
 * X-Forwarded-For is never believed here: behind a proxy, pass createQueryApi a `clientAddress` that knows which
 * proxies to trust (the collector's clientAddress does).
 */
export const socketPeerAddress: RequestAddress = (c) => {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
};
