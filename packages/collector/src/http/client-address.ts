import proxyaddr from 'proxy-addr';
import type { Context } from 'hono';

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Compiles the trusted proxy list (addresses, CIDR ranges, or proxy-addr's names `loopback`,
 * `linklocal`, `uniquelocal`). Empty: X-Forwarded-For is never believed.
 */
export function compileTrustedProxies(list: readonly string[]): TrustProxy {
  if (!list.length) return () => false;
  return proxyaddr.compile([...list]);
}

/** The socket's peer address as @hono/node-server exposes it; empty when the app runs without a socket (app.request). */
export function socketAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? '';
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy, in which case
 * X-Forwarded-For is walked from the right and the first untrusted hop wins (proxy-addr).
 */
export function clientAddress(c: Context, trust: TrustProxy): string {
  const remoteAddress = socketAddress(c);
  const forwardedFor = c.req.header('x-forwarded-for');
  if (!remoteAddress || !forwardedFor) return normalise(remoteAddress);
  const request = { socket: { remoteAddress }, connection: { remoteAddress }, headers: { 'x-forwarded-for': forwardedFor } };
  return normalise(proxyaddr(request as unknown as Parameters<typeof proxyaddr>[0], trust));
}

/** `::ffff:203.0.113.7` (IPv4 on a dual-stack socket) is reported as plain IPv4. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
