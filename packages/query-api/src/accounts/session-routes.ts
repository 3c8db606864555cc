import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Principal } from '../access/principal.js';
import { BadParameterError, PayloadTooLargeError } from '../errors/query-api-errors.js';
import { InvalidCredentialsError, InvalidSetupTokenError } from './account-errors.js';
import { objectBody, onlyKeys, principalOf, type AccountServices } from './account-services.js';
import { checkSameOrigin } from './require-csrf.js';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from './session-cookie.js';
import type { SessionRecord } from './session-store.js';
import { hashSetupToken } from './setup-token.js';
import { checkPassword, normaliseEmail } from './user-fields.js';

const ACCOUNT_MAX_BODY_BYTES = 16 * 1024;
const unreadBodyLimit = bodyLimit({
  maxSize: ACCOUNT_MAX_BODY_BYTES,
  onError: () => {
    throw new PayloadTooLargeError('body: larger than 16 KiB');
  },
});
/**
 * Sign-in bodies are a few hundred bytes: anything bigger is refused before it is read. Behind createQueryApi's
 * /api/v1/* chain the body has been read already (within that chain's own limit, for the site and well-formedness
 * checks): then the cached text is measured, since the stream can no longer be.
 */
export const ACCOUNT_BODY_LIMIT: MiddlewareHandler = async (c, next) => {
  if (!c.req.raw.bodyUsed) return unreadBodyLimit(c, next);
  if (new TextEncoder().encode(await c.req.text()).length > ACCOUNT_MAX_BODY_BYTES) throw new PayloadTooLargeError('body: larger than 16 KiB');
  return next();
};

