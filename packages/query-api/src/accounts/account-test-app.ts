import { createMemoryKeyValue } from '@spoor/infra';
import { Hono } from 'hono';
import type { SiteRole } from '../access/principal.js';
import { createErrorHandler } from '../errors/on-error.js';
import type { AccountRoutesDeps } from './account-deps.js';
import { accountRoutes } from './account-routes.js';
import { createMemoryAuditLog } from '../audit/memory-audit-log.js';
import { createMemoryUserStore } from './memory-user-store.js';
import { hashPassword, type ScryptParameters } from './password-hash.js';

/** Cheap scrypt for tests: the cost parameters travel in the hash, the code path is the same. */
export const TEST_SCRYPT: ScryptParameters = { N: 1024, r: 8, p: 1 };

/** The account routes over memory stores with a settable clock, as createQueryApi mounts them. */
export function accountTestApp(overrides: Partial<AccountRoutesDeps> = {}) {
  let clock = new Date('2026-06-01T10:00:00Z');
  const userStore = createMemoryUserStore({ now: () => clock });
  const audit = createMemoryAuditLog();
  const kv = createMemoryKeyValue();
  const app = new Hono();
  app.onError(createErrorHandler(() => undefined));
  app.route('/api/v1', accountRoutes({ userStore, kv, audit, now: () => clock, scrypt: TEST_SCRYPT, clientAddress: (c) => c.req.header('x-test-address') ?? '192.0.2.1', ...overrides }));
  return {
    app,
    userStore,
    audit,
    kv,
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
    async addUser(email: string, password: string, options: { owner?: boolean; roles?: Record<string, SiteRole>; disabled?: boolean } = {}) {
      const user = await userStore.create({ email, displayName: email.split('@')[0]!, owner: options.owner ?? false });
      await userStore.update(user.id, { passwordHash: await hashPassword(password, TEST_SCRYPT), disabled: options.disabled ?? false });
      if (options.roles) await userStore.setRoles(user.id, options.roles);
      return user;
    },
  };
}

type App = { request(input: string, init?: RequestInit): Response | Promise<Response> };

/** Signs in and returns the cookie pair (`name=value`) and the CSRF token to send back. */
export async function signIn(app: App, email: string, password: string, base = 'http://spoor.test') {
  const res = await app.request(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrf_token: string };
  return { cookie: cookiePair(res), csrf: body.csrf_token, body };
}

export function cookiePair(res: Response): string {
  const header = res.headers.getSetCookie().find((h) => h.includes('spoor_session='));
  if (!header) throw new Error('no session cookie set');
  return header.split(';')[0]!;
}

/** A request as the browser would send it with the session: cookie, CSRF header, same-origin. */
export function asUser(session: { cookie: string; csrf: string }, init: { method?: string; body?: unknown; csrf?: string | null; origin?: string } = {}): RequestInit {
  const headers: Record<string, string> = { cookie: session.cookie, 'content-type': 'application/json' };
  if (init.csrf !== null) headers['x-csrf-token'] = init.csrf ?? session.csrf;
  if (init.origin) headers.origin = init.origin;
  return { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) };
}
