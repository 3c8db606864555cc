import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie. HttpOnly (no script reads it), Path=/, SameSite=Lax, and over https Secure with the
 * `__Host-` prefix (the browser then refuses it from a sibling subdomain or plain http, so nobody can plant a session).
 *
 * Lax, not Strict: CSRF is stopped by the X-CSRF-Token and Origin checks (require-csrf.ts) on every state-changing
 * request, and Lax keeps someone signed in when they follow a link to a report from an email or a chat; Lax already
 * keeps the cookie off cross-site POSTs, images and frames.
 */
export interface SessionCookieOptions {
  /**
   * Trust `X-Forwarded-Proto: https` from the proxy in front (set only when a TLS-terminating proxy you run always
   * sets it). Without it, https is what the request URL says.
   */
  trustForwardedProto?: boolean;
}

export const SECURE_SESSION_COOKIE = '__Host-spoor_session';
export const PLAIN_SESSION_COOKIE = 'spoor_session';

export function requestIsHttps(c: Context, { trustForwardedProto = false }: SessionCookieOptions = {}): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustForwardedProto) return false;
  // The first value is what the client used, when proxies append.
  return c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Over https only the `__Host-` cookie counts: a plain one could have been set over http or by a subdomain. */
export function readSessionCookie(c: Context, options: SessionCookieOptions = {}): string | undefined {
  return getCookie(c, requestIsHttps(c, options) ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE);
}

/** A session cookie (no Max-Age: the server decides expiry; the browser forgets it when closed at the latest). */
export function writeSessionCookie(c: Context, id: string, options: SessionCookieOptions = {}): void {
  const secure = requestIsHttps(c, options);
  setCookie(c, secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', path: '/', secure });
}

export function clearSessionCookie(c: Context, options: SessionCookieOptions = {}): void {
  const secure = requestIsHttps(c, options);
  deleteCookie(c, secure ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE, { httpOnly: true, sameSite: 'Lax', path: '/', secure });
}