/** POST/GET/DELETE /session, POST /session/password, POST /setup (mounted under /api/v1). */
export function sessionRoutes(s: AccountServices): Hono {
  const { deps, sessions, limiter } = s;
  const { userStore } = deps;
  const cookie = deps.cookie ?? {};
  const app = new Hono();

  const sessionAnswer = async (c: Context, principal: Principal, record?: SessionRecord) => {
    if (principal.kind !== 'user') return c.json({ principal: { kind: principal.kind } });
    const user = await userStore.findById(principal.userId);
    const session = record ?? (await sessions.readByKey(principal.sessionId));
    return c.json({
      user: { id: principal.userId, email: principal.email, display_name: user?.displayName ?? '', owner: principal.owner },
      sites: Object.entries(principal.roles).map(([site, role]) => ({ site, role })),
      csrf_token: session?.csrfToken ?? '',
      expires_at: session ? new Date(Math.min(session.lastSeenAt + sessions.idleMs, session.createdAt + sessions.absoluteMs)).toISOString() : null,
    });
  };

  // Sign in. One answer (401 invalid_credentials) for an unknown email, a wrong password, a disabled user and a user
  // who never set a password; each costs one scrypt, so neither the answer nor its timing tells them apart.
  app.post('/session', ACCOUNT_BODY_LIMIT, async (c) => {
    checkSameOrigin(c, { ...(deps.allowedOrigins ? { allowedOrigins: deps.allowedOrigins } : {}), trustForwardedProto: cookie.trustForwardedProto ?? false });
    const body = await objectBody(c);
    onlyKeys(body, ['email', 'password']);
    if (body.email === undefined) throw new BadParameterError('email', 'required');
    if (body.password === undefined) throw new BadParameterError('password', 'required');
    const email = normaliseEmail(body.email);
    const password = checkPassword(body.password, 'password', { forSignIn: true });
    const address = s.address(c);
    await limiter.check(email, address);
    const user = await userStore.findByEmail(email);
    const matches = await s.verify(password, user?.passwordHash ?? '');
    if (!user || !matches || user.disabled) {
      await limiter.recordFailure(email, address);
      await s.audit(c, { action: 'session.sign_in_failed', actor: attempted(user?.id ?? '', email), ...(user ? { target: user.id } : {}) });
      throw new InvalidCredentialsError();
    }
    await limiter.recordSuccess(email);
    // Fixation: whatever session id the browser came with is dropped; the signed-in session always gets a new one.
    const previous = readSessionCookie(c, cookie);
    if (previous) await sessions.delete(previous);
    const { id, record } = await sessions.create(user.id, user.credentialGeneration);
    writeSessionCookie(c, id, cookie);
    const principal: Principal = { kind: 'user', userId: user.id, email: user.email, sessionId: '', owner: user.owner, roles: await userStore.rolesOf(user.id) };
    await s.audit(c, { action: 'session.sign_in', actor: principal, target: user.id });
    return sessionAnswer(c, principal, record);
  });

  app.get('/session', s.signedIn, (c) => sessionAnswer(c, principalOf(c)));

  app.delete('/session', s.signedIn, async (c) => {
    const id = readSessionCookie(c, cookie);
    if (id) await sessions.delete(id);
    clearSessionCookie(c, cookie);
    await s.audit(c, { action: 'session.sign_out', actor: principalOf(c) });
    return c.body(null, 204);
  });

  // Change one's own password: needs the current one (brute-force-limited like sign-in). Every other session of the
  // user ends (the credential generation moves on); this one continues under a new id.
  app.post('/session/password', ACCOUNT_BODY_LIMIT, s.signedIn, async (c) => {
    const principal = principalOf(c);
    if (principal.kind !== 'user') throw new BadParameterError('session', 'only a signed-in user has a password to change');
    const body = await objectBody(c);
    onlyKeys(body, ['current_password', 'new_password']);
    const current = checkPassword(body.current_password, 'current_password', { forSignIn: true });
    const next = checkPassword(body.new_password, 'new_password');
    const address = s.address(c);
    await limiter.check(principal.email, address);
    const user = await userStore.findById(principal.userId);
    if (!user || !(await s.verify(current, user.passwordHash))) {
      await limiter.recordFailure(principal.email, address);
      throw new BadParameterError('current_password', 'wrong password');
    }
    const updated = await userStore.update(user.id, { passwordHash: await s.hash(next), credentialGeneration: user.credentialGeneration + 1 });
    const old = readSessionCookie(c, cookie);
    if (old) await sessions.delete(old);
    const { id, record } = await sessions.create(user.id, updated!.credentialGeneration);
    writeSessionCookie(c, id, cookie);
    await s.audit(c, { action: 'user.password_change', actor: principal, target: user.id });
    return sessionAnswer(c, principal, record);
  });

  // Set a password with a one-time set-up token (from `spoor users setup-link`, the first start, or an admin).
  app.post('/setup', ACCOUNT_BODY_LIMIT, async (c) => {
    checkSameOrigin(c, { ...(deps.allowedOrigins ? { allowedOrigins: deps.allowedOrigins } : {}), trustForwardedProto: cookie.trustForwardedProto ?? false });
    const body = await objectBody(c);
    onlyKeys(body, ['token', 'password']);
    if (typeof body.token !== 'string' || body.token.length === 0 || body.token.length > 200) throw new BadParameterError('token', 'expected the token from the set-up link');
    const password = checkPassword(body.password, 'password');
    const user = await userStore.findBySetupTokenHash(hashSetupToken(body.token));
    if (!user || user.setupTokenExpiresAt <= s.now().getTime()) throw new InvalidSetupTokenError();
    await userStore.update(user.id, { passwordHash: await s.hash(password), setupTokenHash: '', setupTokenExpiresAt: 0, credentialGeneration: user.credentialGeneration + 1 });
    await s.audit(c, { action: 'user.setup_complete', actor: attempted(user.id, user.email), target: user.id });
    return c.json({ email: user.email, next: 'sign in with POST /api/v1/session' });
  });

  return app;
}

/** The audit actor of a request that is not signed in yet: the account it tried. */
const attempted = (userId: string, email: string): Principal => ({ kind: 'user', userId, email, sessionId: '', owner: false, roles: {} });
