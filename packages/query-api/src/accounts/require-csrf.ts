import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../access/principal.js';
import { CsrfError } from './account-errors.js';
import { requestIsHttps } from './session-cookie.js';
import { sameToken, type SessionStore } from './session-store.js';

export interface RequireCsrfOptions {
  sessions: SessionStore;
  /** Where the request's principal is (default `c.get('principal')`, set by the authenticate middleware). */
  principalOf?: (c: Context) => Principal | undefined;
  /** Origins besides the API's own allowed to send state-changing cookie requests (e.g. a dashboard on another host). */
  allowedOrigins?: readonly string[];
  /** Believe X-Forwarded-Proto when working out the API's own origin (behind a TLS-terminating proxy). */
  trustForwardedProto?: boolean;
}

export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery defence for requests a browser authenticates by itself (the session cookie): every
 * POST/PUT/PATCH/DELETE made as a signed-in user must carry the session's token in X-CSRF-Token (a foreign page
 * cannot read it: GET /api/v1/session returns it only to same-origin script) and must not come from a foreign origin
 * (Origin, else Sec-Fetch-Site, when the browser sends them). Refused with 403 `csrf`. Requests made with a Bearer
 * key or the local admin token carry no ambient credential and pass untouched.
 */
export function requireCsrf(options: RequireCsrfOptions): MiddlewareHandler {
  const principalOf = options.principalOf ?? ((c: Context) => c.get('principal') as Principal | undefined);
  return async (c, next) => {
    const principal = principalOf(c);
    if (!STATE_CHANGING.has(c.req.method) || principal?.kind !== 'user') return next();
    checkSameOrigin(c, options);
    const sent = c.req.header(CSRF_HEADER);
    if (!sent) throw new CsrfError(`${CSRF_HEADER}: missing; send the csrf_token from GET /api/v1/session with every state-changing request`);
    const session = await options.sessions.readByKey(principal.sessionId);
    if (!session || !sameToken(sent, session.csrfToken)) throw new CsrfError(`${CSRF_HEADER}: does not match this session's token`);
    return next();
  };
}

/**
 * The origin half alone, for requests that have no session yet but must not be forged either (sign-in and set-up:
 * a forged sign-in would put a victim into the attacker's account). A request without Origin and Sec-Fetch-Site
 * (curl, a server) passes: only browsers are forged, and they send one of them.
 */
export function checkSameOrigin(c: Context, options: Pick<RequireCsrfOptions, 'allowedOrigins' | 'trustForwardedProto'>): void {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (origin === ownOrigin(c, options) || options.allowedOrigins?.includes(origin)) return;
    throw new CsrfError(`origin: ${JSON.stringify(origin.slice(0, 200))} may not make this request with a session cookie`);
  }
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new CsrfError(`sec-fetch-site: a ${site} request may not make this request with a session cookie`);
}

function ownOrigin(c: Context, options: Pick<RequireCsrfOptions, 'trustForwardedProto'>): string {
  const url = new URL(c.req.url);
  const scheme = requestIsHttps(c, { trustForwardedProto: options.trustForwardedProto ?? false }) ? 'https:' : url.protocol;
  return `${scheme}//${url.host}`;
}
