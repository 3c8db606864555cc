import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../errors/query-api-errors.js';
import { adminTokenAuthenticator, ADMIN_TOKEN_PREFIX, newAdminToken } from './admin-token-authenticator.js';

/** What the authenticator answers for a request with this Authorization header: a principal, undefined, or 401. */
async function answer(token: string, authorization: string | undefined): Promise<unknown> {
  const authenticate = adminTokenAuthenticator(token);
  const app = new Hono();
  app.get('/', async (c) => {
    try {
      return c.json({ principal: (await authenticate(c)) ?? null });
    } catch (err) {
      if (err instanceof UnauthorizedError) return c.json({ unauthorized: err.message });
      throw err;
    }
  });
  return (await app.request('/', { headers: authorization === undefined ? {} : { authorization } })).json();
}

describe('adminTokenAuthenticator', () => {
  const token = newAdminToken();

  it('the right token is the local admin; no header or another kind of credential is not its business', async () => {
    expect(await answer(token, `Bearer ${ADMIN_TOKEN_PREFIX}${token}`)).toEqual({ principal: { kind: 'local-admin' } });
    expect(await answer(token, `bearer ${ADMIN_TOKEN_PREFIX}${token}`)).toEqual({ principal: { kind: 'local-admin' } });
    for (const header of [undefined, '', 'Bearer sk_live_key', `Basic ${btoa('a:b')}`, `Bearer ${token}`]) {
      expect(await answer(token, header), String(header)).toEqual({ principal: null });
    }
  });

  it('any other token with the admin prefix is 401, never read as no credential', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/), async (guess) => {
        fc.pre(guess !== token);
        expect(await answer(token, `Bearer ${ADMIN_TOKEN_PREFIX}${guess}`)).toHaveProperty('unauthorized');
      }),
      { numRuns: 100 },
    );
  });

  it('tokens are fresh and long; a short one is refused at construction', () => {
    expect(newAdminToken()).not.toBe(newAdminToken());
    expect(newAdminToken().length).toBeGreaterThanOrEqual(43);
    expect(() => adminTokenAuthenticator('short')).toThrow(/at least 32/);
  });
});
